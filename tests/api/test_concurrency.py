"""Two clients completing the same task at once: exactly one wins, and the saved case is the winner's."""
from __future__ import annotations

import threading

from .pipeline import case, item, register

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
