"""Deadlines as people count them, through the API and the pages: a working-day limit ends at the close of
its last day and is shown with its weekday; a dispatch nobody accepts goes back to the centre, the
department that let it lapse hears of it and its on-time rate counts it late."""
from __future__ import annotations

import re
from datetime import datetime

from engine import timer_firing
from engine.clock import SHANGHAI
from tests.api.pipeline import ACCEPT, accept_and_assess, complete, dispatch, item, open_elements
from tests.api.pipeline import register as api_register


def shanghai(*parts) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


def due(api, case_no: str, element: str, as_: str = "center_clerk") -> datetime:
    return datetime.fromisoformat(item(api, case_no, element, as_)["due_at"]).astimezone(SHANGHAI)


def test_three_working_days_from_the_friday_afternoon_before_national_day_end_tuesday_at_18(
        api, clock, staff_as):
    clock.set(shanghai(2025, 9, 26, 15, 0))  # Friday afternoon; Sun 28 Sep is a make-up working day
    case_no = api_register(api)["case_no"]
    assert due(api, case_no, "review_acceptance") == shanghai(2025, 9, 28, 18, 0)
    complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)
    # A blue assessment has three working days: Sun 28, Mon 29, Tue 30 September, until closing time.
    assert due(api, case_no, "assess_case") == shanghai(2025, 9, 30, 18, 0)
    assessment_id = item(api, case_no, "assess_case", "center_clerk")["id"]

    clerk = staff_as("center_clerk")
    inbox = clerk.get("/inbox").get_data(as_text=True)
    row = re.search(rf'data-item-id="{assessment_id}".*?</tr>', inbox, re.S).group(0)
    assert "截止 9月30日（周二）18:00" in row and "剩余" in row  # the countdown stays beside it
    task = clerk.get(f"/tasks/{assessment_id}").get_data(as_text=True)
    assert "截止 9月30日（周二）18:00" in task
    case_file = clerk.get(f"/cases/{case_no}").get_data(as_text=True)
    assert "9月30日（周二）18:00" in case_file

    english = staff_as("center_clerk", "en")
    assert "Due Tue 30 Sep 18:00" in english.get(f"/tasks/{assessment_id}").get_data(as_text=True)


def test_a_red_same_day_assessment_registered_after_closing_is_due_at_the_next_working_days_close(api, clock):
    clock.set(shanghai(2026, 3, 6, 18, 30))  # Friday evening, after closing
    # A red case (graded on the intake's flags) is assessed the same working day: none is left today.
    red = api_register(api, flags={"mass_incident_risk": True, "petition_risk": False,
                                   "criminal_risk": False})["case_no"]
    complete(api, red, "review_acceptance", "center_clerk", ACCEPT)
    assert due(api, red, "assess_case") == shanghai(2026, 3, 9, 18, 0)  # Monday's close
    blue = api_register(api)["case_no"]
    complete(api, blue, "review_acceptance", "center_clerk", ACCEPT)
    assert due(api, blue, "assess_case") == shanghai(2026, 3, 11, 18, 0)  # Mon 9, Tue 10, Wed 11


def test_a_dispatch_that_times_out_goes_back_to_the_centre_and_counts_late(api, rt, clock, staff_as):
    # Mon 2 March 2026, 09:00: registered, assessed and dispatched to people's mediation alone.
    case_no = api_register(api)["case_no"]
    accept_and_assess(api, case_no, lead="people_mediation", cooperating=())
    complete(api, case_no, "dispatch", "center_head", dispatch())
    accept = item(api, case_no, "accept_dispatch", "people_mediation_clerk")
    assert due(api, case_no, "accept_dispatch", "people_mediation_clerk") == shanghai(2026, 3, 3, 18, 0)

    clock.set(shanghai(2026, 3, 4, 17, 59))  # the second working day's close not yet reached
    timer_firing.fire_due(rt)
    assert ("people_mediation", "accept_dispatch") in open_elements(api, case_no)
    clock.set(shanghai(2026, 3, 4, 18, 0))
    timer_firing.fire_due(rt)

    # Back at the centre, as a 重新派单 with a deadline of its own: the next working day's close.
    assert ("center", "redispatch") in open_elements(api, case_no)
    assert ("people_mediation", "accept_dispatch") not in open_elements(api, case_no)
    assert due(api, case_no, "redispatch", "center_head") == shanghai(2026, 3, 5, 18, 0)
    timers = [t for t in api.get(f"/cases/{case_no}", as_="supervisor").json["timers"]
              if t["element_id"].startswith("redispatch") and t["state"] == "waiting"]
    assert {t["kind"] for t in timers} >= {"reminder", "supervision", "escalation", "leadership"}

    # The department that let it lapse is told, by name of what happened.
    head = staff_as("people_mediation_head").get("/notifications").get_data(as_text=True)
    assert "逾期未接单，案件已退回矛调中心重新派单" in head
    centre = staff_as("center_head").get("/inbox").get_data(as_text=True)
    assert "重新派单" in centre and "截止 3月5日（周四）18:00" in centre

    # Its on-time rate counts the lapsed item as late.
    board = staff_as("supervisor").get("/board?from=2026-03-02&to=2026-03-04").get_data(as_text=True)
    body = board.split('id="rates-table"', 1)[1].split("</tbody>", 1)[0]
    row = re.search(r'<tr data-department="people_mediation">.*?</tr>', body, re.S).group(0)
    assert re.findall(r'<td class="count">(\d+)</td>', row) == ["1", "0"] and "0.0%" in row
    assert accept["id"]


def test_a_supervision_notice_is_due_the_next_working_day_and_then_carries_the_promised_date(
        api, rt, clock, staff_as):
    case_no = api_register(api)["case_no"]  # Mon 2 March 09:00: the review is due Tuesday at 18:00
    clock.set(shanghai(2026, 3, 3, 18, 0))
    timer_firing.fire_due(rt)
    notice = item(api, case_no, "review_acceptance_notice", "center_head")
    assert due(api, case_no, "review_acceptance_notice", "center_head") == shanghai(2026, 3, 4, 18, 0)
    head = staff_as("center_head")
    assert "截止 3月4日（周三）18:00" in head.get(f"/tasks/{notice['id']}").get_data(as_text=True)

    past = {"notice_delay_reason": "当事人未到场", "notice_measures": "明日上门受理",
            "notice_promised_date": "2026-03-01", "notice_responsible_person": "窗口负责人"}
    refused = api.post(f"/work-items/{notice['id']}/complete", as_="center_head", json={"data": past})
    assert refused.status_code == 400 and "notice_promised_date" in refused.json["fields"]

    # Promised for Saturday 7 March, a rest day: the deadline is Monday's close.
    reply = dict(past, notice_promised_date="2026-03-07")
    assert api.post(f"/work-items/{notice['id']}/complete", as_="center_head",
                    json={"data": reply}).status_code == 200
    answered = api.get(f"/work-items/{notice['id']}", as_="center_head").json
    assert datetime.fromisoformat(answered["due_at"]).astimezone(SHANGHAI) == shanghai(2026, 3, 9, 18, 0)
    page = head.get(f"/tasks/{notice['id']}").get_data(as_text=True)
    assert "承诺办结" in page and "3月9日（周一）18:00" in page
