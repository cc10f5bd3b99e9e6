"""The court's clerk records the ruling on judicial confirmation through the pages."""
from __future__ import annotations

import re

from tests.api.pipeline import accept_and_assess, agreement, complete, register, report, through_referral


def _waiting_for_the_court(api) -> str:
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no, cooperating=())
    through_referral(api, case_no, cooperating=())
    complete(api, case_no, "resolve", "people_mediation_clerk", report())
    complete(api, case_no, "sign_agreement", "people_mediation_clerk", agreement(apply=True))
    complete(api, case_no, "submit_confirmation", "people_mediation_clerk",
             {"applied_on": "2026-03-02", "court_name": "县人民法院", "applicants": "王建国、李秀英"})
    return case_no


def _item_id(html: str, case_no: str) -> int:
    found = re.search(rf'data-item-id="(\d+)" data-case-no="{case_no}"', html)
    assert found, "the case is not in the inbox"
    return int(found.group(1))


def test_court_staff_find_the_application_in_their_inbox_and_record_acceptance_and_ruling(staff_as, api):
    case_no = _waiting_for_the_court(api)
    clerk = staff_as("court_clerk")
    inbox = clerk.get("/inbox").get_data(as_text=True)
    assert case_no in inbox and "司法确认受理审查" in inbox and "等待法院裁定" in inbox
    item = _item_id(inbox, case_no)
    page = clerk.get(f"/tasks/{item}").get_data(as_text=True)
    assert "受理" in page and "不予受理" in page and "不予受理理由" in page
    done = clerk.post(f"/tasks/{item}", data={"action": "complete", "court_acceptance": "accepted",
                                              "court_decided_on": "2026-03-03",
                                              "court_case_no": "（2026）0102民特12号"})
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]

    inbox = clerk.get("/inbox").get_data(as_text=True)
    assert "司法确认裁定" in inbox
    ruling = _item_id(inbox, case_no)
    page = clerk.get(f"/tasks/{ruling}").get_data(as_text=True)
    assert "裁定书文号" in page and "延长审查期限" in page and "批准延长的院长" in page
    done = clerk.post(f"/tasks/{ruling}", data={"action": "complete", "court_ruling": "confirmed",
                                                "ruling_no": "（2026）0102民特12号", "ruled_on": "2026-03-12"})
    assert done.status_code == 302
    inbox = clerk.get("/inbox").get_data(as_text=True)
    assert f'data-case-no="{case_no}"' not in inbox and "督促执行" in inbox  # the flash names the next stage
    file = api.get(f"/cases/{case_no}", as_="supervisor").json
    assert file["stage"] == "enforcement_followup"


def test_the_case_file_shows_the_case_waiting_for_the_court(staff_as, api):
    case_no = _waiting_for_the_court(api)
    page = staff_as("people_mediation_clerk").get(f"/cases/{case_no}").get_data(as_text=True)
    assert re.search(r'data-testid="stage">等待法院裁定<', page)
    english = staff_as("court_clerk", language="en").get("/inbox").get_data(as_text=True)
    assert "Awaiting the court&#39;s ruling" in english or "Awaiting the court's ruling" in english


def test_a_court_item_withdrawn_by_the_courts_message_shows_as_withdrawn_in_the_case_file(staff_as, api):
    case_no = _waiting_for_the_court(api)
    sent = api.post(f"/cases/{case_no}/messages", as_="court_clerk",
                    json={"message": "judicial_decision",
                          "payload": {"confirmed": True, "ruling_no": "（2026）确字第8号"}})
    assert sent.status_code == 200
    page = staff_as("court_clerk").get(f"/cases/{case_no}").get_data(as_text=True)
    row = re.search(r'<tr class="item-cancelled"[^>]*>(.*?)</tr>', page, re.S)
    assert row and "司法确认受理审查" in row.group(1) and "已撤销" in row.group(1)
