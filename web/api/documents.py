"""API routes for a case's documents: list, generate, download, and the whole case file (卷宗) as .zip."""
from __future__ import annotations

from dataclasses import asdict

from flask import Response, g, request

from engine import documents

from ..downloads import attachment
from . import bp
from .auth import runtime, token_required
from .schemas.documents import DocumentListSchema, DocumentRequestSchema, DocumentSchema
from .views import json_body


def _file(found: documents.DocumentFile) -> Response:
    return attachment(found.content, found.filename, found.content_type)


@bp.get("/cases/<case_no>/documents")
@token_required
def list_documents(case_no: str):
    found = documents.list_documents(runtime(), case_no, g.actor)
    return DocumentListSchema().dump({"documents": [asdict(d) for d in found.documents],
                                      "available": found.available})


@bp.post("/cases/<case_no>/documents")
@token_required
def generate_document(case_no: str):
    body = DocumentRequestSchema().load(json_body())
    return DocumentSchema().dump(asdict(documents.generate(runtime(), case_no, body["kind"], g.actor))), 201


@bp.get("/cases/<case_no>/documents/<int:document_id>")
@token_required
def download_document(case_no: str, document_id: int):
    as_pdf = request.args.get("format") == "pdf"
    return _file(documents.download(runtime(), case_no, document_id, g.actor, as_pdf=as_pdf))


@bp.get("/cases/<case_no>/case-file.zip")
@token_required
def case_file(case_no: str):
    return _file(documents.case_file_zip(runtime(), case_no, g.actor))
