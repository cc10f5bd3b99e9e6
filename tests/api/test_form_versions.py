"""Forms are versioned with the definitions that use them: a running case keeps the form its task was
created with; cases started after a form is published get the new one."""
from __future__ import annotations

import json
from pathlib import Path

from .pipeline import complete, item, register

ROOT = Path(__file__).resolve().parents[2]
REVIEW = json.loads((ROOT / "forms" / "intake_review.json").read_text(encoding="utf-8"))


def reviewed_form() -> dict:
    schema = json.loads(json.dumps(REVIEW))
    schema["properties"]["review_notes"] = {"type": "string", "title": "审查笔记", "maxLength": 500}
    schema["required"] = [*schema.get("required", []), "review_notes"]
    return schema


def publish_form(api, schema: dict) -> dict:
    files = api.get("/drafts/dispute_resolution", as_="designer").json["files"]
    saved = api.put("/drafts/dispute_resolution", as_="designer",
                    json={"files": files, "forms": {"intake_review": schema}, "revision": 0})
    assert saved.status_code == 200, saved.json
    # a new required field breaks the shipped scenarios (their intake review leaves it out): only an
    # administrator publishes such a change, with the reason
    published = api.post("/drafts/dispute_resolution/publish", as_="admin",
                         json={"revision": saved.json["revision"], "note": "受理审查增加审查笔记",
                               "scenario_override_reason": "场景随后按新表单补充审查笔记"})
    assert published.status_code == 201, published.json
    return published.json


def form_of(api, case_no: str) -> dict:
    review = item(api, case_no, "review_acceptance", "center_clerk")
    return api.get(f"/work-items/{review['id']}", as_="center_clerk").json["form"]


def test_a_running_case_keeps_its_form_and_a_new_case_gets_the_published_one(api):
    before = register(api)["case_no"]
    publish_form(api, reviewed_form())
    after = register(api)["case_no"]
    assert "review_notes" not in form_of(api, before)["properties"]
    assert "review_notes" in form_of(api, after)["properties"]
    # each case's answers are checked against its own version of the form
    complete(api, before, "review_acceptance", "center_clerk", {"accepted": True})
    review = item(api, after, "review_acceptance", "center_clerk")
    refused = api.post(f"/work-items/{review['id']}/complete", as_="center_clerk", json={"data": {"accepted": True}})
    assert refused.status_code == 400 and "review_notes" in refused.json["fields"]
    complete(api, after, "review_acceptance", "center_clerk", {"accepted": True, "review_notes": "材料齐全"})


def test_publishing_an_unchanged_form_makes_no_new_form_version(api, rt):
    from sqlalchemy import func, select

    from engine.models import FormVersion
    publish_form(api, reviewed_form())
    files = api.get("/drafts/dispute_resolution", as_="designer").json["files"]
    saved = api.put("/drafts/dispute_resolution", as_="designer",
                    json={"files": files, "forms": {"intake_review": reviewed_form()}, "revision": 0}).json
    again = api.post("/drafts/dispute_resolution/publish", as_="admin",
                     json={"revision": saved["revision"], "note": "无改动",
                           "scenario_override_reason": "场景随后按新表单补充审查笔记"})
    assert again.status_code == 200 and again.json["version"] == 2  # nothing changed: no version 3
    with rt.unit_of_work(write=False) as session:
        assert session.scalar(select(func.count()).select_from(FormVersion)) == 1


def test_a_form_that_is_not_a_json_schema_is_refused_in_the_draft(api):
    files = api.get("/drafts/dispute_resolution", as_="designer").json["files"]
    bad = api.put("/drafts/dispute_resolution", as_="designer",
                  json={"files": files, "forms": {"intake_review": {"type": "object", "properties": {
                      "x": {"type": "no-such-type"}}}}, "revision": 0})
    assert bad.status_code == 400 and "forms.intake_review" in bad.json["fields"]
