"""A 督办件 on the staff pages: the head finds it in the inbox with its number, sees what it supervises, replies."""
from __future__ import annotations

from datetime import timedelta

from engine import timer_firing
from tests.api.pipeline import item, open_elements, register

REPLY = {"notice_delay_reason": "当事人未到场", "notice_measures": "明日上门受理",
         "notice_promised_date": "2026-03-09", "notice_responsible_person": "窗口负责人"}


def test_the_head_replies_to_a_supervision_notice_from_the_inbox(api, rt, clock, staff_as):
    case_no = register(api)["case_no"]
    clock.advance(timedelta(days=3))
    timer_firing.fire_due(rt)
    notice = item(api, case_no, "review_acceptance_notice", "center_head")
    subject = item(api, case_no, "review_acceptance", "center_clerk")

    head = staff_as("center_head")
    inbox = head.get("/inbox").get_data(as_text=True)
    assert notice["notice_no"] in inbox

    page = head.get(f"/tasks/{notice['id']}").get_data(as_text=True)
    assert "督办件编号" in page and notice["notice_no"] in page
    assert f'href="/tasks/{subject["id"]}"' in page  # the late task, one click away
    assert "超期原因" in page and "整改措施" in page and "承诺办结日期" in page

    # An empty reply is refused with the fields named, and nothing is lost.
    refused = head.post(f"/tasks/{notice['id']}", data={"action": "complete"})
    assert refused.status_code == 400 and "必填" in refused.get_data(as_text=True)

    # The notice is the head's to answer, not a clerk's.
    clerk = staff_as("center_clerk")
    assert clerk.post(f"/tasks/{notice['id']}", data={"action": "complete", **REPLY}).status_code == 403

    done = head.post(f"/tasks/{notice['id']}", data={"action": "complete", **REPLY})
    assert done.status_code == 302
    assert open_elements(api, case_no) == {("center", "review_acceptance")}
