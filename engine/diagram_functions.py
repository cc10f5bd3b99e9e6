"""Functions a diagram's expressions and scripts may call: deadlines on the working-day calendar, notices.

Every function returns plain data (ISO strings) so task data stays serialisable.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .calendar import WorkingCalendar
from .clock import Clock, local

NOTICE_KINDS = ("reminder", "supervision", "escalation", "leadership", "info")
# The supervision ladder: level 1 a supervision notice to the department head, 2 the centre's
# supervisors, 3 the leadership.
LADDER = {1: "supervision", 2: "escalation", 3: "leadership"}


@dataclass
class Notice:
    kind: str
    text: str
    element_id: str | None = None
    level: int | None = None  # set by supervise(): the escalation level the overdue item reaches


@dataclass
class Outbox:
    """Notices raised by scripts during one command; saved with the command or not at all."""

    notices: list[Notice] = field(default_factory=list)
    current_element: str | None = None


def _parse(iso: str) -> datetime:
    instant = datetime.fromisoformat(str(iso))
    if instant.tzinfo is None:
        raise ValueError(f"时间缺少时区：{iso}")
    return instant


def _iso(instant: datetime) -> str:
    return local(instant).isoformat(timespec="seconds")


# The functions that only compute a date (no notice raised): the sandbox may call them in the server's own
# process when their arguments are small (engine/sandbox/environment.py).
DATE_FUNCTIONS = frozenset({"working_days", "calendar_days", "calendar_days_after", "months", "months_after",
                            "hours_from_now", "working_days_after", "working_days_before", "hours_before", "now"})


class DiagramFunctions(dict):
    """The functions by name, remembering what they are bound to: the sandbox rebuilds them in its worker
    process from the clock's reading and the calendar, and hands the notices raised there to `outbox`."""

    def __init__(self, functions: dict[str, Callable], clock: Clock, calendar: WorkingCalendar, outbox: Outbox):
        super().__init__(functions)
        self.clock = clock
        self.calendar = calendar
        self.outbox = outbox


def diagram_functions(clock: Clock, calendar: WorkingCalendar, outbox: Outbox) -> DiagramFunctions:
    """The names a diagram can use, bound to this command's clock, calendar and outbox."""

    def working_days(n: int) -> str:
        """The close of the nth working day after today (0 = the close of today's working day)."""
        return _iso(calendar.add_working_days(clock.now(), int(n)))

    def calendar_days(n: int) -> str:
        """n calendar days after today, at closing time; a holiday or rest day moves it to the next working day."""
        return _iso(calendar.add_calendar_days(clock.now(), int(n)))

    def calendar_days_after(iso: str, n: int) -> str:
        """n calendar days after the day of `iso` (a court's extension of its own limit), as calendar_days."""
        return _iso(calendar.add_calendar_days(_parse(iso), int(n)))

    def months(n: int) -> str:
        """n months after today (the same date, or the month's last day), at closing time, as calendar_days."""
        return _iso(calendar.add_months(clock.now(), int(n)))

    def months_after(iso: str, n: int) -> str:
        """n months after the day of `iso`, as months()."""
        return _iso(calendar.add_months(_parse(iso), int(n)))

    def hours_from_now(n: float) -> str:
        """n hours from now, on the clock (for limits counted in hours, such as a red case's same-day reply);
        one that would end inside the centre's lunch break ends when the break ends."""
        return _iso(calendar.add_hours(clock.now(), float(n)))

    def working_days_after(iso: str, n: int) -> str:
        """The close of the nth working day after the day of `iso`."""
        return _iso(calendar.add_working_days(_parse(iso), int(n)))

    def _not_yet_passed(candidate: datetime, deadline: datetime) -> str:
        # A reminder that would already be due is moved to halfway between now and the deadline,
        # so a short limit still gets its reminder before the deadline rather than at once.
        now = clock.now()
        return _iso(candidate if candidate > now else now + max(deadline - now, timedelta(0)) / 2)

    def working_days_before(iso: str, n: int) -> str:
        """n working days before `iso` (if that has passed: halfway from now to `iso`)."""
        deadline = _parse(iso)
        return _not_yet_passed(calendar.subtract_working_days(deadline, int(n)), deadline)

    def hours_before(iso: str, hours: float) -> str:
        """`hours` hours before `iso` (if that has passed: halfway from now to `iso`)."""
        deadline = _parse(iso)
        return _not_yet_passed(deadline - timedelta(hours=float(hours)), deadline)

    def now() -> str:
        """The current instant."""
        return _iso(clock.now())

    def notify(kind: str, text: str) -> None:
        """Raise a notice (reminder, supervision, escalation, leadership) about this case."""
        kind = str(kind)
        outbox.notices.append(Notice(kind if kind in NOTICE_KINDS else "info", str(text)[:500]))

    def supervise(level: int, text: str) -> None:
        """Climb the supervision ladder for the task this timer is attached to: raise its escalation level
        to `level` (1 supervision notice to the department head, 2 the centre's supervisors, 3 leadership)
        and notify that level."""
        level = int(level)
        if level not in LADDER:
            raise ValueError(f"supervise() 的级别必须是 1、2 或 3，而不是 {level}")
        outbox.notices.append(Notice(LADDER[level], str(text)[:500], level=level))

    return DiagramFunctions({
        "working_days": working_days,
        "calendar_days": calendar_days,
        "calendar_days_after": calendar_days_after,
        "months": months,
        "months_after": months_after,
        "hours_from_now": hours_from_now,
        "working_days_after": working_days_after,
        "working_days_before": working_days_before,
        "hours_before": hours_before,
        "now": now,
        "notify": notify,
        "supervise": supervise,
    }, clock, calendar, outbox)
