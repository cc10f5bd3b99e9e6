"""A scenario run against a deliberately broken copy of a stage fails at the step where the break shows, with
the expectation that failed, and names the element; the command's exit code says so."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from engine.scenarios.runner import run_paths
from engine.scenarios.world import DiagramSource
from tests.conftest import WORKFLOWS
from web.cli import main

SETTLED = WORKFLOWS / "scenarios" / "settled.yaml"


def broken_copy(tmp_path, stage: str, old: str, new: str):
    """workflows/ copied with one replacement in workflows/bpmn/<stage>.bpmn."""
    copy = tmp_path / "workflows"
    shutil.copytree(WORKFLOWS, copy)
    path = copy / "bpmn" / f"{stage}.bpmn"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {stage}.bpmn"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return copy


@pytest.fixture
def task_sent_to_the_police(tmp_path):
    """Intake's lane is the police's instead of the centre's: 受理审查 lands in the wrong inbox."""
    return broken_copy(tmp_path, "intake", '<bpmn:lane id="center" name="矛调中心">',
                       '<bpmn:lane id="police" name="派出所">')


@pytest.fixture
def fulfilment_condition_changed(tmp_path):
    """The follow-up's 'fulfilled' branch tests for a value no visit gives: a fulfilled agreement is not settled."""
    return broken_copy(tmp_path, "enforcement_followup",
                       "<bpmn:conditionExpression>performance == 'fulfilled'</bpmn:conditionExpression>",
                       "<bpmn:conditionExpression>performance == 'paid'</bpmn:conditionExpression>")


def test_a_task_sent_to_the_wrong_department_fails_the_first_inbox_expectation(task_sent_to_the_police):
    result = CliRunner().invoke(main, ["scenario", "run", "--workflows", str(task_sent_to_the_police),
                                       str(SETTLED)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1] == "0 passed, 1 failed"
    verdict = next(line for line in lines if line.startswith("FAIL"))
    assert verdict.endswith("settled.yaml:第1步:review_acceptance: "
                            "期望 center 的待办中本案的任务为 [review_acceptance]，"
                            "实际为 [无]（本案全部待办：police:review_acceptance）")
    assert "  第1步 检查 … 失败" in lines and not any(line.startswith("  第2步") for line in lines)


def test_a_changed_condition_fails_at_the_step_whose_outcome_it_decides(fulfilment_condition_changed):
    [result] = run_paths([SETTLED], DiagramSource(fulfilment_condition_changed))
    assert not result.passed
    failed = result.failed_step
    assert failed.number == 10 and failed.label == "办结 follow_up_visit"
    # the first expectation of the step (inbox before status): the visit led to advice to sue instead of the end
    assert failed.failure.text == ("期望 people_mediation 的待办中本案的任务为 [无]，实际为 [advise_litigation]"
                                   "（本案全部待办：people_mediation:advise_litigation）")
    assert failed.failure.element_id == "follow_up_visit"  # the failing step's own task
    assert (failed.process_id, failed.file) == ("enforcement_followup", "enforcement_followup.bpmn")
    assert [s.ok for s in result.steps] == [True] * 10 + [False]  # registration and steps 1-9 held


def test_the_same_scenario_passes_on_the_intact_diagrams():
    [result] = run_paths([SETTLED], DiagramSource(WORKFLOWS))
    assert result.passed and len(result.steps) == 11
