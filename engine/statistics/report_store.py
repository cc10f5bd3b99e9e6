"""Reports kept: generated on demand by a person, or by the scheduler once the month (or quarter) is over,
listed with their generation time and downloaded as they were generated."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from .. import audit
from ..board import today
from ..errors import NotFound
from ..models import StatisticsReport
from ..permissions import check_can_generate_reports
from ..runtime import Runtime
from ..users import Actor
from .periods import KINDS, ReportPeriod, covering
from .reports import content_of, render, title_of

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SYSTEM = "system"


@dataclass(frozen=True)
class ReportView:
    id: int
    kind: str
    period_start: date
    period_end: date
    title: str
    generated_at: datetime
    generated_by: str
    size: int

    @classmethod
    def of(cls, row: StatisticsReport) -> ReportView:
        return cls(row.id, row.kind, row.period_start, row.period_end, row.title, row.generated_at,
                   row.generated_by, row.size)


def _store(rt: Runtime, which: ReportPeriod, by: str) -> ReportView:
    now = rt.clock.now()
    body = render(content_of(rt, which), now, by)
    with rt.unit_of_work() as session:
        row = StatisticsReport(kind=which.kind, period_start=which.period.start, period_end=which.period.end,
                               title=title_of(which), generated_at=now, generated_by=by, size=len(body), content=body)
        session.add(row)
        session.flush()
        if by != SYSTEM:
            audit.record(session, at=now, actor=by, kind="report_generated",
                         summary=f"生成{row.title}", data={"report_id": row.id, "kind": which.kind,
                                                          "period": which.code})
        return ReportView.of(row)


def generate(rt: Runtime, by: Actor, which: ReportPeriod) -> ReportView:
    """Generate a report now (a new one each time: earlier ones stay listed as they were)."""
    check_can_generate_reports(by)
    return _store(rt, which, by.username)


def list_reports(rt: Runtime, by: Actor, limit: int = 200) -> list[ReportView]:
    check_can_generate_reports(by)
    with rt.unit_of_work(write=False) as session:
        query = select(StatisticsReport).order_by(StatisticsReport.generated_at.desc(), StatisticsReport.id.desc())
        return [ReportView.of(row) for row in session.scalars(query.limit(limit))]


def report_file(rt: Runtime, by: Actor, report_id: int) -> tuple[ReportView, bytes]:
    check_can_generate_reports(by)
    with rt.unit_of_work(write=False) as session:
        row = session.get(StatisticsReport, report_id)
        if row is None:
            raise NotFound(f"报表 {report_id} 不存在")
        return ReportView.of(row), row.content


def due_reports(day: date) -> list[ReportPeriod]:
    """The reports that should exist on `day`: last month's monthly and last quarter's quarterly."""
    return [covering(kind, covering(kind, day).period.start - timedelta(days=1)) for kind in KINDS]


def generate_due(rt: Runtime) -> list[ReportView]:
    """The scheduler's part: from the 1st of each month (and of each quarter) make last month's (and last
    quarter's) report if the scheduler has not made it yet, so it is ready before the 3rd (and the 5th)."""
    made = []
    for which in due_reports(today(rt)):
        with rt.unit_of_work(write=False) as session:
            exists = session.scalar(select(StatisticsReport.id).where(
                StatisticsReport.kind == which.kind, StatisticsReport.period_start == which.period.start,
                StatisticsReport.generated_by == SYSTEM).limit(1))
        if exists is None:
            made.append(_store(rt, which, SYSTEM))
    return made
