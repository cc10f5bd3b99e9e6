"""Supervisors supervise and admins administer: neither does a department's work. Messages come only from the
system that sends them, with the payload their schema describes; an outsider learns nothing of the case."""
from __future__ import annotations

from datetime import timedelta

import pytest

from engine import timer_firing

from .contract import check
from .pipeline import (
    INTAKE,
    NOT_ACCEPTED,
    accept_and_assess,
    agreement,
    case,
    complete,
    dispatch,
    item,
    register,
    report,
    through_referral,
)

ACCEPT = {"accepted": True}
REPLY = {"notice_delay_reason": "材料不全", "notice_measures": "今日联系当事人补齐材料",
         "notice_promised_date": "2026-03-06", "notice_responsible_person": "张主任"}
APPLICATION = {"applied_on": "2026-03-02", "court_name": "县人民法院", "applicants": "王建国、李秀英"}
OVERSEERS = ("supervisor", "admin")


def _claimed_centre_item(api) -> dict:
    case_no = register(api)["case_no"]
    target = item(api, case_no, "review_acceptance", "center_clerk")
    assert api.post(f"/work-items/{target['id']}/claim", as_="center_clerk").status_code == 200
    return target


@pytest.mark.parametrize("who", OVERSEERS)
def test_supervisors_and_admins_do_no_departments_work(api, who):
    held = _claimed_centre_item(api)
    pool = item(api, register(api)["case_no"], "review_acceptance", "center_clerk")
    dispatched = register(api)["case_no"]
    accept_and_assess(api, dispatched)
    complete(api, dispatched, "dispatch", "center_head", dispatch())
    acceptance = item(api, dispatched, "accept_dispatch", "people_mediation_clerk")
    refused = {
        "claim": api.post(f"/work-items/{pool['id']}/claim", as_=who),
        "draft": api.post(f"/work-items/{pool['id']}/draft", as_=who, json={"data": ACCEPT}),
        "complete": api.post(f"/work-items/{pool['id']}/complete", as_=who, json={"data": ACCEPT}),
        "release": api.post(f"/work-items/{held['id']}/release", as_=who),
        "complete held": api.post(f"/work-items/{held['id']}/complete", as_=who, json={"data": ACCEPT}),
        "return": api.post(f"/work-items/{acceptance['id']}/return", as_=who, json={"reason": "不归本部门"}),
    }
    assert {name: r.status_code for name, r in refused.items()} == {name: 403 for name in refused}
    for name, path in (("claim", "/work-items/{item_id}/claim"), ("complete", "/work-items/{item_id}/complete"),
                       ("release", "/work-items/{item_id}/release"), ("return", "/work-items/{item_id}/return")):
        check(api, refused[name], path, "post")
    # nothing changed: the pool item is still unclaimed, the held one still the clerk's
    assert api.get(f"/work-items/{pool['id']}", as_="center_clerk").json["assignee"] is None
    assert api.get(f"/work-items/{held['id']}", as_="center_clerk").json["assignee"] == "center_clerk"
    assert api.get(f"/work-items/{acceptance['id']}", as_="people_mediation_clerk").json["state"] == "open"


@pytest.mark.parametrize("who", OVERSEERS)
def test_supervisors_and_admins_register_no_cases(api, who):
    refused = api.post("/cases", as_=who, json=INTAKE)
    assert refused.status_code == 403
    check(api, refused, "/cases", "post")


def test_supervisors_read_every_item_and_may_hand_it_on_but_admins_may_not(api):
    held = _claimed_centre_item(api)
    assert api.get(f"/work-items/{held['id']}", as_="supervisor").status_code == 200
    moved = api.post(f"/work-items/{held['id']}/reassign", as_="supervisor", json={"assignee": "center_head"})
    assert moved.status_code == 200, moved.json
    check(api, moved, "/work-items/{item_id}/reassign", "post")
    assert moved.json["assignee"] == "center_head"
    refused = api.post(f"/work-items/{held['id']}/reassign", as_="admin", json={"assignee": "center_clerk"})
    assert refused.status_code == 403
    # a clerk may not hand work on either, but the department head may
    assert api.post(f"/work-items/{held['id']}/reassign", as_="center_clerk",
                    json={"assignee": "center_clerk"}).status_code == 403
    assert api.post(f"/work-items/{held['id']}/reassign", as_="center_head",
                    json={"assignee": "center_clerk"}).status_code == 200


