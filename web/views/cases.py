"""The case file (卷宗): parties, facts, risk, work items, timeline, comments, evidence, the diagrams."""
from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import case_diagram, cases, documents, offers
from engine.casefile import decisions
from engine.casefile import records as case_records
from engine.errors import Invalid, TooLarge

from ..downloads import attachment
from ..labels import enum_labels
from .common import actor, message_of, no_store, run_and_flash, runtime, staff_only

bp = Blueprint("cases", __name__)


@bp.get("/cases/<case_no>")
@staff_only
@no_store
def show(case_no: str):
    rt, me = runtime(), actor()
    file = cases.case_file(rt, case_no, me)
    comments, attachments = case_records.records(rt, case_no, me)
    drawn = case_diagram.diagrams(rt, case_no, me)
    may_add, item_actions = offers.case_actions(rt, case_no, me)
    return render_template(
        "cases/show.html", case=file, comments=comments, attachments=attachments, diagrams=drawn.diagrams,
        stages=drawn.stages, record=decisions.case_record(rt, case_no, me), may_add=may_add,
        documents=documents.list_documents(rt, case_no, me), document_kinds=documents.KINDS,
        item_actions=item_actions, json=json,
        element_names=case_diagram.element_names(rt, case_no, me),
        dispute_types=enum_labels("intake_registration", "dispute_type"),
        channels=enum_labels("intake_registration", "channel"),
        party_roles=enum_labels("intake_registration", "parties.role"),
        max_upload_mb=case_records.MAX_ATTACHMENT_BYTES // (1024 * 1024),
        accepted=",".join(f".{ext}" for ext in case_records.FILE_TYPES))


@bp.get("/cases/<case_no>/diagrams/<process_id>.bpmn")
@staff_only
def diagram(case_no: str, process_id: str):
    xml = case_diagram.diagram_xml(runtime(), case_no, process_id, actor())
    response = Response(xml, mimetype="application/xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.post("/cases/<case_no>/comments")
@staff_only
def comment(case_no: str):
    return run_and_flash(lambda: case_records.add_comment(runtime(), case_no, request.form.get("text", ""), actor()),
                         _("Comment added."), url_for("cases.show", case_no=case_no, _anchor="comments"))


@bp.post("/cases/<case_no>/attachments")
@staff_only
def upload(case_no: str):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("cases.show", case_no=case_no, _anchor="evidence"))
    content = upload.stream.read(case_records.MAX_ATTACHMENT_BYTES + 1)
    try:
        case_records.add_attachment(runtime(), case_no, upload.filename, content, actor())
    except (Invalid, TooLarge) as exc:
        details = [m for messages in getattr(exc, "fields", {}).values() for m in messages]
        flash(" ".join([message_of(exc), *details]), "error")
    else:
        flash(_("Evidence uploaded."), "success")
    return redirect(url_for("cases.show", case_no=case_no, _anchor="evidence"))


@bp.get("/cases/<case_no>/attachments/<int:attachment_id>")
@staff_only
def download(case_no: str, attachment_id: int):
    found = case_records.download(runtime(), case_no, attachment_id, actor())
    return attachment(found.content, found.filename, found.content_type)
