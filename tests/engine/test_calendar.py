"""China's working-day calendar: holidays, make-up working days, and the deadlines built on them."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from engine.calendar import SHANGHAI, WorkingCalendar


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar.from_file()


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


def test_one_working_day_before_national_day_lands_after_the_holiday(calendar):
    assert calendar.add_working_days(at(2025, 9, 30, 10), 1) == at(2025, 10, 9, 10)


def test_the_make_up_sunday_before_national_day_is_a_working_day(calendar):
    assert calendar.is_working_day(date(2025, 9, 28))
    assert calendar.add_working_days(at(2025, 9, 26, 10), 1) == at(2025, 9, 28, 10)


def test_the_make_up_saturday_after_national_day_counts(calendar):
    assert calendar.add_working_days(at(2025, 10, 9, 10), 2) == at(2025, 10, 11, 10)


def test_national_day_and_mid_autumn_2025_are_eight_days_off(calendar):
    off = [d for d in (date(2025, 10, 1) + timedelta(days=i) for i in range(10)) if not calendar.is_working_day(d)]
    assert off == [date(2025, 10, 1) + timedelta(days=i) for i in range(8)]


def test_spring_festival_2026_is_skipped_and_its_make_up_saturdays_are_worked(calendar):
    assert calendar.add_working_days(at(2026, 2, 13, 9), 1) == at(2026, 2, 14, 9)
    assert calendar.add_working_days(at(2026, 2, 14, 9), 1) == at(2026, 2, 24, 9)
    assert calendar.is_working_day(date(2026, 2, 28))


def test_a_case_received_on_saturday_counts_from_fridays_close(calendar):
    assert calendar.add_working_days(at(2026, 3, 7, 11), 1) == at(2026, 3, 9, 18)


def test_zero_working_days_means_the_end_of_todays_working_day(calendar):
    assert calendar.add_working_days(at(2026, 3, 2, 9), 0) == at(2026, 3, 2, 18)
    assert calendar.add_working_days(at(2026, 3, 2, 19), 0) == at(2026, 3, 3, 18)
    assert calendar.add_working_days(at(2026, 3, 7, 9), 0) == at(2026, 3, 9, 18)


def test_utc_input_is_computed_in_shanghai_time(calendar):
    start = datetime(2025, 9, 30, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai
    assert calendar.add_working_days(start, 1) == at(2025, 10, 9, 10)


def test_naive_datetimes_are_refused(calendar):
    with pytest.raises(ValueError):
        calendar.add_working_days(datetime(2026, 3, 2, 9), 1)


def test_subtracting_working_days_skips_the_holiday(calendar):
    assert calendar.subtract_working_days(at(2025, 10, 9, 10), 1) == at(2025, 9, 30, 10)


def test_a_year_outside_the_data_falls_back_to_weekdays(calendar):
    assert not calendar.covers(2031)
    assert calendar.add_working_days(at(2031, 1, 3, 9), 1) == at(2031, 1, 6, 9)  # Fri -> Mon


def test_2027_is_marked_provisional_until_the_official_notice(calendar):
    assert calendar.provisional_years == {2027}
    assert not calendar.is_working_day(date(2027, 10, 1))


def test_countdown_counts_whole_working_days_and_the_rest(calendar):
    days, rest = calendar.working_time_between(at(2025, 9, 30, 10), at(2025, 10, 10, 13))
    assert days == 2 and rest == timedelta(hours=3)
