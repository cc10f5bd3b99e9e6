"""Deploy refuses, over the API, every diagram that would fail when a case runs: 400 naming the element, a
Chinese reason, nothing deployed. A case that still fails at run time names the real element."""
from __future__ import annotations

import pytest

from ..cli.test_lint_run_time import EXPECTED, RUN_TIME, is_chinese_only
from .pipeline import INTAKE
from .test_definitions import upload


def _files(stem: str) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in sorted(RUN_TIME.glob(f"{stem}.*"))]


def _deployed_keys(api) -> set[str]:
    return {d["key"] for d in api.get("/definitions", as_="designer").json["definitions"]}


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_deploy_refuses_what_would_fail_at_run_time_naming_the_element(api, stem):
    suffix, element, rule = EXPECTED[stem]
    response = upload(api, *_files(stem))
    assert response.status_code == 400, response.json
    body = response.json
    assert body["element_id"] == element and body["file"] == stem + suffix
    assert is_chinese_only(body["message"]), body["message"]
    assert rule in {p["rule"] for p in body["problems"] if p["severity"] == "error"}
    assert all(is_chinese_only(p["message"]) for p in body["problems"])
    assert stem not in _deployed_keys(api)


TIMER_ON_DATA = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs_late" targetNamespace="http://yizhan.test">
  <bpmn:process id="late_failure" isExecutable="true">
    <bpmn:laneSet id="lanes"><bpmn:lane id="center" name="矛调中心">
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>check</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>wait</bpmn:flowNodeRef><bpmn:flowNodeRef>done</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    {first}
    <bpmn:intermediateCatchEvent id="wait" name="等待"><bpmn:timerEventDefinition id="wait_def">
      <bpmn:timeDate>working_days(data_value('wait_days', 'soon'))</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{after_start}"/>
    {middle}
    <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>
"""


def _late(with_task: bool) -> bytes:
    if with_task:
        return TIMER_ON_DATA.format(first='<bpmn:userTask id="check" name="核对"/>', after_start="check",
                                    middle='<bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="wait"/>').encode()
    return TIMER_ON_DATA.format(first="", after_start="wait", middle="").replace(
        "<bpmn:flowNodeRef>check</bpmn:flowNodeRef>", "").encode()


def test_a_timer_that_fails_on_the_case_data_when_a_case_starts_names_the_timer_in_chinese(api):
    # it reads the case's data, so deploy cannot try it whole: it deploys, then fails on this case
    assert upload(api, ("late.bpmn", _late(with_task=False))).status_code == 201
    response = api.post("/cases?process=late_failure", as_="center_clerk", json=INTAKE)
    assert response.status_code == 400, response.json
    assert response.json["element_id"] == "wait"
    assert is_chinese_only(response.json["message"]) and "?" not in response.json["message"]


def test_a_timer_that_fails_at_a_later_step_names_the_timer_and_saves_nothing(api):
    assert upload(api, ("late.bpmn", _late(with_task=True))).status_code == 201
    started = api.post("/cases?process=late_failure", as_="center_clerk", json=INTAKE)
    assert started.status_code == 201, started.json
    case_no = started.json["case_no"]
    before = api.get(f"/cases/{case_no}", as_="supervisor").json
    item = before["open_items"][0]
    response = api.post(f"/work-items/{item['id']}/complete", as_="center_clerk", json={"data": {}})
    assert response.status_code == 400
    assert response.json["element_id"] == "wait" and is_chinese_only(response.json["message"])
    after = api.get(f"/cases/{case_no}", as_="supervisor").json
    assert after["version"] == before["version"] and [i["id"] for i in after["open_items"]] == [item["id"]]


DEPARTMENT_ON_DATA = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs_dept" targetNamespace="http://yizhan.test">
  <bpmn:process id="department_on_data" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="handle" name="办理"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="department" value="data_value('place')"/>
    </spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="handle"/>
    <bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_task_whose_department_the_case_leaves_empty_fails_naming_the_task_in_chinese(api):
    assert upload(api, ("dept.bpmn", DEPARTMENT_ON_DATA.encode())).status_code == 201
    without_place = {k: v for k, v in INTAKE.items() if k != "place"}  # the intake's place is optional
    response = api.post("/cases?process=department_on_data", as_="center_clerk", json=without_place)
    assert response.status_code == 400, response.json
    assert response.json["element_id"] == "handle"
    assert is_chinese_only(response.json["message"]) and "None" not in response.json["message"]
