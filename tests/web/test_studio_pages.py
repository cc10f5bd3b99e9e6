"""The studio's pages and calls: designers only, CSRF on every write, JSON answers for the page's script."""
from __future__ import annotations

JSON = {"Accept": "application/json"}


def draft_body(staff) -> dict:
    files = staff.get("/designer/studio/dispute_resolution/draft", headers=JSON).get_json()["files"]
    return {"files": files, "forms": {}, "revision": 0}


def test_only_designers_and_admins_open_the_studio(staff_as):
    for user in ("center_clerk", "center_head", "supervisor"):
        assert staff_as(user).get("/designer/studio/dispute_resolution").status_code == 403, user
    for user in ("designer", "admin"):
        page = staff_as(user).get("/designer/studio/dispute_resolution")
        assert page.status_code == 200 and 'data-testid="studio"' in page.get_data(as_text=True), user
    assert staff_as("designer").get("/designer/studio/no_such_process").status_code == 404
    assert staff_as(None).get("/designer/studio/dispute_resolution").status_code == 302  # to sign in


def test_a_save_needs_the_csrf_header_and_a_designer(staff_as):
    designer = staff_as("designer")
    body = draft_body(designer)
    missing = designer.client.put("/designer/studio/dispute_resolution/draft", json=body, headers=JSON)
    assert missing.status_code == 400
    saved = designer.client.put("/designer/studio/dispute_resolution/draft", json=body,
                                headers={**JSON, "X-CSRFToken": designer.csrf})
    assert saved.status_code == 200 and saved.get_json()["revision"] == 1
    supervisor = staff_as("supervisor")
    refused = supervisor.client.put("/designer/studio/dispute_resolution/draft", json={**body, "revision": 1},
                                    headers={**JSON, "X-CSRFToken": supervisor.csrf})
    assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden"


def test_the_page_script_gets_json_errors_and_the_form_preview_is_html(staff_as):
    designer = staff_as("designer")
    headers = {**JSON, "X-CSRFToken": designer.csrf}
    bad = designer.client.post("/designer/studio/forms/preview", json={"key": "x", "schema": {"type": "array"}},
                               headers=headers)
    assert bad.status_code == 400 and "message" in bad.get_json()
    schema = {"type": "object", "title": "法律意见", "properties": {"opinion": {"type": "string", "title": "意见"}}}
    preview = designer.client.post("/designer/studio/forms/preview", json={"key": "x", "schema": schema},
                                   headers={**headers, "Accept": "text/html"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "法律意见" in html and 'name="opinion"' in html
    rungs = designer.client.post("/designer/studio/deadline-preview", headers=headers,
                                 json={"properties": {"deadline": "working_days(3)"}}).get_json()["rungs"]
    assert [r["rung"] for r in rungs] == ["reminder", "deadline", "escalate", "leadership"]


def test_the_group_mapping_page_maps_and_unmaps_for_designers_only(staff_as):
    designer = staff_as("designer")
    designer.refresh_token("/designer/groups")
    response = designer.post("/designer/groups", data={"group": "部门经理", "department_id": "housing"})
    assert response.status_code == 302
    page = designer.get("/designer/groups").get_data(as_text=True)
    assert "部门经理" in page and "住建局" in page
    clerk = staff_as("center_clerk")
    assert clerk.get("/designer/groups").status_code == 403
    assert clerk.post("/designer/groups", data={"group": "x", "department_id": "center"}).status_code == 403
    designer.post("/designer/groups/remove", data={"group": "部门经理"})
    assert "部门经理" not in designer.get("/designer/groups").get_data(as_text=True)


def test_a_new_process_from_the_definitions_page_opens_its_draft_in_the_studio(staff_as):
    designer = staff_as("designer")
    designer.refresh_token("/designer/definitions")
    response = designer.post("/designer/studio/new", data={"key": "township_level", "name": "乡镇调处"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/designer/studio/township_level")
    assert designer.get("/designer/studio/township_level").status_code == 200
    again = designer.post("/designer/studio/new", data={"key": "township_level", "name": "再建"})
    assert again.headers["Location"].endswith("/designer/definitions")
    listed = designer.get("/designer/definitions").get_data(as_text=True)
    assert "township_level" in listed and 'data-testid="drafts"' in listed
