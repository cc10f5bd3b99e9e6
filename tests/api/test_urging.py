"""催办: the centre presses a department on an open item; its head and the holder hear of it once, the item's
page keeps the record, and nobody else may press."""
from __future__ import annotations

from datetime import timedelta

from engine import notifications

from .contract import check
from .pipeline import ACCEPT_DISPATCH, accept_and_assess, complete, dispatch, item, register

PATH = "/work-items/{item_id}/urge"


def _dispatched(api) -> dict:
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no)
    complete(api, case_no, "dispatch", "center_head", dispatch())
    return item(api, case_no, "accept_dispatch", "people_mediation_clerk")


def _pressings(who, rt, username: str) -> list[str]:
    return [n.text for n in notifications.for_user(rt, who(username)) if n.text.startswith("催办")]


def test_a_supervisor_presses_the_department_and_its_head_and_holder_are_told(api, rt, who):
    target = _dispatched(api)
    assert api.post(f"/work-items/{target['id']}/claim", as_="people_mediation_clerk").status_code == 200
    answer = api.post(f"/work-items/{target['id']}/urge", as_="supervisor", json={"text": "请今日内接单"})
    assert answer.status_code == 200, answer.json
    check(api, answer, PATH, "post")
    assert answer.json["notified"] >= 2
    assert _pressings(who, rt, "people_mediation_head") == [
        f"催办：{target['case_no']}「{target['title']}」— 请今日内接单"]
    assert len(_pressings(who, rt, "people_mediation_clerk")) == 1
    assert _pressings(who, rt, "police_head") == []


def test_the_same_item_is_pressed_once_an_hour_and_not_after_it_is_done(api, clock):
    target = _dispatched(api)
    assert api.post(f"/work-items/{target['id']}/urge", as_="supervisor", json={"text": "请接单"}).status_code == 200
    again = api.post(f"/work-items/{target['id']}/urge", as_="center_head", json={"text": "请接单"})
    assert again.status_code == 409 and "一小时内" in again.json["message"]
    check(api, again, PATH, "post")
    clock.advance(timedelta(minutes=61))
    assert api.post(f"/work-items/{target['id']}/urge", as_="center_head", json={"text": "再催"}).status_code == 200
    complete(api, target["case_no"], "accept_dispatch", "people_mediation_clerk", ACCEPT_DISPATCH)
    done = api.post(f"/work-items/{target['id']}/urge", as_="supervisor", json={"text": "请接单"})
    assert done.status_code == 409


def test_departments_and_admins_may_not_press_and_a_reason_is_required(api):
    target = _dispatched(api)
    for who in ("people_mediation_head", "police_clerk", "center_clerk", "admin", "designer"):
        refused = api.post(f"/work-items/{target['id']}/urge", as_=who, json={"text": "快办"})
        assert refused.status_code == 403, who
    empty = api.post(f"/work-items/{target['id']}/urge", as_="supervisor", json={"text": "   "})
    assert empty.status_code == 400 and "text" in empty.json["fields"]
    assert api.post("/work-items/999999/urge", as_="supervisor", json={"text": "快办"}).status_code == 404

