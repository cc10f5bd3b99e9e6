"""The department inbox: open work items with filters, tab counts and countdowns, read from projections."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import case as when
from sqlalchemy import func, or_, select

from .countdown import Countdown, countdown
from .errors import Invalid
from .models import Case, WorkItem
from .permissions import check_department, openable
from .runtime import Runtime
from .users import Actor
from .work_items import WorkItemView, item_views

SCOPES = ("mine", "unclaimed", "department")
RISKS = ("red", "yellow", "blue")
PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxFilter:
    """What the clerk asked to see; every field optional but the scope."""

    scope: str = "department"
    department: str | None = None
    stage: str = ""
    risk: str = ""
    dispute_type: str = ""
    search: str = ""
    page: int = 1

    def validated(self) -> InboxFilter:
        errors = {}
        if self.scope not in SCOPES:
            errors["scope"] = [f"必须是 {', '.join(SCOPES)} 之一"]
        if self.risk and self.risk not in (*RISKS, "none"):
            errors["risk"] = ["不在可选范围内"]
        if errors:
            raise Invalid("筛选条件有误", errors)
        return replace(self, search=self.search.strip()[:100], page=max(1, min(self.page, 10_000)))


@dataclass(frozen=True)
class InboxEntry:
    item: WorkItemView
    countdown: Countdown | None
    stage: str


@dataclass
class InboxPage:
    filter: InboxFilter
    department: str
    entries: list[InboxEntry]
    counts: dict[str, int]
    total: int
    page_size: int = PAGE_SIZE
    stages: list[tuple[str, str]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def inbox(rt: Runtime, by: Actor, wanted: InboxFilter) -> InboxPage:
    """One page of a department's open items, overdue first then by due time, with counts per tab."""
    wanted = wanted.validated()
    department = wanted.department or by.department_id
    check_department(by, department)
    now = rt.clock.now()
    base = (select(WorkItem).join(Case, Case.id == WorkItem.case_id)
            .where(WorkItem.department_id == department, WorkItem.state == "open", openable(by)))
    if wanted.stage:
        base = base.where(Case.stage == wanted.stage)
    if wanted.risk == "none":
        base = base.where(Case.risk.is_(None))
    elif wanted.risk:
        base = base.where(Case.risk == wanted.risk)
    if wanted.dispute_type:
        base = base.where(Case.dispute_type == wanted.dispute_type)
    if wanted.search:
        base = base.where(or_(Case.case_no == wanted.search, Case.case_no.like(_like(wanted.search), escape="\\"),
                              Case.party_names.like(_like(wanted.search), escape="\\"),
                              Case.title.like(_like(wanted.search), escape="\\")))
    with rt.unit_of_work(write=False) as session:
        counted = base.with_only_columns(
            func.count(),
            func.coalesce(func.sum(when((WorkItem.assignee_id == by.id, 1), else_=0)), 0),
            func.coalesce(func.sum(when((WorkItem.assignee_id.is_(None), 1), else_=0)), 0))
        everyone, mine, unclaimed = session.execute(counted).one()
        counts = {"mine": mine, "unclaimed": unclaimed, "department": everyone}
        scoped = base
        if wanted.scope == "mine":
            scoped = scoped.where(WorkItem.assignee_id == by.id)
        elif wanted.scope == "unclaimed":
            scoped = scoped.where(WorkItem.assignee_id.is_(None))
        rows = session.execute(
            scoped.add_columns(Case).order_by(WorkItem.due_at.is_(None), WorkItem.due_at, WorkItem.id)
            .limit(PAGE_SIZE).offset((wanted.page - 1) * PAGE_SIZE)).all()
        items = [row[0] for row in rows]
        cases = {row[1].id: row[1] for row in rows}
        views = item_views(session, items, now, cases=cases)
        entries = [InboxEntry(view, countdown(rt.calendar, now, view.due_at), cases[item.case_id].stage)
                   for view, item in zip(views, items)]
        return InboxPage(wanted, department, entries, counts, counts[wanted.scope],
                         stages=_stage_choices(session))


def _stage_choices(session) -> list[tuple[str, str]]:
    """Each stage of the open cases once, for the stage filter. A case waiting on a step shows that step's
    words as its stage name (等待法院裁定), so a stage is named as most of its cases show it."""
    rows = session.execute(select(Case.stage, Case.stage_name, func.count()).where(Case.status == "open")
                           .group_by(Case.stage, Case.stage_name)
                           .order_by(Case.stage, func.count().desc(), Case.stage_name)).all()
    named: dict[str, str] = {}
    for stage, name, _count in rows:
        named.setdefault(stage, name)
    return list(named.items())
