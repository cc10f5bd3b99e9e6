"""Incidents and repairs over the JSON API, every answer checked against the OpenAPI document."""
from __future__ import annotations

from datetime import timedelta

from engine import timer_firing


def _stuck(rt, clock, probe) -> str:
    case_no = probe.start(amount=0)
    probe.complete(case_no, "review")
    clock.advance(timedelta(days=2))
    timer_firing.fire_due(rt)
    return case_no


def test_an_administrator_lists_the_incident_corrects_the_data_and_retries(api, rt, clock, probe):
    case_no = _stuck(rt, clock, probe)
    listed = api.get("/incidents", as_="admin")
    assert listed.status_code == 200
    [incident] = listed.json["incidents"]
    assert (incident["case_no"], incident["element_id"], incident["state"]) == (case_no, "compute_share", "open")
    assert "除数为零" in incident["message"]

    refused = api.post(f"/cases/{case_no}/data", as_="admin", json={"data": {"amount": "很多"}, "reason": "更正"})
    assert refused.status_code == 400 and "amount" in refused.json["fields"]
    edited = api.post(f"/cases/{case_no}/data", as_="admin", json={"data": {"amount": 8000}, "reason": "金额漏填"})
    assert edited.status_code == 200, edited.json
    assert edited.json["changes"] == {"amount": {"old": 0, "new": 8000}}
    retried = api.post(f"/cases/{case_no}/retry", as_="admin", json={"reason": "金额已更正"})
    assert retried.status_code == 200, retried.json
    assert retried.json["status"] == "open"
    assert api.get("/incidents", as_="admin").json["incidents"] == []
    resolved = api.get("/incidents", as_="admin", query_string={"state": "resolved"}).json["incidents"]
    assert [(i["case_no"], i["resolved_by"], i["resolution"]) for i in resolved] == [(case_no, "admin", "retried")]
    history = api.get(f"/cases/{case_no}", as_="admin").json["history"]
    assert {"case_data_edited", "incident_retried"} <= {h["kind"] for h in history}


def test_refusals_answer_409_or_400_with_a_message_and_strangers_403(api, rt, clock, probe):
    case_no = probe.start(amount=0)
    again = api.post(f"/cases/{case_no}/retry", as_="admin", json={"reason": "试试"})
    assert again.status_code == 409 and "没有待处理的故障" in again.json["message"]
    resumed = api.post(f"/cases/{case_no}/resume", as_="admin", json={"reason": "恢复"})
    assert resumed.status_code == 409 and "暂停" in resumed.json["message"]
    no_reason = api.post(f"/cases/{case_no}/suspend", as_="admin", json={"reason": ""})
    assert no_reason.status_code == 400
    for path, body in (("/suspend", {"reason": "x"}), ("/cancel", {"reason": "x"}), ("/retry", {"reason": "x"}),
                       ("/resume", {"reason": "x"}), ("/data", {"reason": "x", "data": {"a": 1}}),
                       ("/move", {"reason": "x", "element_id": "settle"})):
        for stranger in ("center_head", "supervisor", "designer"):
            answer = api.post(f"/cases/{case_no}{path}", as_=stranger, json=body)
            assert answer.status_code == 403, (path, stranger)
    assert api.get("/incidents", as_="supervisor").status_code == 403
    assert api.post("/cases/2099-999999/cancel", as_="admin", json={"reason": "x"}).status_code == 404


def test_suspend_resume_move_and_cancel_over_the_api(api, rt, clock, probe):
    case_no = probe.start(amount=8000)
    suspended = api.post(f"/cases/{case_no}/suspend", as_="admin", json={"reason": "当事人申请暂缓"})
    assert suspended.status_code == 200 and suspended.json["status"] == "suspended"
    clock.advance(timedelta(days=3))
    resumed = api.post(f"/cases/{case_no}/resume", as_="admin", json={"reason": "继续"})
    assert resumed.status_code == 200 and resumed.json["working_days"] == 3
    moved = api.post(f"/cases/{case_no}/move", as_="admin", json={"reason": "冷静期已过", "element_id": "settle"})
    assert moved.status_code == 200, moved.json
    assert (moved.json["direction"], moved.json["open_tasks"]) == ("forward", ["settle"])
    cancelled = api.post(f"/cases/{case_no}/cancel", as_="admin", json={"reason": "当事人撤回"})
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert len(cancelled.json["withdrawn_items"]) == 1
    twice = api.post(f"/cases/{case_no}/cancel", as_="admin", json={"reason": "再撤"})
    assert twice.status_code == 409 and "已撤销" in twice.json["message"]
