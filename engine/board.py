"""The overdue board (督办看板): deadline counts per department, their drill-downs, on-time completion rates
and the overdue list, read from the work-item projection with aggregate queries.

"Due soon" is the inbox countdown's state (less than one working day of working time left), turned into
an instant so the database can count it; "due today" is a deadline later today in Asia/Shanghai; overdue
is a deadline already passed; escalated is an open item whose supervision ladder has started.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .calendar import SHANGHAI, WorkingCalendar
from .countdown import DUE_SOON, Countdown, countdown, working_time_left
from .errors import Invalid, NotFound
from .models import Case, Department, User, WorkItem
from .permissions import allowed, check_can_open, check_can_see_board
from .runtime import Runtime
from .users import Actor

WHICH = ("all", "due_today", "due_soon", "overdue", "escalated")
PAGE_SIZE = 100
DAY = timedelta(days=1)
FIRST_YEAR, LAST_YEAR = 2000, 2100  # periods outside these years are typing mistakes, not reports


# --- the moments a board is counted against -------------------------------------------------------------

def due_soon_limit(calendar: WorkingCalendar, now: datetime) -> datetime:
    """The earliest deadline that is not yet "due soon" at `now`: one working day of working time ahead.

    A deadline `due` with now <= due < limit has less than a working day left (countdown state due_soon);
    working time left only grows across working days, so the limit lies in the first working day whose
    end brings the time left to a full working day."""
    midnight = datetime.combine(now.astimezone(SHANGHAI).date(), time.min, SHANGHAI)
    for _ in range(366):
        midnight += DAY
        left = working_time_left(calendar, now, midnight)
        if left >= DUE_SOON:
            return midnight - (left - DUE_SOON)
    raise ValueError("the calendar has no working day within a year")


@dataclass(frozen=True)
class Moments:
    """`now` and the instants the board's columns compare deadlines with."""

    now: datetime
    tomorrow: datetime  # midnight starting tomorrow in Asia/Shanghai
    soon_limit: datetime

    @classmethod
    def at(cls, calendar: WorkingCalendar, now: datetime) -> Moments:
        tomorrow = datetime.combine(now.astimezone(SHANGHAI).date() + DAY, time.min, SHANGHAI)
        return cls(now, tomorrow, due_soon_limit(calendar, now))


def _running() -> ColumnElement:
    """Items whose case is not suspended: a suspended case's clock stands still (its deadlines move on by the
    time it stood still when it resumes), so its items are neither due nor late meanwhile."""
    return WorkItem.case_id.not_in(select(Case.id).where(Case.status == "suspended").scalar_subquery())


def _conditions(m: Moments) -> dict[str, ColumnElement]:
    """Which open items fall in each column of the board (the drill-down filters by the same conditions)."""
    in_time = WorkItem.due_at >= m.now
    running = _running()
    return {
        "due_today": and_(running, in_time, WorkItem.due_at < m.tomorrow),
        "due_soon": and_(running, in_time, WorkItem.due_at < m.soon_limit),
        "overdue": and_(running, WorkItem.due_at < m.now),
        "escalated": and_(running, WorkItem.escalation_level >= 1),
    }


def _count_where(condition: ColumnElement):
    """How many rows of the group meet `condition` (0 for none), counted by the database."""
    return func.coalesce(func.sum(when((condition, 1), else_=0)), 0)


def _departments(session: Session) -> dict[str, str]:
    """Department id -> name, in display order."""
    return {d.id: d.name for d in session.scalars(select(Department).order_by(Department.sort, Department.id))}


def _every_department(names: dict[str, str], counted) -> list[str]:
    """The known departments in display order, then any id that only the work items name."""
    return list(names) + sorted(d for d in counted if d not in names)


def _department_name(session: Session, department_id: str) -> str:
    """The name of a department the board lists: a known one, or an id that work items still carry."""
    department = session.get(Department, department_id)
    if department is not None:
        return department.name
    if session.scalar(select(exists().where(WorkItem.department_id == department_id))):
        return department_id
    raise NotFound(f"部门 {department_id} 不存在")


# --- the board: one row per department -------------------------------------------------------------------

