"""The studio over the API: drafts no case sees, saves that never overwrite a colleague's, publishing that
checks first and records what changed, the group mapping, and decision tables tried before cases meet them."""
from __future__ import annotations

from copy import deepcopy

import pytest

from engine.starting_data import starting_data

from .contract import check
from .pipeline import ACCEPT, INTAKE, case, complete, item, register

MAIN = "dispute_resolution"
STAGE = "coordinated_resolution.bpmn"


def draft(api, key: str = MAIN, as_: str = "designer") -> dict:
    response = api.get(f"/drafts/{key}", as_=as_)
    check(api, response, "/drafts/{key}", "get")
    assert response.status_code == 200, response.json
    return response.json


def save(api, body: dict, key: str = MAIN, as_: str = "designer"):
    response = api.put(f"/drafts/{key}", as_=as_, json=body)
    check(api, response, "/drafts/{key}", "put")
    return response


def renamed(files: dict, old: str, new: str) -> dict:
    changed = dict(files)
    changed[STAGE] = changed[STAGE].replace(f'name="{old}"', f'name="{new}"', 1)
    return changed


def test_the_draft_of_a_deployed_process_starts_from_its_newest_version_with_its_problems(api):
    opened = draft(api)
    assert opened["revision"] == 0 and opened["base_version"] == 1
    assert STAGE in opened["files"] and "risk_grading.dmn" in opened["files"]
    assert opened["problems"] and all(p["severity"] == "warning" for p in opened["problems"])
    assert {"element_id", "rule", "message", "file"} <= set(opened["problems"][0])


def test_a_save_based_on_an_old_revision_is_refused_and_loses_nothing(api):
    files = draft(api)["files"]
    first = save(api, {"files": renamed(files, "联动化解", "联动化解（一）"), "revision": 0})
    assert first.status_code == 200 and first.json["revision"] == 1
    second = save(api, {"files": renamed(files, "联动化解", "联动化解（二）"), "revision": 1})
    assert second.status_code == 200 and second.json["revision"] == 2
    stale = save(api, {"files": renamed(files, "联动化解", "联动化解（三）"), "revision": 1})
    assert stale.status_code == 409
    kept = draft(api)
    assert kept["revision"] == 2 and "联动化解（二）" in kept["files"][STAGE]


@pytest.mark.parametrize("files, field", [
    ({"../../etc/passwd.bpmn": "<a/>"}, "files.../../etc/passwd.bpmn"),
    ({"stage.bpmn": "not xml at all"}, None),
    ({}, "files"),
])
def test_a_bad_draft_is_refused_with_a_clear_error(api, files, field):
    response = save(api, {"files": files, "revision": 0})
    assert response.status_code == 400
    if field:
        assert field in response.json.get("fields", {})
    assert api.get(f"/drafts/{MAIN}", as_="designer").json["revision"] == 0


def test_clerks_and_supervisors_may_not_change_drafts(api):
    files = draft(api)["files"]
    assert save(api, {"files": files, "revision": 0}, as_="center_clerk").status_code == 403
    assert save(api, {"files": files, "revision": 0}, as_="supervisor").status_code == 403
    assert api.get(f"/drafts/{MAIN}", as_="center_clerk").status_code == 403


def test_publishing_records_who_when_a_note_and_what_changed_and_running_cases_keep_their_version(api):
    running = register(api)["case_no"]
    files = draft(api)["files"]
    saved = save(api, {"files": renamed(files, "联动化解", "联动化解（含法律审查）"), "revision": 0}).json
    no_note = api.post(f"/drafts/{MAIN}/publish", as_="designer", json={"revision": saved["revision"]})
    assert no_note.status_code == 400 and "note" in no_note.json["fields"]
    published = api.post(f"/drafts/{MAIN}/publish", as_="designer",
                         json={"revision": saved["revision"], "note": "联动化解任务改名"})
    check(api, published, "/drafts/{key}/publish", "post")
    assert published.status_code == 201, published.json
    assert published.json["version"] == 2 and published.json["deployed_by"] == "designer"
    assert published.json["note"] == "联动化解任务改名"
    assert [c["element_id"] for c in published.json["changes"]["changed"]] == ["resolve"]
    assert published.json["changes"]["changed"][0]["what"] == ["名称"]
    assert api.get(f"/drafts/{MAIN}", as_="designer").json["revision"] == 0  # the draft is gone
    assert case(api, running)["definition_version"] == 1
    assert case(api, register(api)["case_no"])["definition_version"] == 2


def test_a_draft_with_errors_is_not_published_and_stays(api):
    files = draft(api)["files"]
    broken = dict(files)
    broken[STAGE] = broken[STAGE].replace('name="department"', 'name="unused"', 1)  # 联动化解 loses its department
    saved = save(api, {"files": broken, "revision": 0}).json
    assert any(p["rule"] == "task-no-department" and p["element_id"] == "resolve" for p in saved["problems"])
    response = api.post(f"/drafts/{MAIN}/publish", as_="designer", json={"revision": 1, "note": "试一下"})
    assert response.status_code == 400 and response.json["element_id"] == "resolve"
    assert draft(api)["revision"] == 1
    assert len([d for d in api.get("/definitions", as_="designer").json["definitions"] if d["key"] == MAIN]) == 1


