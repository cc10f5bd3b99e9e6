"""The intake window (一窗受理): register a walk-in dispute, warned when a party already has an open case."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import cases
from engine.errors import Invalid
from engine.permissions import check_can_start

from ..form_fields import data_from_form, errors_by_field, fields_of
from ..labels import department_name
from .common import actor, field_messages, message_of, no_store, runtime, staff_only

bp = Blueprint("intake", __name__)
FORM = cases.INTAKE_FORM


def _render(values: dict, errors: dict | None = None, message: str = "", duplicates=None, status: int = 200):
    schema = runtime().forms.get(FORM)
    return render_template("intake/new.html", fields=fields_of(schema), values=values, errors=errors or {},
                           message=message, duplicates=duplicates or []), status


@bp.get("/intake")
@staff_only
@no_store
def new():
    check_can_start(actor())
    return _render({"channel": "walk_in", "parties": [{"role": "applicant"}, {"role": "respondent"}]})


@bp.post("/intake")
@staff_only
def register():
    rt, me = runtime(), actor()
    check_can_start(me)
    data = data_from_form(rt.forms.get(FORM), request.form)
    if request.form.get("confirm_duplicate") != "yes":
        duplicates = cases.open_cases_of_parties(rt, data.get("parties") or [], me)
        if duplicates:
            return _render(data, duplicates=duplicates, status=409)
    try:
        summary = cases.start(rt, data, me)
    except Invalid as exc:
        return _render(data, errors_by_field(field_messages(exc.fields)), message_of(exc), status=400)
    flash(_("Registered case %(case)s. It is now with: %(department)s.", case=summary.case_no,
            department=", ".join(sorted({department_name(i.department_id) for i in summary.open_items})) or "-"),
          "success")
    return redirect(url_for("cases.show", case_no=summary.case_no))
