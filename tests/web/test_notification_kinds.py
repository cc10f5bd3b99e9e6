"""Notifications stay meaningful: new work is cleared once taken, the list is grouped and filtered by kind, and
the ladder's texts read in the page's language."""
from __future__ import annotations

import re
from datetime import timedelta

from engine import timer_firing
from tests.api.pipeline import ACCEPT, item
from tests.api.pipeline import complete as api_complete
from tests.api.pipeline import register as api_register
from tests.web.test_notifications_page import bell_count


def unread_rows(html: str) -> list[str]:
    return re.findall(r'<tr class="note-(\w+) unread"', html)


def test_new_work_is_cleared_for_everyone_when_someone_claims_it(staff_as, api):
    case_no = api_register(api)["case_no"]
    clerk, head = staff_as("center_clerk"), staff_as("center_head")
    assert bell_count(clerk.get("/inbox").get_data(as_text=True)) == 1
    assert bell_count(head.get("/inbox").get_data(as_text=True)) == 1
    review = item(api, case_no, "review_acceptance", "center_clerk")
    assert clerk.post(f"/inbox/items/{review['id']}/claim").status_code == 302
    assert bell_count(clerk.get("/inbox").get_data(as_text=True)) == 0
    assert bell_count(head.get("/inbox").get_data(as_text=True)) == 0, "the colleague's notice is read too"
    assert unread_rows(head.get("/notifications?show=unread").get_data(as_text=True)) == []
    assert "新待办：受理审查" in head.get("/notifications").get_data(as_text=True), "read, not deleted"


def test_new_work_is_cleared_when_the_item_is_completed_and_the_next_step_is_new(staff_as, api):
    case_no = api_register(api)["case_no"]
    api_complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)  # completed unclaimed, over the API
    head = staff_as("center_head").get("/notifications?show=unread").get_data(as_text=True)
    assert unread_rows(head) == ["assignment"]
    assert "新待办：受理审查" not in head and "新待办" in head  # only the next step (the assessment) is new


def test_notifications_are_grouped_and_filtered_by_kind(staff_as, api, rt, clock):
    api_register(api)
    clock.advance(timedelta(days=3))
    timer_firing.fire_due(rt)  # the reminder, then the deadline: a supervision notice and a 督办件 for the head
    head = staff_as("center_head")
    page = head.get("/notifications").get_data(as_text=True)
    groups = re.findall(r'<section class="notice-group" data-kind="(\w+)">', page)
    assert groups[0] == "supervision" and {"supervision", "reminder", "assignment"} <= set(groups)
    kinds = re.findall(r'data-kind="(\w+)"', page.split('data-testid="notice-kinds"', 1)[1].split("</nav>", 1)[0])
    assert {"supervision", "reminder", "assignment"} <= set(kinds)

    reminders = head.get("/notifications?kind=reminder").get_data(as_text=True)
    assert set(re.findall(r'<tr class="note-(\w+)', reminders)) == {"reminder"}
    assert "受理审查临近期限" in reminders

    # "Mark these read" within a kind leaves the other kinds unread.
    assert head.post("/notifications/read", data={"kind": "reminder"}).status_code == 302
    unread = head.get("/notifications?show=unread").get_data(as_text=True)
    assert "reminder" not in unread_rows(unread) and "supervision" in unread_rows(unread)
    assert head.get("/notifications?kind=nonsense").status_code == 200  # an unknown kind shows every kind


def test_reminder_and_escalation_texts_read_in_english(staff_as, api, rt, clock):
    api_register(api)
    clock.advance(timedelta(days=3))
    timer_firing.fire_due(rt)
    head = staff_as("center_head", "en")
    page = head.get("/notifications").get_data(as_text=True)
    assert "“Acceptance review” is due soon" in page
    assert "“Acceptance review” is overdue: a supervision notice is issued" in page
    assert "临近期限" not in page and "发出督办件" not in page
    zh = staff_as("center_head").get("/notifications").get_data(as_text=True)
    assert "受理审查临近期限" in zh and "受理审查已超期，发出督办件" in zh
    clock.advance(timedelta(days=3))
    timer_firing.fire_due(rt)  # two working days past the deadline: escalated to the centre
    escalated = head.get("/notifications?kind=escalation").get_data(as_text=True)
    assert "“Acceptance review” is still not done after its deadline: escalated to centre supervision" in escalated
