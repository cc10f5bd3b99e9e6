"""Notifications: who hears of a new assignment, a reminder, a supervision notice or an escalation.

Each notice becomes one row per recipient (the bell's unread count is a per-user indexed query)
and one event for the outgoing webhook, all in the transaction of the command that raised it.

Recipients, by kind:
  assignment   the staff of the item's department who may do it (its role, else clerks and heads)
  reminder     the item's assignee, else as for an assignment
  supervision  the heads of the item's department
  escalation   the centre's supervisors and heads
  leadership   the supervisors (the leadership level); the webhook event carries level "leadership"
  warning      the supervisors: an early warning (engine/early_warning/), once per warning
  info         the centre's heads
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from . import webhooks
from .errors import Invalid
from .models import Case, Notification, User, WorkItem
from .permissions import allowed, check_can_open
from .runtime import Runtime
from .users import Actor

CENTRE = "center"
KINDS = ("assignment", "reminder", "supervision", "escalation", "leadership", "warning", "info")


def _active(session: Session, *conditions) -> list[User]:
    return list(session.scalars(select(User).where(User.active.is_(True), *conditions).order_by(User.id)))


def recipients(session: Session, kind: str, item: WorkItem | None, department_id: str | None) -> list[User]:
    department = item.department_id if item is not None else (department_id or CENTRE)
    if kind in ("assignment", "reminder"):
        if kind == "reminder" and item is not None and item.assignee_id:
            user = session.get(User, item.assignee_id)
            return [user] if user is not None and user.active else []
        roles = (item.required_role,) if item is not None and item.required_role else ("clerk", "head")
        return _active(session, User.department_id == department, User.role.in_(roles))
    if kind == "supervision":
        return _active(session, User.department_id == department, User.role == "head")
    if kind == "escalation":
        return _active(session, ((User.department_id == CENTRE) & (User.role == "head")) | (User.role == "supervisor"))
    if kind in ("leadership", "warning"):
        return _active(session, User.role == "supervisor")
    return _active(session, User.department_id == CENTRE, User.role == "head")


def record(session: Session, case: Case, kind: str, text: str, at: datetime, *, item: WorkItem | None = None,
           department_id: str | None = None, element_id: str | None = None, level: int | None = None,
           webhook: bool = False) -> int:
    """Notify everyone who should hear of this (and the webhook, if one is configured); returns how many
    people were notified."""
    kind = kind if kind in KINDS else "info"
    people = recipients(session, kind, item, department_id)
    department = item.department_id if item is not None else department_id
    for user in people:
        session.add(Notification(case_id=case.id, at=at, kind=kind, text=text[:500], department_id=department,
                                 element_id=element_id, user_id=user.id,
                                 work_item_id=item.id if item is not None else None))
    event = {"case_no": case.case_no, "case_title": case.title, "risk": case.risk, "text": text[:500],
             "department": department, "element_id": element_id,
             "work_item_id": item.id if item is not None else None,
             "escalation_level": level if level is not None else (item.escalation_level if item else None),
             "recipients": [u.username for u in people]}
    if kind == "leadership":
        event["level"] = "leadership"
    if webhook:
        webhooks.enqueue(session, kind, event, at)
    return len(people)


@dataclass(frozen=True)
class NotificationView:
    id: int
    at: datetime
    kind: str
    text: str
    case_no: str | None
    work_item_id: int | None
    read: bool
    item_title: str | None = None  # the task's name, so a page can word the notice in its own language
    can_open_task: bool = False  # whether its reader may open the item's task page (else link the case)
    item_due_at: datetime | None = None  # the item's deadline, shown beside the notice


def clear_new_work(session: Session, items: WorkItem | list[WorkItem], at: datetime) -> int:
    """A new-work notice has done its job once its item is claimed, completed or withdrawn: mark it read for
    everyone it went to, in the transaction of the command that took the item (or items: of one case, in one
    statement). Found through the item's case, whose notices are indexed, so the cost does not grow with all
    the notices ever sent."""
    items = items if isinstance(items, list) else [items]
    if not items:
        return 0
    case_ids = {item.case_id for item in items}
    return session.execute(update(Notification).where(
        Notification.case_id.in_(case_ids), Notification.work_item_id.in_([item.id for item in items]),
        Notification.kind == "assignment", Notification.read_at.is_(None)).values(read_at=at)
        .execution_options(synchronize_session=False)).rowcount


def unread_count(rt: Runtime, by: Actor) -> int:
    with rt.unit_of_work(write=False) as session:
        return session.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == by.id, Notification.read_at.is_(None)))


@dataclass(frozen=True)
class KindCount:
    kind: str
    total: int
    unread: int


def counts_by_kind(rt: Runtime, by: Actor) -> list[KindCount]:
    """How many notifications of each kind the member of staff has, and how many are unread, in KINDS order."""
    with rt.unit_of_work(write=False) as session:
        rows = session.execute(
            select(Notification.kind, func.count(), func.count(Notification.id).filter(Notification.read_at.is_(None)))
            .where(Notification.user_id == by.id).group_by(Notification.kind)).all()
    found = {kind: (total, unread) for kind, total, unread in rows}
    return [KindCount(kind, *found[kind]) for kind in KINDS if kind in found]


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise Invalid("消息类别有误", {"kind": [f"必须是 {', '.join(KINDS)} 之一"]})


def for_user(rt: Runtime, by: Actor, unread_only: bool = False, limit: int = 100,
             kind: str | None = None) -> list[NotificationView]:
    """The member of staff's notifications (of one kind, if given), newest first."""
    _check_kind(kind)
    with rt.unit_of_work(write=False) as session:
        query = (select(Notification, Case.case_no, WorkItem)
                 .outerjoin(Case, Case.id == Notification.case_id)
                 .outerjoin(WorkItem, WorkItem.id == Notification.work_item_id)
                 .where(Notification.user_id == by.id))
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        if kind is not None:
            query = query.where(Notification.kind == kind)
        rows = session.execute(query.order_by(Notification.at.desc(), Notification.id.desc()).limit(limit)).all()
        return [NotificationView(n.id, n.at, n.kind, n.text, case_no, n.work_item_id, n.read_at is not None,
                                 item.title if item is not None else None,
                                 item is not None and allowed(check_can_open, by, item),
                                 item.due_at if item is not None else None)
                for n, case_no, item in rows]


def mark_read(rt: Runtime, by: Actor, ids: list[int] | None = None, kind: str | None = None) -> int:
    """Mark the given notifications (or all, or all of one kind) of this member of staff read; returns how many
    changed."""
    _check_kind(kind)
    with rt.unit_of_work() as session:
        query = update(Notification).where(Notification.user_id == by.id, Notification.read_at.is_(None))
        if ids is not None:
            query = query.where(Notification.id.in_(ids))
        if kind is not None:
            query = query.where(Notification.kind == kind)
        return session.execute(query.values(read_at=rt.clock.now())).rowcount
