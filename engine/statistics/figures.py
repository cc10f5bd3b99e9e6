"""The statistics of a period: the one query layer the /stats page, the API, the export and the monthly and
quarterly reports all read. Each figure carries its definition and the cases it counts."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from ..board import Period, today
from ..definitions import latest_definitions
from ..errors import Invalid
from ..models import Case, Department
from ..runtime import Runtime
from ..users import Actor
from .definitions import DEFINITIONS
from .facts import CASE_FIGURES, Facts, ItemTally, gather, month_counts
from .filters import RISKS, Filters, scoped
from .targets import Targets, current_targets

TREND_MONTHS = 12


def rate(numerator: int, denominator: int) -> float | None:
    """A share in per cent to two places, or None when there is nothing to divide by."""
    return _two_places(100.0 * numerator / denominator) if denominator else None


def percentile_90(values: list[float]) -> float | None:
    """The nearest-rank 90th percentile: the smallest value at or above 90% of the values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _two_places(value: float) -> float:
    """Rounded half up to two places, as a person rounds (0.625 -> 0.63)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def mean(values: list[float]) -> float | None:
    return _two_places(sum(values) / len(values)) if values else None


@dataclass(frozen=True)
class ItemRow:
    """One stage's (or department's) items with a deadline finished in the period."""

    key: str
    name: str
    finished: int
    on_time: int
    on_time_rate: float | None
    mean_days: float | None
    p90_days: float | None

    @classmethod
    def of(cls, key: str, name: str, tally: ItemTally) -> ItemRow:
        return cls(key, name, tally.count, tally.on_time, rate(tally.on_time, tally.count),
                   mean(tally.working_days), percentile_90(tally.working_days))


@dataclass(frozen=True)
class RiskRow:
    risk: str
    cases: int
    amount: float


@dataclass(frozen=True)
class TrendMonth:
    month: str  # YYYY-MM
    start: date
    end: date
    registered: int
    mediated_closed: int
    closed_success: int
    success_rate: float | None


@dataclass
class Statistics:
    period: Period
    filters: Filters
    counts: dict[str, int]
    success_rate: float | None
    fulfilment_rate: float | None
    targets: Targets
    stages: list[ItemRow]
    departments: list[ItemRow]
    risks: list[RiskRow]
    amount_total: float
    trend: list[TrendMonth] = field(default_factory=list)

    @property
    def success_below_target(self) -> bool:
        return self.success_rate is not None and self.success_rate < self.targets.success

    @property
    def fulfilment_below_target(self) -> bool:
        return self.fulfilment_rate is not None and self.fulfilment_rate < self.targets.fulfilment


def stage_names(session) -> dict[str, str]:
    """Stage (process) id -> its name, from the newest version of every definition."""
    names: dict[str, str] = {}
    for definition in latest_definitions(session):
        for process_id, meta in (definition.meta or {}).get("processes", {}).items():
            names.setdefault(process_id, meta.get("name") or process_id)
    return names


def department_names(session) -> dict[str, str]:
    return dict(session.execute(select(Department.id, Department.name).order_by(Department.sort)).all())


def _months_back(end: date, n: int) -> list[Period]:
    """The n calendar months ending with `end`'s month, oldest first (the last ends on `end`)."""
    periods, year, month = [], end.year, end.month
    for _ in range(n):
        first = date(year, month, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        periods.append(Period(first, min(end, date.fromordinal(following.toordinal() - 1))))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(periods))


def _statistics(rt: Runtime, session, period: Period, filters: Filters, facts: Facts) -> Statistics:
    counts = {key: len(facts.cases[key]) for key in CASE_FIGURES}
    stages, departments = stage_names(session), department_names(session)
    order = list(departments)
    stage_rows = [ItemRow.of(k, stages.get(k, k), t) for k, t in facts.stages.items()]
    department_rows = sorted((ItemRow.of(k, departments.get(k, k), t) for k, t in facts.departments.items()),
                             key=lambda r: order.index(r.key) if r.key in order else len(order))
    risks = [RiskRow(r, counts[f"risk.{r}"], facts.amounts[r]) for r in RISKS]
    return Statistics(period, filters, counts, rate(counts["closed_success"], counts["mediated_closed"]),
                      rate(counts["fulfilled"], counts["performance_due"]), current_targets(rt),
                      stage_rows, department_rows, risks, facts.amounts["all"])


