"""Half-filled task forms kept on the work item, so a clerk can stop and come back."""
from __future__ import annotations

from datetime import datetime

from . import audit
from .errors import Conflict, Invalid, NotFound
from .models import WorkItem
from .permissions import check_can_work
from .runtime import Runtime
from .users import Actor
from .work import MAX_FORM_BYTES, form_size


def save_draft(rt: Runtime, item_id: int, data: dict, by: Actor) -> datetime:
    """Keep `data` as the item's draft without validating it; returns when it was saved."""
    if not isinstance(data, dict):
        raise Invalid("表单数据必须是 JSON 对象", {"": ["必须是对象"]})
    if form_size(data) > MAX_FORM_BYTES:
        raise Invalid("表单数据过大", {"": [f"不能超过 {MAX_FORM_BYTES} 字节"]})
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        item = session.get(WorkItem, item_id)
        if item is None:
            raise NotFound(f"事项 {item_id} 不存在")
        check_can_work(by, item)
        if item.state != "open":
            raise Conflict("该事项已办结或已撤销，草稿未保存", state=item.state)
        if item.assignee_id not in (None, by.id) and by.role not in ("head", "supervisor", "admin"):
            raise Conflict("该事项已被他人认领")
        item.draft, item.draft_saved_at = data, now
        item.assignee_id = item.assignee_id or by.id
        audit.record(session, at=now, actor=by.username, kind="draft_saved", case_id=item.case_id,
                     element_id=item.element_id, summary=f"暂存 {item.title}")
        return now
