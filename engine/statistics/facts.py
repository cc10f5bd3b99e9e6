"""Where each figure's facts live, read once per period: the case summary (registration, outcome, closing),
the work items with the form data handed in (acceptance, agreement, confirmation, court ruling, follow-up) and
the court's `judicial_decision` messages in the audit log. Every figure is the set (or list) of the cases it
counts, so a count and its drill-down are the same rows by construction."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..board import Period
from ..clock import SHANGHAI
from ..models import AuditEvent, Case, WorkItem
from .filters import RISKS, Filters

SUCCESS_OUTCOMES = ("settled", "enforcement_applied", "litigation_advised")  # each follows a resolved mediation
REFERRED_OUTCOME = "referred_onward"
WITHDRAWN_OUTCOME = "withdrawn"
ROUTES = ("litigation", "arbitration", "administrative_review")
COURT_RULING_FORMS = ("court_ruling", "court_ruling_extended")
CASE_FIGURES = ("registered", "accepted", "not_accepted", "closed_success", "referred", "withdrawn",
                "mediated_closed", "agreements", "confirmation_applied", "confirmation_granted",
                "performance_due", "fulfilled", "enforced") + tuple(f"referred.{r}" for r in ROUTES) \
    + tuple(f"risk.{r}" for r in RISKS)


@dataclass
class ItemTally:
    """Work items with a deadline finished in the period (a stage's or a department's), and which were late."""

    case_ids: list[int] = field(default_factory=list)
    late_case_ids: list[int] = field(default_factory=list)
    working_days: list[float] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.case_ids)

    @property
    def on_time(self) -> int:
        return len(self.case_ids) - len(self.late_case_ids)


@dataclass
class Facts:
    cases: dict[str, set[int]]
    stages: dict[str, ItemTally]
    departments: dict[str, ItemTally]
    amounts: dict[str, float]


def _completed(session: Session, filters: Filters, start: datetime, end: datetime, forms: tuple[str, ...]):
    """(case id, submitted data, completed at) of items of these forms completed in [start, end)."""
    query = (select(WorkItem.case_id, WorkItem.submitted, WorkItem.completed_at).join(Case, Case.id == WorkItem.case_id)
             .where(WorkItem.state == "completed", WorkItem.form_key.in_(forms),
                    WorkItem.completed_at >= start, WorkItem.completed_at < end, *filters.case_conditions()))
    return session.execute(query).all()


def _case_ids(session: Session, *conditions) -> set[int]:
    return set(session.scalars(select(Case.id).where(*conditions)))


def _due_date(data: dict) -> date | None:
    """When an agreement's performance falls due: its 履行期限, else the day it was signed."""
    for key in ("performance_deadline", "signed_on"):
        try:
            return date.fromisoformat(str(data.get(key) or "")[:10])
        except ValueError:
            continue
    return None


def _agreement_facts(session: Session, filters: Filters, period: Period, today: date) -> dict[str, set[int]]:
    """Agreements whose performance fell due in the period (and by today), and those fulfilled without enforcement."""
    query = (select(WorkItem.case_id, WorkItem.submitted, Case.outcome).join(Case, Case.id == WorkItem.case_id)
             .where(WorkItem.state == "completed", WorkItem.form_key == "agreement",
                    WorkItem.completed_at < period.bounds()[1], *filters.case_conditions()))
    due, fulfilled, enforced = set(), set(), set()
    for case_id, data, outcome in session.execute(query):
        day = _due_date(data or {})
        if day is None or not period.start <= day <= min(period.end, today):
            continue
        due.add(case_id)
        if outcome == "settled":
            fulfilled.add(case_id)
        elif outcome == "enforcement_applied":
            enforced.add(case_id)
    return {"performance_due": due, "fulfilled": fulfilled, "enforced": enforced}