@dataclass(frozen=True)
class DepartmentRow:
    """A department's open work by deadline: the counts in one row of the board."""

    department_id: str
    name: str
    open: int = 0
    due_today: int = 0
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0
    max_level: int = 0

    @property
    def other_open(self) -> int:
        """Open items neither overdue nor due soon (the rest of the bar in the chart)."""
        return self.open - self.overdue - self.due_soon

    @property
    def late_first(self) -> tuple:
        """Sort key: most overdue, then most escalated, then most due soon, then by name."""
        return (-self.overdue, -self.escalated, -self.due_soon, self.name)


@dataclass(frozen=True)
class Board:
    now: datetime
    rows: list[DepartmentRow]

    @property
    def totals(self) -> DepartmentRow:
        """Every department together (max_level is the highest of any)."""
        rows = self.rows
        return DepartmentRow("", "", sum(r.open for r in rows), sum(r.due_today for r in rows),
                             sum(r.due_soon for r in rows), sum(r.overdue for r in rows),
                             sum(r.escalated for r in rows), max((r.max_level for r in rows), default=0))


def board(rt: Runtime, by: Actor) -> Board:
    """Every department's open, due today, due soon, overdue and escalated counts, the late ones first."""
    check_can_see_board(by)
    m = Moments.at(rt.calendar, rt.clock.now())
    conditions = _conditions(m)
    query = (select(WorkItem.department_id, func.count(),
                    *(_count_where(conditions[name]) for name in ("due_today", "due_soon", "overdue", "escalated")),
                    func.coalesce(func.max(WorkItem.escalation_level), 0))
             .where(WorkItem.state == "open").group_by(WorkItem.department_id))
    with rt.unit_of_work(write=False) as session:
        names = _departments(session)
        counted = {row[0]: row for row in session.execute(query)}
    rows = [DepartmentRow(d, names.get(d, d), *(int(n) for n in counted[d][1:])) if d in counted
            else DepartmentRow(d, names[d]) for d in _every_department(names, counted)]
    return Board(m.now, sorted(rows, key=lambda r: r.late_first))


# --- the drill-down and the overdue list -----------------------------------------------------------------

@dataclass(frozen=True)
class BoardItem:
    """One open item as the drill-down and the export show it."""

    id: int
    case_no: str
    case_title: str
    department_id: str
    title: str
    due_at: datetime | None
    countdown: Countdown | None
    escalation_level: int
    assignee: str | None  # the display name of whoever claimed it
    notice_no: str | None  # the supervision notice (督办件) on it, if one was issued
    can_open_task: bool = False


@dataclass
class DepartmentItems:
    department_id: str
    name: str
    which: str
    now: datetime
    items: list[BoardItem]
    total: int
    page: int
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _notice_numbers(session: Session, items: list[WorkItem]) -> dict[int, str]:
    """The newest supervision notice number of each item: its own, or that of a notice issued on it."""
    numbers = {}
    ids = [item.id for item in items]
    if ids:
        issued = session.execute(select(WorkItem.subject_item_id, WorkItem.notice_no)
                                 .where(WorkItem.subject_item_id.in_(ids), WorkItem.notice_no.is_not(None))
                                 .order_by(WorkItem.id))
        numbers.update({subject: number for subject, number in issued})
    numbers.update({item.id: item.notice_no for item in items if item.notice_no})
    return numbers


def _listed(session: Session, rt: Runtime, by: Actor, query, now: datetime) -> list[BoardItem]:
    """Board items for a query over (WorkItem, Case, assignee's display name)."""
    rows = session.execute(query).all()
    notices = _notice_numbers(session, [row[0] for row in rows])
    return [BoardItem(item.id, case.case_no, case.title, item.department_id, item.title, item.due_at,
                      countdown(rt.calendar, now, item.due_at), item.escalation_level, assignee,
                      notices.get(item.id), allowed(check_can_open, by, item))
            for item, case, assignee in rows]


def _open_items():
    """Open items with their case and assignee, most overdue first (no deadline last)."""
    return (select(WorkItem, Case, User.display_name)
            .join(Case, Case.id == WorkItem.case_id)
            .outerjoin(User, User.id == WorkItem.assignee_id)
            .where(WorkItem.state == "open")
            .order_by(WorkItem.due_at.is_(None), WorkItem.due_at, WorkItem.id))


