"""What a report lists by name: the red cases and how they stand, and the supervision notices (督办件) issued."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ..board import Period
from ..models import Case, WorkItem
from ..permissions import CENTRE
from .filters import Filters


@dataclass(frozen=True)
class RedCase:
    case_no: str
    title: str
    status: str
    stage_name: str
    outcome: str | None
    created_at: datetime


@dataclass(frozen=True)
class NoticeRow:
    notice_no: str
    case_no: str
    title: str
    department_id: str
    created_at: datetime
    state: str


def red_cases(session: Session, period: Period, filters: Filters) -> list[RedCase]:
    """Red cases registered in the period, and red cases still open at its end wherever they were registered."""
    start, end = period.bounds()
    query = (select(Case).where(Case.risk == "red", Case.created_at < end, *filters.case_conditions(),
                                or_(Case.created_at >= start, Case.closed_at.is_(None), Case.closed_at >= end))
             .order_by(Case.case_no))
    return [RedCase(c.case_no, c.title, c.status, c.stage_name, c.outcome, c.created_at)
            for c in session.scalars(query)]


def notices(session: Session, period: Period, filters: Filters) -> list[NoticeRow]:
    """Supervision notices issued in the period, to the departments that received them."""
    start, end = period.bounds()
    query = (select(WorkItem, Case.case_no).join(Case, Case.id == WorkItem.case_id)
             .where(WorkItem.notice_no.is_not(None), WorkItem.created_at >= start, WorkItem.created_at < end,
                    *filters.item_conditions())
             .order_by(WorkItem.created_at, WorkItem.id))
    return [NoticeRow(item.notice_no, case_no, item.title, item.department_id, item.created_at, item.state)
            for item, case_no in session.execute(query)]


def overdue_open(session: Session, at: datetime, filters: Filters) -> int:
    """Items still open past their deadline at `at` (督办件 left out)."""
    query = (select(WorkItem.id).join(Case, Case.id == WorkItem.case_id)
             .where(WorkItem.state == "open", WorkItem.due_at.is_not(None), WorkItem.due_at < at,
                    WorkItem.notice_no.is_(None), *filters.item_conditions()))
    return len(session.scalars(query).all())


def active_groups(session: Session, period: Period, filters: Filters) -> tuple[set[str], set[str]]:
    """The departments and dispute types with a case registered or closed in the period (a report's breakdown
    rows; the others would be all zeros)."""
    start, end = period.bounds()
    query = (select(func.coalesce(Case.lead_department_id, CENTRE), Case.dispute_type)
             .where(or_(and_(Case.created_at >= start, Case.created_at < end),
                        and_(Case.closed_at >= start, Case.closed_at < end)), *filters.case_conditions()).distinct())
    rows = session.execute(query).all()
    return {d for d, _ in rows}, {t for _, t in rows}
