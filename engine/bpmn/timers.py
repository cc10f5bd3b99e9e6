"""Timers that obey Yizhan's scheduler instead of SpiffWorkflow's own reading of the system clock.

SpiffWorkflow decides a timer has passed by comparing with `datetime.now()`. Yizhan instead
computes every due time once (on the working-day calendar, by the engine's clock), projects it
into the `timer` table, and fires a timer only when its row comes due: the scheduler sets
`fire_requested` on the waiting task and refreshes. The spec classes below make that the only way
a timer fires, so a moved test clock, a stopped scheduler or a server in another time zone cannot
make a timer fire early or twice.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)

from ..clock import SHANGHAI

FIRE_FLAG = "fire_requested"
# what an ISO 8601 duration and repeating interval look like (the library's own readers accept more, wrongly)
DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$",
                      re.IGNORECASE)
CYCLE = re.compile(r"^R\d*/[^/]+(/[^/]+)?$", re.IGNORECASE)


def _now(my_task) -> datetime:
    clock = getattr(my_task.workflow.script_engine, "clock", None)
    return clock.now() if clock is not None else datetime.now(timezone.utc)


class TimerValueError(ValueError):
    """A timer expression's value that is not what its kind of timer needs; the message says why, in Chinese."""


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def instant_of(value) -> datetime:
    """The instant a timeDate expression's value names: a datetime or an ISO 8601 date-time text; one without
    an offset is read in China's time zone (as the studio normalises literal dates)."""
    if isinstance(value, datetime):
        instant = value
    elif isinstance(value, str):
        try:
            instant = datetime.fromisoformat(value.strip())
        except ValueError:
            raise TimerValueError(f"定时器的值 {_shown(value)} 不是有效的 ISO 8601 日期时间"
                                  "（例如 2026-10-14T18:00:00+08:00）") from None
    else:
        raise TimerValueError(f"定时器的值 {_shown(value)} 不是日期时间（timeDate 需要日期时间）")
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=SHANGHAI)


def delay_of(value, start: datetime) -> timedelta:
    """How long after `start` a timeDuration expression's value ends: a timedelta or an ISO 8601 duration."""
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str) or not DURATION.match(value.strip()):
        raise TimerValueError(f"定时器的值 {_shown(value)} 不是有效的 ISO 8601 时长（例如 PT5M、P3D）")
    try:
        parsed = TimerEventDefinition.parse_iso_duration(value.strip().upper())
        return TimerEventDefinition.get_timedelta_from_start(parsed, start)
    except Exception:  # the library raises a bare Exception for a bad duration
        raise TimerValueError(f"定时器的值 {_shown(value)} 不是有效的 ISO 8601 时长（例如 PT5M、P3D）") from None


def cycle_of(value, now: datetime) -> tuple[int, datetime, timedelta]:
    """(repetitions, first firing, period) of a timeCycle expression's value, an ISO 8601 repeating interval;
    R3/PT1H fires first one period after `now`; -1 repetitions is without end."""
    bad = TimerValueError(f"定时器的值 {_shown(value)} 不是有效的 ISO 8601 周期（例如 R3/PT1H，R/PT5M 表示不限次数）")
    if not isinstance(value, str) or not CYCLE.match(value.strip()):
        raise bad
    text = value.strip()
    try:
        cycles, start, duration = TimerEventDefinition.parse_iso_recurring_interval(text)
    except Exception:  # the library raises bare Exceptions (and ValueError, IndexError) for a bad cycle
        raise bad from None
    if not isinstance(duration, timedelta) or duration <= timedelta(0):
        raise bad
    if text.count("/") == 1:  # R3/PT1H: the first firing one period after now, by our clock
        start = now + duration
    elif start.tzinfo is None:
        start = start.replace(tzinfo=SHANGHAI)
    return cycles, start, duration


def _to_utc_iso(value) -> str:
    return instant_of(value).astimezone(timezone.utc).isoformat()


class ClockedTimeDate(TimeDateEventDefinition):
    """timeDate: an instant computed by an expression (e.g. working_days(3))."""

    def has_fired(self, my_task):
        if my_task._get_internal_data("event_value") is None:
            value = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            my_task._set_internal_data(event_value=_to_utc_iso(value))
        if my_task.internal_data.pop(FIRE_FLAG, False):
            my_task._set_internal_data(event_fired=True)
        return my_task._get_internal_data("event_fired", False)


class ClockedDuration(DurationTimerEventDefinition):
    """timeDuration: an ISO duration counted from when the timer is reached, by the engine clock."""

    def has_fired(self, my_task):
        if my_task._get_internal_data("event_value") is None:
            expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            delta = delay_of(expression, _now(my_task))
            my_task._set_internal_data(event_value=(_now(my_task) + delta).isoformat())
        if my_task.internal_data.pop(FIRE_FLAG, False):
            my_task._set_internal_data(event_fired=True)
        return my_task._get_internal_data("event_fired", False)


class ClockedCycle(CycleTimerEventDefinition):
    """timeCycle: each firing is requested by the scheduler; the next due time moves on by one period."""

    def cycle_complete(self, my_task):
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            cycles, start, duration = cycle_of(expression, _now(my_task))
            event_value = {"cycles": cycles, "next": start.isoformat(), "duration": duration.total_seconds()}
        ready = False
        if event_value["cycles"] != 0:
            if my_task.internal_data.pop(FIRE_FLAG, False):
                next_event = datetime.fromisoformat(event_value["next"])
                event_value["next"] = (next_event + timedelta(seconds=event_value["duration"])).isoformat()
                event_value["cycles"] -= 1
                ready = True
        if event_value["cycles"] == 0:  # the last firing: the timer is done with it, not one period later
            my_task.internal_data.pop("event_value", None)
            my_task.internal_data["event_fired"] = True
            return ready
        my_task._set_internal_data(event_value=event_value)
        return ready


_REPLACEMENTS = {
    TimeDateEventDefinition: ClockedTimeDate,
    DurationTimerEventDefinition: ClockedDuration,
    CycleTimerEventDefinition: ClockedCycle,
}


def install_clocked_timers(specs) -> None:
    """Swap every timer event definition in the given process specs for its clocked counterpart.

    Specs are never serialized (the state is stored without them), so the swap stays in memory.
    """
    for spec in specs:
        for task_spec in spec.task_specs.values():
            definition = getattr(task_spec, "event_definition", None)
            replacement = _REPLACEMENTS.get(type(definition))
            if replacement is not None:
                clocked = replacement.__new__(replacement)
                clocked.__dict__.update(definition.__dict__)
                task_spec.event_definition = clocked


def due_at(task) -> datetime | None:
    """The instant a waiting timer task is due, as computed when it was reached."""
    value = task.internal_data.get("event_value")
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("next")
        if value is None:
            return None
    return TimerEventDefinition.get_datetime(value)


def request_fire(task) -> None:
    """Mark a waiting timer task so the next refresh fires it."""
    task.internal_data[FIRE_FLAG] = True
