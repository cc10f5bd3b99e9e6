"""The four rules, applied where the facts change: a registration, and every refresh of a red case."""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func, inspect, or_, select
from sqlalchemy.orm import Session

from ..models import Case, CaseParty, WorkItem
from ..runtime import Runtime
from . import store
from .rules import WarningRules, rules_of

ENFORCEMENT_OUTCOME = "enforcement_applied"
STABILISATION_FORM = "stabilisation"


def _identities(party: CaseParty) -> list[tuple[str, str]]:
    """How a party is recognised again: ID number first, then phone."""
    found = []
    if party.id_number:
        found.append(("id", party.id_number.upper()))
    if party.phone:
        found.append(("phone", party.phone.replace("-", "")))
    return found


def _matching(kind: str, value: str):
    if kind == "id":
        return CaseParty.id_number.in_([value, value.lower()])
    return CaseParty.phone.in_(list(dict.fromkeys([value, f"{value[:3]}-{value[3:]}", f"{value[:4]}-{value[4:]}"])))


def _earlier_cases_of(session: Session, party: CaseParty, case: Case, since: datetime | None,
                      outcome: str | None = None) -> list[Case]:
    conditions = [_matching(kind, value) for kind, value in _identities(party)]
    if not conditions:
        return []
    query = (select(Case).join(CaseParty, CaseParty.case_id == Case.id)
             .where(or_(*conditions), Case.id != case.id).order_by(Case.id))
    if since is not None:
        query = query.where(Case.created_at >= since)
    if outcome is not None:
        query = query.where(Case.outcome == outcome)
    return list(dict.fromkeys(session.scalars(query)))


def on_registration(rt: Runtime, session: Session, case: Case, parties: list[CaseParty], now: datetime,
                    place: str | None = None) -> list:
    """Raise what a new case reveals: a repeat party or place, a party with an enforcement behind it, a surge
    of its type or township. Returns the warnings raised (those joined are not)."""
    rules = rules_of(session)
    raised = [*_repeats(rt, session, case, parties, now, rules, place),
              *_enforcement_history(rt, session, case, parties, now), *_surges(rt, session, case, now, rules)]
    return [warning for warning in raised if warning is not None]


def _repeats(rt, session, case, parties, now, rules: WarningRules, place: str | None) -> list:
    window = timedelta(days=rules.repeat_days)
    raised = []
    for party in parties:
        earlier = _earlier_cases_of(session, party, case, now - window)
        if earlier:
            kind, value = _identities(party)[0]
            raised.append(store.raise_or_join(
                session, kind="repeat", key=f"{kind}:{value}", case=case, now=now, window=window,
                case_ids=[c.id for c in earlier] + [case.id], webhook=rt.webhook_enabled,
                title=f"重复纠纷：当事人{party.name}{rules.repeat_days}日内再次登记（{case.case_no}，"
                      f"此前 {len(earlier)} 件）",
                details={"by": kind, "party": party.name, "days": rules.repeat_days, "case_no": case.case_no}))
    if case.place_key:
        earlier = list(session.scalars(select(Case).where(Case.place_key == case.place_key, Case.id != case.id,
                                                          Case.created_at >= now - window).order_by(Case.id)))
        if earlier:
            raised.append(store.raise_or_join(
                session, kind="repeat", key=f"place:{case.place_key}", case=case, now=now, window=window,
                case_ids=[c.id for c in earlier] + [case.id], webhook=rt.webhook_enabled,
                title=f"重复纠纷：同一地点{rules.repeat_days}日内再次登记（{place or case.place_key}，{case.case_no}）",
                details={"by": "place", "place": place or case.place_key, "days": rules.repeat_days,
                         "case_no": case.case_no}))
    return raised


