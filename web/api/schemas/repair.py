"""Incidents and the repair of a stuck case."""
from marshmallow import EXCLUDE, Schema, fields, validate


class IncidentSchema(Schema):
    id = fields.Integer(required=True)
    case_no = fields.String(required=True)
    case_title = fields.String(required=True)
    case_status = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "timer: a script on a timer's path failed"})
    element_id = fields.String(allow_none=True)
    element_name = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "the error, in Chinese"})
    occurred_at = fields.DateTime(required=True, metadata={"description": "the last failure"})
    attempts = fields.Integer(required=True, metadata={"description": "failures so far, retries included"})
    state = fields.String(required=True, validate=validate.OneOf(["open", "resolved"]))
    resolved_by = fields.String(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    resolution = fields.String(allow_none=True, metadata={"description": "retried, moved, cancelled or gone"})


class IncidentListSchema(Schema):
    incidents = fields.List(fields.Nested(IncidentSchema), required=True)


class IncidentQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    state = fields.String(load_default="open", validate=validate.OneOf(["open", "resolved", "all"]))
    case_no = fields.String(load_default=None, validate=validate.Length(1, 20))


class RepairReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(1, 2000),
                           metadata={"description": "why; kept in the audit log"})


class CancelRequestSchema(RepairReasonSchema):
    ending = fields.String(load_default="cancelled", validate=validate.OneOf(["withdrawn", "cancelled"]), metadata={
        "description": "withdrawn: the parties withdrew (counted as 撤回 in the statistics); cancelled: the case "
                       "should not have been opened"})


class CaseDataRequestSchema(RepairReasonSchema):
    data = fields.Dict(keys=fields.String(validate=validate.Length(1, 100)), required=True,
                       metadata={"description": "variables to set on the case; each checked against the fields of "
                                                "that name in the case's forms"})


class MoveRequestSchema(RepairReasonSchema):
    element_id = fields.String(required=True, validate=validate.Length(1, 100),
                               metadata={"description": "the user task to put the case at: one it has done (back) "
                                                        "or one ahead of it (forward)"})


class ValueChangeSchema(Schema):
    old = fields.Raw(allow_none=True)
    new = fields.Raw(allow_none=True)


class RepairResultSchema(Schema):
    case_no = fields.String(required=True)
    action = fields.String(required=True, validate=validate.OneOf(
        ["data", "retry", "move", "suspend", "resume", "cancel"]))
    status = fields.String(required=True, metadata={"description": "the case's status afterwards"})
    stage_name = fields.String(required=True)
    changes = fields.Dict(keys=fields.String(), values=fields.Nested(ValueChangeSchema),
                          metadata={"description": "data: each variable's old and new value"})
    direction = fields.String(validate=validate.OneOf(["back", "forward"]))
    open_tasks = fields.List(fields.String(), metadata={"description": "move: the tasks open afterwards"})
    withdrawn_items = fields.List(fields.Integer(), metadata={"description": "move, cancel: work items withdrawn"})
    working_days = fields.Integer(metadata={"description": "resume: working days the case stood still, by which "
                                                          "its remaining deadlines moved on"})
