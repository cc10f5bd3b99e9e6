"""The work-item read model: what inboxes and case files show, straight from the projection rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .errors import Invalid
from .models import Case, Definition, User, WorkItem
from .permissions import check_department, openable, sees_all
from .runtime import Runtime
from .users import Actor

STATES = ("open", "completed", "cancelled")
MAX_PAGE = 200


@dataclass
class WorkItemView:
    id: int
    case_no: str
    title: str
    element_id: str
    process_id: str
    form_key: str
    department_id: str
    required_role: str | None
    state: str
    assignee: str | None
    created_at: datetime
    due_at: datetime | None
    escalation_level: int
    completed_by: str | None
    completed_at: datetime | None
    case_title: str = ""
    risk: str | None = None
    stage_name: str = ""
    party_names: str = ""
    dispute_type: str = ""
    overdue: bool = False
    notice_no: str | None = None  # a 督办件's number
    subject_item_id: int | None = None  # the item a 督办件 is about
    definition_id: int | None = None  # the process version the case runs on (its forms are that version's)
    assignee_id: int | None = None
    assignee_name: str | None = None  # the display name of whoever holds it (people are shown by name)
    completed_by_name: str | None = None
    case_status: str = "open"  # a suspended case's items are shown paused


def item_views(session: Session, rows, now: datetime, cases: dict[int, Case] | None = None,
               users: dict[int, tuple[str, str]] | None = None,
               processes: dict[int, dict] | None = None) -> list[WorkItemView]:
    """Views of work-item rows; cases, people ((username, display name) by id) and definitions' processes
    (see `_processes`) not handed in are read in one query each."""
    rows = list(rows)
    if not rows:
        return []
    cases = dict(cases or {})
    missing_cases = {r.case_id for r in rows} - set(cases)
    if missing_cases:
        cases.update({c.id: c for c in session.scalars(select(Case).where(Case.id.in_(missing_cases)))})
    users = dict(users or {})
    missing_users = ({r.assignee_id for r in rows} | {r.completed_by_id for r in rows}) - set(users) - {None}
    if missing_users:
        users.update({u.id: (u.username, u.display_name)
                      for u in session.scalars(select(User).where(User.id.in_(missing_users)))})
    processes = dict(processes or {})
    missing_definitions = {case.definition_id for case in cases.values()} - set(processes)
    if missing_definitions:
        processes.update(_processes(session, missing_definitions))
    return [_view(r, cases[r.case_id], users, now, _stage_name(r, cases[r.case_id], processes)) for r in rows]


def _processes(session: Session, definition_ids: set[int]) -> dict[int, dict]:
    """definition id -> what its deployment recorded of each process (names, tasks), in one query."""
    found = session.execute(select(Definition.id, Definition.meta).where(Definition.id.in_(definition_ids)))
    return {definition_id: (meta or {}).get("processes", {}) for definition_id, meta in found}


def _stage_name(row: WorkItem, case: Case, processes: dict[int, dict]) -> str:
    """The stage the item's own task belongs to, named as the case is while that task is open (its
    `caseStatus`, else its stage's name), whatever stage the case has moved on to since."""
    process = processes.get(case.definition_id, {}).get(row.process_id)
    if process is None:
        return case.stage_name
    status = process.get("tasks", {}).get(row.element_id, {}).get("case_status")
    return status or process.get("name") or row.process_id


def _view(row: WorkItem, case: Case, users: dict[int, tuple[str, str]], now: datetime,
          stage_name: str) -> WorkItemView:
    assignee, completed_by = users.get(row.assignee_id, (None, None)), users.get(row.completed_by_id, (None, None))
    return WorkItemView(row.id, case.case_no, row.title, row.element_id, row.process_id, row.form_key,
                        row.department_id, row.required_role, row.state, assignee[0],
                        row.created_at, row.due_at, row.escalation_level, completed_by[0],
                        row.completed_at, case.title, case.risk, stage_name, case.party_names,
                        case.dispute_type, row.state == "open" and row.due_at is not None and row.due_at < now,
                        row.notice_no, row.subject_item_id, case.definition_id, row.assignee_id, assignee[1],
                        completed_by[1], case.status)


def list_items(rt: Runtime, by: Actor, *, department: str | None = None, state: str = "open",
               assignee: str | None = None, overdue: bool | None = None, limit: int = 50,
               offset: int = 0) -> tuple[list[WorkItemView], int]:
    """A department's work items, overdue first then by due time; returns the page and the total."""
    if state not in STATES:
        raise Invalid("参数错误", {"state": [f"必须是 {', '.join(STATES)} 之一"]})
    department = department or (None if sees_all(by) else by.department_id)
    if department is not None:
        check_department(by, department)
    now = rt.clock.now()
    with rt.unit_of_work(write=False) as session:
        query = select(WorkItem).where(WorkItem.state == state, openable(by))
        if department is not None:
            query = query.where(WorkItem.department_id == department)
        if assignee == "me":
            query = query.where(WorkItem.assignee_id == by.id)
        elif assignee == "none":
            query = query.where(WorkItem.assignee_id.is_(None))
        elif assignee:
            user_id = session.scalar(select(User.id).where(User.username == assignee))
            if user_id is None:  # a misspelt name must not read as "nobody", i.e. the unclaimed pool
                raise Invalid("参数错误", {"assignee": [f"没有用户名为 {assignee} 的用户（可用 me、none 或用户名）"]})
            query = query.where(WorkItem.assignee_id == user_id)
        if overdue is True:
            query = query.where(WorkItem.due_at < now)
        elif overdue is False:
            query = query.where((WorkItem.due_at >= now) | WorkItem.due_at.is_(None))
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        order = (WorkItem.due_at.is_(None), WorkItem.due_at, WorkItem.id)
        rows = session.scalars(query.order_by(*order).limit(min(max(limit, 1), MAX_PAGE))
                               .offset(max(offset, 0))).all()
        return item_views(session, rows, now), total
