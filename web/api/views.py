"""API routes: parse, call one engine service, serialise."""
from __future__ import annotations

from dataclasses import asdict

from flask import g, jsonify, request

from engine import cases, definitions, messages, work, work_items
from engine.errors import Invalid

from . import bp
from .auth import runtime, token_required
from .openapi import openapi_document
from .schemas import (
    ActorSchema,
    CaseFileSchema,
    CaseSummarySchema,
    CompleteRequestSchema,
    CompletionSchema,
    DefinitionSchema,
    MessageRequestSchema,
    WorkItemDetailSchema,
    WorkItemListSchema,
    WorkItemQuerySchema,
    WorkItemSchema,
)


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
    return CaseSummarySchema().dump(summary), 201


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
    return WorkItemListSchema().dump({"items": items, "total": total})


@bp.get("/work-items/<int:item_id>")
@token_required
def work_item_detail(item_id: int):
    found = work.detail(runtime(), item_id, by=g.actor)
    return WorkItemDetailSchema().dump({**asdict(found.item), "form": found.form, "initial": found.initial})


@bp.post("/work-items/<int:item_id>/claim")
@token_required
def claim(item_id: int):
    return WorkItemSchema().dump(work.claim(runtime(), item_id, by=g.actor))


@bp.post("/work-items/<int:item_id>/release")
@token_required
def release(item_id: int):
    return WorkItemSchema().dump(work.release(runtime(), item_id, by=g.actor))


@bp.post("/work-items/<int:item_id>/complete")
@token_required
def complete(item_id: int):
    body = CompleteRequestSchema().load(json_body())
    return CompletionSchema().dump(work.complete(runtime(), item_id, body["data"], by=g.actor))


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
    return {"definitions": DefinitionSchema(many=True).dump(definitions.list_definitions(runtime(), g.actor))}
