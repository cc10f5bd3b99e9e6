"""催办: a centre supervisor presses a department on an open item, in words of their own.

The department's heads and the item's holder are notified (kind ``supervision``), the case's audit log keeps
who pressed, when and what they wrote, and the same item cannot be pressed again within `URGE_GAP`: a
department hears once, not once per click.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from . import audit, notifications
from .errors import Conflict, Invalid, NotFound
from .models import AuditEvent, Case, User, WorkItem
from .permissions import check_can_open, check_can_urge
from .runtime import Runtime
from .users import Actor
from .work import locked_item

KIND = "item_urged"
URGE_GAP = timedelta(hours=1)
MAX_TEXT = 500


@dataclass(frozen=True)
class Urged:
    item_id: int
    case_no: str
    at: datetime
    notified: int


def _pressed(session, item) -> list[tuple[datetime, str, dict]]:
    """(when, who, data) of each time `item` was pressed, newest first, from the case's audit log."""
    rows = session.execute(select(AuditEvent.at, AuditEvent.actor, AuditEvent.data).where(
        AuditEvent.case_id == item.case_id, AuditEvent.kind == KIND).order_by(AuditEvent.at.desc()))
    return [(at, actor, data) for at, actor, data in rows if (data or {}).get("work_item") == item.id]


def urge(rt: Runtime, item_id: int, text: str, by: Actor) -> Urged:
    """Press the department on item `item_id`; refused on an item already done or pressed within the hour."""
    text = (text or "").strip()
    if not text:
        raise Invalid("催办意见：必填", {"text": ["请写明催办的要求"]})
    if len(text) > MAX_TEXT:
        raise Invalid(f"催办意见：不能超过 {MAX_TEXT} 字", {"text": [f"不能超过 {MAX_TEXT} 字"]})
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        item = locked_item(rt, session, item_id)  # two presses at once: the second finds the first
        check_can_urge(by, item)
        if item.state != "open":
            raise Conflict("该事项已办结或已撤销，无需催办", state=item.state)
        pressed = _pressed(session, item)
        if pressed and now - pressed[0][0] < URGE_GAP:
            raise Conflict("该事项一小时内已催办过，请稍后再催")
        case = session.get(Case, item.case_id)
        message = f"催办：{case.case_no}「{item.title}」— {text}"
        notified = notifications.record(session, case, "supervision", message, now, item=item,
                                        element_id=item.element_id)
        holder = session.get(User, item.assignee_id) if item.assignee_id else None
        if holder is not None and holder.role != "head":
            notified += notifications.record(session, case, "reminder", message, now, item=item,
                                             element_id=item.element_id)
        audit.record(session, at=now, actor=by.username, kind=KIND, case_id=case.id, element_id=item.element_id,
                     summary=f"{by.display_name or by.username} 催办「{item.title}」：{text}",
                     data={"work_item": item.id, "text": text})
        return Urged(item.id, case.case_no, now, notified)


@dataclass(frozen=True)
class Pressing:
    at: datetime
    by: str  # the supervisor's display name
    text: str


def pressings(rt: Runtime, item_id: int, by: Actor) -> list[Pressing]:
    """The times an item was pressed, newest first (for whoever may open the item)."""
    with rt.unit_of_work(write=False) as session:
        item = session.get(WorkItem, item_id)
        if item is None:
            raise NotFound(f"事项 {item_id} 不存在")
        check_can_open(by, item)
        mine = _pressed(session, item)
        names = dict(session.execute(select(User.username, User.display_name).where(
            User.username.in_({actor for _at, actor, _data in mine}))).all())
        return [Pressing(at, names.get(actor, actor), data.get("text", "")) for at, actor, data in mine]
