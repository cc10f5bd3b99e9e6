"""What the board shows of early warning: the warnings of the last days (and those still going), and one
warning with its cases."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from ..errors import Invalid, NotFound
from ..models import Case, EarlyWarning
from ..permissions import check_can_see_board
from ..runtime import Runtime
from ..users import Actor

KINDS = ("repeat", "surge", "red_unstable", "enforcement")
RECENT_DAYS = 30


@dataclass(frozen=True)
class WarningView:
    id: int
    kind: str
    title: str
    raised_at: datetime
    last_at: datetime
    ended_at: datetime | None
    case_count: int
    details: dict

    @classmethod
    def of(cls, row: EarlyWarning) -> WarningView:
        return cls(row.id, row.kind, row.title, row.raised_at, row.last_at, row.ended_at, len(row.case_ids or []),
                   dict(row.details or {}))


@dataclass(frozen=True)
class WarningCase:
    case_no: str
    title: str
    status: str
    stage_name: str
    risk: str | None
    party_names: str
    created_at: datetime


@dataclass(frozen=True)
class WarningDetail:
    warning: WarningView
    cases: list[WarningCase]


@dataclass(frozen=True)
class RecentWarnings:
    warnings: list[WarningView]
    counts: dict[str, int]  # kind -> warnings listed
    days: int


def recent_warnings(rt: Runtime, by: Actor, kind: str | None = None, days: int = RECENT_DAYS,
                    limit: int = 100) -> RecentWarnings:
    """Warnings raised or joined in the last `days` days, and those still going (a red case not yet
    stabilised stays until it is), newest first; of one kind if asked."""
    check_can_see_board(by)
    if kind is not None and kind not in KINDS:
        raise Invalid("预警类别有误", {"kind": [f"必须是 {', '.join(KINDS)} 之一"]})
    since = rt.clock.now() - timedelta(days=days)
    with rt.unit_of_work(write=False) as session:
        query = select(EarlyWarning).where(or_(EarlyWarning.last_at >= since, (EarlyWarning.ended_at.is_(None)
                                                                              & (EarlyWarning.kind == "red_unstable"))))
        rows = [WarningView.of(row) for row in session.scalars(query.order_by(EarlyWarning.last_at.desc(),
                                                                              EarlyWarning.id.desc()))]
    counts = {k: sum(1 for w in rows if w.kind == k and w.ended_at is None) for k in KINDS}
    shown = [w for w in rows if kind is None or w.kind == kind][:limit]
    return RecentWarnings(shown, counts, days)


def warning_detail(rt: Runtime, by: Actor, warning_id: int) -> WarningDetail:
    check_can_see_board(by)
    with rt.unit_of_work(write=False) as session:
        row = session.get(EarlyWarning, warning_id)
        if row is None:
            raise NotFound(f"预警 {warning_id} 不存在")
        cases = session.scalars(select(Case).where(Case.id.in_(row.case_ids or [])).order_by(Case.id))
        return WarningDetail(WarningView.of(row), [WarningCase(c.case_no, c.title, c.status, c.stage_name, c.risk,
                                                               c.party_names, c.created_at) for c in cases])
