"""API routes: parse, call one engine service, serialise."""
from __future__ import annotations

from dataclasses import asdict

from flask import g, jsonify, request

from engine import cases, definitions, drafts, messages, urging, work, work_items
from engine.casefile import records as case_records
from engine.errors import Invalid

from ..downloads import attachment
from . import bp
from .auth import runtime, token_required
from .lean_dump import lean_dumper
from .openapi import openapi_document
from .schemas.cases import (
    AttachmentListSchema,
    AttachmentSchema,
    CaseFileSchema,
    CaseSummarySchema,
    CommentListSchema,
    CommentRequestSchema,
    CommentSchema,
    CompleteRequestSchema,
    CompletionSchema,
    DraftSavedSchema,
    MessageRequestSchema,
    ReassignRequestSchema,
    ReturnRequestSchema,
    UrgedSchema,
    UrgeRequestSchema,
    WorkItemDetailSchema,
    WorkItemListSchema,
    WorkItemQuerySchema,
    WorkItemSchema,
)
from .schemas.common import ActorSchema
from .schemas.studio import DefinitionListSchema, DefinitionSchema

# The hottest answers, serialised without marshmallow's per-call cost (web/api/lean_dump.py); same output.
dump_completion = lean_dumper(CompletionSchema)
dump_work_item = lean_dumper(WorkItemSchema)
dump_work_items = lean_dumper(WorkItemListSchema)
dump_case_summary = lean_dumper(CaseSummarySchema)


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("请求体必须是 JSON 对象", {"": ["需要 Content-Type: application/json 的 JSON 对象"]})
    return body


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/me")
@token_required
def me():
    return ActorSchema().dump(g.actor)


@bp.post("/cases")
@token_required
def start_case():
    process = request.args.get("process", cases.MAIN_PROCESS)
    summary = cases.start(runtime(), json_body(), by=g.actor, process=process)
    return dump_case_summary(summary), 201


@bp.get("/cases/<case_no>")
@token_required
def case_detail(case_no: str):
    return CaseFileSchema().dump(cases.case_file(runtime(), case_no, by=g.actor))


@bp.post("/cases/<case_no>/messages")
@token_required
def send_message(case_no: str):
    body = MessageRequestSchema().load(json_body())
    summary = messages.send(runtime(), case_no, body["message"], body["payload"], by=g.actor)
    return CaseSummarySchema().dump(summary)


@bp.get("/work-items")
@token_required
def list_work_items():
    query = WorkItemQuerySchema().load(request.args)
    items, total = work_items.list_items(runtime(), g.actor, **query)
    return dump_work_items({"items": items, "total": total})


@bp.get("/work-items/<int:item_id>")
@token_required
def work_item_detail(item_id: int):
    found = work.detail(runtime(), item_id, by=g.actor)
    return WorkItemDetailSchema().dump({**asdict(found.item), "form": found.form, "initial": found.initial})


@bp.post("/work-items/<int:item_id>/claim")
@token_required
def claim(item_id: int):
    return dump_work_item(work.claim(runtime(), item_id, by=g.actor))


@bp.post("/work-items/<int:item_id>/release")
@token_required
def release(item_id: int):
    return dump_work_item(work.release(runtime(), item_id, by=g.actor))


@bp.post("/work-items/<int:item_id>/complete")
@token_required
def complete(item_id: int):
    body = CompleteRequestSchema().load(json_body())
    return dump_completion(work.complete(runtime(), item_id, body["data"], by=g.actor))


@bp.post("/definitions")
@token_required
def deploy():
    uploads = {f.filename or "upload.bpmn": f.read() for f in request.files.getlist("files")}
    if not uploads:
        raise Invalid("请以 multipart/form-data 的 files 字段上传 .bpmn/.dmn 文件", {"files": ["必填"]})
    info = definitions.deploy(runtime(), uploads, by=g.actor)
    return DefinitionSchema().dump(info), 201 if info.created else 200


@bp.get("/definitions")
@token_required
def list_definitions():
    return DefinitionListSchema().dump({"definitions": definitions.list_definitions(runtime(), g.actor)})


@bp.post("/work-items/<int:item_id>/draft")
@token_required
def save_draft(item_id: int):
    body = CompleteRequestSchema().load(json_body())
    saved_at = drafts.save_draft(runtime(), item_id, body["data"], by=g.actor)
    return DraftSavedSchema().dump({"item_id": item_id, "saved_at": saved_at})


@bp.post("/work-items/<int:item_id>/reassign")
@token_required
def reassign(item_id: int):
    body = ReassignRequestSchema().load(json_body())
    return WorkItemSchema().dump(work.reassign(runtime(), item_id, body["assignee"], by=g.actor))


@bp.post("/work-items/<int:item_id>/urge")
@token_required
def urge(item_id: int):
    body = UrgeRequestSchema().load(json_body())
    return UrgedSchema().dump(urging.urge(runtime(), item_id, body["text"], by=g.actor))


@bp.post("/work-items/<int:item_id>/return")
@token_required
def return_to_centre(item_id: int):
    body = ReturnRequestSchema().load(json_body())
    return CompletionSchema().dump(work.return_to_centre(runtime(), item_id, body["reason"], by=g.actor))


@bp.get("/cases/<case_no>/comments")
@token_required
def list_comments(case_no: str):
    found, _attachments = case_records.records(runtime(), case_no, g.actor)
    return CommentListSchema().dump({"comments": found})


@bp.post("/cases/<case_no>/comments")
@token_required
def add_comment(case_no: str):
    body = CommentRequestSchema().load(json_body())
    return CommentSchema().dump(case_records.add_comment(runtime(), case_no, body["text"], g.actor)), 201


@bp.get("/cases/<case_no>/attachments")
@token_required
def list_attachments(case_no: str):
    _comments, found = case_records.records(runtime(), case_no, g.actor)
    return AttachmentListSchema().dump({"attachments": found})


@bp.post("/cases/<case_no>/attachments")
@token_required
def upload_attachment(case_no: str):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid("请以 multipart/form-data 的 file 字段上传文件", {"file": ["必填"]})
    content = upload.stream.read(case_records.MAX_ATTACHMENT_BYTES + 1)
    found = case_records.add_attachment(runtime(), case_no, upload.filename, content, g.actor)
    return AttachmentSchema().dump(found), 201


@bp.get("/cases/<case_no>/attachments/<int:attachment_id>")
@token_required
def download_attachment(case_no: str, attachment_id: int):
    found = case_records.download(runtime(), case_no, attachment_id, g.actor)
    return attachment(found.content, found.filename, found.content_type)
