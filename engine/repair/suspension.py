"""Suspending a case (its timers stop counting, nothing fires, its tasks cannot be completed) and resuming it
(its remaining deadlines move on by the working days it stood still)."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from .. import audit, projections
from ..bpmn.timers import due_at
from ..instances import find_task, save
from ..models import Timer, WorkItem
from ..runtime import Runtime
from ..users import Actor
from .guard import locked_case, opened, reason_of, require_status


def suspend(rt: Runtime, case_no: str, reason: str, by: Actor) -> str:
    """Pause the case: status suspended, its waiting timers paused; returns the status."""
    reason = reason_of(reason)
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case, _row = locked_case(rt, session, case_no, by)
        require_status(case, "open", action="暂停")
        paused = list(session.scalars(select(Timer).where(Timer.case_id == case.id, Timer.state == "waiting")))
        for timer in paused:
            timer.state = "paused"
        case.status, case.suspended_at, case.updated_at = "suspended", now, now
        audit.record(session, at=now, actor=by.username, kind="case_suspended", case_id=case.id,
                     summary=f"暂停案件：{reason}",
                     data={"reason": reason, "old_status": "open", "new_status": "suspended",
                           "paused_timers": [t.id for t in paused]})
        return case.status


def _moved_value(value, shifted: datetime):
    """A timer task's stored due (an ISO text, or a cycle's dict with `next`) moved to `shifted`."""
    text = shifted.astimezone(timezone.utc).isoformat()
    if isinstance(value, dict):
        return {**value, "next": text}
    return text


def resume(rt: Runtime, case_no: str, reason: str, by: Actor) -> dict:
    """Go on with a suspended case: timers and open items' deadlines still ahead when it was suspended move on
    by the working days it stood still; returns {"working_days": n, "timers": {...}, "items": {...}}."""
    reason = reason_of(reason)
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case, row = locked_case(rt, session, case_no, by)
        require_status(case, "suspended", action="恢复（只有已暂停的案件可以恢复）")
        since = case.suspended_at or now
        days = rt.calendar.working_time_between(since, now)[0] if now > since else 0
        oc = opened(rt, session, case, row)
        timers, items = {}, {}
        for timer in session.scalars(select(Timer).where(Timer.case_id == case.id, Timer.state == "paused")):
            task = find_task(oc.workflow, timer.task_id)
            shifted = rt.calendar.later_by_working_days(timer.due_at, days)
            if task is not None and due_at(task) is not None:
                task.internal_data["event_value"] = _moved_value(task.internal_data["event_value"], shifted)
            timers[str(timer.id)] = {"old": timer.due_at.isoformat(), "new": shifted.isoformat()}
            timer.due_at, timer.state = shifted, "waiting"
        for item in session.scalars(select(WorkItem).where(WorkItem.case_id == case.id, WorkItem.state == "open")):
            if item.due_at is not None and item.due_at > since:
                shifted = rt.calendar.later_by_working_days(item.due_at, days)
                items[str(item.id)] = {"old": item.due_at.isoformat(), "new": shifted.isoformat()}
                item.due_at = shifted
        case.status, case.suspended_at = "open", None
        save(rt, session, oc)
        projections.refresh(rt, session, oc, now)
        moved = {"working_days": days, "timers": timers, "items": items}
        audit.record(session, at=now, actor=by.username, kind="case_resumed", case_id=case.id,
                     summary=f"恢复案件（暂停 {days} 个工作日，剩余期限顺延）：{reason}",
                     data={"reason": reason, "old_status": "suspended", "new_status": "open",
                           "suspended_at": since.isoformat(), **moved})
        return moved