def _granted(session: Session, filters: Filters, start: datetime, end: datetime) -> set[int]:
    """Judicial confirmations granted: a ruling of `confirmed` recorded by court staff, or a connected court's
    `judicial_decision` message saying confirmed."""
    granted = {cid for cid, data, _ in _completed(session, filters, start, end, COURT_RULING_FORMS)
               if (data or {}).get("court_ruling") == "confirmed"}
    messages = (select(AuditEvent.case_id, AuditEvent.data, AuditEvent.summary)
                .join(Case, Case.id == AuditEvent.case_id)
                .where(AuditEvent.kind == "message_received", AuditEvent.at >= start, AuditEvent.at < end,
                       *filters.case_conditions()))
    for case_id, data, summary in session.execute(messages):
        if "judicial_decision" in (summary or "") and isinstance(data, dict) and data.get("confirmed") is True:
            granted.add(case_id)
    return granted


def _registered(filters: Filters, period: Period) -> tuple:
    """The conditions on a case registered in the period under the filters."""
    start, end = period.bounds()
    return (Case.created_at >= start, Case.created_at < end, *filters.case_conditions())


def _amounts(session: Session, registered: tuple) -> dict[int, float]:
    """The amount at stake each case registered (conditions `registered`) was registered with (its registration
    in the audit log). Read by the same conditions, not by a list of ids: a year may register tens of thousands."""
    query = (select(AuditEvent.case_id, AuditEvent.data).join(Case, Case.id == AuditEvent.case_id)
             .where(AuditEvent.kind == "case_started", *registered))
    amounts = {}
    for case_id, data in session.execute(query):
        value = (data or {}).get("amount")
        amounts[case_id] = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0
    return amounts


def _routes(session: Session, referred: set[int]) -> dict[str, set[int]]:
    """Where each referred case was sent: the route of its onward referral (引导诉讼/仲裁/复议)."""
    routes: dict[str, set[int]] = defaultdict(set)
    if referred:
        query = select(WorkItem.case_id, WorkItem.submitted).where(
            WorkItem.case_id.in_(referred), WorkItem.state == "completed", WorkItem.form_key == "onward_referral")
        for case_id, data in session.execute(query):
            routes[(data or {}).get("route")].add(case_id)
    return routes


def _case_facts(session: Session, filters: Filters, period: Period, today: date) -> dict[str, set[int]]:
    start, end = period.bounds()
    base = filters.case_conditions()
    registered = _case_ids(session, *_registered(filters, period))
    closed = (Case.status == "closed", Case.closed_at >= start, Case.closed_at < end, *base)
    sets: dict[str, set[int]] = {"registered": registered}
    reviews = _completed(session, filters, start, end, ("intake_review",))
    sets["accepted"] = {cid for cid, data, _ in reviews if (data or {}).get("accepted") is True}
    sets["not_accepted"] = {cid for cid, data, _ in reviews if (data or {}).get("accepted") is False}
    sets["closed_success"] = _case_ids(session, *closed, Case.outcome.in_(SUCCESS_OUTCOMES))
    sets["referred"] = _case_ids(session, *closed, Case.outcome == REFERRED_OUTCOME)
    # a withdrawal ends the case by cancelling it (the repair page's "the parties withdrew")
    sets["withdrawn"] = _case_ids(session, Case.status == "cancelled", Case.closed_at >= start, Case.closed_at < end,
                                  *base, Case.outcome == WITHDRAWN_OUTCOME)
    sets["mediated_closed"] = sets["closed_success"] | sets["referred"]
    routes = _routes(session, sets["referred"])
    for route in ROUTES:
        sets[f"referred.{route}"] = routes.get(route, set())
    sets["agreements"] = {cid for cid, _, _ in _completed(session, filters, start, end, ("agreement",))}
    sets["confirmation_applied"] = {cid for cid, _, _ in _completed(session, filters, start, end,
                                                                    ("confirmation_application",))}
    sets["confirmation_granted"] = _granted(session, filters, start, end)
    sets.update(_agreement_facts(session, filters, period, today))
    risks = dict(session.execute(select(Case.id, Case.risk).where(*_registered(filters, period))).all())
    for risk in RISKS:
        sets[f"risk.{risk}"] = {cid for cid, r in risks.items() if r == risk}
    return sets


