"""Who may do what, and bad input answered with a clear error that loses nothing."""
from __future__ import annotations

from .pipeline import ACCEPT, accept_and_assess, case, complete, item, register, through_referral


def test_a_request_without_a_token_gets_401(api):
    assert api.get("/work-items").status_code == 401
    bad = api.client.get("/api/v1/work-items", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and bad.json["error"] == "unauthorized"


def test_a_police_clerk_cannot_complete_or_open_another_departments_item(api):
    case_no = register(api)["case_no"]
    target = item(api, case_no, "review_acceptance", "center_clerk")
    assert api.post(f"/work-items/{target['id']}/complete", as_="police_clerk",
                    json={"data": ACCEPT}).status_code == 403
    assert api.post(f"/work-items/{target['id']}/claim", as_="police_clerk").status_code == 403
    assert api.get(f"/work-items/{target['id']}", as_="police_clerk").status_code == 403
    assert case(api, case_no)["open_items"][0]["state"] == "open"


def test_a_clerk_of_one_department_cannot_list_another_departments_inbox(api):
    response = api.get("/work-items", as_="police_clerk", query_string={"department": "court"})
    assert response.status_code == 403
    assert api.get("/work-items", as_="supervisor", query_string={"department": "court"}).status_code == 200


def test_a_department_not_involved_cannot_open_the_case_file(api):
    case_no = register(api)["case_no"]
    assert api.get(f"/cases/{case_no}", as_="police_clerk").status_code == 403
    assert api.get(f"/cases/{case_no}", as_="center_clerk").status_code == 200


def test_a_department_involved_in_the_case_can_open_its_file(api):
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no)
    through_referral(api, case_no)
    assert api.get(f"/cases/{case_no}", as_="justice_office_clerk").status_code == 200
    assert api.get(f"/cases/{case_no}", as_="labour_clerk").status_code == 403


def test_a_clerk_cannot_do_a_task_reserved_for_the_department_head(api):
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no)
    target = item(api, case_no, "dispatch", "center_head")
    assert all(i["element_id"] != "dispatch" for i in api.get("/work-items", as_="center_clerk").json["items"])
    response = api.post(f"/work-items/{target['id']}/complete", as_="center_clerk",
                        json={"data": {"lead_department": "people_mediation", "cooperating_departments": []}})
    assert response.status_code == 403


def test_invalid_form_data_gets_400_naming_the_fields_and_changes_nothing(api):
    case_no = register(api)["case_no"]
    target = item(api, case_no, "review_acceptance", "center_clerk")
    before = case(api, case_no)["version"]
    response = api.post(f"/work-items/{target['id']}/complete", as_="center_clerk",
                        json={"data": {"accepted": False}})
    assert response.status_code == 400
    assert "not_accepted_reason" in response.json["fields"]
    wrong_type = api.post(f"/work-items/{target['id']}/complete", as_="center_clerk",
                          json={"data": {"accepted": "maybe", "surprise": 1}})
    assert wrong_type.status_code == 400 and "accepted" in wrong_type.json["fields"]
    after = case(api, case_no)
    assert after["version"] == before and after["open_items"][0]["id"] == target["id"]


def test_invalid_intake_gets_400_naming_the_fields(api):
    response = api.post("/cases", as_="center_clerk", json={"title": "", "parties": []})
    assert response.status_code == 400
    assert {"channel", "dispute_type", "parties"} <= set(response.json["fields"])


def test_a_body_that_is_not_json_gets_400(api):
    response = api.post("/cases", as_="center_clerk", data="<xml/>", content_type="application/xml")
    assert response.status_code == 400 and response.json["error"] == "invalid"


def test_completing_a_task_that_was_just_completed_is_a_conflict(api):
    case_no = register(api)["case_no"]
    target = item(api, case_no, "review_acceptance", "center_clerk")
    first = api.post(f"/work-items/{target['id']}/complete", as_="center_clerk", json={"data": ACCEPT})
    second = api.post(f"/work-items/{target['id']}/complete", as_="center_head", json={"data": ACCEPT})
    assert first.status_code == 200 and second.status_code == 409
    history = case(api, case_no)["history"]
    assert [h["kind"] for h in history].count("task_completed") == 1


def test_missing_case_and_item_are_404(api):
    assert api.get("/cases/2026-999999", as_="supervisor").status_code == 404
    assert api.post("/work-items/999999/complete", as_="center_clerk", json={"data": {}}).status_code == 404
    assert api.post("/cases/2026-999999/messages", as_="court_clerk",
                    json={"message": "judicial_decision", "payload": {}}).status_code == 404
    assert api.get("/no-such-endpoint", as_="supervisor").status_code == 404


def test_a_message_the_case_is_not_waiting_for_is_a_conflict(api):
    case_no = register(api)["case_no"]
    response = api.post(f"/cases/{case_no}/messages", as_="court_clerk",
                        json={"message": "judicial_decision", "payload": {"confirmed": True}})
    assert response.status_code == 409


def test_the_openapi_document_describes_the_endpoints(api):
    document = api.get("/openapi.json").json
    assert document["openapi"].startswith("3.")
    assert {"/cases", "/work-items", "/work-items/{item_id}/complete", "/definitions",
            "/cases/{case_no}/messages"} <= set(document["paths"])
    assert "Intake" in document["components"]["schemas"]


def test_complete_on_a_closed_case_item_is_a_conflict(api):
    case_no = register(api)["case_no"]
    target = item(api, case_no, "review_acceptance", "center_clerk")
    complete(api, case_no, "review_acceptance", "center_clerk",
             {"accepted": False, "not_accepted_reason": "重复", "advised_channel": "other"})
    response = api.post(f"/work-items/{target['id']}/complete", as_="center_clerk", json={"data": ACCEPT})
    assert response.status_code == 409
