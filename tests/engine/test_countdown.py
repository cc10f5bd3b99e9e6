"""Inbox countdowns count working time left, and plain time overdue, on the Chinese calendar."""
from __future__ import annotations

from datetime import datetime

from engine.calendar import SHANGHAI, WorkingCalendar
from engine.countdown import countdown

CAL = WorkingCalendar.from_file()


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_a_weekend_does_not_eat_into_the_time_left():
    # Friday 17:00 -> Monday 10:00: 7 hours on Friday and 10 on Monday
    left = countdown(CAL, at(2026, 3, 6, 17), at(2026, 3, 9, 10))
    assert (left.days, left.hours, left.overdue, left.due_soon) == (0, 17, False, True)


def test_national_day_holiday_is_skipped_and_the_make_up_saturday_counts():
    # 2026: 1–7 October off; Saturday 10 October is a make-up working day.
    due = CAL.add_working_days(at(2026, 9, 30, 9), 3)
    assert due == at(2026, 10, 10, 18)  # the close of the third working day
    left = countdown(CAL, at(2026, 9, 30, 9), due)
    assert (left.days, left.hours) == (3, 9)  # the rest of Wednesday, Thursday, Friday, Saturday until 18:00
    assert not left.due_soon
    later = countdown(CAL, at(2026, 10, 9, 12), due)
    assert (later.days, later.hours) == (1, 6)  # Friday afternoon and evening + Saturday until 18:00


def test_two_working_days_and_hours():
    left = countdown(CAL, at(2026, 3, 2, 9), at(2026, 3, 4, 12))
    assert (left.days, left.hours, left.minutes, left.state) == (2, 3, 0, "on_time")


def test_overdue_counts_calendar_time():
    late = countdown(CAL, at(2026, 3, 9, 10), at(2026, 3, 6, 18))  # over a weekend
    assert (late.overdue, late.days, late.hours, late.state) == (True, 2, 16, "overdue")


def test_no_deadline_no_countdown():
    assert countdown(CAL, at(2026, 3, 2, 9), None) is None
