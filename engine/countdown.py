"""How much working time is left before a deadline, or how long it has been missed: inbox countdowns.

Remaining time counts only working days (a weekend or a holiday in between does not shorten it), in
the same units the deadlines were set in: "1 working day 3 hours" left. Overdue time is plain elapsed
time ("2 days overdue"), because a late case stays late over the weekend too.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .calendar import SHANGHAI, WorkingCalendar

DAY = timedelta(days=1)
DUE_SOON = timedelta(days=1)  # less than one working day left


@dataclass(frozen=True)
class Countdown:
    overdue: bool
    due_soon: bool
    days: int
    hours: int
    minutes: int

    @property
    def state(self) -> str:
        return "overdue" if self.overdue else "due_soon" if self.due_soon else "on_time"


def working_time_left(calendar: WorkingCalendar, now: datetime, due: datetime) -> timedelta:
    """The part of [now, due) that falls on working days."""
    start, end = now.astimezone(SHANGHAI), due.astimezone(SHANGHAI)
    if end <= start:
        return timedelta(0)
    total = timedelta(0)
    cursor = start
    while cursor < end:
        midnight = datetime.combine(cursor.date() + DAY, datetime.min.time(), SHANGHAI)
        stop = min(midnight, end)
        if calendar.is_working_day(cursor.date()):
            total += stop - cursor
        cursor = stop
    return total


def countdown(calendar: WorkingCalendar, now: datetime, due: datetime | None) -> Countdown | None:
    """The countdown to `due` seen at `now`; None for an item without a deadline."""
    if due is None:
        return None
    if due <= now:
        late = now - due
        return Countdown(True, False, late.days, late.seconds // 3600, late.seconds % 3600 // 60)
    left = working_time_left(calendar, now, due)
    return Countdown(False, left < DUE_SOON, left.days, left.seconds // 3600, left.seconds % 3600 // 60)
