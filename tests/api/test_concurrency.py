"""Commands racing on one work item or one case: they take effect one at a time, each judging the item as the
one before it left it; two clients completing the same task at once give one winner, the saved case is the
winner's; independent parallel tasks of one case completed at once all succeed."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from engine import work
from engine.db import make_engine
from engine.errors import Conflict
from engine.models import InstanceState, WorkItem

from .pipeline import (
    accept_and_assess,
    case,
    cooperation,
    item,
    open_elements,
    register,
    report,
    through_referral,
)

ACCEPTED = {"accepted": True}
REFUSED = {"accepted": False, "not_accepted_reason": "不属于调解范围", "advised_channel": "litigation"}


def race(api, item_id: int) -> list[tuple[str, int]]:
    barrier = threading.Barrier(2)
    results: list[tuple[str, int]] = []
    lock = threading.Lock()

    def attempt(user: str, data: dict) -> None:
        client = api.client.application.test_client()
        barrier.wait()
        response = client.post(f"/api/v1/work-items/{item_id}/complete", json={"data": data},
                               headers={"Authorization": f"Bearer {api.staff.token(user)}"})
        with lock:
            results.append((user, response.status_code))

    threads = [threading.Thread(target=attempt, args=("center_clerk", ACCEPTED)),
               threading.Thread(target=attempt, args=("center_head", REFUSED))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_clients_completing_the_same_task_at_once_give_one_success_and_one_conflict(api):
    for _ in range(4):
        case_no = register(api)["case_no"]
        target = item(api, case_no, "review_acceptance", "center_clerk")
        results = race(api, target["id"])
        assert sorted(status for _, status in results) == [200, 409], results
        winner = next(user for user, status in results if status == 200)
        after = case(api, case_no)
        assert [h["kind"] for h in after["history"]].count("task_completed") == 1
        completed = next(h for h in after["history"] if h["kind"] == "task_completed")
        assert completed["actor"] == winner
        if winner == "center_clerk":
            assert after["stage"] == "joint_assessment" and after["status"] == "open"
        else:
            assert after["status"] == "closed" and after["outcome"] == "not_accepted"
        assert after["version"] == 2


# -- commands on one item run one at a time -----------------------------------------------------------

LEADS = {"center_head"}  # may step in on a colleague's item (complete it, release it, keep a draft of it)
ITEM_EVENTS = ("item_claimed", "item_released", "draft_saved", "task_completed")


def at_once(api, commands: list[tuple[str, str, str, dict | None]]) -> list[tuple[str, str, int, dict]]:
    """Send every (user, action, path, body) at the same instant, each from its own client and thread;
    returns (user, action, status, body) per command."""
    barrier = threading.Barrier(len(commands))
    results: list[tuple[str, str, int, dict]] = []
    lock = threading.Lock()

    def attempt(user: str, action: str, path: str, body: dict | None) -> None:
        client = api.client.application.test_client()
        barrier.wait()
        response = client.post(f"/api/v1{path}", json=body,
                               headers={"Authorization": f"Bearer {api.staff.token(user)}"})
        with lock:
            results.append((user, action, response.status_code, response.json))

    threads = [threading.Thread(target=attempt, args=command) for command in commands]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == len(commands), "a command never answered"
    return results


def replay(events: list[dict]) -> None:
    """Walk the item's recorded commands in the order they took effect and check each was allowed on the
    item as the one before it left it: nothing after the completion, no claim over someone else's."""
    assignee, done = None, False
    for event in events:
        actor, kind = event["actor"], event["kind"]
        assert not done, f"{kind} by {actor} took effect after the item was completed: {events}"
        if kind == "item_claimed":
            assert assignee in (None, actor), f"{actor}'s claim overwrote {assignee}'s: {events}"
            assignee = actor
        elif kind == "item_released":
            assert assignee is not None and (assignee == actor or actor in LEADS), events
            assignee = None
        elif kind == "draft_saved":
            assert assignee in (None, actor) or actor in LEADS, f"{actor} kept a draft of {assignee}'s item"
            assignee = assignee or actor
        elif kind == "task_completed":
            assert assignee in (None, actor) or actor in LEADS, f"{actor} completed {assignee}'s item: {events}"
            done = True
    assert done, events


def test_claims_releases_drafts_and_completions_racing_on_one_item_take_effect_one_at_a_time(api):
    for _ in range(6):
        case_no = register(api)["case_no"]
        target = item(api, case_no, "review_acceptance", "center_clerk")
        path = f"/work-items/{target['id']}"
        results = at_once(api, [
            ("center_clerk", "claim", f"{path}/claim", None),
            ("center_head", "claim", f"{path}/claim", None),
            ("center_clerk", "draft", f"{path}/draft", {"data": {"accepted": True}}),
            ("center_clerk", "release", f"{path}/release", None),
            ("center_clerk", "complete", f"{path}/complete", {"data": ACCEPTED}),
            ("center_head", "complete", f"{path}/complete", {"data": ACCEPTED}),
        ])
        assert all(status in (200, 409) for _, _, status, _ in results), results
        refused = [body for _, _, status, body in results if status == 409]
        assert all(body["message"] for body in refused)
        assert [action for _, action, status, _ in results if status == 200].count("complete") == 1, results

        after = case(api, case_no)
        events = [h for h in after["history"] if h["kind"] in ITEM_EVENTS and h["element_id"] == "review_acceptance"]
        replay(events)
        # every command acknowledged took effect, in the item's own order, before the completion
        kinds = {"claim": "item_claimed", "release": "item_released", "draft": "draft_saved",
                 "complete": "task_completed"}
        acknowledged = sorted((user, kinds[action]) for user, action, status, _ in results if status == 200)
        assert acknowledged == sorted((e["actor"], e["kind"]) for e in events), (results, events)
        assert after["version"] == 2 and after["stage"] == "joint_assessment"
        completer = next(user for user, action, status, _ in results if action == "complete" and status == 200)
        done = api.get(path, as_="center_head").json
        assert done["state"] == "completed" and done["completed_by"] == completer


