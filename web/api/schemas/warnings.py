"""Early warnings."""
from marshmallow import Schema, fields, validate

WARNING_KINDS = ["repeat", "surge", "red_unstable", "enforcement"]


class WarningSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(WARNING_KINDS), metadata={
        "description": "repeat: a party or place registering again; surge: a dispute type or township well above "
                       "its usual rate; red_unstable: a red case not yet stabilised; enforcement: a party whose "
                       "earlier case ended in enforcement"})
    title = fields.String(required=True, metadata={"description": "the warning as notified (Chinese)"})
    raised_at = fields.AwareDateTime(required=True)
    last_at = fields.AwareDateTime(required=True, metadata={"description": "when a case last joined it"})
    ended_at = fields.AwareDateTime(allow_none=True)
    case_count = fields.Integer(required=True)
    details = fields.Dict(required=True, metadata={"description": "what the rule found (party, place, counts)"})


class WarningListSchema(Schema):
    warnings = fields.List(fields.Nested(WarningSchema), required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                         metadata={"description": "warnings still going, per kind"})
    days = fields.Integer(required=True, metadata={"description": "how many days back the list reaches"})


class WarningCaseSchema(Schema):
    case_no = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    stage_name = fields.String(required=True)
    risk = fields.String(allow_none=True)
    party_names = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)


class WarningDetailSchema(Schema):
    warning = fields.Nested(WarningSchema, required=True)
    cases = fields.List(fields.Nested(WarningCaseSchema), required=True)