def department_items(rt: Runtime, by: Actor, department_id: str, which: str = "overdue",
                     page: int = 1) -> DepartmentItems:
    """One page of a department's open items in one column of the board, most overdue first."""
    check_can_see_board(by)
    if which not in WHICH:
        raise Invalid("筛选条件有误", {"show": [f"必须是 {', '.join(WHICH)} 之一"]})
    page = max(1, min(page, 10_000))
    m = Moments.at(rt.calendar, rt.clock.now())
    query = _open_items().where(WorkItem.department_id == department_id)
    if which != "all":
        query = query.where(_conditions(m)[which])
    with rt.unit_of_work(write=False) as session:
        name = _department_name(session, department_id)
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        items = _listed(session, rt, by, query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE), m.now)
    return DepartmentItems(department_id, name, which, m.now, items, total, page)


@dataclass
class OverdueList:
    now: datetime
    department_id: str | None
    items: list[BoardItem]


def overdue_list(rt: Runtime, by: Actor, department_id: str | None = None) -> OverdueList:
    """Every overdue open item (of one department, or all), most overdue first: the export's rows."""
    check_can_see_board(by)
    now = rt.clock.now()
    query = _open_items().where(WorkItem.due_at < now, _running())
    with rt.unit_of_work(write=False) as session:
        if department_id is not None:
            _department_name(session, department_id)
            query = query.where(WorkItem.department_id == department_id)
        return OverdueList(now, department_id, _listed(session, rt, by, query, now))


# --- on-time completion rate -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both included, in Asia/Shanghai."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        """The instants [start 00:00, the day after end 00:00) in Asia/Shanghai."""
        return (datetime.combine(self.start, time.min, SHANGHAI),
                datetime.combine(self.end + DAY, time.min, SHANGHAI))


def today(rt: Runtime) -> date:
    """Today's date in Asia/Shanghai by the runtime's clock."""
    return rt.clock.now().astimezone(SHANGHAI).date()


def default_period(rt: Runtime) -> Period:
    """The current month so far: its first day to today."""
    day = today(rt)
    return Period(day.replace(day=1), day)


def _date(text: str, name: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid("日期格式有误", {name: ["应为 YYYY-MM-DD 格式的日期"]}) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Invalid("日期超出范围", {name: [f"年份应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间"]})
    return day


def parse_period(rt: Runtime, start: str | None, end: str | None) -> Period:
    """The period a supervisor typed (YYYY-MM-DD); a part left empty is taken from the default period."""
    default = default_period(rt)
    period = Period(_date(start, "from") if start and start.strip() else default.start,
                    _date(end, "to") if end and end.strip() else default.end)
    if period.start > period.end:
        raise Invalid("开始日期晚于结束日期", {"from": ["开始日期不能晚于结束日期"]})
    return period


@dataclass(frozen=True)
class CompletionRate:
    """Items completed in the period that had a deadline, and how many of them by the deadline."""

    department_id: str
    name: str
    completed: int = 0
    on_time: int = 0

    @property
    def rate(self) -> float | None:
        """The on-time share, or None when nothing with a deadline was completed."""
        return self.on_time / self.completed if self.completed else None


@dataclass
class CompletionReport:
    period: Period
    overall: CompletionRate
    rows: list[CompletionRate]


def completion_rates(rt: Runtime, by: Actor, period: Period) -> CompletionReport:
    """On-time completion (按期办结率) per department and overall: completed_at <= due_at among items
    completed in the period; items without a deadline are left out. An item taken away after its
    deadline had passed (a dispatch not accepted in time goes back to the centre) counts as late for
    its department. 督办件 are left out: they are about another item's lateness."""
    check_can_see_board(by)
    start, end = period.bounds()
    lapsed = (WorkItem.state == "cancelled") & (WorkItem.completed_at > WorkItem.due_at)
    on_time = (WorkItem.state == "completed") & (WorkItem.completed_at <= WorkItem.due_at)
    query = (select(WorkItem.department_id, func.count(), _count_where(on_time))
             .where((WorkItem.state == "completed") | lapsed, WorkItem.due_at.is_not(None),
                    WorkItem.notice_no.is_(None),
                    WorkItem.completed_at >= start, WorkItem.completed_at < end)
             .group_by(WorkItem.department_id))
    with rt.unit_of_work(write=False) as session:
        names = _departments(session)
        counted = {d: (int(n), int(on_time)) for d, n, on_time in session.execute(query)}
    rows = [CompletionRate(d, names.get(d, d), *counted.get(d, (0, 0))) for d in _every_department(names, counted)]
    overall = CompletionRate("", "", sum(r.completed for r in rows), sum(r.on_time for r in rows))
    return CompletionReport(period, overall, rows)
