"""Shared by every area of the API: errors, the 32-bit id bound, the member of staff."""
from marshmallow import Schema, fields, validate

MAX_ID = 2**31 - 1  # ids, revisions and counts are 32-bit INTEGER columns


class ErrorSchema(Schema):
    status = fields.Integer(required=True)
    error = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", keys=fields.String(), values=fields.List(fields.String()))
    element_id = fields.String()
    file = fields.String()
    line = fields.Integer()
    problems = fields.List(fields.Nested(lambda: ProblemSchema()),
                           metadata={"description": "a refused diagram: every problem found, not only the first"})


class ProblemSchema(Schema):
    rule = fields.String(required=True)
    severity = fields.String(required=True, validate=validate.OneOf(["error", "warning"]))
    message = fields.String(required=True)
    file = fields.String(allow_none=True)
    element_id = fields.String(allow_none=True)
    line = fields.Integer(allow_none=True)


class ActorSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    department_id = fields.String()
