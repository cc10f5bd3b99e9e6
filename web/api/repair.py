"""The API of incidents and the repair of a stuck case (administrators)."""
from __future__ import annotations

from dataclasses import asdict

from flask import g, request

from engine.cases import case_file
from engine.repair import cancel, case_data, incidents, move, retry, suspension

from . import bp
from .auth import runtime, token_required
from .schemas.repair import (
    CancelRequestSchema,
    CaseDataRequestSchema,
    IncidentListSchema,
    IncidentQuerySchema,
    MoveRequestSchema,
    RepairReasonSchema,
    RepairResultSchema,
)
from .views import json_body


@bp.get("/incidents")
@token_required
def list_incidents():
    query = IncidentQuerySchema().load(request.args)
    state = None if query["state"] == "all" else query["state"]
    found = incidents.list_incidents(runtime(), g.actor, state=state, case_no=query["case_no"])
    return IncidentListSchema().dump({"incidents": [asdict(i) for i in found]})


def _result(case_no: str, action: str, **extra):
    shown = case_file(runtime(), case_no, g.actor)
    return RepairResultSchema().dump({"case_no": case_no, "action": action, "status": shown.status,
                                      "stage_name": shown.stage_name, **extra})


@bp.post("/cases/<case_no>/data")
@token_required
def edit_case_data(case_no: str):
    body = CaseDataRequestSchema().load(json_body())
    changes = case_data.edit_data(runtime(), case_no, body["data"], body["reason"], g.actor)
    return _result(case_no, "data", changes=changes)


@bp.post("/cases/<case_no>/retry")
@token_required
def retry_case(case_no: str):
    body = RepairReasonSchema().load(json_body())
    retry.retry(runtime(), case_no, body["reason"], g.actor)
    return _result(case_no, "retry")


@bp.post("/cases/<case_no>/move")
@token_required
def move_case(case_no: str):
    body = MoveRequestSchema().load(json_body())
    moved = move.move(runtime(), case_no, body["element_id"], body["reason"], g.actor)
    return _result(case_no, "move", direction=moved.direction, open_tasks=moved.open_tasks,
                   withdrawn_items=moved.withdrawn_items)


@bp.post("/cases/<case_no>/suspend")
@token_required
def suspend_case(case_no: str):
    body = RepairReasonSchema().load(json_body())
    suspension.suspend(runtime(), case_no, body["reason"], g.actor)
    return _result(case_no, "suspend")


@bp.post("/cases/<case_no>/resume")
@token_required
def resume_case(case_no: str):
    body = RepairReasonSchema().load(json_body())
    moved = suspension.resume(runtime(), case_no, body["reason"], g.actor)
    return _result(case_no, "resume", working_days=moved["working_days"])


@bp.post("/cases/<case_no>/cancel")
@token_required
def cancel_case(case_no: str):
    body = CancelRequestSchema().load(json_body())
    withdrawn = cancel.cancel(runtime(), case_no, body["reason"], g.actor, ending=body["ending"])
    return _result(case_no, "cancel", withdrawn_items=withdrawn)
