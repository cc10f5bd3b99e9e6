"""Migrating running cases to a new version."""
from marshmallow import EXCLUDE, Schema, fields, validate

from .common import MAX_ID


class MigrationReasonSchema(Schema):
    code = fields.String(required=True, metadata={"description": (
        "removed_task, removed_dependency, changed_type, removed_process, called_process_changed, failed_step, "
        "not_running, same_version, other_process or engine_refused")})
    message = fields.String(required=True)
    element_id = fields.String(allow_none=True)
    process_id = fields.String(allow_none=True)


class CaseVerdictSchema(Schema):
    case_no = fields.String()
    title = fields.String()
    stage_name = fields.String()
    status = fields.String()
    from_version = fields.Integer()
    waiting_on = fields.List(fields.String(), metadata={"description": "titles of the case's open work items"})
    movable = fields.Boolean()
    reasons = fields.List(fields.Nested(MigrationReasonSchema))


class MigrationPreviewSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    definition_id = fields.Integer()
    cases = fields.List(fields.Nested(CaseVerdictSchema))


class MigrationPreviewQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    to = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))


class MigrationRequestSchema(Schema):
    to = fields.Integer(required=True, validate=validate.Range(1, MAX_ID), metadata={"description": "the version"})
    cases = fields.List(fields.String(validate=validate.Length(1, 20)), load_default=None,
                        validate=validate.Length(max=10000),
                        metadata={"description": "case numbers to move; left out: every running case on another "
                                                 "version"})
    note = fields.String(load_default="", validate=validate.Length(max=2000), metadata={"description": "why"})
    dry_run = fields.Boolean(load_default=False, metadata={"description": "tell what would move; move nothing"})


class MigrationRunSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    dry_run = fields.Boolean()
    moved = fields.List(fields.String(), metadata={"description": "cases moved (or, in a dry run, that would move)"})
    refused = fields.List(fields.Nested(CaseVerdictSchema), metadata={"description": "cases left as they were"})
