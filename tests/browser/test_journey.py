"""A dispute's first day in the browser: registered at the window, graded and dispatched by the centre,
claimed and accepted by a department, then seen in the case file with its diagram and timeline."""
from __future__ import annotations

import re

from tests.browser.conftest import SCREENSHOTS


def open_task(page, case_no: str, title: str):
    """From the inbox, claim the case's task if nobody has, then open its form."""
    row = page.locator(f"tr[data-case-no='{case_no}']").filter(has_text=title)
    claim = row.locator("button[data-action=claim]")
    if claim.count():
        claim.click()
        page.wait_for_load_state()
        page.locator("nav.tabs a[data-scope=mine]").click()
        page.wait_for_url(re.compile(r".*scope=mine.*"))
        row = page.locator(f"tr[data-case-no='{case_no}']").filter(has_text=title)
    row.locator("a.task-link").click()
    page.wait_for_url(re.compile(r".*/tasks/\d+$"))
    return page


def complete(page):
    page.click("button[data-action=complete]")
    page.wait_for_url(re.compile(r".*/inbox.*"))
    assert page.locator(".flash-success, .flash-info").first.is_visible()


def test_a_dispute_goes_from_the_window_to_the_department_and_shows_in_the_case_file(desk):
    # The clerk at the intake window registers a walk-in dispute.
    window = desk("center_clerk")
    page = window.open("/intake")
    page.select_option("#f-channel", "walk_in")
    page.select_option("#f-dispute_type", "neighbour")
    page.fill("#f-title", "楼上漏水致楼下受损")
    page.fill("#f-description", "楼上住户水管破裂，楼下天花板受损，双方就赔偿协商未果。")
    page.fill("#f-place", "城关镇幸福小区3栋")
    page.fill("#f-amount", "8000")
    page.fill("#f-parties-0-name", "王建国")
    assert page.locator("#f-parties-0-role").input_value() == "applicant"
    page.fill("#f-parties-1-name", "李秀英")
    assert page.locator("#f-parties-1-role").input_value() == "respondent"
    page.click("button[data-action=register]")
    page.wait_for_url(re.compile(r".*/cases/\d{4}-\d{6}$"))
    case_no = page.url.rsplit("/", 1)[1]

    # The centre reviews acceptance and grades the case in the joint assessment.
    page = window.open("/inbox")
    open_task(page, case_no, "受理审查")
    page.check("input[name=accepted][value=true]")
    complete(page)
    open_task(page, case_no, "联席研判")
    page.check("input[name=risk][value=yellow]")
    page.fill("#f-risk_reason", "涉及邻里长期矛盾，有激化可能")
    page.check("input[name=handling_level][value=township]")
    page.select_option("#f-lead_department", "housing")
    complete(page)

    # The centre's head dispatches to the housing bureau the assessment chose, with instructions.
    head = desk("center_head")
    page = head.open("/inbox")
    open_task(page, case_no, "派单")
    assert page.locator("[data-field=lead_department] .readonly-value").inner_text() == "住建局"
    assert page.locator("select[name=lead_department]").count() == 0
    page.fill("#f-instructions", "请于1个工作日内接单并联系双方")
    complete(page)

    # A clerk of the housing bureau sees it, claims it and accepts the dispatch.
    housing = desk("housing_clerk")
    page = housing.open("/inbox?scope=unclaimed")
    row = page.locator(f"tr[data-case-no='{case_no}']")
    assert row.count() == 1 and "接单" in row.inner_text() and "黄色" in row.inner_text()
    housing.screenshot("inbox")
    open_task(page, case_no, "接单")
    page.check("input[name=decision][value=accept]")
    page.fill("#f-contact_person", "赵调解")
    page.fill("#f-contact_phone", "13900000000")
    housing.screenshot("task")
    complete(page)
    assert page.locator(f"tr[data-case-no='{case_no}']").filter(has_text="联动化解").count() == 1

    # The case file: the referral diagram shows the dispatch done, the resolution diagram the current task.
    page = housing.open(f"/cases/{case_no}")
    referral = page.locator("details[data-process=referral]")
    if not referral.get_attribute("open"):
        referral.locator("summary").click()
    for process in ("referral", "coordinated_resolution"):
        page.wait_for_selector(f"div.case-diagram[data-process={process}][data-rendered=true]")
    done = page.locator("div.case-diagram[data-process=referral] g.djs-element.yz-completed")
    done_ids = set(done.evaluate_all("els => els.map(e => e.getAttribute('data-element-id'))"))
    assert {"dispatch", "accept_dispatch"} <= done_ids
    current = page.locator("div.case-diagram[data-process=coordinated_resolution] g.djs-element.yz-current")
    assert current.evaluate_all("els => els.map(e => e.getAttribute('data-element-id'))") == ["resolve"]
    timeline = page.locator("#timeline").inner_text()
    for step in ("受理审查", "联席研判", "派单", "接单"):
        assert step in timeline
    page.locator("#diagram").scroll_into_view_if_needed()
    housing.screenshot("case-file")
    assert {p.name for p in SCREENSHOTS.glob("*.png")} >= {"inbox.png", "task.png", "case-file.png"}
