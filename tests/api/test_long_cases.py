"""A case that lives long: thousands of turns of a loop, and many follow-up visits of the pipeline. Each
step offers the next task, and the case closes only when its diagram reaches an end event.

SpiffWorkflow's task iterator stops 1,000 levels down the task tree and a loop adds levels every turn:
left alone, the library reported no ready task and a completed workflow after some 500 turns and the case
was closed (已结案) where its diagram cannot end. The steps are driven through the engine's services
(the same calls the API makes) to keep 2,000 of them quick."""
from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from engine import cases, work
from engine.models import Case, InstanceState, WorkItem

from .pipeline import INTAKE, agreement, case, complete, visit
from .test_pipeline_paths import _to_agreement

DIAGRAM = (Path(__file__).parent / "diagrams" / "long_loop.bpmn").read_bytes()
TURNS = 2000


def deploy_loop(api) -> None:
    response = api.post("/definitions", as_="designer", content_type="multipart/form-data",
                        data={"files": [(io.BytesIO(DIAGRAM), "long_loop.bpmn")]})
    assert response.status_code == 201, response.json


def open_items(rt, case_no: str) -> list[WorkItem]:
    with rt.unit_of_work(write=False) as session:
        case_id = session.scalar(select(Case.id).where(Case.case_no == case_no))
        return list(session.scalars(select(WorkItem).where(WorkItem.case_id == case_id, WorkItem.state == "open")))


def stored_state_bytes(rt, case_no: str) -> int:
    with rt.unit_of_work(write=False) as session:
        case_id = session.scalar(select(Case.id).where(Case.case_no == case_no))
        return len(session.get(InstanceState, case_id).state.encode())


def test_a_looping_case_offers_its_next_task_for_2000_turns_and_closes_only_at_its_end_event(api, rt, who):
    deploy_loop(api)
    clerk = who("center_clerk")
    case_no = cases.start(rt, dict(INTAKE), clerk, process="long_loop").case_no
    [item] = open_items(rt, case_no)
    sizes = []
    for turn in range(1, TURNS + 1):
        done = work.complete(rt, item.id, {"again": True}, clerk)
        assert done.status == "open", f"turn {turn}: the case was closed while its diagram loops"
        assert [i.element_id for i in done.next_items] == ["handle"], f"turn {turn}: no next task"
        item = done.next_items[0]
        if turn in (10, TURNS):
            sizes.append(stored_state_bytes(rt, case_no))
    # what a case keeps does not grow with its age
    assert sizes[1] < sizes[0] * 1.5, sizes
    done = work.complete(rt, item.id, {"again": False}, clerk)
    assert done.status == "closed" and done.next_items == []
    closed = case(api, case_no)
    assert closed["status"] == "closed" and closed["open_items"] == []
    assert len([i for i in closed["items"] if i["state"] == "completed"]) == TURNS + 1


def test_a_pipeline_case_with_many_follow_up_visits_ends_only_when_the_agreement_is_fulfilled(api):
    case_no = _to_agreement(api)
    complete(api, case_no, "sign_agreement", "people_mediation_clerk", agreement(apply=False))
    for turn in range(60):
        done = complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("in_progress"))
        assert done["status"] == "open", f"visit {turn}"
        assert [i["element_id"] for i in done["next_items"]] == ["follow_up_visit"]
    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("fulfilled"))
    closed = case(api, case_no)
    assert closed["status"] == "closed" and closed["outcome"] == "settled" and closed["open_items"] == []
