"""The shipped scenarios played one after another into one database (each registers its own case on Mon 2 March
2026 09:00 and runs to its end without moving the clock), then counted: the statistics of those cases, worked
out by hand from the scenario files."""
from __future__ import annotations

from datetime import date, datetime

from engine import statistics
from engine.board import Period
from engine.clock import SHANGHAI
from engine.scenarios import runner
from engine.scenarios.format import load_file
from engine.scenarios.sources import on_disk
from engine.scenarios.world import World, checks_beside
from tests.conftest import WORKFLOWS

PLAYED = ("settled", "not_accepted", "not_resolved_referred_onward", "court_message_then_enforcement")


def test_the_shipped_scenarios_counted_match_the_outcomes_they_end_with():
    source = on_disk(WORKFLOWS)
    with World(source, checks=checks_beside(source)) as world:
        rt = world.runtime()
        try:
            for name in PLAYED:
                scenario = load_file(WORKFLOWS / "scenarios" / f"{name}.yaml")
                result = runner.ScenarioResult(scenario.file, scenario.name)
                runner._Play(world, rt, scenario, result, None).run()
                assert result.passed, (name, [s.failure for s in result.steps if not s.ok])
            march = statistics.compute(rt, Period(date(2026, 3, 1), date(2026, 3, 31)), statistics.Filters())
            # both agreements fall due on 10 April; seen from 15 April
            rt.clock.set(datetime(2026, 4, 15, 9, 0, tzinfo=SHANGHAI))
            april = statistics.compute(rt, Period(date(2026, 4, 1), date(2026, 4, 30)), statistics.Filters())
        finally:
            world.release(rt)
    counts = march.counts
    assert (counts["registered"], counts["accepted"], counts["not_accepted"]) == (4, 3, 1)
    # settled and enforcement applied follow a resolved mediation; the third was referred to litigation
    assert (counts["closed_success"], counts["referred"], counts["referred.litigation"]) == (2, 1, 1)
    assert (counts["mediated_closed"], march.success_rate) == (3, 66.67)
    assert (counts["agreements"], counts["confirmation_applied"], counts["confirmation_granted"]) == (2, 1, 1)
    assert (counts["performance_due"], march.fulfilment_rate) == (0, None)  # not due until 10 April
    assert (april.counts["performance_due"], april.counts["fulfilled"], april.counts["enforced"]) == (2, 1, 1)
    assert april.fulfilment_rate == 50.0 and april.counts["registered"] == 0
