"""Who may open what, through the pages and through the API alike: a stranger department gets 403."""
from __future__ import annotations

import io

import pytest

from engine.casefile import records as case_records

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def centre_case(register, rt, who):
    """A case still at the centre's acceptance review, with one evidence file."""
    case = register()
    attachment = case_records.add_attachment(rt, case.case_no, "收条.pdf", PDF, who("center_clerk"))
    return case, case.open_items[0], attachment


def test_another_departments_pages_answer_403(staff_as, centre_case):
    case, item, attachment = centre_case
    police = staff_as("police_clerk")
    forbidden = [
        police.get(f"/tasks/{item.id}"),
        police.post(f"/tasks/{item.id}", data={"action": "complete", "accepted": "true"}),
        police.post(f"/tasks/{item.id}", data={"action": "draft"}),
        police.get(f"/cases/{case.case_no}"),
        police.get(f"/cases/{case.case_no}/attachments/{attachment.id}"),
        police.get(f"/cases/{case.case_no}/diagrams/intake.bpmn"),
        police.post(f"/cases/{case.case_no}/comments", data={"text": "看看"}),
        police.post(f"/cases/{case.case_no}/attachments",
                    data={"file": (io.BytesIO(PDF), "x.pdf")}, content_type="multipart/form-data"),
        police.post(f"/inbox/items/{item.id}/claim"),
        police.get("/inbox?department=center"),
    ]
    assert [r.status_code for r in forbidden] == [403] * len(forbidden)
    assert "无权" in forbidden[0].get_data(as_text=True) or "其他部门" in forbidden[0].get_data(as_text=True)
    # nothing happened to the case: still open at the centre, unclaimed
    centre = staff_as("center_clerk").get(f"/tasks/{item.id}")
    assert centre.status_code == 200 and "受理审查" in centre.get_data(as_text=True)


def test_another_department_gets_403_from_the_api_too(api, centre_case):
    case, item, attachment = centre_case
    answers = [
        api.get(f"/work-items/{item.id}", as_="police_clerk"),
        api.post(f"/work-items/{item.id}/complete", as_="police_clerk", json={"data": {"accepted": True}}),
        api.post(f"/work-items/{item.id}/draft", as_="police_clerk", json={"data": {}}),
        api.get(f"/cases/{case.case_no}", as_="police_clerk"),
        api.get(f"/cases/{case.case_no}/attachments", as_="police_clerk"),
        api.get(f"/cases/{case.case_no}/attachments/{attachment.id}", as_="police_clerk"),
    ]
    assert [r.status_code for r in answers] == [403] * len(answers)
    assert all(r.json["error"] == "forbidden" for r in answers)
    own = api.get(f"/cases/{case.case_no}/attachments/{attachment.id}", as_="center_clerk")
    assert own.status_code == 200 and own.data == PDF


def test_a_clerk_cannot_reach_admin_or_designer_pages(staff_as):
    clerk = staff_as("center_clerk")
    for path in ("/admin/users", "/designer/definitions"):
        response = clerk.get(path)
        assert response.status_code == 403, path
    assert clerk.post("/admin/users", data={"username": "mole", "display_name": "x", "role": "admin",
                                            "department_id": "center", "password": "12345678"}).status_code == 403
    assert clerk.post("/designer/definitions", data={}).status_code == 403
    assert "用户管理" not in clerk.get("/inbox").get_data(as_text=True)


def test_a_designer_shapes_diagrams_but_does_not_work_cases(staff_as, centre_case):
    case, item, _attachment = centre_case
    designer = staff_as("designer")
    assert designer.get("/designer/definitions").status_code == 200
    assert designer.get("/admin/users").status_code == 403
    assert designer.get(f"/tasks/{item.id}").status_code == 403
    assert designer.get("/intake").status_code == 403


def test_a_missing_case_item_or_file_is_404_not_500(staff_as, centre_case):
    case, _item, _attachment = centre_case
    clerk = staff_as("center_clerk")
    for path in ("/tasks/999999", "/cases/2026-999999", f"/cases/{case.case_no}/attachments/999999",
                 f"/cases/{case.case_no}/diagrams/no_such_process.bpmn"):
        assert clerk.get(path).status_code == 404, path
