"""A diagram drawn in Camunda Modeler deploys and runs to its end over the JSON API.

It carries what Camunda users write: candidate groups that are not department ids (mapped once by the
designer), an `assignee`, `${...}` conditions, an unquoted `PT5M` boundary timer and `camunda:formKey`.
"""
from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from engine import timer_firing
from engine.models import Definition

from .pipeline import case, complete, item

DIAGRAM = (Path(__file__).parent / "diagrams" / "camunda_approval.bpmn").read_bytes()
APPROVAL_FORM = {
    "title": "审批", "type": "object", "additionalProperties": False,
    "properties": {
        "approved": {"type": "boolean", "title": "是否同意"},
        "urgent": {"type": "boolean", "title": "是否加急"},
        "comment": {"type": "string", "title": "意见", "maxLength": 500},
    },
    "required": ["approved"],
}


def upload(api, content: bytes = DIAGRAM):
    return api.post("/definitions", as_="designer", content_type="multipart/form-data",
                    data={"files": [(io.BytesIO(content), "camunda_approval.bpmn")]})


def publish_with_form(api) -> dict:
    """The designer's way: a draft holding the diagram and its new form, then publish."""
    saved = api.put("/drafts/camunda_approval", as_="designer",
                    json={"files": {"camunda_approval.bpmn": DIAGRAM.decode()}, "forms": {"approval": APPROVAL_FORM},
                          "revision": 0})
    assert saved.status_code == 200, saved.json
    assert not [p for p in saved.json["problems"] if p["severity"] == "error"], saved.json["problems"]
    published = api.post("/drafts/camunda_approval/publish", as_="designer",
                         json={"revision": saved.json["revision"], "note": "Camunda 审批流程"})
    assert published.status_code == 201, published.json
    return published.json


def map_groups(api) -> None:
    for group, department in (("finance-approvers", "center"), ("部门经理", "housing")):
        response = api.put(f"/group-mappings/{group}", as_="designer", json={"department_id": department})
        assert response.status_code == 200, response.json


def test_unmapped_candidate_groups_are_refused_naming_the_task_and_the_group(api):
    response = upload(api)
    assert response.status_code == 400
    problems = {(p["element_id"], p["rule"]) for p in response.json["problems"] if p["severity"] == "error"}
    assert ("Task_review", "task-no-department") in problems
    assert ("Task_manager", "task-no-department") in problems
    review = next(p for p in response.json["problems"] if p["element_id"] == "Task_review")
    assert "finance-approvers" in review["message"]


def test_a_camunda_diagram_with_mapped_groups_runs_to_its_end(api, rt, clock):
    map_groups(api)
    definition = publish_with_form(api)
    assert definition["key"] == "camunda_approval" and definition["note"] == "Camunda 审批流程"
    opened = api.post("/cases?process=camunda_approval", as_="center_clerk",
                      json={**_intake(), "amount": 5000})
    assert opened.status_code == 201, opened.json
    case_no = opened.json["case_no"]
    review = item(api, case_no, "Task_review", "center_clerk")
    assert review["department_id"] == "center" and review["form_key"] == "approval"
    detail = api.get(f"/work-items/{review['id']}", as_="center_clerk").json
    assert set(detail["form"]["properties"]) == {"approved", "urgent", "comment"}

    clock.advance(timedelta(minutes=6))  # PT5M passes: the reviewer is chased by the named assignee
    assert timer_firing.fire_due(rt) == 1
    chase = item(api, case_no, "Task_chase", "housing_head")
    assert chase["department_id"] == "housing" and chase["assignee"] == "housing_head"

    complete(api, case_no, "Task_review", "center_clerk", {"approved": True, "urgent": True})
    manager = item(api, case_no, "Task_manager", "housing_clerk")  # 5000 > 1000 and urgent
    assert manager["department_id"] == "housing"
    complete(api, case_no, "Task_manager", "housing_clerk", {"approved": True, "comment": "同意"})
    assert case(api, case_no)["status"] == "open"  # the chase is still open
    complete(api, case_no, "Task_chase", "housing_head", {})
    assert case(api, case_no)["status"] == "closed"


