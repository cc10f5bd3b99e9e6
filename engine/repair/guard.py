"""What every repair action starts with: an administrator, a reason, and the case under its row lock."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..cases import get_case
from ..errors import Conflict, Invalid
from ..instances import OpenCase, lock_instance, open_case
from ..models import Case
from ..permissions import check_can_repair
from ..runtime import Runtime
from ..users import Actor

MAX_REASON = 2000
STATUS_WORDS = {"open": "办理中", "suspended": "已暂停", "closed": "已结案", "cancelled": "已撤销"}


def reason_of(reason: str | None) -> str:
    """The written reason every repair needs, trimmed; Invalid without one."""
    text = (reason or "").strip()
    if not text:
        raise Invalid("请填写修复理由", {"reason": ["必填"]})
    if len(text) > MAX_REASON:
        raise Invalid("修复理由过长", {"reason": [f"不能超过 {MAX_REASON} 个字"]})
    return text


def locked_case(rt: Runtime, session: Session, case_no: str, by: Actor) -> tuple[Case, object]:
    """The case (read afresh) and its instance row, locked until the transaction ends."""
    check_can_repair(by)
    case = get_case(session, case_no)
    row = lock_instance(rt, session, case)
    session.refresh(case)
    return case, row


def opened(rt: Runtime, session: Session, case: Case, row) -> OpenCase:
    if row is None:
        raise Conflict(f"案件 {case.case_no} 没有运行中的流程实例")
    return open_case(rt, session, case, row)


def require_status(case: Case, *allowed: str, action: str) -> None:
    """Conflict naming the case's status when `action` does not fit it."""
    if case.status not in allowed:
        raise Conflict(f"案件 {case.case_no} {STATUS_WORDS.get(case.status, case.status)}，不能{action}",
                       state=case.status)
