"""China's working-day calendar: weekends off except make-up working days (调休), public holidays off.

All arithmetic happens in Asia/Shanghai. A working day ends at 18:00; deadlines keep the wall-clock
time they started from.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

DEFAULT_DATA = Path(__file__).parent / "data" / "holidays_cn.json"
SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(18, 0)


class WorkingCalendar:
    """Answers which days are working days and adds or subtracts working days."""

    def __init__(self, holidays: Iterable[date], workdays: Iterable[date], years: Iterable[int],
                 provisional_years: Iterable[int] = ()):
        self._holidays = frozenset(holidays)
        self._workdays = frozenset(workdays)
        self._years = frozenset(years)
        self._provisional = frozenset(provisional_years)

    @classmethod
    def from_file(cls, path: Path | None = None) -> WorkingCalendar:
        """Load the holiday data file (default: engine/data/holidays_cn.json)."""
        data = json.loads((path or DEFAULT_DATA).read_text(encoding="utf-8"))
        holidays, workdays, provisional = [], [], []
        for year, entry in data["years"].items():
            holidays += [date.fromisoformat(d) for group in entry.get("holidays", []) for d in group["days"]]
            workdays += [date.fromisoformat(d) for group in entry.get("workdays", []) for d in group["days"]]
            if entry.get("provisional"):
                provisional.append(int(year))
        return cls(holidays, workdays, (int(y) for y in data["years"]), provisional)

    @property
    def provisional_years(self) -> frozenset[int]:
        """Years whose data is derived from the statutory rules, not yet from the State Council notice."""
        return self._provisional

    def covers(self, year: int) -> bool:
        """Whether the data file lists this year (outside it, Monday to Friday are the working days)."""
        return year in self._years

    def is_working_day(self, day: date) -> bool:
        """Make-up working days count even on weekends; public holidays never do."""
        if day in self._workdays:
            return True
        if day in self._holidays:
            return False
        return day.weekday() < 5

    def _next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def _previous_working_day(self, day: date) -> date:
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    @staticmethod
    def _local(instant: datetime) -> datetime:
        if instant.tzinfo is None:
            raise ValueError("working-day arithmetic needs a timezone-aware datetime")
        return instant.astimezone(SHANGHAI)

    def _normalise(self, instant: datetime) -> datetime:
        """A moment on a non-working day counts as 18:00 of the last working day before it."""
        local = self._local(instant)
        if self.is_working_day(local.date()):
            return local
        return datetime.combine(self._previous_working_day(local.date()), END_OF_DAY, SHANGHAI)

    def end_of_working_day(self, at: datetime) -> datetime:
        """18:00 of `at`'s working day; after 18:00 (or on a day off) the end of the next working day."""
        local = self._local(at)
        day = local.date()
        if not self.is_working_day(day) or local.time() >= END_OF_DAY:
            day = self._next_working_day(day)
        return datetime.combine(day, END_OF_DAY, SHANGHAI)

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """`n` working days after `start`, at the same wall-clock time; n = 0 is the end of the working day.

        A start on a non-working day is treated as 18:00 of the last working day before it, so a case
        received on Saturday with one working day is due on Monday at 18:00.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return self.end_of_working_day(start)
        local = self._normalise(start)
        day = local.date()
        for _ in range(n):
            day = self._next_working_day(day)
        return datetime.combine(day, local.timetz().replace(tzinfo=None), SHANGHAI)

    def subtract_working_days(self, end: datetime, n: int) -> datetime:
        """The same wall-clock time `n` working days before `end`."""
        if n < 0:
            raise ValueError("n must not be negative")
        local = self._normalise(end)
        day = local.date()
        for _ in range(n):
            day = self._previous_working_day(day)
        return datetime.combine(day, local.timetz().replace(tzinfo=None), SHANGHAI)

    def working_time_between(self, start: datetime, end: datetime) -> tuple[int, timedelta]:
        """Whole working days and the remainder from `start` to `end` (end >= start), for countdowns."""
        local_start, local_end = self._local(start), self._local(end)
        if local_end < local_start:
            raise ValueError("end is before start")
        days, cursor = 0, local_start
        while True:
            following = self.add_working_days(cursor, 1)
            if following > local_end:
                break
            days, cursor = days + 1, following
        remainder = local_end - cursor
        return days, remainder if remainder > timedelta(0) else timedelta(0)