def test_a_small_request_skips_the_manager_and_a_refusal_ends_at_rejected(api):
    map_groups(api)
    publish_with_form(api)
    small = api.post("/cases?process=camunda_approval", as_="center_clerk", json={**_intake(), "amount": 500}).json
    complete(api, small["case_no"], "Task_review", "center_clerk", {"approved": True, "urgent": True})
    assert case(api, small["case_no"])["open_items"] == []
    refused = api.post("/cases?process=camunda_approval", as_="center_clerk", json={**_intake(), "amount": 9000}).json
    complete(api, refused["case_no"], "Task_review", "center_clerk", {"approved": False})
    assert case(api, refused["case_no"])["open_items"] == []


def test_the_file_is_kept_as_drawn_and_only_the_executable_copy_is_translated(api, rt):
    map_groups(api)
    definition = publish_with_form(api)
    with rt.unit_of_work(write=False) as session:
        row = session.get(Definition, definition["id"])
        assert row.files["camunda_approval.bpmn"] == DIAGRAM.decode()  # Camunda Modeler opens it unchanged
        executable = row.executable["camunda_approval.bpmn"]
        assert "${approved}" not in executable and "'PT5M'" in executable
        assert row.forms["approval"] == APPROVAL_FORM  # the form as published, kept with this version
    again = upload(api)  # the same file through plain deploy: nothing changed, no new version
    assert again.status_code == 200 and again.json["version"] == definition["version"]


def test_juel_outside_the_subset_is_refused_naming_element_expression_and_part(api):
    map_groups(api)
    bad = DIAGRAM.replace(b"${approved}", b"${execution.getVariable('approved')}")
    response = upload(api, bad)
    assert response.status_code == 400
    problem = next(p for p in response.json["problems"] if p["rule"] == "juel-unsupported")
    assert problem["element_id"] == "Flow_yes"
    assert "execution.getVariable('approved')" in problem["message"] and "execution" in problem["message"]


def _intake() -> dict:
    from .pipeline import INTAKE
    return dict(INTAKE)


def test_an_unquoted_cycle_fires_each_period_on_the_engine_clock_and_stops(api, rt, clock):
    map_groups(api)
    cycling = DIAGRAM.replace(b'<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT5M</bpmn:timeDuration>',
                              b"<bpmn:timeCycle>R2/PT1H</bpmn:timeCycle>")
    saved = api.put("/drafts/camunda_approval", as_="designer",
                    json={"files": {"camunda_approval.bpmn": cycling.decode()}, "forms": {"approval": APPROVAL_FORM},
                          "revision": 0}).json
    assert api.post("/drafts/camunda_approval/publish", as_="designer",
                    json={"revision": saved["revision"], "note": "每小时催办两次"}).status_code == 201
    case_no = api.post("/cases?process=camunda_approval", as_="center_clerk", json=_intake()).json["case_no"]
    clock.advance(timedelta(minutes=59))
    assert timer_firing.fire_due(rt) == 0
    clock.advance(timedelta(minutes=2))
    assert timer_firing.fire_due(rt) == 1
    clock.advance(timedelta(hours=1))
    assert timer_firing.fire_due(rt) == 1
    clock.advance(timedelta(hours=5))
    assert timer_firing.fire_due(rt) == 0
    chases = [i for i in case(api, case_no)["open_items"] if i["element_id"] == "Task_chase"]
    assert len(chases) == 2


def test_an_assignee_who_is_no_user_can_be_mapped_like_a_group(api):
    map_groups(api)
    unknown = DIAGRAM.replace(b'camunda:assignee="housing_head"', b'camunda:assignee="demo"')
    refused = upload(api, unknown)
    assert refused.status_code == 400
    problem = next(p for p in refused.json["problems"] if p["element_id"] == "Task_chase" and p["severity"] == "error")
    assert "demo" in problem["message"]
    api.put("/group-mappings/demo", as_="designer", json={"department_id": "police"})
    response = api.put("/drafts/camunda_approval", as_="designer",
                       json={"files": {"camunda_approval.bpmn": unknown.decode()}, "forms": {"approval": APPROVAL_FORM},
                             "revision": 0})
    assert not [p for p in response.json["problems"] if p["severity"] == "error"]
