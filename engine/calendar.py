"""China's working-day calendar: weekends off except make-up working days (调休), public holidays off.

All arithmetic happens in Asia/Shanghai. Limits end as staff count them (DOMAIN.md, "How a limit ends"):

* N working days end at the centre's closing time (18:00 unless the centre sets another) of the Nth
  working day after the day the limit starts; the starting day is not counted, and the time of day it
  started at plays no part;
* a same-day limit (0 working days) ends at closing time today, or at the next working day's close when
  it starts after closing or on a day off;
* calendar days and months run through weekends and holidays, but a last day that is a statutory
  holiday or rest day moves to the first working day after it; they too end at closing time. A month
  ends on the same date of the month it reaches, or that month's last day.
"""
from __future__ import annotations

import calendar as _months
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

DEFAULT_DATA = Path(__file__).parent / "data" / "holidays_cn.json"
SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(18, 0)  # the default closing time


@dataclass(frozen=True)
class WorkingHours:
    """When the centre closes, and its lunch break if any (an hours limit ending inside it ends when it ends)."""

    closing: time = END_OF_DAY
    lunch: tuple[time, time] | None = None


class WorkingCalendar:
    """Answers which days are working days and adds or subtracts working days."""

    def __init__(self, holidays: Iterable[date], workdays: Iterable[date], years: Iterable[int],
                 provisional_years: Iterable[int] = (), hours: WorkingHours | None = None):
        self.hours = hours or WorkingHours()
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

    def with_hours(self, hours: WorkingHours) -> WorkingCalendar:
        """The same days with another closing time or lunch break (the centre's settings)."""
        if hours == self.hours:
            return self
        return WorkingCalendar(self._holidays, self._workdays, self._years, self._provisional, hours)

    @property
    def closing(self) -> time:
        return self.hours.closing

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

    timezone = SHANGHAI

    def _close(self, day: date) -> datetime:
        return datetime.combine(day, self.closing, SHANGHAI)

    def close_of(self, day: date) -> datetime:
        """A limit ending on `day`: its closing time, or the next working day's when `day` is off."""
        return self._close(self.first_working_day_from(day))

    def _normalise(self, instant: datetime) -> datetime:
        """A moment on a non-working day counts as closing time of the last working day before it."""
        local = self._local(instant)
        if self.is_working_day(local.date()):
            return local
        return self._close(self._previous_working_day(local.date()))

    def end_of_working_day(self, at: datetime) -> datetime:
        """Closing time of `at`'s working day; after closing (or on a day off) the next working day's close."""
        local = self._local(at)
        day = local.date()
        if not self.is_working_day(day) or local.time() >= self.closing:
            day = self._next_working_day(day)
        return self._close(day)

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """The close of the `n`th working day after the day of `start` (that day not counted).

        n = 0 is a same-day limit: today's close, or the next working day's after closing or on a day off.
        A limit started on Friday afternoon with one working day ends on Monday at closing time; one
        started on Saturday ends on Monday too.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return self.end_of_working_day(start)
        day = self._local(start).date()
        for _ in range(n):
            day = self._next_working_day(day)
        return self._close(day)

    def subtract_working_days(self, end: datetime, n: int) -> datetime:
        """The same wall-clock time `n` working days before `end` (a reminder a working day ahead of a
        deadline at closing time falls at the previous working day's close)."""
        if n < 0:
            raise ValueError("n must not be negative")
        local = self._normalise(end)
        day = local.date()
        for _ in range(n):
            day = self._previous_working_day(day)
        return datetime.combine(day, local.timetz().replace(tzinfo=None), SHANGHAI)

    def first_working_day_from(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self._next_working_day(day)

    def add_calendar_days(self, start: datetime, n: int) -> datetime:
        """`n` calendar days after the day of `start` (that day not counted), at closing time; a last day
        that is a holiday or rest day moves to the first working day after it (民事诉讼法 art. 85)."""
        if n < 0:
            raise ValueError("n must not be negative")
        return self._close(self.first_working_day_from(self._local(start).date() + timedelta(days=n)))

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """`hours` on the clock after `start`; a limit that would end inside the lunch break of a working day
        ends when the break ends, since nobody is at the desk to act on it."""
        end = self._local(start) + timedelta(hours=hours)
        lunch = self.hours.lunch
        if lunch and self.is_working_day(end.date()) and lunch[0] <= end.time().replace(tzinfo=None) < lunch[1]:
            return datetime.combine(end.date(), lunch[1], SHANGHAI)
        return end

    def add_months(self, start: datetime, n: int) -> datetime:
        """`n` months after the day of `start`: the same date of the month reached, or that month's last
        day; at closing time, moved to the first working day after a holiday or rest day."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = self._local(start).date()
        month_index = day.year * 12 + day.month - 1 + n
        year, month = divmod(month_index, 12)
        month += 1
        last = _months.monthrange(year, month)[1]
        return self._close(self.first_working_day_from(date(year, month, min(day.day, last))))

    def later_by_working_days(self, start: datetime, n: int) -> datetime:
        """The same time of day `n` working days after `start` (a deadline moved on by time it stood still)."""
        if n < 0:
            raise ValueError("n must not be negative")
        return self._same_time_working_days(start, n)

    def _same_time_working_days(self, start: datetime, n: int) -> datetime:
        local = self._normalise(start)
        day = local.date()
        for _ in range(n):
            day = self._next_working_day(day)
        return datetime.combine(day, local.timetz().replace(tzinfo=None), SHANGHAI)

    def working_time_between(self, start: datetime, end: datetime) -> tuple[int, timedelta]:
        """Whole working days (same time of day, working day to working day) and the remainder from
        `start` to `end` (end >= start), for countdowns and the statistics' working days per stage.

        Day k is the k-th working day after `start`'s (a moment on a day off counting from the last working
        day's close) at `start`'s time of day; the whole days are the last k not after `end`."""
        local_start, local_end = self._local(start), self._local(end)
        if local_end < local_start:
            raise ValueError("end is before start")
        first = self._normalise(local_start)
        time_of_day = first.timetz().replace(tzinfo=None)
        end_day = local_end.date()
        days = self._working_days_after(first.date(), end_day)
        last = end_day if self.is_working_day(end_day) else self._previous_working_day(end_day)
        if days and last == end_day and datetime.combine(end_day, time_of_day, SHANGHAI) > local_end:
            days, last = days - 1, self._previous_working_day(end_day)
        cursor = datetime.combine(last, time_of_day, SHANGHAI) if days else local_start
        remainder = local_end - cursor
        return days, remainder if remainder > timedelta(0) else timedelta(0)

    def _working_days_after(self, day: date, until: date) -> int:
        """How many working days fall after `day`, up to and including `until` (kept: the same pairs recur)."""
        if until <= day:
            return 0
        cache = self.__dict__.setdefault("_days_after", {})
        key = (day, until)
        if key not in cache:
            if len(cache) > 100_000:
                cache.clear()
            count, cursor = 0, day
            while cursor < until:
                cursor += timedelta(days=1)
                count += self.is_working_day(cursor)
            cache[key] = count
        return cache[key]
