"""`yizhan lint` refuses what would fail when a case runs, one small diagram per class, naming the element
and saying why in Chinese; the shipped diagrams stay clean."""
from __future__ import annotations

import re
from pathlib import Path

from ..conftest import WORKFLOWS
from .test_lint import lint

RUN_TIME = Path(__file__).parent / "run_time_diagrams"
# stem -> (file suffix, element the refusal names, rule)
EXPECTED = {
    "timer_duration_not_iso": (".bpmn", "x", "timer-invalid"),
    "timer_duration_built": (".bpmn", "x", "timer-invalid"),
    "timer_duration_empty": (".bpmn", "x", "timer-invalid"),
    "timer_duration_given_instant": (".bpmn", "x", "timer-invalid"),
    "timer_date_adds_number": (".bpmn", "x", "timer-invalid"),
    "timer_date_wrong_arity": (".bpmn", "x", "timer-invalid"),
    "timer_date_unknown_function": (".bpmn", "x", "timer-invalid"),
    "timer_date_bad_argument": (".bpmn", "x", "timer-invalid"),
    "timer_date_not_iso": (".bpmn", "x", "timer-invalid"),
    "timer_date_unknown_variable": (".bpmn", "x", "timer-invalid"),
    "timer_date_given_duration": (".bpmn", "x", "timer-invalid"),
    "timer_cycle_malformed": (".bpmn", "x", "timer-invalid"),
    "timer_cycle_negative": (".bpmn", "x", "timer-invalid"),
    "timer_cycle_zero_period": (".bpmn", "x", "timer-invalid"),
    "timer_cycle_given_date": (".bpmn", "x", "timer-invalid"),
    "timer_fails_on_a_form_choice": (".bpmn", "x", "timer-invalid"),
    "timer_reads_a_missing_value": (".bpmn", "x", "timer-invalid"),
    "deadline_fails": (".bpmn", "x", "deadline-invalid"),
    "dmn_input_syntax": (".dmn", "in1", "dmn-invalid"),
    "dmn_input_unknown_variable": (".dmn", "in1", "dmn-invalid"),
    "dmn_entry_syntax": (".dmn", "r1_in1", "dmn-invalid"),
    "dmn_entry_fails": (".dmn", "r1_in1", "dmn-invalid"),
    "dmn_entry_wrong_type": (".dmn", "r1_in1", "dmn-invalid"),
    "dmn_output_unreadable": (".dmn", "r1_out1", "dmn-invalid"),
    "dmn_output_fails": (".dmn", "r1_out1", "dmn-invalid"),
    "dmn_hit_policy_unknown": (".dmn", "tbl", "dmn-invalid"),
    "dmn_hit_policy_rule_order": (".dmn", "tbl", "dmn-invalid"),
    "dmn_decision_missing": (".bpmn", "x", "dmn-invalid"),
    "task_outside_lane": (".bpmn", "x", "task-no-department"),
    "manual_task_outside_lane": (".bpmn", "x", "task-no-department"),
    "task_lane_not_department": (".bpmn", "x", "task-no-department"),
    "task_department_unknown": (".bpmn", "x", "task-no-department"),
    "task_department_unknown_variable": (".bpmn", "x", "task-no-department"),
    "task_department_from_a_form_choice": (".bpmn", "x", "task-no-department"),
    "task_form_missing": (".bpmn", "x", "task-unknown-form"),
    "message_undefined": (".bpmn", "x", "event-ref-missing"),
    "message_without_ref": (".bpmn", "x", "event-ref-missing"),
    "message_never_sent": (".bpmn", "x", "message-never-sent"),
    "signal_undefined": (".bpmn", "x", "event-ref-missing"),
    "condition_syntax": (".bpmn", "f_cond", "script-refused"),
    "condition_fails": (".bpmn", "f_cond", "script-fails"),
    "condition_unknown_variable": (".bpmn", "f_cond", "condition-unknown-variable"),
    "gateway_dead_end": (".bpmn", "x", "script-fails"),
    "script_syntax": (".bpmn", "x", "script-refused"),
    "script_fails": (".bpmn", "x", "script-fails"),
    "script_endless": (".bpmn", "x", "script-fails"),
    "call_missing": (".bpmn", "x", "call-missing"),
    "multi_instance_count_not_a_number": (".bpmn", "x", "script-fails"),
    "multi_instance_condition_syntax": (".bpmn", "x", "script-refused"),
}
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# what Python, lxml and SpiffWorkflow would have said
ENGLISH = re.compile(r"Error|error|[Ii]nvalid|Traceback|Did you mean|evaluating|not defined|literal|Exception|"
                     r"was never closed|unsupported|division|base 10|object has no|Malformed|Rule failed")


def is_chinese_only(message: str) -> bool:
    return bool(CHINESE.search(message)) and not ENGLISH.search(message)


def test_every_diagram_that_would_fail_at_run_time_is_refused_naming_its_element_in_chinese():
    code, problems, output = lint(str(RUN_TIME))
    assert code == 1 and "Traceback" not in output
    errors = [p for p in problems if p["severity"] == "错误"]
    found = {(Path(p["file"]).name, p["element"], p["rule"]) for p in errors}
    assert found == {(stem + suffix, element, rule) for stem, (suffix, element, rule) in EXPECTED.items()}
    assert len(errors) == len(EXPECTED)  # one refusal each: nothing else in these diagrams is wrong
    for problem in errors:
        assert is_chinese_only(problem["message"]), problem


def test_the_reasons_say_what_is_wrong():
    _, problems, _ = lint(str(RUN_TIME))
    by_file = {Path(p["file"]).stem: p["message"] for p in problems if p["severity"] == "错误"}
    assert "P3X" in by_file["timer_duration_built"] and "时长" in by_file["timer_duration_built"]
    assert "working_days()" in by_file["timer_date_wrong_arity"]
    assert "days_nobody_sets" in by_file["timer_date_unknown_variable"]
    assert "周期" in by_file["timer_cycle_negative"]
    assert "除数为零" in by_file["dmn_output_fails"] and "除数为零" in by_file["script_fails"]
    assert "SOMETIMES" in by_file["dmn_hit_policy_unknown"]
    assert "no_such_department" in by_file["task_department_unknown"]
    assert "1 秒" in by_file["script_endless"]
    assert "dmn_decision_missing_decision" in by_file["dmn_decision_missing"]
    assert "handling_level 为 'township'" in by_file["timer_fails_on_a_form_choice"]
    assert "'county'" in by_file["task_department_from_a_form_choice"]


def test_the_shipped_bpmn_folder_lints_clean_on_its_own():
    code, problems, output = lint(str(WORKFLOWS / "bpmn"))
    assert code == 0, output
    assert all(p["severity"] == "警告" for p in problems)
