"""The API of versions side by side and of migrating running cases."""
from __future__ import annotations

from dataclasses import asdict

from flask import g, request

from engine.migration import migrate, preview
from engine.studio import versions

from . import bp
from .auth import runtime, token_required
from .schemas.migration import (
    MigrationPreviewQuerySchema,
    MigrationPreviewSchema,
    MigrationRequestSchema,
    MigrationRunSchema,
)
from .schemas.studio import DefinitionListSchema, VersionDiffQuerySchema, VersionDiffSchema
from .views import json_body


def _verdicts(verdicts) -> list[dict]:
    return [v.as_dict() for v in verdicts]


@bp.get("/definitions/<key>/versions")
@token_required
def definition_versions(key: str):
    return DefinitionListSchema().dump({"definitions": versions.versions(runtime(), key, g.actor)})


@bp.get("/definitions/<key>/diff")
@token_required
def definition_diff(key: str):
    query = VersionDiffQuerySchema().load(request.args)
    diff = versions.compare(runtime(), key, query["from_"], query["to"], g.actor)
    return VersionDiffSchema().dump({"key": diff.key, "old": diff.old, "new": diff.new, "changes": diff.changes,
                                     "files": [asdict(f) for f in diff.files]})


@bp.get("/definitions/<key>/migration")
@token_required
def migration_preview(key: str):
    query = MigrationPreviewQuerySchema().load(request.args)
    shown = preview.preview(runtime(), key, query["to"], g.actor)
    return MigrationPreviewSchema().dump({"key": shown.key, "version": shown.version,
                                          "definition_id": shown.definition_id, "cases": _verdicts(shown.cases)})


@bp.post("/definitions/<key>/migration")
@token_required
def migration_run(key: str):
    body = MigrationRequestSchema().load(json_body())
    run = migrate.migrate(runtime(), key, body["to"], g.actor, body["cases"], body["note"], body["dry_run"])
    return MigrationRunSchema().dump({"key": run.key, "version": run.version, "dry_run": run.dry_run,
                                      "moved": run.moved, "refused": _verdicts(run.refused)})
