"""One dispute from the window to the court's ruling, every step done in the browser by the person whose work it is:
the centre registers, accepts and assesses it, the head dispatches it, the lead and the cooperating department
accept and report, the lead signs the agreement and applies to the court, the court rules; at each step the next
person sees what the last one decided, and at the end the case file holds every decision, prints clean and the
inbox fits a phone."""
from __future__ import annotations

import re

from tests.api.pipeline import INTAKE
from tests.browser.conftest import SCREENSHOTS

DEADLINE = re.compile(r"截止 \d+月\d+日（周.）18:00")
PHONE = {"width": 390, "height": 844}

ACCEPTANCE_REMARKS = "属于邻里纠纷，予以受理"
ASSESSMENT_NOTES = "由人民调解委员会牵头，司法所派员配合提供法律意见"
INSTRUCTIONS = "请于1个工作日内接单，3日内约双方当面调解"
MEDIATION_SUMMARY = "双方在调解室当面协商，楼上住户同意赔偿修缮费用"
OUTCOME_SUMMARY = "双方就赔偿数额达成一致"
COOPERATION_WORK = "司法所派员参与调解，释明相邻关系法律规定"
COOPERATION_OPINION = "建议双方各让一步"
AGREEMENT_NO = "调字〔2026〕第15号"
AGREEMENT_TERMS = "楼上住户赔偿修缮费用6000元，分两期支付"
COURT_CASE_NO = "（2026）0102民特12号"
RULING_NO = "（2026）0102民特12号之一"


def inbox_row(page, case_no: str, title: str):
    return page.locator(f"tr[data-case-no='{case_no}']").filter(has_text=title)


def open_task(page, case_no: str, title: str):
    """From the inbox, claim the case's task if nobody has, then open its form."""
    row = inbox_row(page, case_no, title)
    claim = row.locator("button[data-action=claim]")
    if claim.count():
        claim.click()
        page.wait_for_load_state()
        page.locator("nav.tabs a[data-scope=mine]").click()
        page.wait_for_url(re.compile(r".*scope=mine.*"))
        row = inbox_row(page, case_no, title)
    row.locator("a.task-link").click()
    page.wait_for_url(re.compile(r".*/tasks/\d+$"))
    return page


def complete(page):
    """Press 完成 and land back in the inbox with the confirmation."""
    page.click("button[data-action=complete]")
    page.wait_for_url(re.compile(r".*/inbox.*"))
    assert page.locator(".flash-success, .flash-info").first.is_visible()


def accept_dispatch(page, contact_person: str, contact_phone: str):
    """A department's clerk takes the case on, naming who handles it."""
    page.check("input[name=decision][value=accept]")
    page.fill("#f-contact_person", contact_person)
    page.fill("#f-contact_phone", contact_phone)
    complete(page)


def register_walk_in(page) -> str:
    """The window's intake form, filled as the clerk would: the dispute, then both parties with ID and phone."""
    page.select_option("#f-channel", INTAKE["channel"])
    page.select_option("#f-dispute_type", INTAKE["dispute_type"])
    page.fill("#f-title", INTAKE["title"])
    page.fill("#f-description", INTAKE["description"])
    page.fill("#f-place", INTAKE["place"])
    page.fill("#f-amount", str(INTAKE["amount"]))
    for n, party in enumerate(INTAKE["parties"]):
        page.fill(f"#f-parties-{n}-name", party["name"])
        page.fill(f"#f-parties-{n}-id_number", party["id_number"])
        page.fill(f"#f-parties-{n}-phone", party["phone"])
        role = page.locator(f"#f-parties-{n}-role")
        role.select_option(party["role"])
        label = role.evaluate("el => el.options[el.selectedIndex].text")
        assert label == {"applicant": "申请人", "respondent": "被申请人"}[party["role"]]
    page.click("button[data-action=register]")
    page.wait_for_url(re.compile(r".*/cases/\d{4}-\d{6}$"))
    return page.url.rsplit("/", 1)[1]


SHOTS = ("case-file-decisions", "court-ruling", "inbox-mobile", "case-print")


