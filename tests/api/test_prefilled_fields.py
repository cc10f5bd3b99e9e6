"""A field the form was prefilled with keeps its value when the submission leaves it out."""
from __future__ import annotations

from .pipeline import ACCEPT, assessment, case, complete, item, register


def _assessing(api) -> tuple[str, dict, dict]:
    case_no = register(api)["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)
    target = item(api, case_no, "assess_case", "center_clerk")
    initial = api.get(f"/work-items/{target['id']}", as_="center_clerk").json["initial"]
    return case_no, target, initial


def test_the_graded_risk_reason_is_kept_when_the_completion_leaves_it_out(api):
    case_no, target, initial = _assessing(api)
    assert initial["risk_reason"]  # the grading's reason, prefilled
    sent = {k: v for k, v in assessment().items() if k != "risk_reason"}
    done = api.post(f"/work-items/{target['id']}/complete", as_="center_clerk", json={"data": sent})
    assert done.status_code == 200, done.json
    after = case(api, case_no)
    assert after["risk_reason"] == initial["risk_reason"]
    completed = [h for h in after["history"] if h["kind"] == "task_completed" and h["data"].get("risk")]
    assert completed[-1]["data"]["risk_reason"] == initial["risk_reason"]


def test_a_prefilled_required_field_left_out_is_kept_and_a_value_sent_replaces_it(api):
    case_no, target, initial = _assessing(api)
    assert initial["risk"] == "blue"
    sent = {k: v for k, v in assessment().items() if k not in ("risk",)}
    sent["risk_reason"] = "研判后改写的理由"
    done = api.post(f"/work-items/{target['id']}/complete", as_="center_clerk", json={"data": sent})
    assert done.status_code == 200, done.json
    after = case(api, case_no)
    assert after["risk"] == "blue" and after["risk_reason"] == "研判后改写的理由"


def test_a_field_nothing_prefilled_is_still_required(api):
    _, target, initial = _assessing(api)
    assert "handling_level" not in initial
    sent = {k: v for k, v in assessment().items() if k != "handling_level"}
    refused = api.post(f"/work-items/{target['id']}/complete", as_="center_clerk", json={"data": sent})
    assert refused.status_code == 400 and "handling_level" in refused.json["fields"]