def _item_facts(session: Session, filters: Filters, period: Period, calendar) -> tuple[dict, dict]:
    """On-time and working days per stage and per department, over items with a deadline finished in the period:
    completed, or taken away after their deadline had passed (counted late, as the board counts them).
    督办件 are left out: they are about another item's lateness."""
    start, end = period.bounds()
    lapsed = (WorkItem.state == "cancelled") & (WorkItem.completed_at > WorkItem.due_at)
    query = (select(WorkItem.case_id, WorkItem.process_id, WorkItem.department_id, WorkItem.created_at,
                    WorkItem.completed_at, WorkItem.due_at, WorkItem.state)
             .join(Case, Case.id == WorkItem.case_id)
             .where((WorkItem.state == "completed") | lapsed, WorkItem.due_at.is_not(None),
                    WorkItem.notice_no.is_(None), WorkItem.completed_at >= start, WorkItem.completed_at < end,
                    *filters.item_conditions())
             .order_by(WorkItem.id))
    stages: dict[str, ItemTally] = defaultdict(ItemTally)
    departments: dict[str, ItemTally] = defaultdict(ItemTally)
    for case_id, stage, department, created, completed, due, state in session.execute(query):
        late = state != "completed" or completed > due
        days = working_days(calendar, created, completed) if state == "completed" else None
        for tally in (stages[stage], departments[department]):
            tally.case_ids.append(case_id)
            if late:
                tally.late_case_ids.append(case_id)
            if days is not None:
                tally.working_days.append(days)
    return dict(stages), dict(departments)


@dataclass(frozen=True)
class MonthCounts:
    registered: int
    mediated_closed: int
    closed_success: int


def month_counts(session: Session, filters: Filters, months: list[Period]) -> list[MonthCounts]:
    """The trend's figures for each month, counted as `gather` counts them (registered by registration time;
    closed by mediation success, and mediated closed = success + referred onward, by closing time) but read in
    two queries over the whole span rather than a gather per month."""
    if not months:
        return []
    start, end = months[0].bounds()[0], months[-1].bounds()[1]
    base = filters.case_conditions()
    registered = session.scalars(select(Case.created_at).where(Case.created_at >= start, Case.created_at < end,
                                                               *base))
    closed = session.execute(select(Case.closed_at, Case.outcome).where(
        Case.status == "closed", Case.closed_at >= start, Case.closed_at < end,
        Case.outcome.in_((*SUCCESS_OUTCOMES, REFERRED_OUTCOME)), *base))
    index = {(m.start.year, m.start.month): n for n, m in enumerate(months)}
    tallies = [[0, 0, 0] for _ in months]

    def slot(instant: datetime) -> list[int] | None:
        local = instant.astimezone(SHANGHAI)
        n = index.get((local.year, local.month))
        return tallies[n] if n is not None and months[n].start <= local.date() <= months[n].end else None

    for created in registered:
        if (tally := slot(created)) is not None:
            tally[0] += 1
    for closed_at, outcome in closed:
        if (tally := slot(closed_at)) is not None:
            tally[1] += 1
            tally[2] += outcome in SUCCESS_OUTCOMES
    return [MonthCounts(*tally) for tally in tallies]


def working_days(calendar, start: datetime, end: datetime) -> float:
    """Working days from `start` to `end` on the centre's calendar: whole working days, plus the rest as a
    share of a day (a task done in three hours took 0.1 days)."""
    if end <= start:
        return 0.0
    days, rest = calendar.working_time_between(start, end)
    return round(days + min(rest.total_seconds() / 86400, 1.0), 2)


def gather(session: Session, filters: Filters, period: Period, today: date, calendar,
           with_items: bool = True) -> Facts:
    """Every figure's cases for the period and filters."""
    cases = _case_facts(session, filters, period, today)
    stages, departments = _item_facts(session, filters, period, calendar) if with_items else ({}, {})
    amounts = _amounts(session, _registered(filters, period))
    totals = {risk: sum(amounts.get(cid, 0.0) for cid in cases[f"risk.{risk}"]) for risk in RISKS}
    totals["all"] = sum(amounts.values())
    return Facts(cases, stages, departments, totals)
