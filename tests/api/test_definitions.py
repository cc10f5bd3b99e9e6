"""Deploying definitions over the API: versions, and clear refusals of bad or hostile uploads."""
from __future__ import annotations

import io

import pytest

TINY = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs_tiny" targetNamespace="http://yizhan.test">
  <bpmn:process id="tiny_process" name="小流程" isExecutable="true">
    <bpmn:laneSet id="lanes"><bpmn:lane id="center" name="矛调中心">
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>check</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>calc</bpmn:flowNodeRef><bpmn:flowNodeRef>done</bpmn:flowNodeRef>
    </bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="check" name="核对"/>
    <bpmn:scriptTask id="calc" name="计算"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="calc"/>
    <bpmn:sequenceFlow id="f3" sourceRef="calc" targetRef="{target}"/>
  </bpmn:process>
</bpmn:definitions>
"""


def tiny(script: str = "total = 1", target: str = "done") -> bytes:
    return TINY.format(script=script, target=target).encode()


def upload(api, *files, as_="designer"):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return api.post("/definitions", as_=as_, data=data, content_type="multipart/form-data")


def test_designer_deploys_a_new_process_and_the_list_shows_its_version(api):
    response = upload(api, ("tiny.bpmn", tiny()))
    assert response.status_code == 201, response.json
    assert response.json["key"] == "tiny_process" and response.json["version"] == 1
    listed = api.get("/definitions", as_="designer").json["definitions"]
    assert {(d["key"], d["version"]) for d in listed} >= {("tiny_process", 1), ("dispute_resolution", 1)}


def test_deploying_a_changed_file_makes_the_next_version_and_an_unchanged_one_does_not(api):
    assert upload(api, ("tiny.bpmn", tiny())).json["version"] == 1
    again = upload(api, ("tiny.bpmn", tiny()))
    assert again.status_code == 200 and again.json["version"] == 1
    changed = upload(api, ("tiny.bpmn", tiny("total = 2")))
    assert changed.status_code == 201 and changed.json["version"] == 2


def test_a_clerk_may_not_deploy(api):
    response = upload(api, ("tiny.bpmn", tiny()), as_="center_clerk")
    assert response.status_code == 403
    assert response.json["error"] == "forbidden"


def test_malformed_xml_is_refused_with_its_line(api):
    response = upload(api, ("broken.bpmn", b"<bpmn:definitions xmlns:bpmn='x'>\n<unclosed>\n"))
    assert response.status_code == 400
    assert "XML" in response.json["message"] and response.json["line"]


def test_an_external_entity_is_refused(api):
    xxe = (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
           b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>')
    response = upload(api, ("xxe.bpmn", xxe))
    assert response.status_code == 400
    assert "DOCTYPE" in response.json["message"]
    assert "root:" not in response.get_data(as_text=True)


def test_entity_expansion_is_refused(api):
    laughs = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        f'<!ENTITY lol{i} "{"&lol;" * 10 if i == 1 else f"&lol{i - 1};" * 10}">'.encode() for i in range(1, 10)
    ) + b']>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol9;</bpmn:definitions>'
    response = upload(api, ("laughs.bpmn", laughs))
    assert response.status_code == 400
    assert "实体" in response.json["message"] or "DOCTYPE" in response.json["message"]


def test_a_sequence_flow_to_nowhere_is_refused_naming_the_flow(api):
    response = upload(api, ("tiny.bpmn", tiny(target="missing_end")))
    assert response.status_code == 400
    assert response.json["element_id"] == "f3"
    assert "missing_end" in response.json["message"]


def test_a_script_that_imports_is_refused_at_deploy_with_the_element(api):
    response = upload(api, ("tiny.bpmn", tiny("x = __import__('os').getcwd()")))
    assert response.status_code == 400
    assert response.json["element_id"] == "calc"


def test_a_script_using_dunder_attributes_is_refused_at_deploy(api):
    response = upload(api, ("tiny.bpmn", tiny("x = ().__class__.__base__.__subclasses__()")))
    assert response.status_code == 400
    assert response.json["element_id"] == "calc"


def test_a_user_task_outside_any_department_lane_is_refused(api):
    no_lane = tiny().replace(b"<bpmn:flowNodeRef>check</bpmn:flowNodeRef>", b"")
    response = upload(api, ("tiny.bpmn", no_lane))
    assert response.status_code == 400
    assert response.json["element_id"] == "check"


def test_a_call_activity_to_an_unknown_process_is_refused(api):
    calling = tiny().replace(b'<bpmn:userTask id="check" name="\xe6\xa0\xb8\xe5\xaf\xb9"/>',
                             b'<bpmn:callActivity id="check" calledElement="no_such_process"/>')
    response = upload(api, ("tiny.bpmn", calling))
    assert response.status_code == 400
    assert response.json["element_id"] == "check"


def test_a_service_task_from_another_modeler_is_refused_naming_it(api):
    calling = tiny().replace(b'<bpmn:userTask id="check" name="\xe6\xa0\xb8\xe5\xaf\xb9"/>',
                             b'<bpmn:serviceTask id="check" name="send SMS"/>')
    response = upload(api, ("tiny.bpmn", calling))
    assert response.status_code == 400
    assert response.json["element_id"] == "check"
    assert "serviceTask" in response.json["message"]


def test_a_camunda_style_bare_duration_is_accepted(api):
    timer = tiny().replace(b'<bpmn:endEvent id="done"/>', b'<bpmn:endEvent id="done"/>'
                           b'<bpmn:boundaryEvent id="late" attachedToRef="check" cancelActivity="false">'
                           b'<bpmn:timerEventDefinition id="td"><bpmn:timeDuration>PT5M</bpmn:timeDuration>'
                           b'</bpmn:timerEventDefinition></bpmn:boundaryEvent>')
    response = upload(api, ("tiny.bpmn", timer))
    assert response.status_code == 201, response.json


@pytest.mark.parametrize("content", [b"", b"not xml at all", b"<html><body>hi</body></html>"])
def test_garbage_uploads_get_a_400_not_a_500(api, content):
    response = upload(api, ("junk.bpmn", content))
    assert response.status_code == 400


def test_an_upload_over_the_size_limit_gets_413(api):
    response = upload(api, ("huge.bpmn", b"<a>" + b" " * (13 * 1024 * 1024) + b"</a>"))
    assert response.status_code == 413


def test_a_process_bpmn_io_marks_not_executable_still_deploys_when_it_is_the_only_one(api):
    drawn = tiny().replace(b'isExecutable="true"', b'isExecutable="false"')
    response = upload(api, ("tiny.bpmn", drawn))
    assert response.status_code == 201, response.json
    assert response.json["key"] == "tiny_process"


def test_in_a_collaboration_only_the_executable_pool_runs(api):
    other_pool = (b'<bpmn:process id="citizen" name="\xe5\xbd\x93\xe4\xba\x8b\xe4\xba\xba" isExecutable="false">'
                  b'<bpmn:userTask id="citizen_waits" name="wait"/></bpmn:process>')
    drawn = tiny().replace(b"</bpmn:definitions>", other_pool + b"</bpmn:definitions>")
    response = upload(api, ("tiny.bpmn", drawn))
    assert response.status_code == 201, response.json
    assert response.json["key"] == "tiny_process"