def statistics(rt: Runtime, by: Actor, period: Period, filters: Filters, trend: bool = True) -> Statistics:
    """Every figure for the period and filters (a department head's forced to their department), with the
    month-by-month trend of the 12 months ending with the period's last month."""
    filters = scoped(by, filters)
    return compute(rt, period, filters, trend)


def compute(rt: Runtime, period: Period, filters: Filters, trend: bool = True) -> Statistics:
    """The figures without an access check: for the scheduler's reports and callers that checked already."""
    day = today(rt)
    with rt.unit_of_work(write=False) as session:
        result = _statistics(rt, session, period, filters, gather(session, filters, period, day, rt.calendar))
        if trend:
            months = _months_back(period.end, TREND_MONTHS)
            for month, counted in zip(months, month_counts(session, filters, months), strict=True):
                result.trend.append(TrendMonth(month.start.strftime("%Y-%m"), month.start, month.end,
                                               counted.registered, counted.mediated_closed, counted.closed_success,
                                               rate(counted.closed_success, counted.mediated_closed)))
    return result


@dataclass(frozen=True)
class FigureCase:
    case_no: str
    title: str
    status: str
    stage_name: str
    outcome: str | None
    risk: str | None
    dispute_type: str
    lead_department_id: str | None


@dataclass(frozen=True)
class FigureCases:
    figure: str
    definition: str
    period: Period
    filters: Filters
    count: int
    cases: list[FigureCase]       # this page of them, by case number
    total_cases: int = 0          # the figure's cases on every page
    page: int = 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total_cases // CASES_PER_PAGE))


def _figure_ids(facts: Facts, figure: str) -> tuple[int, list[int]]:
    """(the figure's count, the ids of its cases) for a figure key: a case figure, or
    stage.<id>.finished|late / department.<id>.finished|late."""
    if figure in facts.cases:
        ids = sorted(facts.cases[figure])
        return len(ids), ids
    kind, _, rest = figure.partition(".")
    key, _, part = rest.rpartition(".")
    tallies = {"stage": facts.stages, "department": facts.departments}.get(kind)
    if tallies is None or part not in ("finished", "late"):
        raise Invalid(f"没有名为 “{figure}” 的统计项", {"figure": ["统计项不存在"]})
    tally = tallies.get(key, ItemTally())
    ids = tally.case_ids if part == "finished" else tally.late_case_ids
    return len(ids), sorted(set(ids))


CASES_PER_PAGE = 200


def figure_cases(rt: Runtime, by: Actor, figure: str, period: Period, filters: Filters,
                 page: int = 1) -> FigureCases:
    """The cases behind one figure (its drill-down), read by the same query as the figure, a page at a time
    in case-number order (a year's figure may count tens of thousands)."""
    filters = scoped(by, filters)
    with rt.unit_of_work(write=False) as session:
        facts = gather(session, filters, period, today(rt), rt.calendar, with_items=figure not in CASE_FIGURES)
        count, ids = _figure_ids(facts, figure)
        # in case-number order, read without binding every id (a year's figure may count tens of thousands)
        wanted = set(ids)
        ordered = [case_id for _no, case_id in sorted(session.execute(
            select(Case.case_no, Case.id).where(*filters.case_conditions())).all()) if case_id in wanted] \
            if len(wanted) > CASES_PER_PAGE else ids
        page = max(1, min(page, max(1, -(-len(ordered) // CASES_PER_PAGE))))
        shown = ordered[(page - 1) * CASES_PER_PAGE:page * CASES_PER_PAGE]
        rows = session.scalars(select(Case).where(Case.id.in_(shown)).order_by(Case.case_no)) if shown else []
        cases = [FigureCase(c.case_no, c.title, c.status, c.stage_name, c.outcome, c.risk, c.dispute_type,
                            c.lead_department_id) for c in rows]
    definition = DEFINITIONS.get(figure) or DEFINITIONS.get(figure.split(".")[0], "")
    return FigureCases(figure, definition, period, filters, count, cases, len(ordered), page)
