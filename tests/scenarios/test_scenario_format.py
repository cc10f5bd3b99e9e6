"""A scenario file that cannot be run as written is refused with a message naming the file, the step and what
is wrong; dates stay text, as the forms expect them."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from engine.scenarios.format import DEFAULT_START, ScenarioError, parse
from web.cli import main

HEAD = """name: 试一下
intake: {channel: walk_in, title: 测试}
"""


def refused(text: str, file: str = "s.yaml") -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        parse(text, file)
    return caught.value


def test_a_well_formed_scenario_reads_its_steps_in_order_with_dates_kept_as_text():
    scenario = parse(HEAD + """steps:
  - complete: sign_agreement
    department: people_mediation
    data: {signed_on: 2026-03-10, apply_judicial_confirmation: false}
    expect: {inbox: {people_mediation: submit_confirmation, court: []}, notice: {level: 1}}
  - clock: {working_days: 2}
  - message: judicial_decision
    payload: {confirmed: true}
  - expect: {variables: {agreement.terms: 赔偿}}
""", "s.yaml")
    assert scenario.start == DEFAULT_START and scenario.process == "dispute_resolution"
    complete, clock, message, check = scenario.steps
    assert complete.data == {"signed_on": "2026-03-10", "apply_judicial_confirmation": False}
    assert complete.expect.inbox == {"people_mediation": ["submit_confirmation"], "court": []}
    assert complete.expect.notices[0].level == 1
    assert clock.clock.working_days == 2 and clock.describe() == "时钟前进 2 个工作日"
    assert message.message == "judicial_decision" and message.data == {"confirmed": True}
    assert check.kind is None and check.expect.variables == {"agreement.terms": "赔偿"}


@pytest.mark.parametrize("steps, expected", [
    ("  - {complete: resolve, clock: {days: 1}}", "s.yaml：第1步（第4行）：一步只能做一件事"),
    ("  - {complete: resolve, by: police}", "s.yaml：第1步（第4行）：这一步中有不认识的键 by"),
    ("  - {note: 只写了说明}", "s.yaml：第1步（第4行）：这一步什么也没做"),
    ("  - {clock: {weeks: 1}}", "s.yaml：第1步（第4行）：clock 中有不认识的键 weeks（可用：working_days、"),
    ("  - {clock: {working_days: -2}}", "s.yaml：第1步：clock.working_days 须是正整数，而不是 -2"),
    ("  - {clock: {to: next monday}}", "s.yaml：第1步：clock.to 须是 ISO 日期或时间"),
    ("  - {complete: resolve, data: [1, 2]}", "s.yaml：第1步（第4行）：任务 resolve 的 data 须是对象"),
    ("  - {expect: {}}", "s.yaml：第1步（第4行）：expect 是空的"),
    ("  - {expect: {stage: referral}}\n  - {expect: {inbox: [dispatch]}}", "s.yaml：第2步：expect.inbox 须是对象"),
    ("  - {expect: {status: finished}}", "s.yaml：第1步：expect.status 须是 open、closed 之一"),
    ("  - {expect: {notice: {level: 4}}}", "s.yaml：第1步：expect.notice.level 须是 1、2 或 3"),
    ("  - {expect: {risk: red, colour: red}}", "s.yaml：第1步（第4行）：expect 中有不认识的键 colour"),
    ("  - {message: judicial_decision, payload: yes}", "s.yaml：第1步（第4行）：消息 judicial_decision 的 payload"),
])
def test_a_step_written_wrong_is_refused_naming_the_step_and_the_mistake(steps, expected):
    error = refused(HEAD + "steps:\n" + steps + "\n")
    assert error.message.startswith(expected), error.message


@pytest.mark.parametrize("text, expected", [
    ("steps: [{expect: {stage: intake}}]\nintake: {a: 1}\n", "s.yaml：缺少 name"),
    ("name: x\nsteps: [{expect: {stage: intake}}]\n", "s.yaml：缺少 intake"),
    ("name: x\nintake: {a: 1}\nsteps: []\n", "s.yaml：缺少 steps：至少要有一步"),
    ("name: x\nintake: {a: 1}\nsteps: [{expect: {stage: a}}]\nstage: b\n", "s.yaml（第1行）：场景中有不认识的键 stage"),
    ("- just\n- a list\n", "s.yaml：文件的顶层须是一个对象"),
    ("name: x\nintake: {a: 1\nsteps: []\n", "s.yaml（第3行）：不是有效的 YAML"),
    ("name: x\nstart: yesterday\nintake: {a: 1}\nsteps: [{expect: {stage: a}}]\n", "s.yaml：start 须是 ISO 日期或时间"),
])
def test_a_file_written_wrong_is_refused_naming_the_file(text, expected):
    error = refused(text)
    assert error.message.startswith(expected), error.message


def test_a_json_scenario_with_a_syntax_error_names_its_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"name": "x",\n "intake": {"a": 1},\n "steps": [}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["scenario", "run", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert any(line.startswith(f"FAIL {path}: {path}（第3行）：不是有效的 JSON") for line in lines), result.output
    assert lines[-1] == "0 passed, 1 failed"


def test_a_file_that_does_not_parse_fails_while_the_others_still_run(tmp_path):
    (tmp_path / "a_bad.yaml").write_text(HEAD + "steps:\n  - {clock: {days: 0}}\n", encoding="utf-8")
    (tmp_path / "b_good.yaml").write_text(HEAD.replace("{channel: walk_in, title: 测试}", """
  channel: walk_in
  dispute_type: debt
  title: 借款未还
  description: 朋友借款两万元到期未还
  place: 城关镇
  amount: 20000
  parties: [{name: 张三, id_number: "110101198001060018", phone: "13800000001", role: applicant}]
  flags: {mass_incident_risk: false, petition_risk: false, criminal_risk: false}""")
                                          + "steps:\n  - expect: {inbox: {center: [review_acceptance]}}\n",
                                          encoding="utf-8")
    result = CliRunner().invoke(main, ["scenario", "run", str(tmp_path)])
    lines = result.output.strip().splitlines()
    bad = "a_bad.yaml：第1步：clock.days 须是正整数，而不是 0"
    assert any(bad in line and line.startswith("FAIL") for line in lines)
    assert any(line.startswith("PASS") and "b_good.yaml" in line for line in lines)
    assert lines[-1] == "1 passed, 1 failed" and result.exit_code == 1


def test_an_intake_the_form_refuses_fails_at_the_registration_naming_the_field(tmp_path):
    path = tmp_path / "bad_intake.yaml"
    path.write_text(HEAD + "steps:\n  - expect: {stage: intake}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scenario", "run", str(path)])
    verdict = next(line for line in result.output.splitlines() if line.startswith("FAIL"))
    assert ":第0步: 无法登记：登记信息不完整或有误" in verdict and "parties" in verdict
    assert result.exit_code == 1


def test_an_unknown_against_is_a_usage_error():
    result = CliRunner().invoke(main, ["scenario", "run", "--against", "yesterday"])
    assert result.exit_code == 2 and "--against" in result.output