def test_a_heads_supervision_notice_is_answered_by_the_head_alone(api, rt, clock):
    """The ladder raises a 督办件 to the centre's head; supervisors see it, only the head answers it."""
    late = register(api)["case_no"]
    clock.advance(timedelta(days=3))
    timer_firing.fire_due(rt)
    notice = item(api, late, "review_acceptance_notice", "center_head")
    assert notice["notice_no"] and notice["required_role"] == "head"
    assert api.get(f"/work-items/{notice['id']}", as_="supervisor").status_code == 200
    listed = api.get("/work-items?department=center", as_="supervisor").json["items"]
    assert notice["id"] in [i["id"] for i in listed]
    for who in ("supervisor", "admin", "center_clerk"):
        answer = api.post(f"/work-items/{notice['id']}/complete", as_=who, json={"data": REPLY})
        assert answer.status_code == 403, who
        assert api.post(f"/work-items/{notice['id']}/claim", as_=who).status_code == 403, who
    assert api.post(f"/work-items/{notice['id']}/claim", as_="center_head").status_code == 200
    answered = api.post(f"/work-items/{notice['id']}/complete", as_="center_head", json={"data": REPLY})
    assert answered.status_code == 200, answered.json


def test_an_inbox_lists_only_the_items_its_reader_may_open(api):
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no)
    dispatch_item = item(api, case_no, "dispatch", "center_head")
    for who in ("center_clerk", "police_clerk", "designer"):
        listed = api.get("/work-items", as_=who).json["items"]
        for entry in listed:
            assert api.get(f"/work-items/{entry['id']}", as_=who).status_code == 200, (who, entry["element_id"])
        assert dispatch_item["id"] not in [i["id"] for i in listed]
    assert api.get(f"/work-items/{dispatch_item['id']}", as_="center_clerk").status_code == 403
    everyone = api.get("/work-items", as_="supervisor").json["items"]
    assert dispatch_item["id"] in [i["id"] for i in everyone]


def test_a_misspelt_assignee_is_refused_naming_the_field_not_read_as_the_unclaimed_pool(api):
    register(api)
    refused = api.get("/work-items?assignee=center_clrek", as_="center_clerk")
    assert refused.status_code == 400 and list(refused.json["fields"]) == ["assignee"]
    check(api, refused, "/work-items", "get")
    assert api.get("/work-items?assignee=none", as_="center_clerk").json["total"] == 1
    assert api.get("/work-items?assignee=center_clerk", as_="center_clerk").json["total"] == 0


def _applied(api) -> str:
    """A case whose parties applied for judicial confirmation: it waits for the court's judicial_decision."""
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no, cooperating=())
    through_referral(api, case_no, cooperating=())
    complete(api, case_no, "resolve", "people_mediation_clerk", report())
    complete(api, case_no, "sign_agreement", "people_mediation_clerk", agreement(apply=True))
    complete(api, case_no, "submit_confirmation", "people_mediation_clerk", APPLICATION)
    return case_no


def _message(api, case_no, as_, payload):
    return api.post(f"/cases/{case_no}/messages", as_=as_, json={"message": "judicial_decision", "payload": payload})


def test_only_the_court_delivers_its_decision(api):
    case_no = _applied(api)
    before = case(api, case_no)["version"]
    for who in ("supervisor", "admin", "people_mediation_clerk", "people_mediation_head", "center_head"):
        refused = _message(api, case_no, who, {"confirmed": True})
        assert refused.status_code == 403, who
        check(api, refused, "/cases/{case_no}/messages", "post")
    assert case(api, case_no)["version"] == before
    decided = _message(api, case_no, "court_clerk", {"confirmed": True, "ruling_no": "（2026）确字第9号"})
    assert decided.status_code == 200, decided.json


def test_an_outsider_learns_nothing_of_whether_the_case_exists_or_is_closed(api):
    closed = register(api)["case_no"]
    complete(api, closed, "review_acceptance", "center_clerk", NOT_ACCEPTED)
    assert case(api, closed)["status"] == "closed"
    open_case = register(api)["case_no"]
    answers = [_message(api, number, "police_clerk", payload)
               for number in ("2026-999999", closed, open_case) for payload in ({"confirmed": True}, {})]
    assert {a.status_code for a in answers} == {403}
    assert len({a.get_data() for a in answers}) == 1
    # the court itself is told what is wrong
    assert _message(api, "2026-999999", "court_clerk", {"confirmed": True}).status_code == 404
    assert _message(api, closed, "court_clerk", {"confirmed": True}).status_code == 409


