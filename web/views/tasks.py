"""The task page: a work item's JSON Schema form as an HTML form; save a draft or complete it."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import cases, drafts, offers, urging, work
from engine.casefile import decisions
from engine.errors import Conflict, Invalid

from ..form_fields import data_from_form, errors_by_field, fields_of
from ..labels import content, enum_labels
from .common import actor, field_messages, message_of, no_store, runtime, staff_only

bp = Blueprint("tasks", __name__)


def _render(item_id: int, values: dict | None = None, errors: dict | None = None, message: str = "",
            status: int = 200):
    rt, me = runtime(), actor()
    found = work.detail(rt, item_id, me)
    summary = cases.case_file(rt, found.item.case_no, me)
    fields = fields_of(found.form) if found.form else []
    subject = next((i for i in summary.items if i.id == found.item.subject_item_id), None)
    return render_template("tasks/show.html", found=found, item=found.item, case=summary, fields=fields,
                           subject=subject, context=decisions.task_context(rt, item_id, me),
                           offered=offers.item_actions(me, found.item),
                           pressings=urging.pressings(rt, item_id, me),
                           values=values if values is not None else found.initial,
                           errors=errors or {}, message=message,
                           can_return=work.can_return(rt, found.item.form_key, found.item.definition_id),
                           dispute_types=enum_labels("intake_registration", "dispute_type"),
                           party_roles=enum_labels("intake_registration", "parties.role")), status


@bp.get("/tasks/<int:item_id>")
@staff_only
@no_store
def show(item_id: int):
    return _render(item_id)


def _cleared(found, form, data: dict) -> dict:
    """Prefilled text fields the clerk emptied: sent as empty text, so they are cleared. A field the page no
    longer sends keeps its prefilled value (the engine keeps what a submission leaves out)."""
    properties = (found.form or {}).get("properties", {})
    return {name: "" for name in found.initial
            if name not in data and name in form and not form.get(name, "").strip()
            and properties.get(name, {}).get("type") == "string" and "enum" not in properties.get(name, {})
            and not properties.get(name, {}).get("minLength") and not properties.get(name, {}).get("format")}


@bp.post("/tasks/<int:item_id>")
@staff_only
def submit(item_id: int):
    rt, me = runtime(), actor()
    found = work.detail(rt, item_id, me)
    data = data_from_form(found.form, request.form) if found.form else {}
    data = {**_cleared(found, request.form, data), **data}
    if request.form.get("action") == "draft":
        try:
            drafts.save_draft(rt, item_id, data, me)
        except Conflict as exc:
            flash(message_of(exc), "error")
            return redirect(url_for("inbox.index"))
        flash(_("Draft saved. You can come back to it from your inbox."), "success")
        return redirect(url_for("tasks.show", item_id=item_id))
    try:
        done = work.complete(rt, item_id, data, me)
    except Invalid as exc:
        errors = errors_by_field(field_messages(exc.fields))
        return _render(item_id, values=data, errors=errors, message=message_of(exc), status=400)
    except Conflict as exc:
        flash(message_of(exc), "error")
        return redirect(url_for("inbox.index"))
    flash(_("Completed “%(task)s” of case %(case)s. It is now at: %(stage)s.", task=content(done.item.title),
            case=done.case_no, stage=content(done.stage_name)), "success")
    return redirect(url_for("inbox.index"))
