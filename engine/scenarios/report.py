"""The text `yizhan scenario run` prints: each step as it is played, PASS/FAIL per scenario with the first
expectation that failed (`file:step N:element_id: …`, as `yizhan lint` names places), and a closing count."""
from __future__ import annotations

from .runner import ScenarioResult, StepResult


def step_line(step: StepResult) -> str:
    mark = "ok" if step.ok else "失败"
    return f"  第{step.number}步 {step.label} … {mark}" if step.number else f"  {step.label} … {mark}"


def verdict_line(result: ScenarioResult) -> str:
    if result.error is not None:
        return f"FAIL {result.file}: {result.error}"
    failed = result.failed_step
    if failed is None:
        return f"PASS {result.file}（{result.name}）"
    element = f":{failed.failure.element_id}" if failed.failure.element_id else ""
    return f"FAIL {result.file}:第{failed.number}步{element}: {failed.failure.text}"


def closing_line(results: list[ScenarioResult]) -> str:
    passed = sum(1 for r in results if r.passed)
    return f"{passed} passed, {len(results) - passed} failed"
