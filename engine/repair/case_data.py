"""Correcting a stuck case's data: variables set on the tasks that carry the case on, checked against every
form of its process version that has a field of that name, old and new values audited."""
from __future__ import annotations

from SpiffWorkflow.util.task import TaskState

from forms import UnknownForm

from .. import audit, projections
from ..bpmn import progress
from ..errors import Invalid
from ..instances import save
from ..runtime import Runtime
from ..starting_data import INTAKE_FORM
from ..users import Actor
from ..work import check_form_data
from .guard import locked_case, opened, reason_of, require_status

LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
MAX_VARIABLES = 50


def _form_keys(bundle_meta: dict) -> list[str]:
    keys = {INTAKE_FORM}
    for process in bundle_meta.get("processes", {}).values():
        keys.update(task["form"] for task in process.get("tasks", {}).values() if task.get("form"))
    return sorted(keys)


def check_against_forms(forms, form_keys: list[str], changes: dict) -> None:
    """Invalid naming each variable a form of the case defines and the new value does not fit."""
    errors: dict[str, list[str]] = {}
    for form_key in form_keys:
        try:
            properties = forms.get(form_key).get("properties", {})
        except UnknownForm:
            continue
        named = {name: value for name, value in changes.items() if name in properties}
        if not named:
            continue
        for path, messages in forms.validate(form_key, named).items():
            name = next((n for n in named if path == n or path.startswith((f"{n}.", f"{n}["))), None)
            if name is not None:
                errors.setdefault(path, []).extend(m for m in messages if m not in errors.get(path, []))
    if errors:
        raise Invalid("案件数据不符合表单要求", errors)


def _check_names(changes) -> None:
    check_form_data(changes)
    if not changes:
        raise Invalid("请填写要修改的变量", {"data": ["至少一个变量"]})
    if len(changes) > MAX_VARIABLES:
        raise Invalid("一次修改的变量过多", {"data": [f"不能超过 {MAX_VARIABLES} 个"]})
    bad = [name for name in changes if not name.isidentifier() or name.startswith("_")]
    if bad:
        raise Invalid("变量名不合法", {name: ["须是字母、数字和下划线组成的名称，不以下划线开头"] for name in bad})


def edit_data(rt: Runtime, case_no: str, changes: dict, reason: str, by: Actor) -> dict:
    """Set variables on the case's running workflow; returns {name: {"old": ..., "new": ...}}."""
    reason = reason_of(reason)
    _check_names(changes)
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case, row = locked_case(rt, session, case_no, by)
        require_status(case, "open", "suspended", action="修改数据")
        oc = opened(rt, session, case, row)
        check_against_forms(rt.forms_of(session, case.definition_id), _form_keys(oc.bundle.meta), changes)
        live = progress.tasks(oc.workflow, state=LIVE)
        if not live:
            raise Invalid(f"案件 {case_no} 没有正在进行的步骤，无处修改数据")
        before = {}
        for name in changes:
            holder = next((task.data for task in live if name in task.data), None)
            before[name] = holder.get(name) if holder is not None else None
        seen: set[int] = set()
        # a waiting task takes its parent's data again each time the engine looks at it: change both
        for task in [*live, *(t.parent for t in live if t.parent is not None)]:
            if id(task.data) not in seen:
                seen.add(id(task.data))
                task.data.update(changes)
        save(rt, session, oc)
        projections.refresh(rt, session, oc, now)
        changed = {name: {"old": before[name], "new": changes[name]} for name in changes}
        audit.record(session, at=now, actor=by.username, kind="case_data_edited", case_id=case.id,
                     summary=f"修改案件数据（{'、'.join(changes)}）：{reason}",
                     data={"reason": reason, "changes": changed})
        return changed
