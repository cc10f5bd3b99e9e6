"""A step that cannot be done as written fails there, saying why as staff would be told: the task is not in
that inbox, the form refuses the data (naming the field), the sender may not send the message, the clock
cannot go back."""
from __future__ import annotations

import pytest

from engine.scenarios.format import parse
from engine.scenarios.runner import run_all
from engine.scenarios.world import DiagramSource
from tests.conftest import WORKFLOWS

INTAKE = """name: 试一下
intake:
  channel: walk_in
  dispute_type: debt
  title: 借款未还
  description: 朋友借款两万元到期未还
  place: 城关镇
  amount: 20000
  parties: [{name: 张三, id_number: "110101198001060018", phone: "13800000001", role: applicant}]
  flags: {mass_incident_risk: false, petition_risk: false, criminal_risk: false}
steps:
"""
CASES = {
    "not_in_inbox": ("  - {complete: dispatch, data: {instructions: 请接单}}",
                     1, "dispatch", "任务 dispatch 不在待办中（本案全部待办：center:review_acceptance）"),
    "wrong_department": ("  - {complete: review_acceptance, department: police, data: {accepted: true}}",
                         1, "review_acceptance", "任务 review_acceptance 不在police 的待办中"),
    "form_refuses": ("  - {complete: review_acceptance, data: {accepted: maybe}}",
                     1, "review_acceptance", "办结 review_acceptance 未能完成：表单填写有误（accepted："),
    "not_the_sender": ("  - {message: judicial_decision, from: police, payload: {confirmed: true}}",
                       1, None, "收到消息 judicial_decision（police） 未能完成：无权向该案件发送此消息"),
    "not_waiting": ("  - {message: judicial_decision, payload: {confirmed: true}}",
                    1, None, "收到消息 judicial_decision 未能完成：案件 "),
    "clock_back": ("  - {clock: {to: '2026-03-01T09:00:00+08:00'}}", 1, None, "时钟不能倒退"),
    "later_step": ("  - {expect: {stage: intake}}\n  - {expect: {risk: red}}", 2, None,
                   "期望风险等级为 red，实际为 未定"),
}


@pytest.fixture(scope="module")
def results():
    scenarios = [parse(INTAKE + steps + "\n", f"{name}.yaml") for name, (steps, *_) in CASES.items()]
    return {r.file[:-len(".yaml")]: r for r in run_all(scenarios, DiagramSource(WORKFLOWS))}


@pytest.mark.parametrize("name", CASES)
def test_a_step_that_cannot_be_done_fails_there_saying_why(results, name):
    _, number, element, text = CASES[name]
    failed = results[name].failed_step
    assert failed is not None and failed.number == number
    assert failed.failure.text.startswith(text), failed.failure.text
    if element:
        assert failed.failure.element_id == element
    if name in ("not_the_sender", "not_waiting"):  # pointed at the event that catches the message
        assert (failed.process_id, failed.file) == ("agreement_confirmation", "agreement_confirmation.bpmn")
