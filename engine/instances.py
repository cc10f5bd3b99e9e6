"""Load a case's running instance under the case's lock, run the engine on it, save it (the version check
stays as a guard against a writer that did not take the lock)."""
from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions import SignalEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import audit, notifications
from .bpmn import progress
from .bpmn.bundle import ParsedBundle
from .bpmn.pruning import prune
from .diagram_functions import Outbox, diagram_functions
from .error_text import failing_element, failure_reason
from .errors import Conflict, NotFound, ScriptFailed
from .models import Case, Definition, InstanceState
from .row_locks import lock_row
from .runtime import Runtime
from .sandbox.environment import build_script_engine
from .sandbox.limits import data_size, too_large_reason


@dataclass
class OpenCase:
    """A case loaded for one command."""

    case: Case
    bundle: ParsedBundle
    workflow: BpmnWorkflow
    version: int
    outbox: Outbox
    fired_timer_ids: set[str] = field(default_factory=set)


def script_engine(rt: Runtime, outbox: Outbox):
    """A sandboxed script engine bound to this command's clock, calendar and outbox."""
    engine = build_script_engine(diagram_functions(rt.clock, rt.calendar, outbox),
                                 time_limit=rt.script_time_limit, data_limit=rt.case_data_limit)
    engine.clock = rt.clock
    return engine


def new_instance(rt: Runtime, definition: Definition, data: dict) -> tuple[BpmnWorkflow, ParsedBundle, Outbox]:
    """A fresh workflow of `definition` with the case's starting data."""
    bundle = rt.specs.get(definition)
    outbox = Outbox()
    workflow = BpmnWorkflow(bundle.spec, bundle.subprocess_specs, script_engine=script_engine(rt, outbox))
    start = workflow.get_tasks(state=TaskState.READY)[0]
    start.data.update(data)
    return workflow, bundle, outbox


def lock_instance(rt: Runtime, session: Session, case: Case | int, skip_locked: bool = False) -> InstanceState | None:
    """The case's instance row, locked until the transaction ends and read afresh under the lock.

    Every command that runs the engine on a case takes this lock before it reads anything else of the
    case, so commands on one case queue (each sees the state its predecessor saved) instead of the
    later ones failing on the version check: three departments completing their own parallel tasks at
    once all succeed. Commands on different cases never wait for each other. Lock order: the instance
    row first, then the case's work items and timers. `skip_locked`: None at once while another command
    holds it (the scheduler comes back to a busy case on its next beat rather than wait for it)."""
    case_id = case if isinstance(case, int) else case.id
    return lock_row(rt, session, select(InstanceState).where(InstanceState.case_id == case_id),
                    "案件正由他人办理，请稍后重试", skip_locked=skip_locked)


def open_case(rt: Runtime, session: Session, case: Case, row: InstanceState | None = None) -> OpenCase:
    """Deserialize the case's instance and install the sandbox (deserializing would leave the unsafe default).

    Commands that save hand in the row they locked (lock_instance)."""
    row = row if row is not None else session.get(InstanceState, case.id)
    if row is None:
        raise NotFound(f"案件 {case.case_no} 没有运行中的流程实例")
    bundle = rt.specs.for_id(session, case.definition_id)
    outbox = Outbox()
    workflow = rt.state.loads(row.state, bundle.spec, bundle.subprocess_specs)
    workflow.script_engine = script_engine(rt, outbox)
    return OpenCase(case, bundle, workflow, row.version, outbox)


def element_of(exc: Exception, workflow: BpmnWorkflow | None = None) -> str | None:
    """The element a failed engine step was on: named by the error, else the task the step left in error."""
    element = failing_element(exc)
    if element is None and workflow is not None:
        failed = workflow.get_tasks(state=TaskState.ERROR)
        element = failed[0].task_spec.bpmn_id if failed else None
    return element


def run_engine(workflow: BpmnWorkflow, action=None) -> None:
    """Run `action` (if any) then the engine until a human or a timer is needed; errors become ScriptFailed,
    told in Chinese and naming the element."""
    try:
        if action is not None:
            action()
        workflow.do_engine_steps()
        _drop_unheard_signals(workflow)
    except ScriptFailed:
        raise
    except (SpiffWorkflowException, Exception) as exc:  # a diagram's own error must never be a 500
        element = element_of(exc, workflow)
        where = f"流程在元素 {element} 处出错" if element else "流程运行出错"
        raise ScriptFailed(f"{where}：{failure_reason(exc)}", element_id=element) from exc


