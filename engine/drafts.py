"""Half-filled task forms kept on the work item, so a clerk can stop and come back."""
from __future__ import annotations

from datetime import datetime

from . import audit, notifications
from .errors import Conflict
from .permissions import check_can_work, check_not_held_by_another
from .runtime import Runtime
from .users import Actor
from .work import check_form_data, locked_item


def save_draft(rt: Runtime, item_id: int, data: dict, by: Actor) -> datetime:
    """Keep `data` as the item's draft without validating it; returns when it was saved."""
    check_form_data(data)
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        item = locked_item(rt, session, item_id)  # judged as the last command on it left it
        check_can_work(by, item)
        if item.state != "open":
            raise Conflict("该事项已办结或已撤销，草稿未保存", state=item.state)
        check_not_held_by_another(by, item.assignee_id)
        item.draft, item.draft_saved_at = data, now
        if item.assignee_id is None:
            item.assignee_id = by.id  # keeping a draft takes the item, as claiming it would
            notifications.clear_new_work(session, item, now)
        audit.record(session, at=now, actor=by.username, kind="draft_saved", case_id=item.case_id,
                     element_id=item.element_id, summary=f"暂存 {item.title}")
        return now
