"""`yizhan lint`: every problem of a folder of broken diagrams, with its element; the shipped ones pass."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from web.cli import main

from ..conftest import WORKFLOWS

BROKEN = Path(__file__).parent / "broken_diagrams"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<element>[^:]+): (?P<rule>[a-z-]+): (?P<severity>错误|警告)：(?P<message>.+)$")


def lint(*args: str) -> tuple[int, list[dict], str]:
    """Run the real `yizhan lint` command; return its exit code, its parsed lines and everything it printed."""
    command = Path(sys.executable).parent / "yizhan"
    done = subprocess.run([str(command), "lint", *args], capture_output=True, text=True, timeout=120)
    lines = [LINE.match(line) for line in done.stdout.splitlines()]
    assert all(lines), done.stdout
    return done.returncode, [m.groupdict() for m in lines], done.stdout + done.stderr


def test_the_shipped_diagrams_have_no_errors():
    code, problems, output = lint(str(WORKFLOWS))
    assert code == 0, output
    assert all(p["severity"] == "警告" for p in problems)


def test_a_folder_of_broken_diagrams_lists_every_problem_with_its_element_and_exits_1():
    code, problems, output = lint(str(BROKEN))
    assert code == 1
    assert "Traceback" not in output
    found = {(Path(p["file"]).name, p["element"], p["rule"]) for p in problems if p["severity"] == "错误"}
    assert found == {
        ("binary.bpmn", "-", "xml-invalid"),
        ("truncated.bpmn", "-", "xml-invalid"),
        ("xxe.bpmn", "-", "xml-invalid"),
        ("page.bpmn", "-", "not-bpmn"),
        ("duplicate_ids.bpmn", "same", "duplicate-id"),
        ("calls_a.bpmn", "call_missing", "call-missing"),
        ("calls_a.bpmn", "call_b", "call-cycle"),
        ("calls_b.bpmn", "call_a_again", "call-cycle"),
        ("flow_problems.bpmn", "f_nowhere", "flow-invalid"),
        ("no_department.bpmn", "orphan_task", "task-no-department"),
        ("no_department.bpmn", "camunda_task", "task-no-department"),
        ("no_department.bpmn", "missing_form_task", "task-unknown-form"),
        ("timers_and_scripts.bpmn", "escape", "script-refused"),
        ("timers_and_scripts.bpmn", "groovy", "script-language"),
        ("timers_and_scripts.bpmn", "send_sms", "service-task"),
        ("timers_and_scripts.bpmn", "wait_bad_duration", "timer-invalid"),
        ("timers_and_scripts.bpmn", "wait_duration_as_date", "timer-invalid"),
        ("timers_and_scripts.bpmn", "wait_cron", "timer-invalid"),
        ("timers_and_scripts.bpmn", "wait_unknown_function", "timer-invalid"),
        ("timers_and_scripts.bpmn", "f_method", "juel-unsupported"),
        ("timers_and_scripts.bpmn", "wait_court", "message-never-sent"),
        ("flow_problems.bpmn", "f_no", "condition-unknown-variable"),
        ("risky_table.dmn", "rule_escape_in", "dmn-invalid"),
        ("risky_table.dmn", "rule_import_out", "dmn-invalid"),
        ("two_decisions.dmn", "-", "dmn-invalid"),
    }
    warnings = {(Path(p["file"]).name, p["element"], p["rule"]) for p in problems if p["severity"] == "警告"}
    assert {("flow_problems.bpmn", "decide", "gateway-no-default"),
            ("flow_problems.bpmn", "forgotten", "unreachable"),
            ("no_department.bpmn", "camunda_task", "task-no-form")} <= warnings
    assert any("approval_level" in p["message"] for p in problems if p["element"] == "f_no")
    by_element = {p["element"]: p["message"] for p in problems if p["severity"] == "错误"}
    assert "finance-approvers" in by_element["camunda_task"] and "组映射" in by_element["camunda_task"]
    assert "cron" in by_element["wait_cron"] and "R/PT5M" in by_element["wait_cron"]
    assert any("只能有一个决策" in p["message"] for p in problems if p["file"].endswith("two_decisions.dmn"))


def test_a_centre_can_raise_a_warning_to_an_error_and_add_a_rule_of_its_own(tmp_path):
    settings = tmp_path / "checks.toml"
    settings.write_text('''
[severity]
unreachable = "error"
task-no-deadline = "off"
flow-invalid = "off"

[[rule]]
id = "lane-task-deadline"
message = "部门泳道中的人工任务须设置办理期限"
elements = ["userTask"]
in_department_lane = true
require = ["deadline"]
''', encoding="utf-8")
    code, problems, _ = lint("--settings", str(settings), str(WORKFLOWS), str(BROKEN / "flow_problems.bpmn"))
    assert code == 1
    rules = {(p["element"], p["rule"], p["severity"]) for p in problems}
    assert ("forgotten", "unreachable", "错误") in rules
    assert ("follow_up_escalated", "lane-task-deadline", "错误") in rules  # a shipped task without a deadline
    assert ("redispatch", "lane-task-deadline", "错误") not in rules  # 重新派单 has its own deadline
    assert ("f_nowhere", "flow-invalid", "错误") in rules        # a rule guarding run time cannot be turned off
    assert not any(rule == "task-no-deadline" for _, rule, _ in rules)


def test_a_bad_settings_file_is_refused_with_a_message(tmp_path):
    settings = tmp_path / "checks.toml"
    settings.write_text('[severity]\nno-such-rule = "error"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--settings", str(settings), str(WORKFLOWS)])
    assert result.exit_code != 0
    assert "no-such-rule" in result.output and "Traceback" not in result.output


def test_the_rules_are_listed_with_their_severity():
    result = CliRunner().invoke(main, ["lint", "--rules"])
    assert result.exit_code == 0
    assert "task-no-department: error（固定）" in result.output
    assert "gateway-no-default: warning" in result.output
