"""Commands on work items: claim, release, complete. Each is one unit of work."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import UnknownForm

from . import audit, notifications, projections, supervision_notices
from .errors import Conflict, Invalid, NotFound
from .instances import find_task, flush_notices, lock_instance, open_case, run_engine, save
from .models import Case, User, WorkItem
from .permissions import (
    allowed,
    check_can_claim,
    check_can_complete,
    check_can_open,
    check_can_reassign,
    check_can_release,
    check_can_work,
)
from .row_locks import lock_row
from .runtime import Runtime
from .users import Actor
from .work_items import WorkItemView, item_views

MAX_FORM_BYTES = 256 * 1024


@dataclass
class Completion:
    item: WorkItemView
    case_no: str
    stage: str
    stage_name: str
    status: str
    next_items: list[WorkItemView]


def locked_item(rt: Runtime, session: Session, item_id: int) -> WorkItem:
    """The item's row, locked until the transaction ends and read afresh under the lock.

    Every command that changes a work item takes this lock before it looks at the item, so commands on
    one item run one after another and each judges the item as the one before it left it: a claim or a
    draft after a completion finds the item completed (409), of two claims at once one wins and the other
    finds the item taken. (SQLite's write transactions already run one at a time, from BEGIN IMMEDIATE.)"""
    item = lock_row(rt, session, select(WorkItem).where(WorkItem.id == item_id), "该事项正由他人办理，请稍后重试")
    if item is None:
        raise NotFound(f"事项 {item_id} 不存在")
    return item


def _open_item(rt: Runtime, session: Session, item_id: int, by: Actor) -> WorkItem:
    return _check_open(locked_item(rt, session, item_id), by)


def _check_open(item: WorkItem, by: Actor) -> WorkItem:
    check_can_open(by, item)
    if item.state != "open":
        raise Conflict("该事项已办结或已撤销", state=item.state)
    return item


def claim(rt: Runtime, item_id: int, by: Actor) -> WorkItemView:
    """Take an unclaimed item of one's department."""
    with rt.unit_of_work() as session:
        item = _open_item(rt, session, item_id, by)
        check_can_claim(by, item)
        item.assignee_id = by.id
        notifications.clear_new_work(session, item, rt.clock.now())
        audit.record(session, at=rt.clock.now(), actor=by.username, kind="item_claimed", case_id=item.case_id,
                     element_id=item.element_id, summary=f"认领 {item.title}")
        session.flush()
        return item_views(session, [item], rt.clock.now())[0]


def release(rt: Runtime, item_id: int, by: Actor) -> WorkItemView:
    """Give a claimed item back to the department's pool (the assignee, or a head)."""
    with rt.unit_of_work() as session:
        item = _open_item(rt, session, item_id, by)
        check_can_release(by, item)
        item.assignee_id = None
        audit.record(session, at=rt.clock.now(), actor=by.username, kind="item_released", case_id=item.case_id,
                     element_id=item.element_id, summary=f"释放 {item.title}")
        session.flush()
        return item_views(session, [item], rt.clock.now())[0]


def reassign(rt: Runtime, item_id: int, to_username: str, by: Actor) -> WorkItemView:
    """A department head hands an item to a colleague of the same department."""
    with rt.unit_of_work() as session:
        item = _open_item(rt, session, item_id, by)
        check_can_reassign(by, item)
        target = session.scalar(select(User).where(User.username == to_username))
        if target is None or not target.active:
            raise Invalid("改派对象不存在", {"assignee": [f"用户 {to_username} 不存在或已停用"]})
        if target.department_id != item.department_id:
            raise Invalid("只能改派给本部门人员", {"assignee": ["不是该事项承办部门的人员"]})
        if not allowed(check_can_work, Actor.of(target), item):
            raise Invalid("该同事不能办理此事项", {"assignee": ["该事项须由部门负责人办理"]})
        item.assignee_id = target.id
        notifications.clear_new_work(session, item, rt.clock.now())
        audit.record(session, at=rt.clock.now(), actor=by.username, kind="item_reassigned", case_id=item.case_id,
                     element_id=item.element_id, summary=f"改派 {item.title} 给 {target.display_name}")
        session.flush()
        return item_views(session, [item], rt.clock.now())[0]


RETURN_DECISION = {"decision": "return"}


def can_return(rt: Runtime, form_key: str, definition_id: int | None = None) -> bool:
    """Whether a task's form (as its case's process version has it) lets a department send the case back
    to the centre (退回)."""
    if not form_key:
        return False
    forms = rt.forms_of(None, definition_id) if definition_id is not None else rt.forms
    try:
        decision = forms.get(form_key).get("properties", {}).get("decision", {})
    except UnknownForm:
        return False
    return "return" in decision.get("enum", ())


def return_to_centre(rt: Runtime, item_id: int, reason: str, by: Actor) -> Completion:
    """Decline a dispatched item with a reason; the centre re-dispatches it."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请填写退回理由", {"return_reason": ["必填"]})
    with rt.unit_of_work(write=False) as session:
        item = session.get(WorkItem, item_id)
        if item is None:
            raise NotFound(f"事项 {item_id} 不存在")
        check_can_complete(by, _check_open(item, by))  # complete judges it again under the lock
        form_key, definition_id = item.form_key, session.get(Case, item.case_id).definition_id
    if not can_return(rt, form_key, definition_id):
        raise Conflict("该事项不能退回，请在事项中填写办理意见")
    return complete(rt, item_id, {**RETURN_DECISION, "return_reason": reason}, by)


def form_size(data) -> int:
    return len(json.dumps(data, ensure_ascii=False, default=str).encode())


def check_form_data(data) -> None:
    """Form data must be a JSON object of bounded size, whether completed or kept as a draft."""
    if not isinstance(data, dict):
        raise Invalid("表单数据必须是 JSON 对象", {"": ["必须是对象"]})
    if form_size(data) > MAX_FORM_BYTES:
        raise Invalid("表单数据过大", {"": [f"不能超过 {MAX_FORM_BYTES} 字节"]})


def complete(rt: Runtime, item_id: int, data: dict, by: Actor) -> Completion:
    """Validate the form, finish the task, run the engine, save under the version lock, audit.

    The case's instance row is locked first, then the item's: completions on one case queue, so
    departments completing their own parallel tasks at once all succeed, each on the state the one
    before it saved; the item is judged (still open, the caller still may complete it) under the lock."""
    check_form_data(data)
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case_id = session.scalar(select(WorkItem.case_id).where(WorkItem.id == item_id))
        if case_id is None:
            raise NotFound(f"事项 {item_id} 不存在")
        state_row = lock_instance(rt, session, case_id)
        item = _open_item(rt, session, item_id, by)
        case = session.get(Case, case_id)
        if state_row is None:
            raise Conflict("该事项已不在待办状态（可能已被他人办结）")
        check_can_complete(by, item)
        if case.status == "suspended":
            raise Conflict(f"案件 {case.case_no} 已暂停，恢复后才能办理", state=case.status)
        oc = open_case(rt, session, case, state_row)
        task = find_task(oc.workflow, item.task_id)
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise Conflict("该事项已不在待办状态（可能已被他人办结）")
        if item.form_key:
            forms = rt.forms_of(session, case.definition_id)
            # a field the form was prefilled with and the submission leaves out keeps its value (the grading's
            # reason, a date the system proposed): only a value sent replaces it
            data = _with_prefilled(forms, item.form_key, task.data, data)
            errors = forms.validate(item.form_key, data)
            if errors:
                raise Invalid("表单填写有误", errors)
            data = forms.with_defaults(item.form_key, data)
        supervision_notices.check_reply(rt, item, data)
        meta = projections.task_meta(oc, task)

        def finish():
            if meta.get("result_variable"):
                task.data[meta["result_variable"]] = dict(data)
            else:
                task.data.update(data)
            task.run()

        run_engine(oc.workflow, finish)
        save(rt, session, oc)
        item.assignee_id = item.assignee_id or by.id
        item.submitted = dict(data)
        open_rows = projections.refresh(rt, session, oc, now, completed_task_id=item.task_id, completed_by=by.id)
        supervision_notices.carry_promise(rt, item, data)
        flush_notices(rt, session, oc, [], now)
        audit.record(session, at=now, actor=by.username, kind="task_completed", case_id=case.id,
                     element_id=item.element_id, summary=f"办结 {item.title}", data=data)
        session.flush()
        views = item_views(session, [item, *open_rows], now, cases={case.id: case},
                           users={by.id: (by.username, by.display_name)},
                           processes={case.definition_id: oc.bundle.meta.get("processes", {})})
        return Completion(views[0], case.case_no, case.stage, case.stage_name, case.status, views[1:])


def _with_prefilled(forms, form_key: str, task_data: dict, sent: dict) -> dict:
    """The submission with each field the form was prefilled with and the submission leaves out kept at its
    prefilled value; a kept value the form would refuse (data of another shape under the same name) is left out,
    so that only what the user sent can make the submission wrong."""
    kept = {name: value for name, value in forms.initial_values(form_key, task_data).items() if name not in sent}
    if kept:
        errors = forms.validate(form_key, {**kept, **sent})
        kept = {name: value for name, value in kept.items()
                if not any(path == name or path.startswith((f"{name}.", f"{name}[")) for path in errors)}
    return {**kept, **sent}


@dataclass
class WorkItemDetail:
    item: WorkItemView
    form: dict | None
    initial: dict
    draft_saved_at: datetime | None = None


def detail(rt: Runtime, item_id: int, by: Actor) -> WorkItemDetail:
    """One item with its form and the values to prefill it with (read from the case's data)."""
    with rt.unit_of_work(write=False) as session:
        item = session.get(WorkItem, item_id)
        if item is None:
            raise NotFound(f"事项 {item_id} 不存在")
        check_can_open(by, item)
        case = session.get(Case, item.case_id)
        forms = rt.forms_of(session, case.definition_id)
        form = forms.get(item.form_key) if item.form_key else None
        initial: dict = {}
        if item.state == "open" and item.form_key:
            oc = open_case(rt, session, case)
            task = find_task(oc.workflow, item.task_id)
            if task is not None:
                initial = forms.initial_values(item.form_key, task.data)
            if item.draft:
                initial = {**initial, **item.draft}
        return WorkItemDetail(item_views(session, [item], rt.clock.now())[0], form, initial,
                              item.draft_saved_at if item.draft else None)