def _enforcement_history(rt, session, case, parties, now) -> list:
    behind = {}
    for party in parties:
        for earlier in _earlier_cases_of(session, party, case, None, ENFORCEMENT_OUTCOME):
            behind.setdefault(earlier.id, (earlier, party.name))
    if not behind:
        return []
    numbers = "、".join(earlier.case_no for earlier, _name in behind.values())
    names = "、".join(dict.fromkeys(name for _earlier, name in behind.values()))
    return [store.raise_or_join(
        session, kind="enforcement", key=f"case:{case.id}", case=case, now=now, webhook=rt.webhook_enabled,
        case_ids=[*behind, case.id], title=f"当事人{names}此前案件（{numbers}）已申请强制执行，新登记 {case.case_no}",
        details={"parties": names, "earlier": [earlier.case_no for earlier, _name in behind.values()],
                 "case_no": case.case_no})]


def usual_count(session: Session, column, value: str, now: datetime, rules: WarningRules) -> float:
    """The mean count per window of the `baseline_weeks` windows before the recent one."""
    recent = now - timedelta(days=rules.surge_days)
    start = recent - timedelta(days=rules.surge_days * rules.baseline_weeks)
    total = session.scalar(select(func.count()).select_from(Case).where(
        column == value, Case.created_at >= start, Case.created_at < recent))
    return total / rules.baseline_weeks


def surge_threshold(usual: float, rules: WarningRules) -> int:
    """How many cases in the recent window make a surge over a usual count of `usual` per window."""
    return max(rules.surge_minimum, math.ceil(rules.surge_factor * max(usual, 1.0)))


def _surges(rt, session, case, now, rules: WarningRules) -> list:
    raised = []
    window = timedelta(days=rules.surge_days)
    for label, column, value in (("type", Case.dispute_type, case.dispute_type),
                                 ("township", Case.township, case.township)):
        if not value:
            continue
        recent = session.scalar(select(func.count()).select_from(Case).where(
            column == value, Case.created_at >= now - window))
        usual = usual_count(session, column, value, now, rules)
        if recent < surge_threshold(usual, rules):
            continue
        case_ids = list(session.scalars(select(Case.id).where(column == value, Case.created_at >= now - window)
                                        .order_by(Case.id)))
        what = "纠纷类型" if label == "type" else "乡镇（街道）"
        raised.append(store.raise_or_join(
            session, kind="surge", key=f"{label}:{value}", case=case, now=now, window=window, case_ids=case_ids,
            webhook=rt.webhook_enabled,
            title=f"纠纷激增：{what}“{value}”近{rules.surge_days}日登记 {recent} 件，"
                  f"此前平均每{rules.surge_days}日 {usual:.1f} 件",
            details={"by": label, "value": value, "recent": recent, "usual": round(usual, 2),
                     "days": rules.surge_days}))
    return raised


def _stabilised(session: Session, case: Case) -> bool:
    reports = session.scalars(select(WorkItem.submitted).where(
        WorkItem.case_id == case.id, WorkItem.form_key == STABILISATION_FORM, WorkItem.state == "completed"))
    return any(isinstance(report, dict) and report.get("status") == "stable" for report in reports)


def on_refresh(rt: Runtime, session: Session, case: Case, now: datetime) -> None:
    """Keep the case's red-not-stabilised warning in step: raised while it is open, red and not reported
    stable; ended otherwise. Costs nothing for a case that is not red and was not red before this command."""
    history = inspect(case).attrs.risk.history
    if case.risk != "red" and "red" not in (history.deleted or ()):
        return
    key = f"case:{case.id}"
    if case.risk == "red" and case.status == "open" and not _stabilised(session, case):
        if store.current(session, "red_unstable", key, now, store.FOREVER) is None:
            store.raise_or_join(session, kind="red_unstable", key=key, case=case, case_ids=[case.id], now=now,
                                webhook=rt.webhook_enabled,
                                title=f"红色风险案件尚未稳控：{case.case_no} {case.title}",
                                details={"case_no": case.case_no, "case_title": case.title})
    else:
        store.end(session, "red_unstable", key, now)