def test_one_dispute_through_every_stage_as_each_person_sees_it(desk):
    for name in SHOTS:  # other tests take some of these too: this one must take them afresh
        (SCREENSHOTS / f"{name}.png").unlink(missing_ok=True)

    # 1. The centre's clerk registers a walk-in dispute and sees its case file.
    centre = desk("center_clerk")
    page = centre.open("/intake")
    case_no = register_walk_in(page)
    assert INTAKE["parties"][0]["name"] in page.locator("#facts").inner_text()
    assert "受理审查" in page.locator("#items").inner_text()

    # 2. The same clerk accepts the dispute explicitly, then grades it with the joint assessment.
    page = centre.open("/inbox")
    assert DEADLINE.search(inbox_row(page, case_no, "受理审查").inner_text())
    open_task(page, case_no, "受理审查")
    assert DEADLINE.search(page.locator("main").inner_text())
    assert page.locator("input[name=accepted]:checked").count() == 0  # no answer is chosen for the clerk
    page.check("input[name=accepted][value=true]")
    page.fill("#f-remarks", ACCEPTANCE_REMARKS)
    complete(page)
    open_task(page, case_no, "联席研判")
    assert DEADLINE.search(page.locator("main").inner_text())
    page.check("input[name=risk][value=yellow]")
    page.fill("#f-risk_reason", "涉及邻里长期矛盾，有激化可能")
    page.check("input[name=handling_level][value=township]")
    page.select_option("#f-lead_department", "people_mediation")
    page.check("input[name=cooperating_departments][value=justice_office]")
    page.fill("#f-assessment_notes", ASSESSMENT_NOTES)
    complete(page)

    # 3. The centre's head dispatches with instructions; each department's clerk accepts.
    head = desk("center_head")
    page = head.open("/inbox")
    assert DEADLINE.search(inbox_row(page, case_no, "派单").inner_text())
    open_task(page, case_no, "派单")
    # The departments were decided by the assessment: the head sees them, not asked again.
    assert page.locator("[data-field=lead_department] .readonly-value").inner_text() == "人民调解委员会"
    page.fill("#f-instructions", INSTRUCTIONS)
    complete(page)

    mediation = desk("people_mediation_clerk")
    page = mediation.open("/inbox?scope=unclaimed")
    assert DEADLINE.search(inbox_row(page, case_no, "接单").inner_text())
    open_task(page, case_no, "接单")
    assert INSTRUCTIONS in page.locator("main").inner_text()
    assert "派单要求" in page.locator("main").inner_text()
    accept_dispatch(page, "赵调解", "13900000001")

    justice = desk("justice_office_clerk")
    page = justice.open("/inbox?scope=unclaimed")
    open_task(page, case_no, "接单")
    assert INSTRUCTIONS in page.locator("main").inner_text()
    accept_dispatch(page, "钱司法", "13900000002")

    # 4. The cooperating justice office reports its own part; the lead sees it and reports the outcome.
    page = justice.open("/inbox")
    open_task(page, case_no, "配合化解")
    assert page.locator("input[name=outcome]").count() == 0  # the outcome is the lead's to report
    page.fill("#f-work_done", COOPERATION_WORK)
    page.fill("#f-opinion", COOPERATION_OPINION)
    complete(page)

    page = mediation.open("/inbox")
    open_task(page, case_no, "联动化解")
    assert COOPERATION_WORK in page.locator("main").inner_text()
    page.fill("#f-sessions-0-date", "2026-03-05")
    page.fill("#f-sessions-0-place", "调解室")
    page.fill("#f-sessions-0-summary", MEDIATION_SUMMARY)
    page.check("input[name=outcome][value=resolved]")
    page.fill("#f-summary", OUTCOME_SUMMARY)
    complete(page)

    # 5. The lead signs the agreement, applying for judicial confirmation, and submits the application.
    open_task(page, case_no, "签订调解协议")
    page.fill("#f-agreement_no", AGREEMENT_NO)
    page.fill("#f-terms", AGREEMENT_TERMS)
    page.fill("#f-signed_on", "2026-03-10")
    page.fill("#f-performance_deadline", "2026-04-10")
    page.check("#f-apply_judicial_confirmation")
    complete(page)
    open_task(page, case_no, "提交司法确认申请")
    page.fill("#f-applied_on", "2026-03-11")
    page.fill("#f-court_name", "县人民法院")
    page.fill("#f-applicants", "王建国、李秀英")
    complete(page)
    page = mediation.open(f"/cases/{case_no}")
    assert "等待法院裁定" in page.locator("main").inner_text()

    # 6. The court's clerk records the acceptance, then the ruling confirming the agreement.
    court = desk("court_clerk")
    page = court.open("/inbox")
    open_task(page, case_no, "司法确认受理审查")
    assert AGREEMENT_TERMS in page.locator("main").inner_text()
    page.check("input[name=court_acceptance][value=accepted]")
    page.fill("#f-court_decided_on", "2026-03-12")
    page.fill("#f-court_case_no", COURT_CASE_NO)
    complete(page)
    open_task(page, case_no, "司法确认裁定")
    assert COURT_CASE_NO in page.locator("main").inner_text()
    page.check("input[name=court_ruling][value=confirmed]")
    page.fill("#f-ruling_no", RULING_NO)
    page.fill("#f-ruled_on", "2026-03-20")
    court.screenshot("court-ruling")
    complete(page)

    # 7. The case file holds every decision on the way, and its deadlines read with weekday and closing time.
    page = centre.open(f"/cases/{case_no}")
    expected = {  # each task's read-only record in 办理记录, with what its person decided
        "review_acceptance": ("是否受理", ACCEPTANCE_REMARKS),
        "assess_case": ("黄色", "人民调解委员会", "司法所", ASSESSMENT_NOTES),
        "dispatch": (INSTRUCTIONS,),
        "resolve": ("化解成功", MEDIATION_SUMMARY, OUTCOME_SUMMARY),
        "cooperate": (COOPERATION_WORK, COOPERATION_OPINION),
        "sign_agreement": (AGREEMENT_NO, AGREEMENT_TERMS),
        "submit_confirmation": ("2026-03-11", "县人民法院"),
        "court_acceptance": (COURT_CASE_NO,),
        "court_ruling": ("确认有效", RULING_NO),
    }
    decisions = page.locator("[data-testid=decisions]")
    for element, texts in expected.items():
        shown = decisions.locator(f"article.decision[data-element={element}]").first.inner_text()
        for text in texts:
            assert text in shown, (element, text)
    review = decisions.locator("article.decision[data-element=review_acceptance]")
    assert review.locator("dd[data-field=accepted]").inner_text() == "受理"  # as the clerk chose it
    essentials = page.locator("[data-testid=essentials]").inner_text()  # 办理要点: the gist of each stage
    for text in (ASSESSMENT_NOTES, INSTRUCTIONS, OUTCOME_SUMMARY, AGREEMENT_NO, "确认有效", RULING_NO):
        assert text in essentials, text
    assert re.search(r"\d+月\d+日（周.）18:00", page.locator("#items").inner_text())
    centre.screenshot("case-file-decisions")

    # 8. The print preview shows the file without navigation or buttons.
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not page.locator(".section-nav").is_visible()
    buttons = page.locator("button, [role=button], form")
    assert not any(buttons.nth(i).is_visible() for i in range(buttons.count()))
    assert page.locator("[data-testid=decisions]").is_visible()
    centre.screenshot("case-print")

    # At phone width, the lead's inbox still has the case's open item (the follow-up) as a card.
    phone = desk(None)
    phone.page.set_viewport_size(PHONE)
    phone.sign_in("people_mediation_clerk")
    page = phone.open("/inbox")
    card = inbox_row(page, case_no, "回访")
    assert DEADLINE.search(card.inner_text())
    assert card.evaluate("el => getComputedStyle(el).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot("inbox-mobile")

    for name in SHOTS:
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 0, name
