"""Statistics over a known month of cases (tests/statistics_cases.py), every figure checked against the count
worked out by hand from the cases as built; the API and the query layer give the same figures, and who may
read them is checked, a department head being held to their own department."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from engine import statistics
from engine.board import Period
from engine.clock import SHANGHAI
from engine.errors import Forbidden, Invalid
from engine.models import AuditEvent
from engine.repair import cancel
from engine.statistics import figures
from tests import statistics_cases
from tests.api.pipeline import INTAKE

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
MARCH_QUERY = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def known(rt, who, clock) -> dict[str, str]:
    return statistics_cases.build(rt, who, clock)


def numbers_of(known: dict[str, str], names: str) -> list[str]:
    return sorted(known[name] for name in names)


# Worked out by hand from the module docstring of tests/statistics_cases.py.
MARCH_COUNTS = {
    "registered": 8,             # A–H
    "accepted": 7,               # B–H
    "not_accepted": 1,           # A
    "closed_success": 3,         # B settled, C enforcement applied, E advised to sue: each after a resolved mediation
    "referred": 1,               # D
    "referred.litigation": 0,
    "referred.arbitration": 1,   # D
    "referred.administrative_review": 0,
    "withdrawn": 0,              # none withdrawn (see the test of withdrawals below)
    "mediated_closed": 4,        # B, C, E + D
    "agreements": 3,             # B, C, E
    "confirmation_applied": 1,   # C
    "confirmation_granted": 1,   # C, by the court's message
    "performance_due": 3,        # B (5 March), C (6 March), E (4 March), all due by 9 March
    "fulfilled": 1,              # B
    "enforced": 1,               # C
    "risk.red": 1,               # H
    "risk.yellow": 1,            # G
    "risk.blue": 5,              # B, C, D, E, and F (blue from registration until assessed)
}


def test_every_figure_of_the_month_matches_the_count_worked_out_by_hand(rt, known, who):
    result = statistics.statistics(rt, who("supervisor"), MARCH, statistics.Filters())
    assert result.counts == MARCH_COUNTS
    assert result.success_rate == 75.0          # 3 ÷ 4
    assert result.fulfilment_rate == 33.33      # 1 ÷ 3
    assert (result.targets.success, result.targets.fulfilment) == (96.0, 90.0)
    assert result.success_below_target and result.fulfilment_below_target
    assert [(r.risk, r.cases, r.amount) for r in result.risks] == [
        ("red", 1, 250000.0), ("yellow", 1, 100000.0), ("blue", 5, 8000.0 + 20000 + 5000 + 3000 + 500)]
    assert result.amount_total == 387500.0


def test_a_case_the_parties_withdrew_is_counted_withdrawn_and_one_opened_in_error_is_not(rt, known, who, clock):
    clock.set(datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI))
    admin = who("admin")
    cancel.cancel(rt, known["F"], "申请人书面撤回调解申请", admin, ending="withdrawn")
    cancel.cancel(rt, known["G"], "与 H 案重复登记", admin, ending="cancelled")
    result = statistics.statistics(rt, who("supervisor"), MARCH, statistics.Filters())
    assert result.counts["withdrawn"] == 1
    assert result.counts["mediated_closed"] == 4 and result.success_rate == 75.0  # withdrawals are not mediated
    withdrawn = statistics.figure_cases(rt, who("supervisor"), "withdrawn", MARCH, statistics.Filters())
    assert [c.case_no for c in withdrawn.cases] == [known["F"]]
    with pytest.raises(Invalid):
        cancel.cancel(rt, known["E"], "理由", admin, ending="lost")


def test_on_time_rates_and_working_days_per_stage_and_department(rt, known, who):
    result = statistics.statistics(rt, who("supervisor"), MARCH, statistics.Filters())
    stages = {r.key: (r.finished, r.on_time, r.on_time_rate, r.mean_days, r.p90_days) for r in result.stages}
    # intake: 8 reviews, A's done on Mon 9 March after its deadline of Tue 3 March 18:00, 5 working days after
    # registration; the others within minutes (0.00 days). Mean 5 ÷ 8; the 90th percentile is the 8th of 8.
    assert stages["intake"] == (8, 7, 87.5, 0.63, 5.0)
    assert stages["joint_assessment"] == (6, 6, 100.0, 0.0, 0.0)  # B, C, D, E, G, H
    assert stages["referral"] == (8, 8, 100.0, 0.0, 0.0)  # 4 dispatches and 4 acceptances
    assert stages["coordinated_resolution"] == (5, 5, 100.0, 0.0, 0.0)  # 4 reports and D's onward referral
    assert stages["agreement_confirmation"] == (4, 4, 100.0, 0.0, 0.0)  # 3 agreements, C's application
    # the follow-up visits: open from 2 March 09:08 to 9 March 09:00, 4 whole working days and the rest of
    # the fifth (2 days 23:52 over the weekend, counted as a whole day at most); due 16 March, so on time.
    assert stages["enforcement_followup"] == (3, 3, 100.0, 5.0, 5.0)
    departments = {r.key: (r.finished, r.on_time, r.on_time_rate) for r in result.departments}
    assert departments == {"center": (19, 18, 94.74),  # 8 reviews, 6 assessments, 4 dispatches, D's referral
                           "people_mediation": (13, 13, 100.0),
                           "justice_office": (2, 2, 100.0)}
    # the court's acceptance item was withdrawn by its message before its deadline, and items without a
    # deadline (applying for enforcement, advising to sue) are not counted


def test_filters_narrow_every_figure(rt, known, who):
    supervisor = who("supervisor")
    township = statistics.statistics(rt, supervisor, MARCH, statistics.Filters(township="东城街道"))  # C, D, H
    assert (township.counts["registered"], township.counts["closed_success"], township.counts["referred"],
            township.success_rate, township.amount_total) == (3, 1, 1, 50.0, 275000.0)
    justice = statistics.statistics(rt, supervisor, MARCH, statistics.Filters(department="justice_office"))  # D
    assert (justice.counts["registered"], justice.counts["mediated_closed"], justice.success_rate) == (1, 1, 0.0)
    assert [(r.key, r.finished) for r in justice.stages] == [("referral", 1), ("coordinated_resolution", 1)]
    walk_in = statistics.statistics(rt, supervisor, MARCH, statistics.Filters(channel="walk_in"))  # B, C, E, G
    assert (walk_in.counts["registered"], walk_in.success_rate, walk_in.fulfilment_rate) == (4, 100.0, 33.33)
    neighbour = statistics.statistics(rt, supervisor, MARCH, statistics.Filters(dispute_type="neighbour"))  # B, F
    assert (neighbour.counts["registered"], neighbour.counts["closed_success"], neighbour.counts["fulfilled"]) == (
        2, 1, 1)
    red = statistics.statistics(rt, supervisor, MARCH, statistics.Filters(risk="red"))  # H
    assert (red.counts["registered"], red.counts["accepted"], red.counts["mediated_closed"]) == (1, 1, 0)


def test_each_figure_lists_the_cases_it_counts(rt, known, who):
    supervisor = who("supervisor")

    def listed(figure, **filters):
        found = statistics.figure_cases(rt, supervisor, figure, MARCH, statistics.Filters(**filters))
        assert found.count == len({c.case_no for c in found.cases}) or figure.startswith(("stage", "department"))
        return [c.case_no for c in found.cases]

    assert listed("closed_success") == numbers_of(known, "BCE")
    assert listed("not_accepted") == numbers_of(known, "A")
    assert listed("referred.arbitration") == numbers_of(known, "D")
    assert listed("performance_due") == numbers_of(known, "BCE")
    assert listed("fulfilled") == numbers_of(known, "B")
    assert listed("risk.blue") == numbers_of(known, "BCDEF")
    assert listed("stage.intake.late") == numbers_of(known, "A")
    assert listed("department.justice_office.finished") == numbers_of(known, "D")
    assert listed("registered", township="东城街道") == numbers_of(known, "CDH")
    with pytest.raises(Invalid):
        listed("nonsense")


def test_a_big_figure_lists_its_cases_a_page_at_a_time_in_case_number_order(rt, known, who, monkeypatch):
    monkeypatch.setattr(figures, "CASES_PER_PAGE", 3)
    supervisor = who("supervisor")
    pages = [statistics.figure_cases(rt, supervisor, "registered", MARCH, statistics.Filters(), page=n)
             for n in (1, 2, 3, 99)]
    assert [(p.page, p.pages, p.total_cases, p.count) for p in pages] == [(1, 3, 8, 8), (2, 3, 8, 8), (3, 3, 8, 8),
                                                                          (3, 3, 8, 8)]
    assert [c.case_no for p in pages[:3] for c in p.cases] == numbers_of(known, "ABCDEFGH")


def test_a_later_month_is_not_counted_and_the_trend_shows_each_month(rt, known, who, clock, register):
    clock.set(datetime(2026, 4, 1, 9, 0, tzinfo=SHANGHAI))
    register(amount=700)
    supervisor = who("supervisor")
    assert statistics.statistics(rt, supervisor, MARCH, statistics.Filters()).counts == MARCH_COUNTS
    april = statistics.statistics(rt, supervisor, Period(date(2026, 4, 1), date(2026, 4, 30)), statistics.Filters())
    assert (april.counts["registered"], april.counts["mediated_closed"], april.amount_total) == (1, 0, 700.0)
    assert len(april.trend) == 12 and april.trend[0].month == "2025-05"
    assert [(m.month, m.registered, m.mediated_closed, m.closed_success, m.success_rate) for m in april.trend[-3:]] == [
        ("2026-02", 0, 0, 0, None), ("2026-03", 8, 4, 3, 75.0), ("2026-04", 1, 0, 0, None)]


def test_targets_are_set_by_administrators_and_decide_what_is_below_target(rt, known, who):
    with pytest.raises(Forbidden):
        statistics.set_targets(rt, who("supervisor"), 70, 30)
    with pytest.raises(Invalid):
        statistics.set_targets(rt, who("admin"), 170, 30)
    statistics.set_targets(rt, who("admin"), "70", "30", reason="本年度考核方案")
    with rt.unit_of_work(write=False) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "targets_changed")).one()
    assert event.actor == "admin" and event.data == {"old": {"success_rate": 96.0, "fulfilment_rate": 90.0},
                                                     "new": {"success_rate": 70.0, "fulfilment_rate": 30.0},
                                                     "reason": "本年度考核方案"}
    result = statistics.statistics(rt, who("supervisor"), MARCH, statistics.Filters())
    assert (result.targets.success, result.targets.fulfilment) == (70.0, 30.0)
    assert not result.success_below_target and not result.fulfilment_below_target


def test_who_may_read_statistics(rt, known, who):
    for username in ("supervisor", "admin", "center_head"):
        assert statistics.statistics(rt, who(username), MARCH, statistics.Filters()).counts["registered"] == 8
    for username in ("center_clerk", "people_mediation_clerk", "designer"):
        with pytest.raises(Forbidden):
            statistics.statistics(rt, who(username), MARCH, statistics.Filters())
    head = statistics.statistics(rt, who("people_mediation_head"), MARCH, statistics.Filters())
    assert head.filters.department == "people_mediation"
    assert head.counts["registered"] == 5  # B, C, E, G, H: people's mediation leads them
    with pytest.raises(Forbidden):
        statistics.statistics(rt, who("people_mediation_head"), MARCH, statistics.Filters(department="police"))


def test_the_api_gives_the_same_figures_as_the_query_layer(api, rt, known, who):
    answer = api.get("/statistics", as_="supervisor", query_string=MARCH_QUERY)
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["counts"] == MARCH_COUNTS
    assert body["rates"] == {"success_rate": 75.0, "fulfilment_rate": 33.33, "success_target": 96.0,
                             "fulfilment_target": 90.0, "success_below_target": True,
                             "fulfilment_below_target": True}
    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert {r["key"]: r["on_time"] for r in body["departments"]} == {"center": 18, "people_mediation": 13,
                                                                      "justice_office": 2}
    assert body["amount_total"] == 387500.0 and len(body["trend"]) == 12
    assert "调解成功 ÷ 调解结案" in body["definitions"]["success_rate"]
    filtered = api.get("/statistics", as_="supervisor", query_string={**MARCH_QUERY, "township": "东城街道"})
    assert filtered.json["counts"]["registered"] == 3 and filtered.json["filters"] == {"township": "东城街道"}


def test_the_api_refuses_who_may_not_read_and_holds_a_head_to_their_department(api, known):
    assert api.get("/statistics", as_="police_clerk", query_string=MARCH_QUERY).status_code == 403
    assert api.get("/statistics", as_="designer", query_string=MARCH_QUERY).status_code == 403
    head = api.get("/statistics", as_="justice_office_head", query_string=MARCH_QUERY)
    assert head.status_code == 200 and head.json["filters"] == {"department": "justice_office"}
    assert head.json["counts"]["registered"] == 1
    other = api.get("/statistics", as_="justice_office_head", query_string={**MARCH_QUERY, "department": "court"})
    assert other.status_code == 403


def test_the_api_refuses_a_bad_period_or_risk_with_the_field_named(api, known):
    bad_date = api.get("/statistics", as_="supervisor", query_string={"from": "2026-13-01"})
    assert bad_date.status_code == 400 and "from" in bad_date.json["fields"]
    backwards = api.get("/statistics", as_="supervisor", query_string={"from": "2026-04-01", "to": "2026-03-01"})
    assert backwards.status_code == 400
    bad_risk = api.get("/statistics", as_="supervisor", query_string={"risk": "purple"})
    assert bad_risk.status_code == 400 and "risk" in bad_risk.json["fields"]


def test_registration_amounts_that_are_not_numbers_count_as_nothing(rt, who, clock):
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI))
    from engine import cases
    cases.start(rt, {k: v for k, v in INTAKE.items() if k != "amount"}, who("center_clerk"))
    clock.advance(timedelta(minutes=1))
    result = statistics.statistics(rt, who("supervisor"), MARCH, statistics.Filters())
    assert (result.counts["registered"], result.amount_total) == (1, 0.0)
