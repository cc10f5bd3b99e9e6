"""China's working-day calendar: holidays, make-up working days, and the deadlines built on them."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from engine.calendar import SHANGHAI, WorkingCalendar, WorkingHours


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar.from_file()


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


def test_one_working_day_before_national_day_lands_after_the_holiday(calendar):
    assert calendar.add_working_days(at(2025, 9, 30, 10), 1) == at(2025, 10, 9, 18)


def test_the_make_up_sunday_before_national_day_is_a_working_day(calendar):
    assert calendar.is_working_day(date(2025, 9, 28))
    assert calendar.add_working_days(at(2025, 9, 26, 10), 1) == at(2025, 9, 28, 18)


def test_the_make_up_saturday_after_national_day_counts(calendar):
    assert calendar.add_working_days(at(2025, 10, 9, 10), 2) == at(2025, 10, 11, 18)


def test_national_day_and_mid_autumn_2025_are_eight_days_off(calendar):
    off = [d for d in (date(2025, 10, 1) + timedelta(days=i) for i in range(10)) if not calendar.is_working_day(d)]
    assert off == [date(2025, 10, 1) + timedelta(days=i) for i in range(8)]


def test_spring_festival_2026_is_skipped_and_its_make_up_saturdays_are_worked(calendar):
    assert calendar.add_working_days(at(2026, 2, 13, 9), 1) == at(2026, 2, 14, 18)
    assert calendar.add_working_days(at(2026, 2, 14, 9), 1) == at(2026, 2, 24, 18)
    assert calendar.is_working_day(date(2026, 2, 28))


def test_a_case_received_on_saturday_is_due_at_mondays_close(calendar):
    assert calendar.add_working_days(at(2026, 3, 7, 11), 1) == at(2026, 3, 9, 18)


def test_zero_working_days_means_the_end_of_todays_working_day(calendar):
    assert calendar.add_working_days(at(2026, 3, 2, 9), 0) == at(2026, 3, 2, 18)
    assert calendar.add_working_days(at(2026, 3, 2, 19), 0) == at(2026, 3, 3, 18)
    assert calendar.add_working_days(at(2026, 3, 7, 9), 0) == at(2026, 3, 9, 18)


def test_utc_input_is_computed_in_shanghai_time(calendar):
    start = datetime(2025, 9, 30, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai
    assert calendar.add_working_days(start, 1) == at(2025, 10, 9, 18)


def test_naive_datetimes_are_refused(calendar):
    with pytest.raises(ValueError):
        calendar.add_working_days(datetime(2026, 3, 2, 9), 1)


def test_subtracting_working_days_skips_the_holiday(calendar):
    assert calendar.subtract_working_days(at(2025, 10, 9, 10), 1) == at(2025, 9, 30, 10)


def test_a_year_outside_the_data_falls_back_to_weekdays(calendar):
    assert not calendar.covers(2031)
    assert calendar.add_working_days(at(2031, 1, 3, 9), 1) == at(2031, 1, 6, 18)  # Fri -> Mon


def test_2027_is_marked_provisional_until_the_official_notice(calendar):
    assert calendar.provisional_years == {2027}
    assert not calendar.is_working_day(date(2027, 10, 1))


def test_countdown_counts_whole_working_days_and_the_rest(calendar):
    days, rest = calendar.working_time_between(at(2025, 9, 30, 10), at(2025, 10, 10, 13))
    assert days == 2 and rest == timedelta(hours=3)


# How a limit ends (DOMAIN.md): at the close of the last day, as staff count it.

def test_the_countdown_agrees_with_stepping_one_working_day_at_a_time_over_holidays_and_weekends(calendar):
    """Whole working days are the steps of `later_by_working_days` that stay at or before the end (a start on a
    day off counting from the last working day's close); the remainder is what is left after the last step."""
    def stepped(start, end):
        days, cursor = 0, start
        while (following := calendar.later_by_working_days(cursor, 1)) <= end:
            days, cursor = days + 1, following
        return days, max(end - cursor, timedelta(0))

    rng = random.Random(20260302)
    base = at(2025, 9, 20, 0)  # through National Day 2025 and the Spring Festival 2026
    for _ in range(3000):
        start = base + timedelta(minutes=rng.randrange(60 * 24 * 200))
        end = start + timedelta(minutes=rng.choice((0, 30, 600, 1440, 4320, rng.randrange(60 * 24 * 40))))
        assert calendar.working_time_between(start, end) == stepped(start, end), (start, end)


def test_three_working_days_from_the_friday_afternoon_before_national_day(calendar):
    # Fri 26 Sep 2025 15:00: the day itself is not counted; Sun 28 Sep is a make-up working day,
    # then Mon 29 and Tue 30 Sep; the limit ends at Tuesday's close, not at 15:00 and not after the holiday.
    assert calendar.add_working_days(at(2025, 9, 26, 15), 3) == at(2025, 9, 30, 18)
    # four working days cross the eight days off: Thu 9 Oct at 18:00
    assert calendar.add_working_days(at(2025, 9, 26, 15), 4) == at(2025, 10, 9, 18)


def test_three_working_days_from_the_mid_autumn_friday_of_2026(calendar):
    # Fri 25 Sep 2026 is the Mid-Autumn holiday, the Friday before National Day: Mon 28, Tue 29, Wed 30.
    assert not calendar.is_working_day(date(2026, 9, 25))
    assert calendar.add_working_days(at(2026, 9, 25, 15), 3) == at(2026, 9, 30, 18)
    # the fourth falls after the week off, on Thu 8 Oct (Sat 10 Oct is the make-up day)
    assert calendar.add_working_days(at(2026, 9, 25, 15), 4) == at(2026, 10, 8, 18)


def test_a_limit_started_after_closing_still_counts_the_next_day_as_the_first(calendar):
    assert calendar.add_working_days(at(2026, 3, 2, 21), 1) == at(2026, 3, 3, 18)


def test_a_same_day_red_limit_after_closing_ends_at_the_next_working_days_close(calendar):
    assert calendar.add_working_days(at(2026, 3, 2, 18, 30), 0) == at(2026, 3, 3, 18)
    # Friday evening before a weekend: Monday's close
    assert calendar.add_working_days(at(2026, 3, 6, 19), 0) == at(2026, 3, 9, 18)
    # the evening before National Day 2025: the first working day after the eight days off
    assert calendar.add_working_days(at(2025, 9, 30, 20), 0) == at(2025, 10, 9, 18)


def test_thirty_calendar_days_ending_on_a_holiday_roll_to_the_first_working_day(calendar):
    # 2 Dec 2025 + 30 days = Thu 1 Jan 2026, New Year's Day (1–3 Jan off): Sun 4 Jan is a make-up day.
    assert calendar.add_calendar_days(at(2025, 12, 2, 7, 26), 30) == at(2026, 1, 4, 18)
    # 1 Sep 2026 + 30 = Thu 1 Oct 2026, National Day (1–7 Oct off): Thu 8 Oct
    assert calendar.add_calendar_days(at(2026, 9, 1, 10), 30) == at(2026, 10, 8, 18)


def test_calendar_days_ending_on_a_weekend_move_to_monday_and_run_through_holidays_otherwise(calendar):
    assert calendar.add_calendar_days(at(2026, 3, 2, 9), 5) == at(2026, 3, 9, 18)  # Sat 7 Mar -> Mon 9
    assert calendar.add_calendar_days(at(2025, 9, 30, 9), 10) == at(2025, 10, 10, 18)  # through the holiday
    assert calendar.add_calendar_days(at(2025, 9, 27, 9), 4) == at(2025, 10, 9, 18)


def test_a_month_ends_on_the_same_date_or_the_months_last_day(calendar):
    assert calendar.add_months(at(2026, 3, 10, 9), 1) == at(2026, 4, 10, 18)
    assert calendar.add_months(at(2026, 1, 31, 9), 1) == at(2026, 2, 28, 18)  # last day, a make-up Saturday
    assert calendar.add_months(at(2025, 12, 1, 9), 1) == at(2026, 1, 4, 18)  # New Year's Day off
    assert calendar.add_months(at(2026, 11, 30, 9), 3) == at(2027, 3, 1, 18)  # 28 Feb 2027 is a Sunday


def test_the_centre_sets_its_closing_time(calendar):
    early = calendar.with_hours(WorkingHours(closing=datetime(2000, 1, 1, 17, 30).time()))
    assert early.add_working_days(at(2025, 9, 26, 15), 3) == at(2025, 9, 30, 17, 30)
    assert early.add_working_days(at(2026, 3, 2, 17, 45), 0) == at(2026, 3, 3, 17, 30)
    assert early.add_calendar_days(at(2025, 12, 2, 9), 30) == at(2026, 1, 4, 17, 30)
    assert calendar.add_working_days(at(2026, 3, 2, 17, 45), 0) == at(2026, 3, 2, 18)


def test_an_hours_limit_that_would_end_over_lunch_ends_when_the_break_ends(calendar):
    lunch = calendar.with_hours(WorkingHours(lunch=(datetime(2000, 1, 1, 12, 0).time(),
                                                    datetime(2000, 1, 1, 13, 30).time())))
    assert lunch.add_hours(at(2026, 3, 2, 9, 0), 3.5) == at(2026, 3, 2, 13, 30)  # Monday 12:30 -> 13:30
    assert lunch.add_hours(at(2026, 3, 2, 9, 0), 2) == at(2026, 3, 2, 11, 0)
    assert lunch.add_hours(at(2026, 3, 2, 9, 0), 4.5) == at(2026, 3, 2, 13, 30)  # the break's end itself
    assert lunch.add_hours(at(2026, 3, 6, 9, 0), 27.5) == at(2026, 3, 7, 12, 30)  # a Saturday has no break
    assert calendar.add_hours(at(2026, 3, 2, 9, 0), 3.5) == at(2026, 3, 2, 12, 30)  # no break set
