"""The case file's read side without HTTP: completed forms read-only, the essentials table, ID masking,
the supervision ladders and stage order read from the drawn diagrams."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.casefile.decisions import essential_fields, essentials_table
from engine.casefile.drawing import ladder_elements, processes, stage_order
from engine.casefile.parties import mask_id_number
from engine.casefile.readonly import CHOICE, CHOICES, LONG_TEXT, TABLE, TEXT, YES_NO, entries
from engine.models import Case
from engine.permissions import may_read_id_numbers
from engine.users import Actor
from forms import FormRegistry

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows" / "bpmn"


@pytest.fixture(scope="module")
def forms() -> FormRegistry:
    return FormRegistry()


@pytest.fixture(scope="module")
def drawn():
    return processes({p.name: p.read_text(encoding="utf-8") for p in WORKFLOWS.glob("*.bpmn")})


def test_a_completed_form_reads_with_labels_choice_labels_tables_and_yes_no(forms):
    shown = entries(forms.get("resolution_report"), {
        "outcome": "resolved", "summary": "双方达成一致", "obstacles": "",
        "sessions": [{"date": "2026-03-05", "summary": "当面协商"}, {"date": "2026-03-06", "summary": "再次协商"}]})
    assert [(e.label, e.kind) for e in shown] == [("调解记录", TABLE), ("化解结果", CHOICE), ("结果说明", LONG_TEXT)]
    table = shown[0].value
    assert table.columns == ["调解日期", "调解情况"]  # the empty place column is left out
    assert [[cell.value for cell in row] for row in table.rows] == [["2026-03-05", "当面协商"],
                                                                    ["2026-03-06", "再次协商"]]
    assert shown[1].value == "化解成功"
    review = entries(forms.get("intake_review"), {"accepted": False, "advised_channel": "labour_arbitration"})
    assert [(e.kind, e.value) for e in review] == [(CHOICE, "不予受理"), (CHOICE, "申请劳动仲裁")]  # its own words
    agreed = entries(forms.get("agreement"),
                     {"agreement_no": "调字〔2026〕第15号", "apply_judicial_confirmation": True})
    assert [(e.kind, e.value) for e in agreed] == [(TEXT, "调字〔2026〕第15号"), (YES_NO, True)]
    dispatch = entries(forms.get("dispatch"), {"lead_department": "housing", "cooperating_departments": ["police"]})
    assert [(e.kind, e.value) for e in dispatch] == [(CHOICE, "住建局"), (CHOICES, ["派出所"])]


def test_fields_the_form_does_not_have_are_not_shown(forms):
    assert entries(forms.get("accept_dispatch"), {"decision": "accept", "stale_field": "x"})[0].name == "decision"
    assert len(entries(forms.get("accept_dispatch"), {"decision": "accept", "stale_field": "x"})) == 1
    assert entries({}, {"anything": 1}) == [] and entries(forms.get("dispatch"), None) == []


def test_the_essentials_table_names_only_fields_its_forms_have(forms):
    for form_key, fields in essentials_table()["forms"].items():
        properties = forms.get(form_key)["properties"]
        assert any(f in properties for f in fields), form_key
    assert essential_fields("supervision_notice", forms.get("supervision_notice")) == \
        forms.get("supervision_notice")["required"]  # a form the table does not name shows its required fields


def test_an_id_number_is_masked_but_for_its_first_and_last_four():
    assert mask_id_number("330102198001011234") == "3301**********1234"
    assert mask_id_number(None) is None and mask_id_number("") == ""


@pytest.mark.parametrize(("role", "department", "lead", "full"), [
    ("clerk", "housing", "housing", True),
    ("head", "housing", "housing", True),
    ("clerk", "police", "housing", False),         # a cooperating department
    ("clerk", "center", "housing", False),         # the centre, once a lead department handles the case
    ("clerk", "center", None, True),               # the centre handles it until then
    ("supervisor", "center", None, False),
    ("admin", "center", "housing", False),
    ("designer", "center", None, False),
])
def test_only_the_handling_departments_staff_read_full_id_numbers(role, department, lead, full):
    actor = Actor(1, "someone", "某人", role, department)
    assert may_read_id_numbers(actor, Case(lead_department_id=lead)) is full


def test_the_stages_come_in_the_order_the_main_process_runs_them(drawn):
    assert [s.process_id for s in stage_order(drawn["dispute_resolution"])] == [
        "intake", "joint_assessment", "referral", "coordinated_resolution", "agreement_confirmation",
        "enforcement_followup"]


def test_a_ladder_is_its_timers_and_their_branches_never_the_cases_own_path(drawn):
    ladder = set(ladder_elements(drawn["referral"]))
    assert {"dispatch_reminder", "dispatch_overdue", "dispatch_supervise", "dispatch_notice",
            "dispatch_notice_withdrawn", "accept_dispatch_escalate"} <= ladder
    assert not {"dispatch", "accept_dispatch", "redispatch", "accept_dispatch_timeout", "mark_timeout"} & ladder
    assert ladder_elements(drawn["dispute_resolution"]) == []
