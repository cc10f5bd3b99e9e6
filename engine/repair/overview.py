"""What an administrator sees before repairing a case: its status, its open incident, its current data, its
open items and timers, and the user tasks it can be moved to."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from ..bpmn import progress
from ..cases import get_case
from ..instances import open_case
from ..models import InstanceState, Timer, WorkItem
from ..permissions import check_can_repair
from ..projections import TIMER_ROWS_OF_WAITING_TASKS
from ..runtime import Runtime
from ..users import Actor
from .case_data import LIVE
from .incidents import IncidentView, list_incidents


@dataclass
class RepairView:
    case_no: str
    title: str
    status: str
    stage_name: str
    suspended_at: datetime | None
    incident: IncidentView | None
    data: dict = field(default_factory=dict)
    open_items: list[dict] = field(default_factory=list)
    timers: list[dict] = field(default_factory=list)
    move_targets: list[tuple[str, str]] = field(default_factory=list)  # (element id, name)


def _targets(workflow, meta: dict) -> list[tuple[str, str]]:
    """The user tasks a move can put the case at (move.move's rule): in a process that holds exactly one ready
    human task, its other user tasks, supervision notices (督办件) aside."""
    ready = [t for t in progress.tasks(workflow, state=TaskState.READY) if t.task_spec.manual]
    per_process: dict[int, list] = {}
    for task in ready:
        per_process.setdefault(id(task.workflow), []).append(task)
    found: dict[str, str] = {}
    for tasks in per_process.values():
        if len(tasks) != 1:
            continue
        task = tasks[0]
        process = meta.get("processes", {}).get(task.workflow.spec.name, {}).get("tasks", {})
        for spec in task.workflow.spec.task_specs.values():
            if (spec.manual and spec.bpmn_id and spec.bpmn_id != task.task_spec.bpmn_id
                    and not process.get(spec.bpmn_id, {}).get("supervises")):
                found.setdefault(spec.bpmn_id, spec.bpmn_name or spec.bpmn_id)
    return sorted(found.items())


def repair_view(rt: Runtime, case_no: str, by: Actor) -> RepairView:
    """The case as the repair page shows it (read only; every action takes the case's lock itself)."""
    check_can_repair(by)
    with rt.unit_of_work(write=False) as session:
        case = get_case(session, case_no)
        items = [{"id": i.id, "title": i.title, "element_id": i.element_id, "department_id": i.department_id,
                  "due_at": i.due_at}
                 for i in session.scalars(select(WorkItem).where(WorkItem.case_id == case.id, WorkItem.state == "open")
                                          .order_by(WorkItem.id))]
        timers = [{"name": t.name, "element_id": t.element_id, "due_at": t.due_at, "state": t.state}
                  for t in session.scalars(select(Timer).where(Timer.case_id == case.id,
                                                               Timer.state.in_(TIMER_ROWS_OF_WAITING_TASKS))
                                           .order_by(Timer.due_at, Timer.id))]
        data, targets = {}, []
        if session.get(InstanceState, case.id) is not None and case.status in ("open", "suspended"):
            oc = open_case(rt, session, case)
            live = progress.tasks(oc.workflow, state=LIVE)
            if live:
                data = dict(live[0].data)
            targets = _targets(oc.workflow, oc.bundle.meta)
        view = RepairView(case.case_no, case.title, case.status, case.stage_name, case.suspended_at, None,
                          data, items, timers, targets)
    found = list_incidents(rt, by, case_no=case_no)
    view.incident = found[0] if found else None
    return view
