"""A deadline set as a task property (as the studio's panel sets it) runs the whole supervision ladder:
reminder, 督办件 to the head at the deadline, the centre and then the leadership, shorter for red cases,
and what is left of it withdrawn once the task is done."""
from __future__ import annotations

import io
from datetime import datetime

from engine import timer_firing
from engine.clock import SHANGHAI

from .pipeline import INTAKE, case, complete, item, open_elements

DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="http://yizhan.test">
  <bpmn:process id="legal_review_process" name="法律顾问审查" isExecutable="true">
    <bpmn:laneSet id="lanes"><bpmn:lane id="center" name="矛调中心">
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>grade</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>legal_review</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>done</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:scriptTask id="grade" name="定级">
      <bpmn:script>risk = 'red' if flags['mass_incident_risk'] else 'blue'</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:userTask id="legal_review" name="法律顾问审查">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="litigation_advice"/>
        <spiffworkflow:property name="deadline" value="{deadline}"/>
        <spiffworkflow:property name="ladder" value="{ladder}"/>
      </spiffworkflow:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="grade"/>
    <bpmn:sequenceFlow id="f1" sourceRef="grade" targetRef="legal_review"/>
    <bpmn:sequenceFlow id="f2" sourceRef="legal_review" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>
"""
ADVICE = {"advised_on": "2026-03-03", "advice": "协议条款合法，可以签订"}
NOTICE_REPLY = {"notice_delay_reason": "材料未齐", "notice_measures": "今日补齐", "notice_promised_date": "2026-03-10",
                "notice_responsible_person": "中心主任"}


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=SHANGHAI)


def deploy(api, deadline: str = "working_days(3)", ladder: str = "full"):
    content = DIAGRAM.format(deadline=deadline, ladder=ladder).encode()
    return api.post("/definitions", as_="designer", content_type="multipart/form-data",
                    data={"files": [(io.BytesIO(content), "legal_review.bpmn")]})


def start(api, **changes) -> str:
    response = api.post("/cases?process=legal_review_process", as_="center_clerk", json={**INTAKE, **changes})
    assert response.status_code == 201, response.json
    return response.json["case_no"]


def rungs(api, case_no: str) -> dict[str, tuple[datetime, str]]:
    return {t["element_id"].split("__")[1]: (datetime.fromisoformat(t["due_at"]).astimezone(SHANGHAI), t["state"])
            for t in case(api, case_no)["timers"] if t["element_id"].startswith("legal_review__")}


def test_a_three_working_day_deadline_climbs_the_whole_ladder_and_is_withdrawn_when_done(api, rt, clock):
    assert deploy(api).status_code == 201
    case_no = start(api)  # Monday 2 March 2026, 09:00
    task = item(api, case_no, "legal_review", "center_clerk")
    assert datetime.fromisoformat(task["due_at"]).astimezone(SHANGHAI) == at(5, 18)  # Thursday, at closing time
    assert rungs(api, case_no) == {"reminder": (at(4, 18), "waiting"), "deadline": (at(5, 18), "waiting"),
                                   "escalate": (at(9, 18), "waiting"), "leadership": (at(11, 18), "waiting")}
    clock.set(at(4, 18))
    assert timer_firing.fire_due(rt) == 1  # the reminder, one working day before
    clock.set(at(5, 18))
    assert timer_firing.fire_due(rt) == 1
    notice = item(api, case_no, "legal_review__notice", "center_head")
    assert notice["title"] == "督办件：法律顾问审查" and notice["notice_no"].startswith("督办〔2026〕")
    assert notice["required_role"] == "head" and notice["subject_item_id"] == task["id"]
    clock.set(at(9, 18))  # Fri 6 and Mon 9: two working days' grace
    assert timer_firing.fire_due(rt) == 1
    assert item(api, case_no, "legal_review", "supervisor")["escalation_level"] == 2
    complete(api, case_no, "legal_review", "center_clerk", ADVICE)
    assert open_elements(api, case_no) == set()  # the unanswered 督办件 is withdrawn
    assert rungs(api, case_no)["leadership"][1] == "cancelled"
    assert case(api, case_no)["status"] == "closed"


def test_a_red_case_reaches_the_centre_and_the_leadership_sooner(api):
    deploy(api)
    case_no = start(api, flags={"mass_incident_risk": True, "petition_risk": False, "criminal_risk": False})
    assert rungs(api, case_no)["escalate"][0] == at(6, 18)     # one working day after Thursday's deadline
    assert rungs(api, case_no)["leadership"][0] == at(9, 18)   # two: Friday and Monday


def test_an_hours_deadline_with_only_a_reminder(api):
    assert deploy(api, "hours_from_now(4)", "reminder").status_code == 201
    case_no = start(api)
    assert rungs(api, case_no) == {"reminder": (at(2, 12), "waiting"), "deadline": (at(2, 13), "waiting")}


def test_a_deadline_that_is_not_a_deadline_function_is_refused_naming_the_task(api):
    response = deploy(api, "P3D")
    assert response.status_code == 400
    problem = next(p for p in response.json["problems"] if p["rule"] == "deadline-invalid")
    assert problem["element_id"] == "legal_review" and "P3D" in problem["message"]
    response = deploy(api, ladder="sometimes")
    assert next(p for p in response.json["problems"] if p["rule"] == "deadline-invalid")["element_id"] == \
        "legal_review"
