"""A pruned state (engine/bpmn/pruning.py) restores to a workflow that behaves as the whole one does.

The same case is driven twice, once saving the pruned state and once the whole, through loops, the
multi-instance acceptance, parallel branches, a department's return, boundary timers and the supervision
ladders, the court's message and follow-up visits; after every step the case as the API shows it (items,
timers, stage, timeline) and the case diagram's marks must be the same. The path tests then run again
with pruning off, so both ways finish every path the same way."""
from __future__ import annotations

import inspect
from datetime import datetime

import pytest
from sqlalchemy import delete, select, update

from engine import case_diagram, timer_firing
from engine.clock import SHANGHAI
from engine.models import Case, CaseParty, InstanceState

from . import test_court_ruling, test_pipeline_paths, test_supervision_ladder
from .pipeline import (
    ACCEPT,
    ACCEPT_DISPATCH,
    agreement,
    assessment,
    case,
    complete,
    cooperation,
    dispatch,
    redispatch,
    register,
    report,
    returned,
    visit,
)

RED = {"mass_incident_risk": True, "petition_risk": False, "criminal_risk": False}
STORED: list[int] = []  # bytes of state stored after each step of the scenario being run
IDS = {"id", "case_no", "task_id", "subject_item_id", "item_id", "notice_no", "url", "href", "warning_id", "cases"}


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=SHANGHAI)


def _without_ids(value, case_no: str):
    if isinstance(value, dict):
        return {k: _without_ids(v, case_no) for k, v in value.items() if k not in IDS}
    if isinstance(value, list):
        return [_without_ids(v, case_no) for v in value]
    if isinstance(value, str):
        return value.replace(case_no, "<case>")
    return value


def seen(api, rt, who, case_no: str) -> dict:
    """The case as its file shows it, without the ids that differ between two runs."""
    shown = case(api, case_no)
    with rt.unit_of_work(write=False) as session:
        case_id = session.scalar(select(Case.id).where(Case.case_no == case_no))
        STORED.append(len(session.get(InstanceState, case_id).state.encode()))
    marks = case_diagram.diagrams(rt, case_no, who("supervisor"))
    shown["diagrams"] = [(d.process_id, d.completed, d.current, d.failed) for d in marks.diagrams]
    shown["stepper"] = [(s.process_id, s.state) for s in marks.stages]
    return _without_ids(shown, case_no)


def fire(rt, clock, instant: datetime) -> None:
    clock.set(instant)
    timer_firing.fire_due(rt)


def _scenario(api, rt, clock, who) -> list[dict]:
    """A red case through every stage with its ladders firing, a return, the court and visits."""
    clock.set(at(9, 30))
    case_no = register(api, flags=RED, title="征地补偿引发多户聚集")["case_no"]
    views = [seen(api, rt, who, case_no)]

    def step(element, as_, data):
        complete(api, case_no, element, as_, data)
        views.append(seen(api, rt, who, case_no))

    def later(instant):
        fire(rt, clock, instant)
        views.append(seen(api, rt, who, case_no))

    step("review_acceptance", "center_clerk", ACCEPT)
    later(at(10, 10, 18))  # the assessment's ladder climbs: reminder, 督办件, escalation
    later(at(10, 14, 18))
    step("assess_case_notice", "center_head", {
        "notice_delay_reason": "研判材料未齐", "notice_measures": "今日补齐材料并召开联席会议",
        "notice_promised_date": "2025-10-20", "notice_responsible_person": "中心主任"})
    step("assess_case", "center_clerk", assessment(risk="red", cooperating=("justice_office",)))
    step("dispatch", "center_head", dispatch())
    step("accept_dispatch", "people_mediation_clerk", ACCEPT_DISPATCH)
    step("accept_dispatch", "justice_office_clerk", returned("本所不负责物业类纠纷"))
    step("redispatch", "center_head", redispatch(cooperating=("housing",)))
    step("accept_dispatch", "housing_clerk", ACCEPT_DISPATCH)
    later(at(10, 20, 18))
    step("cooperate", "housing_clerk", cooperation())
    step("stabilise", "police_clerk", {"measures": "每日走访，专人盯守", "responsible_person": "刘警官",
                                        "status": "stable", "notes": ""})
    later(at(10, 28, 18))
    step("resolve", "people_mediation_clerk", report())
    step("sign_agreement", "people_mediation_clerk", agreement(apply=True))
    step("submit_confirmation", "people_mediation_clerk",
         {"applied_on": "2025-11-11", "court_name": "县人民法院", "applicants": "王建国、李秀英"})
    decided = api.post(f"/cases/{case_no}/messages", as_="court_clerk",
                       json={"message": "judicial_decision",
                             "payload": {"confirmed": True, "ruling_no": "（2025）确字第8号", "reason": ""}})
    assert decided.status_code == 200, decided.json
    views.append(seen(api, rt, who, case_no))
    later(at(11, 11, 18))  # the first visit's reminder and 督办件
    for day in range(5):
        later(at(11, 12 + day, 18))
        step("follow_up_visit", "people_mediation_clerk", visit("in_progress"))
    step("follow_up_visit", "people_mediation_clerk", visit("fulfilled"))
    assert views[-1]["status"] == "closed"
    return views


def _set_pruning(app, rt, on: bool) -> None:
    app.extensions["yizhan"].prune_state = on
    rt.prune_state = on


def test_a_case_saved_pruned_shows_and_goes_on_as_one_saved_whole(api, app, rt, clock, who):
    _set_pruning(app, rt, True)
    STORED.clear()
    pruned = _scenario(api, rt, clock, who)
    pruned_sizes = list(STORED)
    with rt.unit_of_work() as session:  # the second case is to be the first's twin, not its repeat (预警)
        session.execute(delete(CaseParty))
        session.execute(update(Case).values(place_key=None))
    _set_pruning(app, rt, False)
    STORED.clear()
    whole = _scenario(api, rt, clock, who)
    assert max(pruned_sizes) < max(STORED) / 2  # the pruned state is the smaller by far
    assert len(pruned) == len(whole)
    for number, (mine, theirs) in enumerate(zip(pruned, whole)):
        assert mine == theirs, f"step {number}"


PATH_TESTS = [test for module in (test_pipeline_paths, test_supervision_ladder, test_court_ruling)
              for name, test in vars(module).items() if name.startswith("test_") and callable(test)]


@pytest.mark.parametrize("path", PATH_TESTS, ids=lambda test: test.__name__[5:])
def test_every_path_ends_the_same_with_the_whole_state_saved(path, request, app, rt):
    _set_pruning(app, rt, False)
    path(**{name: request.getfixturevalue(name) for name in inspect.signature(path).parameters})
