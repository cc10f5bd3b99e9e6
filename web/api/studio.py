"""The studio's API: drafts, publishing, checks, the group mapping and decision-table trials."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from flask import current_app, g

from engine.scenarios import gate
from engine.studio import catalogue, decisions, drafts, groups
from engine.studio import lint as lint_service

from . import bp
from .auth import runtime, token_required
from .schemas.studio import (
    DecisionTrialRequestSchema,
    DecisionTrialSchema,
    DefinitionSchema,
    DraftListSchema,
    DraftRequestSchema,
    DraftSchema,
    GroupMappingListSchema,
    GroupMappingRequestSchema,
    GroupMappingSchema,
    LintRequestSchema,
    LintResultSchema,
    NewProcessRequestSchema,
    PublishRequestSchema,
    ScenarioRunRequestSchema,
    ScenarioRunSchema,
)
from .views import json_body


@bp.get("/studio/catalogue")
@token_required
def studio_catalogue():
    return catalogue.catalogue(runtime(), g.actor)


@bp.get("/drafts")
@token_required
def list_process_drafts():
    return DraftListSchema().dump({"drafts": drafts.list_drafts(runtime(), g.actor)})


@bp.post("/drafts")
@token_required
def new_process_draft():
    body = NewProcessRequestSchema().load(json_body())
    return DraftSchema().dump(drafts.new_process(runtime(), body["key"], body["name"], g.actor)), 201


@bp.get("/drafts/<key>")
@token_required
def get_process_draft(key: str):
    return DraftSchema().dump(drafts.get_draft(runtime(), key, g.actor))


@bp.put("/drafts/<key>")
@token_required
def save_process_draft(key: str):
    body = DraftRequestSchema().load(json_body())
    view = drafts.save_draft(runtime(), key, body["files"], body["forms"], body["revision"], g.actor, body["name"])
    return DraftSchema().dump(view)


@bp.delete("/drafts/<key>")
@token_required
def discard_process_draft(key: str):
    drafts.discard_draft(runtime(), key, g.actor)
    return "", 204


def _workflows() -> Path:
    return Path(current_app.config["WORKFLOWS_DIR"])


@bp.post("/drafts/<key>/scenarios")
@token_required
def run_draft_scenarios(key: str):
    body = ScenarioRunRequestSchema().load(json_body())
    return ScenarioRunSchema().dump(gate.check_draft(runtime(), key, body["revision"], g.actor, _workflows()).as_dict())


@bp.post("/drafts/<key>/publish")
@token_required
def publish_process_draft(key: str):
    body = PublishRequestSchema().load(json_body())
    info, _check = gate.publish(runtime(), key, body["revision"], body["note"], g.actor, _workflows(),
                           body["scenario_override_reason"])
    return DefinitionSchema().dump(info), 201 if info.created else 200


@bp.post("/lint")
@token_required
def lint():
    body = LintRequestSchema().load(json_body())
    problems = lint_service.check_texts(runtime(), body["files"], body["forms"], g.actor)
    return LintResultSchema().dump({"problems": [p.as_dict() for p in problems]})


@bp.get("/group-mappings")
@token_required
def list_group_mappings():
    mappings = [asdict(m) for m in groups.list_mappings(runtime(), g.actor)]
    return GroupMappingListSchema().dump({"mappings": mappings})


@bp.put("/group-mappings/<path:group>")
@token_required
def set_group_mapping(group: str):
    body = GroupMappingRequestSchema().load(json_body())
    return GroupMappingSchema().dump(asdict(groups.set_mapping(runtime(), group, body["department_id"], g.actor)))


@bp.delete("/group-mappings/<path:group>")
@token_required
def remove_group_mapping(group: str):
    groups.remove_mapping(runtime(), group, g.actor)
    return "", 204


@bp.post("/decisions/try")
@token_required
def try_decision():
    body = DecisionTrialRequestSchema().load(json_body())
    trial = decisions.try_for(runtime(), g.actor, body["dmn"], body["decision_id"], body["columns"], body["data"])
    return DecisionTrialSchema().dump(asdict(trial))
