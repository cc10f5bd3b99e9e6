"""Smaller things a clerk notices in the browser: required fields stop a form before it is sent,
the window warns about a party's open case, and the language switch changes the whole page."""
from __future__ import annotations

import re


def test_the_browser_refuses_a_registration_without_its_required_fields(desk, rt):
    page = desk("center_clerk").open("/intake")
    page.click("button[data-action=register]")
    assert page.url.endswith("/intake")
    assert page.locator("#f-title").evaluate("el => el.validity.valueMissing") is True


def test_the_window_warns_when_a_party_already_has_an_open_case(desk, register):
    earlier = register()
    page = desk("center_clerk").open("/intake")
    page.select_option("#f-dispute_type", "debt")
    page.fill("#f-title", "借款未还")
    page.fill("#f-description", "借款五万元到期未还。")
    page.fill("#f-parties-0-name", "王建国")
    page.fill("#f-parties-0-id_number", "110101198001060018")
    page.fill("#f-parties-1-name", "孙立")
    page.click("button[data-action=register]")
    warning = page.locator(".duplicate-warning")
    assert warning.is_visible() and earlier.case_no in warning.inner_text()
    assert page.locator("#f-title").input_value() == "借款未还"
    page.check("input[name=confirm_duplicate]")
    page.click("button[data-action=register]")
    page.wait_for_url(re.compile(r".*/cases/\d{4}-\d{6}$"))
    assert not page.url.endswith(earlier.case_no)


def test_the_language_switch_turns_the_inbox_into_english_and_back(desk, register):
    register()
    window = desk("center_clerk")
    page = window.open("/inbox")
    assert page.locator("h1").inner_text().startswith("待办事项")
    page.click("[data-testid=language-en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Inbox")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Acceptance review" in page.locator("#inbox-list").inner_text()
    page.click("[data-testid=language-zh]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("待办事项")