def test_a_new_process_starts_as_a_blank_draft_and_publishes(api):
    created = api.post("/drafts", as_="designer", json={"key": "legal_review", "name": "法律顾问审查"})
    check(api, created, "/drafts", "post")
    assert created.status_code == 201 and created.json["files"]
    assert api.post("/drafts", as_="designer", json={"key": "legal_review", "name": "再来"}).status_code == 409
    assert api.post("/drafts", as_="designer", json={"key": "1 bad key", "name": "x"}).status_code == 400
    assert api.post("/drafts", as_="designer", json={"key": MAIN, "name": "x"}).status_code == 409
    published = api.post("/drafts/legal_review/publish", as_="designer", json={"revision": 1, "note": "新流程"})
    assert published.status_code == 201, published.json
    assert published.json["key"] == "legal_review" and published.json["version"] == 1
    listed = api.get("/drafts", as_="designer")
    check(api, listed, "/drafts", "get")


def test_lint_checks_texts_without_saving_anything(api):
    main = draft(api)["files"]["dispute_resolution.bpmn"]
    response = api.post("/lint", as_="designer", json={"files": {"dispute_resolution.bpmn": main}})
    check(api, response, "/lint", "post")
    assert response.status_code == 200
    missing = {(p["element_id"], p["rule"]) for p in response.json["problems"] if p["severity"] == "error"}
    assert ("call_intake", "call-missing") not in missing  # deployed stages count as reachable for a check
    broken = main.replace('calledElement="intake"', 'calledElement="no_such_stage"')
    response = api.post("/lint", as_="designer", json={"files": {"dispute_resolution.bpmn": broken}})
    assert any(p["rule"] == "call-missing" for p in response.json["problems"])
    assert draft(api)["revision"] == 0


def test_the_group_mapping_is_kept_by_designers_and_read_by_supervisors(api):
    response = api.put("/group-mappings/finance-approvers", as_="designer", json={"department_id": "center"})
    check(api, response, "/group-mappings/{group}", "put")
    assert response.status_code == 200 and response.json["department_id"] == "center"
    assert api.put("/group-mappings/x", as_="designer", json={"department_id": "nowhere"}).status_code == 400
    assert api.put("/group-mappings/x", as_="supervisor", json={"department_id": "center"}).status_code == 403
    listed = api.get("/group-mappings", as_="supervisor")
    check(api, listed, "/group-mappings", "get")
    assert [m["group"] for m in listed.json["mappings"]] == ["finance-approvers"]
    assert api.delete("/group-mappings/finance-approvers", as_="designer").status_code == 204
    assert api.delete("/group-mappings/finance-approvers", as_="designer").status_code == 404


def test_the_catalogue_offers_departments_forms_fields_and_ladders(api):
    response = api.get("/studio/catalogue", as_="designer")
    check(api, response, "/studio/catalogue", "get")
    catalogue = response.json
    assert {"id": "court", "name": "人民法院"} in catalogue["departments"]
    review = next(f for f in catalogue["forms"] if f["key"] == "intake_review")
    assert {"name": "accepted", "title": "是否受理"} .items() <= review["fields"][0].items()
    assert [ladder["id"] for ladder in catalogue["ladders"]] == ["none", "reminder", "supervision", "full"]
    assert "judicial_decision" in catalogue["messages"] and "amount" in catalogue["variables"]
    assert api.get("/studio/catalogue", as_="center_clerk").status_code == 403


INTAKES = [
    {},
    {"dispute_type": "property_management"},
    {"amount": 800000},
    {"flags": {"mass_incident_risk": False, "petition_risk": True, "criminal_risk": False}},
    {"parties": [{"name": f"住户{i}", "role": "applicant"} for i in range(12)]},
]


@pytest.mark.parametrize("changes", INTAKES)
def test_trying_the_risk_table_gives_the_engines_grading_for_the_same_inputs(api, changes):
    case_no = register(api, **deepcopy(changes))["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)  # the table grades as assessment starts
    assessment = item(api, case_no, "assess_case", "center_clerk")
    graded = api.get(f"/work-items/{assessment['id']}", as_="center_clerk").json["initial"]  # what the engine set
    data = starting_data({**INTAKE, **deepcopy(changes)}, case_no, [], "center_clerk")
    dmn = draft(api)["files"]["risk_grading.dmn"]
    by_data = api.post("/decisions/try", as_="designer", json={"dmn": dmn, "data": data})
    check(api, by_data, "/decisions/try", "post")
    assert by_data.status_code == 200, by_data.json
    assert by_data.json["output"]["risk"] == graded["risk"]
    assert by_data.json["output"]["risk_reason"] == graded["risk_reason"]
    columns = {column["label"]: column["value"] for column in by_data.json["inputs"]}
    by_columns = api.post("/decisions/try", as_="designer", json={"dmn": dmn, "columns": columns})
    assert by_columns.json["output"] == by_data.json["output"]
    assert by_columns.json["matched"][0] == by_data.json["matched"][0]


def test_a_table_with_a_refused_cell_cannot_be_tried(api):
    dmn = draft(api)["files"]["risk_grading.dmn"].replace('"blue"', "__import__('os').getcwd()")
    response = api.post("/decisions/try", as_="designer", json={"dmn": dmn, "data": {}})
    assert response.status_code == 400 and "__import__" in response.json["message"]
