"""The court's clerk, in a browser, records that the court accepted the application and confirmed the agreement."""
from __future__ import annotations

import re

from tests.api.conftest import Api
from tests.api.pipeline import accept_and_assess, agreement, complete, register, report, through_referral


def open_task(page, case_no: str, title: str):
    """From the inbox, open the case's task (court items need no claim before they are done)."""
    page.locator(f"tr[data-case-no='{case_no}']").filter(has_text=title).locator("a.task-link").click()
    page.wait_for_url(re.compile(r".*/tasks/\d+$"))


def complete_page(page):
    page.click("button[data-action=complete]")
    page.wait_for_url(re.compile(r".*/inbox.*"))


def test_the_court_clerk_records_acceptance_and_the_ruling(desk, app, staff):
    api = Api(app.test_client(), staff)
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no, cooperating=())
    through_referral(api, case_no, cooperating=())
    complete(api, case_no, "resolve", "people_mediation_clerk", report())
    complete(api, case_no, "sign_agreement", "people_mediation_clerk", agreement(apply=True))
    complete(api, case_no, "submit_confirmation", "people_mediation_clerk",
             {"applied_on": "2026-03-02", "court_name": "县人民法院", "applicants": "王建国、李秀英"})

    court = desk("court_clerk")
    page = court.page
    assert "等待法院裁定" in page.locator(f"tr[data-case-no='{case_no}']").inner_text()
    open_task(page, case_no, "司法确认受理审查")
    page.check("input[name=court_acceptance][value=accepted]")
    page.fill("#f-court_decided_on", "2026-03-03")
    page.fill("#f-court_case_no", "（2026）0102民特12号")
    complete_page(page)

    open_task(page, case_no, "司法确认裁定")
    page.check("input[name=court_ruling][value=confirmed]")
    page.fill("#f-ruling_no", "（2026）0102民特12号")
    page.fill("#f-ruled_on", "2026-03-12")
    court.screenshot("court-ruling")
    complete_page(page)
    assert re.search("督促执行", page.locator(".flash-success, .flash-info").first.inner_text())
    assert api.get(f"/cases/{case_no}", as_="supervisor").json["stage"] == "enforcement_followup"
