"""The forms in Chromium: the phone and ID patterns really validate (HTML patterns compile with the `v`
flag), a new party row has the same role select, the lead department disappears from the cooperating
ones, and the server's banner links to the fields in error."""
from __future__ import annotations

import re

from tests.api.pipeline import ACCEPT, complete
from tests.api.pipeline import register as api_register


def invalid(page, selector: str) -> bool:
    return page.locator(selector).evaluate("el => el.matches(':invalid')")


def test_phone_and_id_numbers_are_checked_in_the_browser(desk):
    page = desk("center_clerk").open("/intake")
    phone, id_number = "#f-parties-0-phone", "#f-parties-0-id_number"
    for selector in (phone, id_number):  # a pattern the browser cannot compile would never check anything
        assert page.locator(selector).evaluate("el => { new RegExp(el.pattern, 'v'); return true; }")
    for value, wrong in (("12345", True), ("23800000000", True), ("13800000001", False),
                         ("010-66000000", False), ("0571-88886666", False), ("", False)):
        page.fill(phone, value)
        assert invalid(page, phone) is wrong, value
    page.fill(phone, "12345")
    page.locator(phone).evaluate("el => el.reportValidity()")
    assert "应为11位手机号" in page.locator(phone).evaluate("el => el.validationMessage")

    page.fill(id_number, "1101011985")
    assert invalid(page, id_number)
    page.fill(id_number, "110101198502030027")  # the right shape, the wrong check digit
    assert invalid(page, id_number)
    assert "校验位不正确" in page.locator(id_number).evaluate("el => el.validationMessage")
    page.fill(id_number, "110101198502030028")
    assert not invalid(page, id_number)


def test_an_added_party_row_has_the_role_select_with_chinese_labels(desk):
    page = desk("center_clerk").open("/intake")
    page.click("fieldset.rows button.add-row")
    role = page.locator("#f-parties-2-role")
    assert role.evaluate("el => el.tagName") == "SELECT"
    labels = role.locator("option").all_inner_texts()
    assert labels[1:] == ["申请人", "被申请人", "第三人"]
    role.select_option(label="被申请人")
    assert role.input_value() == "respondent"


def test_the_banner_links_to_each_field_the_server_refused(desk):
    page = desk("center_clerk").open("/intake")
    page.locator("#intake-form").evaluate("form => form.noValidate = true")  # let the server answer
    page.select_option("#f-dispute_type", "debt")
    page.fill("#f-description", "借款五万元到期未还。")
    page.fill("#f-parties-0-name", "王建国")
    page.fill("#f-parties-0-id_number", "110101198502030027")
    page.fill("#f-parties-1-name", "孙立")
    page.click("button[data-action=register]")
    banner = page.locator("#form-errors")
    assert banner.is_visible()
    texts = banner.locator("a").all_inner_texts()
    assert "纠纷概要：必填" in texts
    assert "当事人（第1行）身份证号：校验位不正确，请核对18位号码是否抄错" in texts
    banner.locator("a[href='#f-parties-0-id_number']").click()
    assert page.url.endswith("#f-parties-0-id_number")
    assert page.locator("#f-parties-0-id_number").input_value() == "110101198502030027"


def test_the_lead_department_is_not_offered_among_the_cooperating_ones(desk, app, staff):
    from tests.api.conftest import Api
    api = Api(app.test_client(), staff)
    case_no = api_register(api)["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)
    item = next(i for i in api.get(f"/cases/{case_no}", as_="supervisor").json["open_items"]
                if i["element_id"] == "assess_case")["id"]
    page = desk("center_clerk").open(f"/tasks/{item}")
    housing = page.locator("input[name=cooperating_departments][value=housing]")
    housing.check()
    page.select_option("#f-lead_department", "housing")
    assert housing.is_disabled() and not housing.is_checked() and not housing.is_visible()
    page.select_option("#f-lead_department", "people_mediation")
    assert housing.is_visible() and not housing.is_disabled()
    assert page.locator("input[name=cooperating_departments][value=people_mediation]").is_disabled()
    assert re.search(r"/tasks/\d+$", page.url)
