"""The task forms: every form the diagrams name exists, speaks Chinese, and the server's checks hold."""
from __future__ import annotations

import pytest

from forms import FormRegistry, UnknownForm

FORM_KEYS = {"intake_registration", "intake_review", "joint_assessment", "dispatch", "redispatch",
             "accept_dispatch", "resolution_report", "stabilisation", "onward_referral", "agreement",
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
              "parties": [{"name": "王建国", "id_number": "11010119800101001X", "role": "applicant"}]}
    assert forms.validate("intake_registration", intake) == {}


def test_a_bad_id_number_and_missing_fields_are_reported_by_field(forms):
    errors = forms.validate("intake_registration", {"parties": [{"name": "王", "id_number": "123",
                                                                  "role": "applicant"}]})
    assert "parties.0.id_number" in errors
    assert {"channel", "dispute_type", "title", "description"} <= set(errors)
    assert errors["channel"] == ["必填"]


def test_not_accepting_without_a_reason_or_channel_is_refused(forms):
    errors = forms.validate("intake_review", {"accepted": False})
    assert set(errors) == {"not_accepted_reason", "advised_channel"}
    assert forms.validate("intake_review", {"accepted": True}) == {}


def test_returning_a_dispatch_needs_a_reason(forms):
    assert "return_reason" in forms.validate("accept_dispatch", {"decision": "return"})
    assert forms.validate("accept_dispatch", {"decision": "return", "return_reason": "非本部门职责"}) == {}


def test_unknown_fields_departments_and_bad_dates_are_refused(forms):
    errors = forms.validate("agreement", {"agreement_no": "1", "terms": "t", "signed_on": "2026-13-40",
                                          "apply_judicial_confirmation": False, "hack": 1})
    assert "signed_on" in errors and "hack" in errors
    assert "lead_department" in forms.validate("dispatch", {"lead_department": "mars"})


def test_initial_values_prefill_only_the_forms_own_fields(forms):
    assert forms.initial_values("joint_assessment", {"risk": "red", "case_no": "2026-000001"}) == {"risk": "red"}


def test_an_unknown_form_is_a_clear_error(forms):
    with pytest.raises(UnknownForm):
        forms.get("no_such_form")
