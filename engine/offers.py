"""What a page may offer a member of staff: the actions on an item or a case its commands would accept.

Every answer is one of the check_* rules of `permissions` that the command itself runs, asked without
raising, so a page never shows a button that ends on a refusal (and there is no second list of rules).
"""
from __future__ import annotations

from sqlalchemy import select

from .cases import get_case
from .models import WorkItem
from .permissions import (
    allowed,
    check_can_add_to_case,
    check_can_claim,
    check_can_complete,
    check_can_open,
    check_can_reassign,
    check_can_release,
    check_can_urge,
    check_can_work,
)
from .runtime import Runtime
from .users import Actor

# open: the task page; claim / release / reassign: the inbox commands; complete: completing, a draft, returning;
# urge: pressing the department (催办).
ITEM_ACTIONS = ("open", "claim", "release", "reassign", "complete", "urge")


def item_actions(by: Actor, item, case_status: str | None = None) -> frozenset[str]:
    """The actions `by` may take on an item (a WorkItem row or its view: department, role, state, holder); the
    items of a suspended case cannot be completed until it is resumed."""
    case_status = case_status or getattr(item, "case_status", None)
    if not allowed(check_can_open, by, item):
        return frozenset()
    offered = {"open"}
    if item.state == "open":
        if item.assignee_id is None and allowed(check_can_claim, by, item):
            offered.add("claim")
        if allowed(check_can_release, by, item):
            offered.add("release")
        if allowed(check_can_reassign, by, item):
            offered.add("reassign")
        if allowed(check_can_complete, by, item) and case_status != "suspended":
            offered.add("complete")
        if allowed(check_can_urge, by, item):
            offered.add("urge")
    return frozenset(offered)


def who_may_take(item, colleagues: list[Actor]) -> list[Actor]:
    """The colleagues an item may be handed to: those who may do it (a head-only item goes to heads)."""
    return [c for c in colleagues if allowed(check_can_work, c, item)]


def case_actions(rt: Runtime, case_no: str, by: Actor) -> tuple[bool, dict[int, frozenset[str]]]:
    """Whether `by` may add comments and evidence to the case, and the actions on each of its items."""
    with rt.unit_of_work(write=False) as session:
        case = get_case(session, case_no)
        may_add = allowed(lambda: check_can_add_to_case(session, by, case))
        items = session.scalars(select(WorkItem).where(WorkItem.case_id == case.id)).all()
        return may_add, {item.id: item_actions(by, item, case.status) for item in items}
