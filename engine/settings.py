"""Operational settings shared by every process through the database: the demo clock's offset."""
from __future__ import annotations

from datetime import timedelta

from .clock import SystemClock
from .models import Setting
from .runtime import Runtime

CLOCK_OFFSET = "clock_offset_seconds"


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
