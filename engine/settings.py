"""Operational settings shared by every process through the database: the demo clock's offset, the
centre's closing time and lunch break (when working-day limits end)."""
from __future__ import annotations

import re
from datetime import time, timedelta

from sqlalchemy.exc import SQLAlchemyError

from .calendar import WorkingHours
from .clock import SystemClock
from .errors import Invalid
from .models import Setting
from .runtime import Runtime

CLOCK_OFFSET = "clock_offset_seconds"
CLOSING_TIME = "closing_time"  # "HH:MM", default 18:00
LUNCH_BREAK = "lunch_break"  # "HH:MM-HH:MM", or empty for none
_HHMM = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")


def get(rt: Runtime, key: str, default: str | None = None) -> str | None:
    with rt.unit_of_work(write=False) as session:
        row = session.get(Setting, key)
        return row.value if row is not None else default


def put(rt: Runtime, key: str, value: str) -> None:
    with rt.unit_of_work() as session:
        row = session.get(Setting, key) or Setting(key=key)
        row.value = value
        session.add(row)


def clock_offset(rt: Runtime) -> timedelta:
    """How far the movable clock runs ahead of real time (never behind)."""
    try:
        return timedelta(seconds=max(0.0, float(get(rt, CLOCK_OFFSET, "0") or 0)))
    except ValueError:
        return timedelta(0)


def advance_clock(rt: Runtime, delta: timedelta) -> timedelta:
    """Move the movable clock forward by `delta`; returns the new offset."""
    if delta < timedelta(0):
        raise ValueError("the clock only moves forward")
    offset = clock_offset(rt) + delta
    put(rt, CLOCK_OFFSET, str(offset.total_seconds()))
    return offset


def reset_clock(rt: Runtime) -> None:
    put(rt, CLOCK_OFFSET, "0")


def movable_clock(rt: Runtime):
    """A clock for `rt` that runs ahead of real time by the offset in the database (demos, training)."""
    from .clock import ShiftedClock
    return ShiftedClock(lambda: clock_offset(rt), base=SystemClock())


def _time(text: str, field: str) -> time:
    match = _HHMM.match(text or "")
    if match is None:
        raise Invalid(f"{field} 应为 时:分，如 18:00，而不是 “{text}”", {field: ["应为 时:分，如 18:00"]})
    return time(int(match.group(1)), int(match.group(2)))


def parse_working_hours(closing: str, lunch: str | None) -> WorkingHours:
    """The centre's hours from their written form; Invalid naming the field when wrong."""
    closing_at = _time(closing, CLOSING_TIME)
    if not lunch or not lunch.strip() or lunch.strip().lower() == "none":
        return WorkingHours(closing_at, None)
    start, _, end = lunch.partition("-")
    begins, ends = _time(start, LUNCH_BREAK), _time(end, LUNCH_BREAK)
    if not begins < ends <= closing_at:
        message = "午休应在下班时间之前结束，且开始早于结束"
        raise Invalid(message, {LUNCH_BREAK: [message]})
    return WorkingHours(closing_at, (begins, ends))


def working_hours(rt: Runtime) -> WorkingHours:
    """The centre's hours as set (default: closing at 18:00, no lunch break)."""
    return parse_working_hours(get(rt, CLOSING_TIME, "18:00") or "18:00", get(rt, LUNCH_BREAK, "") or "")


def set_working_hours(rt: Runtime, closing: str, lunch: str | None = None) -> WorkingHours:
    """Set the closing time (and lunch break); limits computed from now on end at the new close."""
    hours = parse_working_hours(closing, lunch)
    put(rt, CLOSING_TIME, hours.closing.strftime("%H:%M"))
    put(rt, LUNCH_BREAK, "-".join(t.strftime("%H:%M") for t in hours.lunch) if hours.lunch else "")
    rt.calendar = rt.calendar.with_hours(hours)
    return hours


def load_working_hours(rt: Runtime) -> None:
    """Give `rt`'s calendar the centre's hours (at start-up; before init-db the defaults stay)."""
    try:
        rt.calendar = rt.calendar.with_hours(working_hours(rt))
    except (SQLAlchemyError, Invalid):
        pass
