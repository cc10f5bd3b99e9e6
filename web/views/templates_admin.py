"""The documents' templates (/admin/templates): each kind's fields, upload a replacement .docx, go back to the
shipped one, download the one in use to edit it."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from engine import documents
from engine.documents.kinds import PARTY_FIELDS, SCHEDULE_FIELDS
from engine.documents.render import MAX_TEMPLATE_BYTES
from engine.errors import Invalid, TooLarge
from engine.permissions import check_can_manage_templates

from .common import actor, message_of, no_store, run_and_flash, runtime, staff_only
from .documents import file_response

bp = Blueprint("doc_templates", __name__, url_prefix="/admin/templates")


@bp.get("")
@staff_only
@no_store
def index():
    party = " ".join(f"p.{name}" for name in PARTY_FIELDS)
    sub_fields = {"parties": party, "applicants": party, "respondents": party,
                  "schedule": " ".join(f"s.{name}" for name in SCHEDULE_FIELDS)}
    return render_template("admin/templates.html", templates=documents.list_templates(runtime(), actor()),
                           max_mb=MAX_TEMPLATE_BYTES // (1024 * 1024), sub_fields=sub_fields,
                           code=lambda text: Markup("<code>{}</code>").format(text))


@bp.post("/<kind>")
@staff_only
def upload(kind: str):
    check_can_manage_templates(actor())
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("doc_templates.index", _anchor=kind))
    content = upload.stream.read(MAX_TEMPLATE_BYTES + 1)
    try:
        documents.replace_template(runtime(), kind, upload.filename, content, actor())
    except (Invalid, TooLarge) as exc:
        flash(message_of(exc), "error")
    else:
        flash(_("The template was replaced; the next document uses it."), "success")
    return redirect(url_for("doc_templates.index", _anchor=kind))


@bp.post("/<kind>/revert")
@staff_only
def revert(kind: str):
    return run_and_flash(lambda: documents.revert_template(runtime(), kind, actor()),
                         _("The shipped template is used again."), url_for("doc_templates.index", _anchor=kind))


@bp.get("/<kind>/template.docx")
@staff_only
def download(kind: str):
    filename, content = documents.current_template(runtime(), kind, actor())
    return file_response(documents.DocumentFile(filename, documents.store.DOCX, content))
