"""The task forms: every form the diagrams name exists, speaks Chinese, and the server's checks hold."""
from __future__ import annotations

import pytest

from forms import FormRegistry, UnknownForm

FORM_KEYS = {"intake_registration", "intake_review", "joint_assessment", "dispatch", "redispatch",
             "accept_dispatch", "resolution_report", "cooperation_report", "stabilisation", "onward_referral",
             "agreement",
             "confirmation_application", "follow_up_visit", "enforcement_application", "litigation_advice"}


@pytest.fixture(scope="module")
def forms() -> FormRegistry:
    return FormRegistry()


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_form_the_pipeline_needs_exists(forms):
    assert FORM_KEYS <= set(forms.keys())


def test_every_field_has_a_chinese_title(forms):
    for key in forms.keys():
        schema = forms.get(key)
        assert has_chinese(schema["title"]), key
        for name, field in schema["properties"].items():
            assert has_chinese(field["title"]), f"{key}.{name}"


def test_a_complete_intake_is_valid(forms):
    intake = {"channel": "walk_in", "dispute_type": "neighbour", "title": "漏水", "description": "楼上漏水",
              "parties": [{"name": "王建国", "id_number": "11010119791231001X", "role": "applicant"}]}
    assert forms.validate("intake_registration", intake) == {}


def test_a_bad_id_number_and_missing_fields_are_reported_by_field(forms):
    errors = forms.validate("intake_registration", {"parties": [{"name": "王", "id_number": "123",
                                                                  "role": "applicant"}]})
    assert "parties.0.id_number" in errors
    assert {"channel", "dispute_type", "title", "description"} <= set(errors)
    assert errors["channel"] == ["来源渠道：必填"]
    assert errors["parties.0.id_number"] == [
        "当事人（第1行）身份证号：应为18位居民身份证号码（前17位为数字，末位为数字或X）"]


def party(**fields) -> dict:
    return {"channel": "walk_in", "dispute_type": "neighbour", "title": "漏水", "description": "楼上漏水",
            "parties": [{"name": "王建国", "role": "applicant"}, {"name": "李秀英", "role": "respondent", **fields}]}


def test_an_id_number_with_a_wrong_check_digit_is_refused_naming_the_party_field(forms):
    assert forms.validate("intake_registration", party(id_number="110101198502030028")) == {}
    assert forms.validate("intake_registration", party(id_number="11010119791231001x")) == {}
    errors = forms.validate("intake_registration", party(id_number="110101198502030027"))
    assert errors == {"parties.1.id_number": ["当事人（第2行）身份证号：校验位不正确，请核对18位号码是否抄错"]}
    no_date = forms.validate("intake_registration", party(id_number="110101198502300021"))
    assert no_date["parties.1.id_number"] == ["当事人（第2行）身份证号：出生日期（第7至14位）不是有效日期"]


def test_phone_numbers_are_mobile_or_landline_with_area_code(forms):
    for good in ("13800000002", "010-66000000", "0571-88886666", "02166000000", "010-66000000-123"):
        assert forms.validate("intake_registration", party(phone=good)) == {}, good
    for bad in ("12345", "1380000000", "23800000000", "66000000", "138-0000-0002"):
        assert forms.validate("intake_registration", party(phone=bad)) == {
            "parties.1.phone": ["当事人（第2行）联系电话：应为11位手机号或带区号的固定电话（如 010-66000000）"]}, bad


def test_every_party_role_is_a_choice_with_a_chinese_label(forms):
    role = forms.get("intake_registration")["properties"]["parties"]["items"]["properties"]["role"]
    assert role["x-enum-labels"] == {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人"}
    assert forms.validate("intake_registration", party(role="被申请人"))["parties.1.role"] == [
        "当事人（第2行）身份：不在可选范围内"]


def test_intake_review_needs_an_explicit_choice(forms):
    assert forms.validate("intake_review", {}) == {"accepted": ["是否受理：请选择受理或不予受理"]}
    assert forms.validate("intake_review", {"remarks": "材料齐全"}) == {"accepted": ["是否受理：请选择受理或不予受理"]}
    assert forms.validate("intake_review", {"accepted": True}) == {}


def test_not_accepting_without_a_reason_or_channel_is_refused(forms):
    errors = forms.validate("intake_review", {"accepted": False})
    assert errors == {"not_accepted_reason": ["不予受理理由：必填"], "advised_channel": ["告知渠道：必填"]}
    assert forms.validate("intake_review", {"accepted": True}) == {}


def test_the_lead_department_cannot_also_cooperate(forms):
    for key in ("joint_assessment", "redispatch"):
        data = {"risk": "blue", "handling_level": "township", "lead_department": "housing",
                "cooperating_departments": ["people_mediation", "housing"], "instructions": "x"}
        data = {k: v for k, v in data.items() if k in forms.get(key)["properties"]}
        assert forms.validate(key, data) == {
            "cooperating_departments": ["配合部门：牵头部门不能同时作为配合部门"]}, key
        data["cooperating_departments"] = ["people_mediation"]
        assert forms.validate(key, data) == {}, key


def test_the_dispatch_shows_the_departments_but_asks_only_for_instructions(forms):
    dispatch = forms.get("dispatch")["properties"]
    assert dispatch["lead_department"]["readOnly"] and dispatch["cooperating_departments"]["readOnly"]
    assert forms.validate("dispatch", {"lead_department": "housing", "instructions": "x"}) == {
        "lead_department": ["牵头部门：已在联席研判中确定，派单时不能修改"]}
    assert forms.validate("dispatch", {"instructions": "请于1个工作日内接单"}) == {}


def test_an_assessment_without_cooperating_departments_has_none(forms):
    data = {"risk": "blue", "handling_level": "township", "lead_department": "housing"}
    assert forms.with_defaults("joint_assessment", data)["cooperating_departments"] == []


def test_returning_a_dispatch_needs_a_reason(forms):
    assert "return_reason" in forms.validate("accept_dispatch", {"decision": "return"})
    assert forms.validate("accept_dispatch", {"decision": "return", "return_reason": "非本部门职责"}) == {}


def test_unknown_fields_departments_and_bad_dates_are_refused(forms):
    errors = forms.validate("agreement", {"agreement_no": "1", "terms": "t", "signed_on": "2026-13-40",
                                          "apply_judicial_confirmation": False, "hack": 1})
    assert "signed_on" in errors and "hack" in errors
    assert "lead_department" in forms.validate("redispatch", {"lead_department": "mars"})


def test_initial_values_prefill_only_the_forms_own_fields(forms):
    assert forms.initial_values("joint_assessment", {"risk": "red", "case_no": "2026-000001"}) == {"risk": "red"}


def test_an_unknown_form_is_a_clear_error(forms):
    with pytest.raises(UnknownForm):
        forms.get("no_such_form")
