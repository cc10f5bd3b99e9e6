"""Administrators' pages for incidents and the repair of a stuck case."""
from __future__ import annotations

import json

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from engine.errors import Conflict, Invalid, NotFound
from engine.permissions import check_can_repair
from engine.repair import cancel, case_data, incidents, move, overview, retry, suspension

from .common import actor, no_store, run_and_flash, runtime, staff_only

bp = Blueprint("repair", __name__, url_prefix="/admin")
REFUSALS = (Invalid, Conflict)


@bp.get("/incidents")
@staff_only
@no_store
def incidents_page():
    check_can_repair(actor())
    state = "resolved" if request.args.get("state") == "resolved" else "open"
    return render_template("admin/incidents.html", state=state,
                           incidents=incidents.list_incidents(runtime(), actor(), state=state))


@bp.get("/cases/<case_no>/repair")
@staff_only
@no_store
def case_page(case_no: str):
    shown = overview.repair_view(runtime(), case_no, actor())
    data_text = json.dumps(shown.data, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    return render_template("admin/repair.html", case=shown, data_text=data_text)


def _data_changes(text: str) -> dict:
    try:
        changes = json.loads(text or "")
    except ValueError:
        raise Invalid("变量须写成 JSON 对象，例如 {\"amount\": 8000}", {"data": ["不是有效的 JSON"]}) from None
    if not isinstance(changes, dict):
        raise Invalid("变量须写成 JSON 对象，例如 {\"amount\": 8000}", {"data": ["必须是对象"]})
    return changes


ACTIONS = {
    "data": (lambda rt, no, form, me: case_data.edit_data(rt, no, _data_changes(form.get("data", "")),
                                                        form.get("reason", ""), me)),
    "retry": lambda rt, no, form, me: retry.retry(rt, no, form.get("reason", ""), me),
    "move": lambda rt, no, form, me: move.move(rt, no, form.get("element_id", ""), form.get("reason", ""), me),
    "suspend": lambda rt, no, form, me: suspension.suspend(rt, no, form.get("reason", ""), me),
    "resume": lambda rt, no, form, me: suspension.resume(rt, no, form.get("reason", ""), me),
    "cancel": lambda rt, no, form, me: cancel.cancel(rt, no, form.get("reason", ""), me,
                                                    ending=form.get("ending", "cancelled")),
}


def _done(action: str) -> str:
    return {"data": _("The case's data was changed."), "retry": _("The failed step was retried and went through."),
            "move": _("The case was moved."), "suspend": _("The case was suspended."),
            "resume": _("The case was resumed; its remaining deadlines moved on."),
            "cancel": _("The case was cancelled.")}[action]


@bp.post("/cases/<case_no>/repair/<action>")
@staff_only
def act(case_no: str, action: str):
    check_can_repair(actor())
    if action not in ACTIONS:
        raise NotFound(f"没有修复操作 {action}")
    form = request.form
    return run_and_flash(lambda: ACTIONS[action](runtime(), case_no, form, actor()), _done(action),
                         url_for("repair.case_page", case_no=case_no), refusals=REFUSALS)
