"""The scenarios shipped beside the diagrams pass on the diagrams as shipped, as CI runs them."""
from __future__ import annotations

from click.testing import CliRunner

from tests.conftest import WORKFLOWS
from web.cli import main

SCENARIOS = WORKFLOWS / "scenarios"


def test_every_shipped_scenario_passes_and_the_run_ends_with_the_count():
    files = sorted(p.name for p in SCENARIOS.glob("*.yaml"))
    assert len(files) >= 10
    result = CliRunner().invoke(main, ["scenario", "run", str(SCENARIOS)])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 0, result.output
    assert lines[-1] == f"{len(files)} passed, 0 failed"
    verdicts = [line for line in lines if line.startswith(("PASS", "FAIL"))]
    assert len(verdicts) == len(files) and all(v.startswith("PASS ") for v in verdicts)
    # each step is printed as it is played, the registration first
    assert "  登记案件 … ok" in lines and any(line.startswith("  第10步 办结 follow_up_visit") for line in lines)


def test_the_shipped_scenarios_cover_every_way_a_case_can_end():
    """Each outcome the pipeline records, and the court's message, appear in some scenario."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in SCENARIOS.glob("*.yaml"))
    for outcome in ("not_accepted", "settled", "referred_onward", "enforcement_applied", "litigation_advised"):
        assert f"outcome: {outcome}" in text, outcome
    for path_marker in ("message: judicial_decision", "decision: return", "court_ruling_extended", "stabilise",
                        "level: 3", "redispatch", "performance: in_progress"):
        assert path_marker in text, path_marker
