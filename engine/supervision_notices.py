"""A 督办件's own deadline: the head replies by the close of the next working day; once the reply gives the
promised date (承诺办结日期), the notice carries that date's close as its deadline."""
from __future__ import annotations

from datetime import date, datetime

from .errors import Invalid
from .models import WorkItem
from .runtime import Runtime

FORM = "supervision_notice"
PROMISED = "notice_promised_date"
REPLY_WORKING_DAYS = 1


def is_notice(item: WorkItem) -> bool:
    return item.form_key == FORM or item.notice_no is not None


def reply_due(rt: Runtime, issued: datetime) -> datetime:
    """When the head's reply to a notice issued at `issued` is due."""
    return rt.calendar.add_working_days(issued, REPLY_WORKING_DAYS)


def _promised(data: dict) -> date | None:
    try:
        return date.fromisoformat(str(data.get(PROMISED) or ""))
    except ValueError:
        return None


def check_reply(rt: Runtime, item: WorkItem, data: dict) -> None:
    """A promised date already past is refused, naming the field."""
    if not is_notice(item):
        return
    promised = _promised(data)
    today = rt.clock.now().astimezone(rt.calendar.timezone).date()
    if promised is not None and promised < today:
        message = "承诺办结日期不能早于今天"
        raise Invalid(message, {PROMISED: [message]})


def carry_promise(rt: Runtime, item: WorkItem, data: dict) -> None:
    """Once the reply is given, the notice's deadline is the close of the promised date (the next
    working day's close when that date is a holiday or rest day)."""
    promised = _promised(data) if is_notice(item) else None
    if promised is not None:
        item.due_at = rt.calendar.close_of(promised)
