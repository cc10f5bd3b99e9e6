"""The department inbox: open work items with filters, tab counts and countdowns, read from projections."""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

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
STAGES_FRESH_SECONDS = 10.0  # the stage filter's choices may be this old: stages come and go with whole cases
COUNT_CAP = 999  # a tab counts its items up to this many and shows "999+" beyond: nobody needs an exact 100,000


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
    total_bound: int | None = None  # when set and reached, there are at least `total` items, maybe more

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def more_pages(self) -> bool:
        """Whether there are pages past `pages` that were not counted."""
        return self.total_bound is not None and self.total >= self.total_bound

    def count_label(self, scope: str) -> str:
        n = self.counts[scope]
        return f"{COUNT_CAP}+" if n > COUNT_CAP else str(n)


def _bounded_count(session, query, bound: int) -> int:
    """How many rows `query` finds, counting no further than `bound`."""
    limited = query.with_only_columns(WorkItem.id).order_by(None).limit(bound).subquery()
    return session.execute(select(func.count()).select_from(limited)).scalar_one()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def inbox(rt: Runtime, by: Actor, wanted: InboxFilter, with_stages: bool = True) -> InboxPage:
    """One page of a department's open items, overdue first then by due time, with counts per tab (and the
    stage filter's choices, unless only the list is wanted)."""
    wanted = wanted.validated()
    department = wanted.department or by.department_id
    check_department(by, department)
    now = rt.clock.now()
    base = select(WorkItem).where(WorkItem.department_id == department, WorkItem.state == "open", openable(by))
    # The tabs count from the work-item index alone unless a filter asks about the case.
    on_case = bool(wanted.stage or wanted.risk or wanted.dispute_type or wanted.search)
    if on_case:
        base = base.join(Case, Case.id == WorkItem.case_id)
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
        # Each tab counts only up to COUNT_CAP + 1 items, so a department with 100,000 open items costs what
        # one with a thousand does; the list's own tab counts far enough to know whether the page has a next.
        offset = (wanted.page - 1) * PAGE_SIZE
        scopes = {"mine": base.where(WorkItem.assignee_id == by.id),
                  "unclaimed": base.where(WorkItem.assignee_id.is_(None)), "department": base}
        bound = max(COUNT_CAP + 1, offset + PAGE_SIZE + 1)
        counts = {scope: _bounded_count(session, query, bound if scope == wanted.scope else COUNT_CAP + 1)
                  for scope, query in scopes.items()}
        scoped = scopes[wanted.scope]
        if not on_case:
            scoped = scoped.join(Case, Case.id == WorkItem.case_id)
        scoped = scoped.add_columns(Case)
        # Overdue first, then by due time, the undated last: two index-ordered reads rather than a sort of all.
        dated = scoped.where(WorkItem.due_at.is_not(None))
        rows = session.execute(dated.order_by(WorkItem.due_at, WorkItem.id).limit(PAGE_SIZE).offset(offset)).all()
        if len(rows) < PAGE_SIZE:
            dated_count = offset + len(rows) if rows else _bounded_count(session, dated, offset + 1)
            rows += session.execute(scoped.where(WorkItem.due_at.is_(None)).order_by(WorkItem.id)
                                    .limit(PAGE_SIZE - len(rows)).offset(max(0, offset - dated_count))).all()
        items = [row[0] for row in rows]
        cases = {row[1].id: row[1] for row in rows}
        views = item_views(session, items, now, cases=cases)
        entries = [InboxEntry(view, countdown(rt.calendar, now, view.due_at), cases[item.case_id].stage)
                   for view, item in zip(views, items)]
        return InboxPage(wanted, department, entries, counts, counts[wanted.scope],
                         stages=_recent_stage_choices(rt, session) if with_stages else [],
                         total_bound=bound)


def _recent_stage_choices(rt: Runtime, session) -> list[tuple[str, str]]:
    """`_stage_choices`, worked out at most once every STAGES_FRESH_SECONDS per process."""
    cached = rt.listing_cache.get("inbox_stages")
    if cached is not None and time.monotonic() - cached[0] < STAGES_FRESH_SECONDS:
        return cached[1]
    stages = _stage_choices(session)
    rt.listing_cache["inbox_stages"] = (time.monotonic(), stages)
    return stages


def _stage_choices(session) -> list[tuple[str, str]]:
    """Each stage of the open cases once, for the stage filter. A case waiting on a step shows that step's
    words as its stage name (等待法院裁定), so a stage is named as most of its cases show it.

    The stages and their names are found by stepping through the (status, stage, stage_name) index, one
    seek per distinct value, rather than grouping every open case; only a stage shown under several names
    counts its cases (each name up to COUNT_CAP + 1)."""
    open_cases = Case.status == "open"
    named: list[tuple[str, str]] = []
    stage = session.scalar(select(func.min(Case.stage)).where(open_cases))
    while stage is not None:
        names = []
        shown = session.scalar(select(func.min(Case.stage_name)).where(open_cases, Case.stage == stage))
        while shown is not None:
            names.append(shown)
            shown = session.scalar(select(func.min(Case.stage_name))
                                   .where(open_cases, Case.stage == stage, Case.stage_name > shown))
        if len(names) > 1:
            sized = {shown: session.execute(select(func.count()).select_from(
                select(Case.id).where(open_cases, Case.stage == stage, Case.stage_name == shown)
                .limit(COUNT_CAP + 1).subquery())).scalar_one() for shown in names}
            names.sort(key=lambda shown: (-sized[shown], shown))
        if names:
            named.append((stage, names[0]))
        stage = session.scalar(select(func.min(Case.stage)).where(open_cases, Case.stage > stage))
    return named
