"""The case file in a real browser: the stage stepper, diagrams opened where the case stands with the
supervision ladders hidden until asked, and a print preview with nothing but the file."""
from __future__ import annotations

from engine import work, work_items
from tests.api.pipeline import ACCEPT, assessment


def finish(rt, who, case_no: str, element: str, username: str, data: dict) -> None:
    me = who(username)
    items, _total = work_items.list_items(rt, me, limit=200)
    item = next(i for i in items if i.case_no == case_no and i.element_id == element)
    work.complete(rt, item.id, data, me)


def at_dispatch(rt, who, register) -> str:
    case = register()
    finish(rt, who, case.case_no, "review_acceptance", "center_clerk", ACCEPT)
    finish(rt, who, case.case_no, "assess_case", "center_clerk", assessment())
    return case.case_no


def visible(page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


def test_the_stepper_opens_each_stage_zoomed_to_where_the_case_stands_without_the_ladders(desk, rt, who,
                                                                                        register):
    case_no = at_dispatch(rt, who, register)
    clerk = desk("center_clerk")
    page = clerk.open(f"/cases/{case_no}")
    steps = page.locator("[data-testid=stage-stepper] li")
    assert steps.evaluate_all("els => els.map(e => e.dataset.state)") == [
        "done", "done", "current", "future", "future", "future"]
    assert "分流督办" in page.locator("[data-testid=stage-stepper] li[aria-current=step]").inner_text()

    # The current stage's diagram opens centred on the dispatch task at a readable scale, not fitted whole.
    referral = page.locator("div.case-diagram[data-process=referral]")
    page.wait_for_selector("div.case-diagram[data-process=referral][data-rendered=true]")
    assert float(referral.get_attribute("data-zoom")) >= 0.8
    box = referral.bounding_box()
    task = page.locator("div.case-diagram[data-process=referral] g[data-element-id=dispatch]").bounding_box()
    centre_x, centre_y = task["x"] + task["width"] / 2, task["y"] + task["height"] / 2
    assert abs(centre_x - (box["x"] + box["width"] / 2)) < box["width"] / 4
    assert abs(centre_y - (box["y"] + box["height"] / 2)) < box["height"] / 4

    # The supervision ladders are hidden by default and shown by the toggle.
    reminder = "div.case-diagram[data-process=referral] g[data-element-id=dispatch_reminder]"
    notice = "div.case-diagram[data-process=referral] g[data-element-id=dispatch_notice]"
    assert referral.get_attribute("data-ladders") == "hidden"
    assert not visible(page, reminder) and not visible(page, notice)
    assert visible(page, "div.case-diagram[data-process=referral] g[data-element-id=accept_dispatch]")
    clerk.screenshot("case-stepper")
    page.check("[data-testid=show-ladders]")
    assert referral.get_attribute("data-ladders") == "shown"
    assert visible(page, reminder) and visible(page, notice)
    page.uncheck("[data-testid=show-ladders]")
    assert not visible(page, reminder)

    # A done stage, closed at first, opens from the stepper.
    assert page.locator("details#diagram-intake").get_attribute("open") is None
    page.click("[data-testid=stage-stepper] a[data-open-diagram=intake]")
    page.wait_for_selector("div.case-diagram[data-process=intake][data-rendered=true]")
    assert page.locator("details#diagram-intake").get_attribute("open") is not None
    assert float(page.locator("div.case-diagram[data-process=intake]").get_attribute("data-zoom")) >= 0.8
    assert not visible(page, "div.case-diagram[data-process=intake] g[data-element-id=review_acceptance_notice]")


def test_the_case_file_prints_without_navigation_buttons_or_upload_forms(desk, rt, who, register):
    case_no = at_dispatch(rt, who, register)
    clerk = desk("center_clerk")
    page = clerk.open(f"/cases/{case_no}")
    assert visible(page, "header.topbar") and visible(page, "#evidence form")
    page.emulate_media(media="print")
    assert not visible(page, "header.topbar")
    assert not visible(page, "[data-testid=stage-stepper]") and not visible(page, ".section-nav")
    controls = page.locator("button, [role=button], form, input[type=file]")
    shown = [controls.nth(i).evaluate("e => e.outerHTML.slice(0, 80)") for i in range(controls.count())
             if controls.nth(i).is_visible()]
    assert shown == []
    assert visible(page, "[data-testid=essentials]") and visible(page, "[data-testid=decisions]")
    assert "联席研判" in page.locator("[data-testid=decisions]").inner_text()
    colours = page.evaluate("() => [getComputedStyle(document.body).color,"
                            " getComputedStyle(document.body).backgroundColor]")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    breaks = page.locator("#decisions").evaluate("e => getComputedStyle(e).breakBefore")
    assert breaks == "page"
    clerk.screenshot("case-print")