@pytest.mark.parametrize(("payload", "field"), [
    ({"confirmed": "false"}, "payload.confirmed"),
    ({"confirmed": "true"}, "payload.confirmed"),
    ({"confirmed": 0}, "payload.confirmed"),
    ({"confirmed": None}, "payload.confirmed"),
    ({}, "payload.confirmed"),
    ({"confirmed": True, "confirmd": False}, "payload.confirmd"),
    ({"confirmed": False, "ruling_no": ["（2026）确字第9号"]}, "payload.ruling_no"),
    ({"confirmed": False, "reason": "x" * 2001}, "payload.reason"),
])
def test_a_decision_must_match_its_schema_naming_the_field(api, payload, field):
    case_no = _applied(api)
    before = case(api, case_no)
    refused = _message(api, case_no, "court_clerk", payload)
    assert refused.status_code == 400, refused.json
    check(api, refused, "/cases/{case_no}/messages", "post")
    assert list(refused.json["fields"]) == [field]
    after = case(api, case_no)
    assert after["version"] == before["version"] and after["open_items"] == before["open_items"]


def test_the_documented_payload_is_the_one_enforced(api):
    from engine.messages import PAYLOAD_SCHEMAS
    documented = api.get("/openapi.json").json["components"]["schemas"]["JudicialDecisionPayload"]
    enforced = PAYLOAD_SCHEMAS["judicial_decision"]
    assert documented["required"] == enforced["required"] == ["confirmed"]
    assert documented["additionalProperties"] is False
    assert set(documented["properties"]) == set(enforced["properties"])


POLICE_MESSAGE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="http://yizhan.test">
  <bpmn:message id="msg_police_report" name="police_report"/>
  <bpmn:process id="police_report_process" name="等待派出所回告" isExecutable="true">
    <bpmn:laneSet id="lanes"><bpmn:lane id="police" name="派出所">
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>wait_report</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>done</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="wait_report" name="派出所回告">
      <bpmn:messageEventDefinition id="wait_report_message" messageRef="msg_police_report"><bpmn:extensionElements>
        <spiffworkflow:messageVariable>police_report</spiffworkflow:messageVariable></bpmn:extensionElements>
      </bpmn:messageEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="wait_report"/>
    <bpmn:sequenceFlow id="f1" sourceRef="wait_report" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_message_no_rule_names_comes_from_the_lane_that_waits_for_it(api):
    import io
    deployed = api.post("/definitions", as_="designer", content_type="multipart/form-data",
                        data={"files": [(io.BytesIO(POLICE_MESSAGE.encode()), "police_report.bpmn")]})
    assert deployed.status_code == 201, deployed.json
    started = api.post("/cases?process=police_report_process", as_="center_clerk", json=INTAKE)
    assert started.status_code == 201, started.json
    case_no = started.json["case_no"]

    def send(who, number=case_no):
        return api.post(f"/cases/{number}/messages", as_=who, json={"message": "police_report", "payload": {"x": 1}})
    outsiders = [send(who) for who in ("court_clerk", "supervisor", "center_clerk")]
    outsiders.append(send("court_clerk", "2026-999999"))
    assert {r.status_code for r in outsiders} == {403} and len({r.get_data() for r in outsiders}) == 1
    assert send("police_clerk").status_code == 200
    assert case(api, case_no)["status"] == "closed"
    assert send("police_clerk").status_code == 409
    assert send("court_clerk").get_data() == outsiders[0].get_data()


def test_a_supervisor_works_the_items_the_ladder_gives_a_supervisor(api, rt, clock):
    """A resolution left far past its limit is escalated to the centre's supervisors (升级化解): theirs to do."""
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no, cooperating=())
    through_referral(api, case_no, cooperating=())
    for _ in range(12):
        clock.advance(timedelta(days=7))
        timer_firing.fire_due(rt)
    escalated = item(api, case_no, "resolve_escalated", "supervisor")
    assert escalated["required_role"] == "supervisor"
    assert api.post(f"/work-items/{escalated['id']}/claim", as_="center_head").status_code == 403
    assert api.post(f"/work-items/{escalated['id']}/claim", as_="admin").status_code == 403
    assert api.post(f"/work-items/{escalated['id']}/claim", as_="supervisor").status_code == 200
    done = api.post(f"/work-items/{escalated['id']}/complete", as_="supervisor", json={"data": report()})
    assert done.status_code == 200, done.json
