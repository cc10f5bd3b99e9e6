"""Firing due timers from the timer table: one transaction per timer, idempotent."""
from __future__ import annotations

import logging
import time
from datetime import datetime

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select

from . import audit, projections
from .bpmn.timers import request_fire
from .errors import Conflict, NotFound, ScriptFailed
from .instances import OpenCase, find_task, flush_notices, lock_instance, open_case, run_engine, save
from .models import Case, Timer, WorkItem
from .repair.incidents import element_name, record_failure
from .runtime import Runtime

log = logging.getLogger(__name__)


def next_due_at(rt: Runtime) -> datetime | None:
    """When the earliest waiting timer falls due (business time)."""
    with rt.unit_of_work(write=False) as session:
        return session.scalar(select(func.min(Timer.due_at)).where(Timer.state == "waiting"))


def due_timer_ids(rt: Runtime, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Waiting timers due by `now`, earliest first."""
    now = now or rt.clock.now()
    with rt.unit_of_work(write=False) as session:
        return list(session.scalars(select(Timer.id).where(Timer.state == "waiting", Timer.due_at <= now)
                                    .order_by(Timer.due_at, Timer.id).limit(limit)))


FIRED, SET_ASIDE, GONE = "fired", "set_aside", "gone"


def fire(rt: Runtime, timer_id: int) -> bool:
    """Fire one timer if it is still waiting and due; True if it fired."""
    return _fire(rt, timer_id) == FIRED


def _fire(rt: Runtime, timer_id: int) -> str:
    """FIRED; SET_ASIDE when its task no longer waits (a completion got there first); GONE when the row is
    no longer a waiting, due timer (fired or cancelled by someone else) or its case is busy right now."""
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case_id = session.scalar(select(Timer.case_id).where(Timer.id == timer_id))
        if case_id is None:
            return GONE
        # the case's lock first, as every command takes it; a case busy with another command is left for later
        state_row = lock_instance(rt, session, case_id, skip_locked=True)
        if state_row is None:
            return GONE
        row = session.scalar(select(Timer).where(Timer.id == timer_id, Timer.state == "waiting", Timer.due_at <= now)
                             .with_for_update().execution_options(populate_existing=True))
        if row is None:
            return GONE
        case = session.get(Case, row.case_id)
        if case.status != "open":  # a suspended or cancelled case's timers do not fire
            return GONE
        return fire_row(rt, session, open_case(rt, session, case, state_row), row, now)


def fire_row(rt: Runtime, session, oc: OpenCase, row: Timer, now: datetime, actor: str = "system") -> str:
    """Fire the timer of `row` on the opened case (its instance row locked by the caller): FIRED, or SET_ASIDE
    when its task no longer waits. A failing path raises ScriptFailed and the caller's transaction is undone."""
    case = oc.case
    task = find_task(oc.workflow, row.task_id)
    if task is None or task.state != TaskState.WAITING:
        row.state = "cancelled"
        return SET_ASIDE
    attached = _attached_items(session, row)
    request_fire(task)
    oc.fired_timer_ids.add(row.task_id)
    run_engine(oc.workflow, oc.workflow.refresh_timers)
    save(rt, session, oc)
    projections.refresh(rt, session, oc, now)
    again = find_task(oc.workflow, row.task_id)
    # a cycle that has periods left keeps waiting; the refresh moved its row to the next one
    row.state = "waiting" if again is not None and again.state == TaskState.WAITING else "fired"
    row.fired_at = now
    flush_notices(rt, session, oc, attached, now)
    audit.record(session, at=now, actor=actor, kind="timer_fired", case_id=case.id,
                 element_id=row.element_id, summary=f"定时器触发：{row.name}",
                 data={"kind": row.kind, "due_at": row.due_at.isoformat()})
    return FIRED


def _attached_items(session, row: Timer) -> list[WorkItem]:
    """The open work items of the task the timer is attached to (one per department for a multi-instance)."""
    if not row.attached_to:
        return []
    return list(session.scalars(select(WorkItem).where(
        WorkItem.case_id == row.case_id, WorkItem.element_id == row.attached_to, WorkItem.state == "open")
        .order_by(WorkItem.id)))


PROGRESS_EVERY = 100  # timers
PROGRESS_SECONDS = 5.0


def fire_due(rt: Runtime, batch: int = 200, keep_going=None) -> int:
    """Fire every timer due now, earliest first; returns how many fired.

    `keep_going()` is asked before each timer (the scheduler renews its lease and checks whether it was
    told to stop there) and ends the run when it answers False. A timer whose path fails is set aside as
    failed, not retried forever; one that loses to a concurrent command on its case is skipped for this
    run (the next beat looks at it again). A long run logs its progress."""
    fired = handled = 0
    skipped: set[int] = set()
    started = last_report = time.monotonic()
    while True:
        ids = [i for i in due_timer_ids(rt, limit=batch + len(skipped)) if i not in skipped][:batch]
        progressed = False
        for timer_id in ids:
            if keep_going is not None and not keep_going():
                log.info("stopped after %d timer(s) (%d fired) in %.1f s", handled, fired,
                         time.monotonic() - started)
                return fired
            try:
                outcome = _fire(rt, timer_id)
            except ScriptFailed as exc:
                _mark_failed(rt, timer_id, exc)
                outcome = "failed"
            except (Conflict, NotFound) as exc:  # its case moved on under it: not this timer's fault
                log.info("timer %s skipped: %s", timer_id, exc.message)
                outcome = GONE
            fired += outcome == FIRED
            if outcome == GONE:
                skipped.add(timer_id)
                continue
            progressed = True
            handled += 1
            if handled % PROGRESS_EVERY == 0 or time.monotonic() - last_report >= PROGRESS_SECONDS:
                last_report = time.monotonic()
                log.info("%d timer(s) handled so far (%d fired) in %.1f s", handled, fired, last_report - started)
        if len(ids) < batch or not progressed:
            return fired


def _mark_failed(rt: Runtime, timer_id: int, exc: ScriptFailed) -> None:
    """Set the timer aside as failed and open an incident on its case (the administrators' incidents list)."""
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case_id = session.scalar(select(Timer.case_id).where(Timer.id == timer_id))
        if case_id is None:
            return
        if lock_instance(rt, session, case_id, skip_locked=True) is None:
            return  # its case is busy: the timer stays waiting and the next beat tries it again
        row = session.scalar(select(Timer).where(Timer.id == timer_id).execution_options(populate_existing=True))
        if row is None or row.state != "waiting":
            return
        row.state = "failed"
        bundle = rt.specs.for_id(session, session.get(Case, case_id).definition_id)
        record_failure(session, row, exc, now, element_name(bundle, exc.element_id))
        audit.record(session, at=now, actor="system", kind="timer_failed", case_id=row.case_id,
                     element_id=row.element_id, summary=f"定时器 {row.name} 触发失败：{exc.message}"[:500])
