"""Deadlines on China's working-day calendar, and timers firing along their BPMN paths."""
from __future__ import annotations

from datetime import datetime, timedelta

from engine import timer_firing
from engine.clock import SHANGHAI

from .pipeline import (
    accept_and_assess,
    case,
    complete,
    dispatch,
    item,
    open_elements,
    register,
    report,
    through_referral,
)

ACCEPT_DISPATCH = {"decision": "accept", "contact_person": "赵调解", "contact_phone": "13900000000"}


def due_local(api, case_no, element, as_="center_clerk") -> datetime:
    return datetime.fromisoformat(item(api, case_no, element, as_)["due_at"]).astimezone(SHANGHAI)


def test_a_case_registered_the_day_before_national_day_is_due_after_the_holiday(api, clock):
    clock.set(datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI))
    case_no = register(api)["case_no"]
    assert case_no.startswith("2025-")
    assert due_local(api, case_no, "review_acceptance") == datetime(2025, 10, 9, 18, 0, tzinfo=SHANGHAI)


def test_a_case_registered_on_friday_before_the_make_up_sunday_is_due_that_sunday(api, clock):
    clock.set(datetime(2025, 9, 26, 10, 0, tzinfo=SHANGHAI))
    case_no = register(api)["case_no"]
    assert due_local(api, case_no, "review_acceptance") == datetime(2025, 9, 28, 18, 0, tzinfo=SHANGHAI)


def test_a_blue_assessment_gets_three_working_days_across_the_make_up_saturday(api, clock):
    clock.set(datetime(2025, 10, 9, 9, 30, tzinfo=SHANGHAI))
    case_no = register(api)["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", {"accepted": True})
    # Thu 9 Oct + 3 working days: Fri 10, Sat 11 (make-up working day), Mon 13, at its close.
    assert due_local(api, case_no, "assess_case") == datetime(2025, 10, 13, 18, 0, tzinfo=SHANGHAI)


def test_a_passed_deadline_sends_a_supervision_notice_and_leaves_the_task_open(api, rt, clock):
    case_no = register(api)["case_no"]
    assert timer_firing.fire_due(rt) == 0
    clock.advance(timedelta(days=1, hours=8, minutes=59))  # Tue 17:59: the close of Tuesday not yet reached
    assert not any(h["kind"] == "notice_supervision" for h in case(api, case_no)["history"])
    clock.advance(timedelta(minutes=2))
    assert timer_firing.fire_due(rt) >= 1
    after = case(api, case_no)
    kinds = [h["kind"] for h in after["history"]]
    assert "notice_supervision" in kinds and "timer_fired" in kinds
    # The task stays open, overdue; the centre's head gets a supervision notice of its own.
    assert open_elements(api, case_no) == {("center", "review_acceptance"), ("center", "review_acceptance_notice")}
    assert item(api, case_no, "review_acceptance", "center_clerk")["overdue"] is True
    assert timer_firing.fire_due(rt) == 0  # firing is idempotent


def test_completing_a_task_in_time_cancels_its_timers(api, rt, clock):
    case_no = register(api)["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", {"accepted": True})
    timers = case(api, case_no)["timers"]
    review_timers = [t for t in timers if t["element_id"].startswith("review_acceptance")]
    assert review_timers and all(t["state"] == "cancelled" for t in review_timers)


def test_a_department_that_never_answers_the_dispatch_is_escalated_back_to_the_centre(api, rt, clock):
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no, cooperating=())
    complete(api, case_no, "dispatch", "center_head", dispatch())
    assert open_elements(api, case_no) == {("people_mediation", "accept_dispatch")}
    clock.advance(timedelta(days=5))
    timer_firing.fire_due(rt)
    assert open_elements(api, case_no) == {("center", "redispatch")}


def test_a_cooperating_department_has_the_resolution_deadline_and_its_silence_does_not_hold_the_case(api, rt, clock):
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no)
    through_referral(api, case_no)
    lead, cooperating = (item(api, case_no, "resolve", "people_mediation_clerk"),
                         item(api, case_no, "cooperate", "justice_office_clerk"))
    assert lead["due_at"] == cooperating["due_at"]
    complete(api, case_no, "resolve", "people_mediation_clerk", report())
    assert case(api, case_no)["stage"] == "coordinated_resolution"  # waiting for the cooperating report
    clock.advance(timedelta(days=45))  # 30 days, then 5 working days more
    timer_firing.fire_due(rt)
    moved_on = case(api, case_no)
    assert moved_on["stage"] == "agreement_confirmation"
    assert open_elements(api, case_no) == {("people_mediation", "sign_agreement")}
    assert [i["state"] for i in moved_on["items"] if i["element_id"] == "cooperate"] == ["cancelled"]
