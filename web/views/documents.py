"""A case's documents on its case file page: generate one, download it, and the whole case file (卷宗) as .zip."""
from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from flask_babel import gettext as _

from engine import documents
from engine.errors import Conflict, Invalid

from ..downloads import attachment
from .common import actor, run_and_flash, runtime, staff_only

bp = Blueprint("documents", __name__)


def file_response(found: documents.DocumentFile) -> Response:
    return attachment(found.content, found.filename, found.content_type)


@bp.post("/cases/<case_no>/documents")
@staff_only
def generate(case_no: str):
    kind = request.form.get("kind", "")
    return run_and_flash(lambda: documents.generate(runtime(), case_no, kind, actor()),
                         _("The document was generated."),
                         url_for("cases.show", case_no=case_no, _anchor="documents"), refusals=(Invalid, Conflict))


@bp.get("/cases/<case_no>/documents/<int:document_id>")
@staff_only
def download(case_no: str, document_id: int):
    as_pdf = request.args.get("format") == "pdf"
    return file_response(documents.download(runtime(), case_no, document_id, actor(), as_pdf=as_pdf))


@bp.get("/cases/<case_no>/case-file.zip")
@staff_only
def case_file(case_no: str):
    return file_response(documents.case_file_zip(runtime(), case_no, actor()))
