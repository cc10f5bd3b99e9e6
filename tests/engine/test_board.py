"""The overdue board's queries without HTTP: the due-soon limit agrees with the inbox countdown, periods are
read strictly, counts come from the projection, and only the centre's supervisors, heads and admins may look."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from engine import board, timer_firing
from engine.calendar import SHANGHAI, WorkingCalendar
from engine.countdown import countdown
from engine.errors import Forbidden, Invalid, NotFound

CAL = WorkingCalendar.from_file()


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


@pytest.mark.parametrize("now", [
    at(2026, 3, 2, 9),  # Monday morning
    at(2026, 3, 6, 17),  # Friday afternoon: the weekend does not count
    at(2026, 3, 7, 11),  # on a Saturday
    at(2026, 3, 9, 0),  # midnight starting a working day
    at(2025, 9, 30, 15),  # the day before the National Day holiday
    at(2025, 9, 27, 10),  # a Saturday before the make-up working Sunday
])
def test_the_due_soon_limit_is_where_the_countdown_stops_saying_due_soon(now):
    limit = board.due_soon_limit(CAL, now)
    assert countdown(CAL, now, limit - timedelta(minutes=1)).due_soon
    assert not countdown(CAL, now, limit).due_soon
    assert not countdown(CAL, now, limit + timedelta(hours=5)).due_soon


def test_friday_afternoons_due_soon_reaches_into_monday():
    assert board.due_soon_limit(CAL, at(2026, 3, 6, 17)) == at(2026, 3, 9, 17)


def test_a_period_is_read_strictly_and_filled_from_this_month(rt, clock):
    clock.set(at(2026, 3, 18, 10))
    assert board.default_period(rt) == board.Period(date(2026, 3, 1), date(2026, 3, 18))
    assert board.parse_period(rt, "2026-02-01", "") == board.Period(date(2026, 2, 1), date(2026, 3, 18))
    assert board.parse_period(rt, None, None) == board.default_period(rt)
    for start, end in (("2026-03-10", "2026-03-01"), ("2026/03/01", ""), ("", "2026-02-30"), ("0001-01-01", "")):
        with pytest.raises(Invalid):
            board.parse_period(rt, start, end)
    start, end = board.Period(date(2026, 3, 1), date(2026, 3, 1)).bounds()
    assert (start, end) == (at(2026, 3, 1, 0), at(2026, 3, 2, 0))


def test_the_board_counts_from_the_projection(rt, clock, register, who):
    register()  # Mon 09:00: the intake review is due at Tuesday's close
    clock.advance(timedelta(days=1, hours=10))  # Tue 19:00
    timer_firing.fire_due(rt)
    late = register()  # due at Wednesday's close
    clock.advance(timedelta(days=1, hours=1))  # Wed 20:00: overdue, its timer not yet fired
    rows = {row.department_id: row for row in board.board(rt, who("supervisor")).rows}
    assert board.board(rt, who("supervisor")).rows[0].department_id == "center"
    # the escalated review, its 督办件 left unanswered past Wednesday's close, and the later review
    assert (rows["center"].overdue, rows["center"].escalated, rows["center"].max_level) == (3, 1, 1)
    assert rows["police"] == board.DepartmentRow("police", rows["police"].name)
    listing = board.department_items(rt, who("center_head"), "center", "overdue")
    assert listing.total == 3 and listing.items[0].escalation_level == 1
    assert sum(1 for i in listing.items if i.title.startswith("督办件")) == 1
    later = [i for i in listing.items if i.case_no == late.case_no]
    assert len(later) == 1 and later[0].countdown.overdue
    assert [i.case_no for i in board.overdue_list(rt, who("admin")).items] == [i.case_no for i in listing.items]


def test_only_the_centres_supervisors_heads_and_admins_may_look(rt, who):
    for user in ("supervisor", "admin", "center_head"):
        board.board(rt, who(user))
    for user in ("center_clerk", "police_head", "designer"):
        with pytest.raises(Forbidden):
            board.board(rt, who(user))
        with pytest.raises(Forbidden):
            board.overdue_list(rt, who(user))
    with pytest.raises(NotFound):
        board.department_items(rt, who("supervisor"), "nowhere")
    with pytest.raises(Invalid):
        board.department_items(rt, who("supervisor"), "center", "everything")
