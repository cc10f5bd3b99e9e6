"""Projections refreshed in the same transaction as every command: work items, timers, case summary.

Lists and inboxes read these rows; nothing that lists cases ever deserializes a workflow. The cost
of a refresh depends only on the case's own open items and timers, never on how many cases exist.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import CallActivity
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import early_warning, notifications, supervision_notices
from .bpmn import progress
from .bpmn.timers import due_at
from .error_text import failure_reason
from .errors import ScriptFailed
from .instances import OpenCase
from .models import Timer, User, WorkItem
from .numbering import next_notice_no
from .repair.incidents import resolve_for_timers
from .runtime import Runtime

CLOSED_STAGE = "closed"
LADDER_KINDS = ("reminder", "supervision", "escalation", "leadership")
TIMER_ROWS_OF_WAITING_TASKS = ("waiting", "failed", "paused")


def process_id_of(task) -> str:
    return task.workflow.spec.name


def element_id_of(task) -> str:
    return task.task_spec.bpmn_id or task.task_spec.name


def task_meta(oc: OpenCase, task) -> dict:
    return oc.bundle.meta["processes"].get(process_id_of(task), {}).get("tasks", {}).get(element_id_of(task), {})


def timer_meta(oc: OpenCase, task) -> dict:
    return oc.bundle.meta["processes"].get(process_id_of(task), {}).get("timers", {}).get(element_id_of(task), {})


@dataclass
class Snapshot:
    """The tasks projections care about, collected in one walk of the task tree."""

    ready_human: list
    waiting_timers: list
    running_stages: list
    failed: list

    @classmethod
    def of(cls, workflow) -> Snapshot:
        snapshot = cls([], [], [], [])
        mask = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
        for task in progress.tasks(workflow, state=mask):
            state, spec = task.state, task.task_spec
            if state == TaskState.READY and spec.manual:
                snapshot.ready_human.append(task)
            elif state == TaskState.WAITING and isinstance(getattr(spec, "event_definition", None),
                                                           TimerEventDefinition):
                snapshot.waiting_timers.append(task)
            elif state == TaskState.STARTED and isinstance(spec, CallActivity) and task.workflow is workflow:
                snapshot.running_stages.append(task)
            elif state == TaskState.ERROR:
                snapshot.failed.append(task)
        return snapshot


def department_of(rt: Runtime, session: Session, oc: OpenCase, task) -> str:
    """The department a human task belongs to: its `department` expression, else its lane."""
    meta = task_meta(oc, task)
    department = meta.get("lane")
    if meta.get("department"):
        try:
            department = oc.workflow.script_engine.evaluate(task, meta["department"])
        except Exception as exc:
            raise ScriptFailed(f"任务 {element_id_of(task)} 的承办部门表达式（department）出错：{failure_reason(exc)}",
                               element_id=element_id_of(task)) from exc
    if department is None or department == "":
        raise ScriptFailed(f"任务 {element_id_of(task)} 没有承办部门：它不在以部门命名的泳道中，"
                           "承办部门表达式（department）也没有给出部门", element_id=element_id_of(task))
    if not isinstance(department, str):
        raise ScriptFailed(f"任务 {element_id_of(task)} 的承办部门表达式（department）给出的不是部门编号，"
                           f"而是 {department.__class__.__name__} 值", element_id=element_id_of(task))
    if department not in rt.department_ids(session) and department not in rt.department_ids(session, True):
        raise ScriptFailed(f"任务 {element_id_of(task)} 的承办部门 “{department}” 不存在",
                           element_id=element_id_of(task))
    return department


def _due_of(task, timers: list, oc: OpenCase) -> tuple[datetime | None, bool]:
    """A task's deadline and whether it is still ahead: its supervision timer while that waits; for a
    task without one, its earliest interrupting timer, else its earliest timer outside the ladder.

    The ladder's later rungs (escalation, leadership) are not deadlines: once the supervision timer
    has fired the item keeps the deadline it missed."""
    element = element_id_of(task)
    attached = [(timer_meta(oc, t), due_at(t)) for t in timers if t.workflow is task.workflow]
    attached = [(meta, due) for meta, due in attached if meta.get("attached_to") == element and due is not None]
    supervision = sorted(due for meta, due in attached if meta.get("kind") == "supervision")
    if supervision:
        return supervision[0], True
    interrupting = sorted(due for meta, due in attached if meta.get("interrupting"))
    if interrupting:
        return interrupting[0], False
    others = sorted(due for meta, due in attached if meta.get("kind") not in LADDER_KINDS)
    return (others[0] if others else None), False


def _preassigned(session: Session, username: str | None) -> int | None:
    """The user a diagram names as the task's assignee (Camunda's `assignee`), while that account is active."""
    if not username:
        return None
    return session.scalar(select(User.id).where(User.username == username, User.active.is_(True)))


def refresh(rt: Runtime, session: Session, oc: OpenCase, now: datetime,
            completed_task_id: str | None = None, completed_by: int | None = None) -> list[WorkItem]:
    """Bring work items, timers and the case summary in line with the workflow; return the open items."""
    workflow, case = oc.workflow, oc.case
    snapshot = Snapshot.of(workflow)
    if snapshot.failed:
        element = element_id_of(snapshot.failed[0])
        raise ScriptFailed(f"流程在元素 {element} 处出错", element_id=element)
    ready = {str(t.id): t for t in snapshot.ready_human}
    timers = snapshot.waiting_timers
    open_items = session.scalars(select(WorkItem).where(WorkItem.case_id == case.id,
                                                        WorkItem.state == "open")).all()
    still_open, closed = [], []
    for item in open_items:
        if item.task_id in ready:
            due, waiting = _due_of(ready[item.task_id], timers, oc)
            if waiting or item.due_at is None:
                item.due_at = due or item.due_at
            still_open.append(item)
        else:
            if item.task_id == completed_task_id:
                item.state, item.completed_at, item.completed_by_id = "completed", now, completed_by
            else:
                item.state, item.completed_at = "cancelled", now
            closed.append(item)
    notifications.clear_new_work(session, closed, now)
    known = {item.task_id for item in open_items}
    created: list[WorkItem] = []
    for task_id, task in ready.items():
        if task_id in known:
            continue
        meta = task_meta(oc, task)
        item = WorkItem(
            case_id=case.id, task_id=task_id, element_id=element_id_of(task), process_id=process_id_of(task),
            title=meta.get("name") or task.task_spec.bpmn_name or element_id_of(task),
            form_key=meta.get("form") or "", department_id=department_of(rt, session, oc, task),
            required_role=meta.get("role"), state="open", created_at=now, due_at=_due_of(task, timers, oc)[0],
            escalation_level=0, assignee_id=_preassigned(session, meta.get("assignee")))
        if meta.get("supervises"):  # a 督办件: numbered, and tied to the (earliest) open item it is about
            subjects = [i.id for i in open_items if i.element_id == meta["supervises"] and i.state == "open"]
            item.subject_item_id = min(subjects, default=None)
            item.notice_no = next_notice_no(session, now)
            item.due_at = item.due_at or supervision_notices.reply_due(rt, now)
        session.add(item)
        still_open.append(item)
        created.append(item)
    if created:
        session.flush()
        for item in created:
            notifications.record(session, case, "assignment", f"新待办：{item.title}（{case.case_no}）", now,
                                 item=item, element_id=item.element_id, webhook=rt.webhook_enabled)
    _refresh_timers(session, oc, timers, now)
    _refresh_summary(oc, snapshot, ready, now)
    early_warning.on_refresh(rt, session, case, now)
    return still_open


def _refresh_timers(session: Session, oc: OpenCase, timers: list, now: datetime) -> None:
    waiting = {str(t.id): t for t in timers}
    # a failed timer (its path's script failed) and a paused one (its case is suspended) still wait in the
    # workflow: they keep their rows, never get a second one, and leave that state only by retry or resume
    rows = session.scalars(select(Timer).where(Timer.case_id == oc.case.id,
                                               Timer.state.in_(TIMER_ROWS_OF_WAITING_TASKS))).all()
    known = {row.task_id for row in rows}
    gone_failed = []
    for row in rows:
        task = waiting.get(row.task_id)
        if task is None:
            if row.state == "failed":
                gone_failed.append(row.id)
            row.state = "fired" if row.task_id in oc.fired_timer_ids else "cancelled"
        else:
            due = due_at(task)
            if due is not None and due != row.due_at:
                row.due_at = due
    for task_id, task in waiting.items():
        due = due_at(task)
        if task_id in known or due is None:
            continue
        meta = timer_meta(oc, task)
        session.add(Timer(case_id=oc.case.id, task_id=task_id, element_id=element_id_of(task),
                          name=meta.get("name") or element_id_of(task), kind=meta.get("kind", "timer"),
                          attached_to=meta.get("attached_to"), due_at=due, state="waiting"))
    resolve_for_timers(session, gone_failed, now)


def current_data(workflow, ready: dict) -> dict:
    """The freshest case data: a ready task's, else the last task run's."""
    for task in ready.values():
        return task.data
    task = workflow.last_task
    return task.data if task is not None else {}


def _refresh_summary(oc: OpenCase, snapshot: Snapshot, ready: dict, now: datetime) -> None:
    case, workflow, meta = oc.case, oc.workflow, oc.bundle.meta
    data = current_data(workflow, ready)
    case.updated_at = now
    if data.get("risk") in ("red", "yellow", "blue"):
        case.risk = data["risk"]
    if isinstance(data.get("lead_department"), str):
        case.lead_department_id = data["lead_department"]
    if progress.has_ended(workflow):  # never the library's is_completed(): it stops 1,000 levels down
        case.status, case.stage, case.stage_name = "closed", CLOSED_STAGE, "已结案"
        case.outcome = str(data.get("outcome") or "closed")[:40]
        case.closed_at = case.closed_at or now
        return
    running = snapshot.running_stages
    stage = running[-1].task_spec.spec if running else meta["main"]
    case.stage = stage
    # A task may say what the case is doing while it is open (等待法院裁定), more telling than its stage's name.
    statuses = [task_meta(oc, task).get("case_status") for task in ready.values()]
    case.stage_name = next((s for s in statuses if s), None) or meta["processes"].get(stage, {}).get("name", stage)
