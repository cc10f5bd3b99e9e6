"""Cancelling a case with a reason: its open items withdrawn, its timers cancelled, its parties and case file
kept as they are."""
from __future__ import annotations

from sqlalchemy import select

from .. import audit, notifications
from ..errors import Invalid
from ..models import Timer, WorkItem
from ..projections import TIMER_ROWS_OF_WAITING_TASKS
from ..runtime import Runtime
from ..users import Actor
from .guard import locked_case, reason_of, require_status
from .incidents import resolve_open

CANCELLED_STAGE_NAME = "已撤销"
WITHDRAWN_STAGE_NAME = "当事人撤回"
# How a cancelled case ended: the parties withdrew their application (counted as 撤回 in the statistics), or
# the case should not have been opened (registered twice, in error).
ENDINGS = {"withdrawn": WITHDRAWN_STAGE_NAME, "cancelled": CANCELLED_STAGE_NAME}


def cancel(rt: Runtime, case_no: str, reason: str, by: Actor, ending: str = "cancelled") -> list[int]:
    """End the case as cancelled, its outcome `ending` (withdrawn by the parties, or cancelled); returns the ids
    of the work items withdrawn."""
    reason = reason_of(reason)
    if ending not in ENDINGS:
        raise Invalid(f"撤销方式须是 {'、'.join(ENDINGS)} 之一", field="ending")
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case, _row = locked_case(rt, session, case_no, by)
        require_status(case, "open", "suspended", action="撤销")
        items = list(session.scalars(select(WorkItem).where(WorkItem.case_id == case.id, WorkItem.state == "open")
                                     .order_by(WorkItem.id)))
        for item in items:
            item.state, item.completed_at = "cancelled", now
        notifications.clear_new_work(session, items, now)
        timers = list(session.scalars(select(Timer).where(Timer.case_id == case.id,
                                                          Timer.state.in_(TIMER_ROWS_OF_WAITING_TASKS))))
        for timer in timers:
            timer.state = "cancelled"
        incidents = resolve_open(session, case.id, by.username, "cancelled", now)
        old_status = case.status
        case.status, case.outcome, case.stage_name = "cancelled", ending, ENDINGS[ending]
        case.closed_at, case.updated_at, case.suspended_at = now, now, None
        audit.record(session, at=now, actor=by.username, kind="case_cancelled", case_id=case.id,
                     summary=f"{'当事人撤回，' if ending == 'withdrawn' else ''}撤销案件：{reason}",
                     data={"reason": reason, "old_status": old_status, "new_status": "cancelled", "ending": ending,
                           "withdrawn_items": [i.id for i in items], "cancelled_timers": [t.id for t in timers],
                           "resolved_incidents": incidents})
        return [item.id for item in items]
