"""The process studio: definitions, drafts and their changes, publishing, lint, decision trials, version diffs
and scenarios."""
from marshmallow import EXCLUDE, Schema, fields, validate

from .common import MAX_ID, ProblemSchema


class DefinitionSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    version = fields.Integer()
    name = fields.String()
    process_ids = fields.List(fields.String())
    files = fields.List(fields.String())
    deployed_at = fields.AwareDateTime()
    deployed_by = fields.String()
    created = fields.Boolean()
    note = fields.String()
    changes = fields.Nested(lambda: ChangesSchema(), allow_none=True)


class DefinitionListSchema(Schema):
    definitions = fields.List(fields.Nested(DefinitionSchema))


class ChangeSchema(Schema):
    element_id = fields.String()
    kind = fields.String()
    name = fields.String()
    file = fields.String()
    what = fields.List(fields.String())


class ChangesSchema(Schema):
    added = fields.List(fields.Nested(ChangeSchema))
    removed = fields.List(fields.Nested(ChangeSchema))
    changed = fields.List(fields.Nested(ChangeSchema))


class DraftSummarySchema(Schema):
    key = fields.String()
    name = fields.String()
    revision = fields.Integer(metadata={"description": "0: nothing saved yet (the newest published version)"})
    base_version = fields.Integer(allow_none=True)
    updated_by = fields.String(allow_none=True)
    updated_at = fields.AwareDateTime(allow_none=True)


class DraftSchema(DraftSummarySchema):
    files = fields.Dict(keys=fields.String(), values=fields.String(),
                        metadata={"description": "file name -> BPMN/DMN text as drawn"})
    forms = fields.Dict(keys=fields.String(), values=fields.Dict(),
                        metadata={"description": "forms edited in this draft: form key -> JSON Schema"})
    problems = fields.List(fields.Nested(ProblemSchema))


class DraftListSchema(Schema):
    drafts = fields.List(fields.Nested(DraftSummarySchema))


class DraftRequestSchema(Schema):
    files = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    forms = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)
    revision = fields.Integer(required=True, validate=validate.Range(min=0, max=MAX_ID))
    name = fields.String(load_default=None, validate=validate.Length(max=200))


class NewProcessRequestSchema(Schema):
    key = fields.String(required=True, validate=validate.Length(min=1, max=100))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class PublishRequestSchema(Schema):
    revision = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    scenario_override_reason = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=2000),
        metadata={"description": "why to publish although scenarios fail (administrators only; audited)"})


class GroupMappingSchema(Schema):
    group = fields.String()
    department_id = fields.String()
    updated_by = fields.String()
    updated_at = fields.AwareDateTime()


class GroupMappingListSchema(Schema):
    mappings = fields.List(fields.Nested(GroupMappingSchema))


class GroupMappingRequestSchema(Schema):
    department_id = fields.String(required=True, validate=validate.Length(min=1, max=40))


class LintRequestSchema(Schema):
    files = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    forms = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)


class LintResultSchema(Schema):
    problems = fields.List(fields.Nested(ProblemSchema))


class DecisionTrialRequestSchema(Schema):
    dmn = fields.String(required=True, validate=validate.Length(min=1, max=2 * 1024 * 1024),
                        metadata={"description": "the DMN XML as drawn"})
    decision_id = fields.String(load_default=None)
    columns = fields.Dict(keys=fields.String(), load_default=None,
                          metadata={"description": "a value per input column (by id or label)"})
    data = fields.Dict(keys=fields.String(), load_default=None,
                       metadata={"description": "or: case data the input expressions read"})


class DecisionTrialSchema(Schema):
    matched = fields.List(fields.Dict())
    output = fields.Dict()
    inputs = fields.List(fields.Dict())
    hit_policy = fields.String()


class FileMarksSchema(Schema):
    file = fields.String()
    old_definition_id = fields.Integer(allow_none=True, metadata={"description": "older version with the file"})
    new_definition_id = fields.Integer(allow_none=True, metadata={"description": "newer version with the file"})
    added = fields.List(fields.String(), metadata={"description": "element ids to colour green on the newer drawing"})
    changed = fields.List(fields.String(), metadata={"description": "element ids to colour amber on the newer drawing"})
    removed = fields.List(fields.String(), metadata={"description": "element ids to colour red on the older drawing"})


class VersionDiffSchema(Schema):
    key = fields.String()
    old = fields.Nested(DefinitionSchema)
    new = fields.Nested(DefinitionSchema)
    changes = fields.Nested(ChangesSchema)
    files = fields.List(fields.Nested(FileMarksSchema))


class VersionDiffQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    from_ = fields.Integer(required=True, data_key="from", validate=validate.Range(1, MAX_ID))
    to = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))


class ScenarioRunRequestSchema(Schema):
    revision = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID),
                              metadata={"description": "the draft's revision the scenarios are to run against"})


class ScenarioStepSchema(Schema):
    number = fields.Integer(metadata={"description": "0 is the registration of the case"})
    label = fields.String()
    ok = fields.Boolean()


class ScenarioFailedStepSchema(Schema):
    number = fields.Integer()
    label = fields.String()
    expectation = fields.String(metadata={"description": "the first expectation that failed, or why the step "
                                                         "could not be done"})
    element_id = fields.String(allow_none=True)
    process_id = fields.String(allow_none=True)
    file = fields.String(allow_none=True)


class ScenarioResultSchema(Schema):
    file = fields.String()
    name = fields.String()
    passed = fields.Boolean()
    error = fields.String(allow_none=True, metadata={"description": "the file could not be read or checked"})
    steps = fields.List(fields.Nested(ScenarioStepSchema))
    failed_step = fields.Nested(ScenarioFailedStepSchema, allow_none=True)


class ScenarioRunSchema(Schema):
    key = fields.String()
    revision = fields.Integer()
    passed = fields.Integer()
    failed = fields.Integer()
    results = fields.List(fields.Nested(ScenarioResultSchema))
    problems = fields.List(fields.Nested(ProblemSchema),
                           metadata={"description": "each failing scenario on the element of its failing step"})