def _drop_unheard_signals(workflow: BpmnWorkflow) -> None:
    """A signal nobody in the case waited for (a task done with no 督办件 open) is over; SpiffWorkflow would
    keep it in the saved state as an event for the outside world."""
    workflow.bpmn_events = [event for event in workflow.bpmn_events
                            if not isinstance(event.event_definition, SignalEventDefinition)]


def find_task(workflow: BpmnWorkflow, task_id: str):
    """The task with this id, or None."""
    try:
        return workflow.get_task_from_id(UUID(task_id))
    except (TaskNotFoundException, ValueError):
        return None


def check_data_size(rt: Runtime, workflow: BpmnWorkflow, text: str) -> None:
    """Refuse a state whose case data exceeds the runtime's limit, naming the element that holds it.

    The data lives in the tasks that carry the case on (ready, waiting, running, failed; the end events
    of a finished case). The state text holds all of it, so a state within the limit needs no look."""
    limit = rt.case_data_limit
    if len(text) <= limit // 4 or len(text.encode("utf-8")) <= limit:
        return
    live = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
    tasks = progress.tasks(workflow, state=live)
    if progress.has_ended(workflow):
        tasks += [task for task in progress.tasks(workflow, state=TaskState.COMPLETED) if not task.children]
    seen: set[int] = set()
    for task in tasks:
        if id(task.data) in seen:
            continue
        seen.add(id(task.data))
        try:
            size = data_size(task.data)
        except (ValueError, TypeError, RecursionError):
            size = limit + 1
        if size > limit:
            element = _element_of_task(task)
            raise ScriptFailed(f"流程在元素 {element} 处出错：{too_large_reason(size, limit, '案件数据')}，未保存",
                               element_id=element)


def _element_of_task(task) -> str:
    """The diagram element of `task`, or of its nearest ancestor that is one (not the engine's own End)."""
    found = task
    while found is not None and not found.task_spec.bpmn_id:
        found = found.parent
    return found.task_spec.bpmn_id if found is not None else task.task_spec.name


def save(rt: Runtime, session: Session, oc: OpenCase) -> None:
    """Write the state if nobody else has since loading it; a lost race is a Conflict; case data above the
    limit is refused (ScriptFailed naming the element) and nothing is written. The finished history is
    pruned first (rt.prune_state): the work-item, timer and audit tables keep it."""
    if rt.prune_state:
        prune(oc.workflow)
    text = rt.state.dumps(oc.workflow)
    check_data_size(rt, oc.workflow, text)
    table = InstanceState.__table__
    result = session.connection().execute(
        update(table).where(table.c.case_id == oc.case.id, table.c.version == oc.version)
        .values(state=text, version=oc.version + 1))
    if result.rowcount != 1:
        raise Conflict(f"案件 {oc.case.case_no} 已被他人同时修改，请刷新后重试")
    oc.version += 1


def flush_notices(rt: Runtime, session: Session, oc: OpenCase, attached: list, at) -> None:
    """Turn the notices scripts raised into notifications, webhook events and audit events.

    `attached` are the open work items of the task whose timer raised them (none for other commands):
    a ladder notice raises their escalation level and goes to the people of their department."""
    for notice in oc.outbox.notices:
        targets = attached or [None]
        for item in targets:
            if item is not None and notice.level:
                item.escalation_level = max(item.escalation_level or 0, notice.level)
            notifications.record(session, oc.case, notice.kind, notice.text, at, item=item,
                                 element_id=notice.element_id or (item.element_id if item is not None else None),
                                 level=notice.level, webhook=rt.webhook_enabled)
        departments = sorted({item.department_id for item in attached}) or ["center"]
        audit.record(session, at=at, actor="system", kind=f"notice_{notice.kind}", summary=notice.text,
                     case_id=oc.case.id, data={"departments": departments, "level": notice.level})
    oc.outbox.notices.clear()
