"""A phone-width screen and the keyboard: a compact header with its menu, the inbox as cards with the claim button
in reach, the skip link, search as you type."""
from __future__ import annotations

import re

PHONE = {"width": 390, "height": 844}


def _inside(box: dict, width: int, height: int) -> bool:
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height


def test_the_inbox_at_phone_width_is_a_list_of_cards_under_a_compact_header(desk, register):
    first = register(title="楼上漏水")
    window = desk(None)
    window.page.set_viewport_size(PHONE)
    window.sign_in("center_clerk")
    page = window.open("/inbox")

    header = page.locator("header.topbar").bounding_box()
    assert header["height"] <= 80, header  # one line: the name, the bell and the menu button
    assert page.locator(".mainnav").is_hidden() and page.locator("[data-testid=menu-toggle]").is_visible()

    card = page.locator(f"tr[data-case-no='{first.case_no}']")
    assert card.evaluate("el => getComputedStyle(el).display") == "block"
    claim = card.locator("button[data-action=claim]")
    assert _inside(claim.bounding_box(), PHONE["width"], PHONE["height"]), claim.bounding_box()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    window.screenshot("inbox-mobile")

    page.click("[data-testid=menu-toggle]")
    assert page.locator(".mainnav").is_visible()
    assert page.locator("[data-testid=menu-toggle]").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert page.locator(".mainnav").is_hidden()

    claim.click()
    page.wait_for_url(re.compile(r".*/inbox.*"))
    assert "已认领该事项" in page.locator(".flash").first.inner_text()


def test_the_skip_link_is_the_first_stop_of_the_keyboard_and_leads_to_the_content(desk):
    page = desk("center_clerk").open("/inbox")
    skip = page.locator("[data-testid=skip-link]")
    assert skip.inner_text() == "跳到主要内容"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "skip-link"
    assert skip.bounding_box()["y"] >= 0  # shown while it has the focus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_inbox_search_narrows_the_list_as_one_types(desk, register):
    from playwright.sync_api import expect
    leak = register(title="楼上漏水")
    wages = register(title="拖欠工资", parties=[{"name": "陈志强", "role": "applicant"},
                                            {"name": "宏达劳务公司", "role": "respondent"}])
    page = desk("center_clerk").open("/inbox")
    rows = page.locator("#inbox-list tbody tr")
    assert rows.count() == 2
    page.locator("#inbox-search").press_sequentially("陈志")
    expect(page.locator("#inbox-list tbody tr:not([hidden])")).to_have_count(1)
    assert page.locator("#inbox-list tbody tr:not([hidden])").get_attribute("data-case-no") == wages.case_no
    page.wait_for_url(re.compile(r".*q=.*"))  # and the server's answer over every page follows
    assert page.locator(f"tr[data-case-no='{leak.case_no}']").count() == 0
    page.locator("#inbox-search").fill("")
    page.locator("#inbox-search").dispatch_event("input")
    expect(page.locator("#inbox-list tbody tr:not([hidden])")).to_have_count(2)