def test_of_two_claims_at_once_exactly_one_wins(api):
    for _ in range(5):
        case_no = register(api)["case_no"]
        path = f"/work-items/{item(api, case_no, 'review_acceptance', 'center_clerk')['id']}"
        results = at_once(api, [("center_clerk", "claim", f"{path}/claim", None),
                                ("center_head", "claim", f"{path}/claim", None)])
        assert sorted(status for _, _, status, _ in results) == [200, 409], results
        winner = next(user for user, _, status, _ in results if status == 200)
        loser = next(body for _, _, status, body in results if status == 409)
        assert loser["message"] == "该事项已被他人认领"
        assert api.get(path, as_="center_head").json["assignee"] == winner


def test_after_the_completion_a_claim_a_release_a_draft_and_a_second_completion_are_refused(api):
    case_no = register(api)["case_no"]
    path = f"/work-items/{item(api, case_no, 'review_acceptance', 'center_clerk')['id']}"
    assert api.post(f"{path}/claim", as_="center_clerk").status_code == 200
    assert api.post(f"{path}/complete", as_="center_clerk", json={"data": ACCEPTED}).status_code == 200
    for user, action, body in (("center_head", "claim", None), ("center_clerk", "release", None),
                               ("center_clerk", "draft", {"data": {"accepted": False}}),
                               ("center_head", "complete", {"data": REFUSED})):
        response = api.post(f"{path}/{action}", as_=user, json=body)
        assert response.status_code == 409, (action, response.json)
        assert response.json["message"].startswith("该事项已办结"), response.json
    after = case(api, case_no)
    assert after["version"] == 2 and after["stage"] == "joint_assessment"


# -- independent parallel work on one case ------------------------------------------------------------

def test_three_departments_completing_their_parallel_tasks_of_one_case_at_once_all_succeed(api):
    cooperating = ("justice_office", "police")
    for _ in range(3):
        case_no = register(api)["case_no"]
        accept_and_assess(api, case_no, lead="people_mediation", cooperating=cooperating)
        through_referral(api, case_no, lead="people_mediation", cooperating=cooperating)
        assert open_elements(api, case_no) == {("people_mediation", "resolve"), ("justice_office", "cooperate"),
                                               ("police", "cooperate")}
        before = case(api, case_no)["version"]
        commands = [("people_mediation_clerk", "complete", item(api, case_no, "resolve", "people_mediation_clerk"),
                     report())]
        commands += [(f"{d}_clerk", "complete", item(api, case_no, "cooperate", f"{d}_clerk"), cooperation(f"{d}参与"))
                     for d in cooperating]
        results = at_once(api, [(user, action, f"/work-items/{target['id']}/complete", {"data": data})
                                for user, action, target, data in commands])
        assert [status for _, _, status, _ in results] == [200, 200, 200], results
        after = case(api, case_no)
        assert after["version"] == before + 3
        completed = [h for h in after["history"] if h["kind"] == "task_completed"
                     and h["element_id"] in ("resolve", "cooperate")]
        assert sorted(h["actor"] for h in completed) == sorted(user for user, *_ in commands)
        assert not {("people_mediation", "resolve"), ("justice_office", "cooperate"),
                    ("police", "cooperate")} & open_elements(api, case_no), "the stage must have moved on"


def test_a_command_waits_for_a_stuck_holder_only_so_long_then_is_refused(rt, register, who, database_url):
    if not database_url.startswith("postgres"):
        pytest.skip("SQLite runs write transactions one at a time: no other command can hold one row")
    started = register()
    item_id = started.open_items[0].id
    rt.lock_wait_seconds = 0.5
    stuck = make_engine(database_url)
    try:
        with stuck.begin() as conn:  # another transaction that holds the item and the case and never ends
            conn.execute(select(WorkItem).where(WorkItem.id == item_id).with_for_update())
            conn.execute(select(InstanceState).where(InstanceState.case_id == started.id).with_for_update())
            for command in (lambda: work.claim(rt, item_id, who("center_clerk")),
                            lambda: work.complete(rt, item_id, ACCEPTED, who("center_clerk"))):
                began = time.monotonic()
                with pytest.raises(Conflict, match="正由他人办理"):
                    command()
                assert time.monotonic() - began < 3
    finally:
        stuck.dispose()
    assert work.claim(rt, item_id, who("center_clerk")).assignee == "center_clerk"
