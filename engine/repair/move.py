"""Moving a case back to an earlier task or on to a later one, with a reason.

The case's current task (in the process or stage that holds it) is taken out of the task tree, what hung below
it (its boundary timers, the predicted path) with it, and the target task is put in its place with the data the
case has; the engine then predicts the path on from there. The state keeps no finished history (pruning), so
this works the same whether the target was done long ago or lies ahead. Projections are refreshed: the work
item of the task left is withdrawn, its timers cancelled, the target's item and deadlines created."""
from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from .. import audit, projections
from ..bpmn import progress
from ..bpmn.pruning import done_elements
from ..errors import Conflict, Invalid
from ..instances import run_engine, save
from ..models import WorkItem
from ..projections import element_id_of
from ..runtime import Runtime
from ..users import Actor
from .guard import locked_case, opened, reason_of, require_status
from .incidents import resolve_open


@dataclass
class Moved:
    case_no: str
    direction: str  # back | forward
    element_id: str
    open_tasks: list[str]
    withdrawn_items: list[int]
    stage_name: str


def _current(workflow, element_id: str):
    """The ready human task whose process has the user task `element_id`, and that task's spec."""
    ready = [t for t in progress.tasks(workflow, state=TaskState.READY) if t.task_spec.manual]
    holders = [t for t in ready if element_id in t.workflow.spec.task_specs
               and t.workflow.spec.task_specs[element_id].manual]
    if not holders:
        raise Conflict(f"案件当前所在的流程中没有人工任务 {element_id}，无法移动到它")
    if any(element_id_of(t) == element_id for t in holders):
        raise Conflict(f"案件已在任务 {element_id}")
    if len(holders) > 1:
        raise Conflict("案件在该流程中有多个并行的待办任务，不能整体移动；请逐个办理")
    return holders[0], holders[0].workflow.spec.task_specs[element_id]


def _anchor(task):
    """The finished task the current one hangs from (above its boundary events' split, if it has one)."""
    found = task.parent
    while found is not None and isinstance(found.task_spec, BoundaryEventSplit):
        found = found.parent
    return found


def _jump(task, target_spec) -> None:
    anchor = _anchor(task)
    if anchor is None:
        raise Conflict("无法移动：找不到当前任务的前一步")
    workflow = task.workflow
    split = workflow.spec.task_specs.get(f"{target_spec.name}.BoundaryEventSplit")
    events = workflow.top_workflow.event_manager
    for child in anchor.children:  # the library forgets waiting events only when they are cancelled, not dropped
        for dropped in child:
            events.remove_task(dropped)
    anchor._drop_children(force=True)
    data = deepcopy(task.data)  # the case's freshest data: the anchor's may predate steps pruned from the tree
    added = anchor._add_child(split or target_spec, TaskState.FUTURE)
    added.reset_branch(data)


def move(rt: Runtime, case_no: str, element_id: str, reason: str, by: Actor) -> Moved:
    """Put the case at the user task `element_id` of the process (or stage) it is in."""
    reason = reason_of(reason)
    element_id = (element_id or "").strip()
    if not element_id:
        raise Invalid("请选择要移动到的任务", {"element_id": ["必填"]})
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case, row = locked_case(rt, session, case_no, by)
        require_status(case, "open", action="移动（请先恢复案件）" if case.status == "suspended" else "移动")
        oc = opened(rt, session, case, row)
        task, target_spec = _current(oc.workflow, element_id)
        process_id = task.workflow.spec.name
        done = set(done_elements(oc.workflow).get(process_id, [])) | {
            element_id_of(t) for t in progress.tasks(oc.workflow, state=TaskState.COMPLETED)
            if t.workflow is task.workflow}
        direction = "back" if element_id in done else "forward"
        before = [i.id for i in session.scalars(select(WorkItem).where(WorkItem.case_id == case.id,
                                                                        WorkItem.state == "open"))]
        left = element_id_of(task)
        run_engine(oc.workflow, lambda: _jump(task, target_spec))
        save(rt, session, oc)
        open_rows = projections.refresh(rt, session, oc, now)
        open_ids = {i.id for i in open_rows}
        withdrawn = [i for i in before if i not in open_ids]
        resolve_open(session, case.id, by.username, "moved", now)
        tasks = sorted({i.element_id for i in open_rows})
        audit.record(session, at=now, actor=by.username, kind="case_moved", case_id=case.id, element_id=element_id,
                     summary=f"{'退回' if direction == 'back' else '前移'}到任务 {element_id}：{reason}",
                     data={"reason": reason, "direction": direction, "from": left, "to": element_id,
                           "old_items": before, "new_open_tasks": tasks, "withdrawn_items": withdrawn})
        return Moved(case.case_no, direction, element_id, tasks, withdrawn, case.stage_name)
