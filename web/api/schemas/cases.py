"""Cases and their work: work items, the case file, completing a task, messages, comments and attachments."""
from marshmallow import EXCLUDE, Schema, fields, validate

from .common import MAX_ID


class WorkItemSchema(Schema):
    id = fields.Integer()
    case_no = fields.String()
    title = fields.String()
    element_id = fields.String()
    process_id = fields.String()
    form_key = fields.String()
    department_id = fields.String()
    required_role = fields.String(allow_none=True)
    state = fields.String()
    assignee = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    due_at = fields.AwareDateTime(allow_none=True)
    overdue = fields.Boolean()
    escalation_level = fields.Integer()
    completed_by = fields.String(allow_none=True)
    completed_at = fields.AwareDateTime(allow_none=True)
    case_title = fields.String()
    risk = fields.String(allow_none=True)
    stage_name = fields.String()
    party_names = fields.String()
    dispute_type = fields.String()
    notice_no = fields.String(allow_none=True, metadata={"description": "a supervision notice's number"})
    subject_item_id = fields.Integer(allow_none=True,
                                     metadata={"description": "the work item a supervision notice is about"})


class WorkItemDetailSchema(WorkItemSchema):
    form = fields.Dict(allow_none=True, metadata={"description": "JSON Schema of the task's form"})
    initial = fields.Dict(metadata={"description": "values to prefill the form with"})


class WorkItemListSchema(Schema):
    items = fields.List(fields.Nested(WorkItemSchema))
    total = fields.Integer()


class WorkItemQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    department = fields.String()
    state = fields.String(load_default="open", validate=validate.OneOf(["open", "completed", "cancelled"]))
    assignee = fields.String(metadata={"description": (
        "'me', 'none' or a username; a username nobody has is refused with 400 naming `assignee`")})
    overdue = fields.Boolean()
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, MAX_ID))


class CaseSummarySchema(Schema):
    case_no = fields.String()
    definition_key = fields.String()
    definition_version = fields.Integer()
    title = fields.String()
    status = fields.String()
    stage = fields.String()
    stage_name = fields.String()
    risk = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    dispute_type = fields.String()
    channel = fields.String()
    lead_department_id = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)
    open_items = fields.List(fields.Nested(WorkItemSchema))
    possible_duplicates = fields.List(fields.String())


class HistoryEventSchema(Schema):
    at = fields.AwareDateTime()
    actor = fields.String()
    kind = fields.String()
    element_id = fields.String(allow_none=True)
    summary = fields.String()
    data = fields.Raw(allow_none=True)


class TimerSchema(Schema):
    element_id = fields.String()
    name = fields.String()
    kind = fields.String()
    due_at = fields.AwareDateTime()
    state = fields.String()
    fired_at = fields.AwareDateTime(allow_none=True)


class CaseFileSchema(CaseSummarySchema):
    parties = fields.List(fields.Dict())
    description = fields.String()
    place = fields.String()
    amount = fields.Float(allow_none=True)
    items = fields.List(fields.Nested(WorkItemSchema))
    timers = fields.List(fields.Nested(TimerSchema))
    history = fields.List(fields.Nested(HistoryEventSchema))
    version = fields.Integer()
    risk_reason = fields.String()


class CompleteRequestSchema(Schema):
    data = fields.Dict(required=True, keys=fields.String(), metadata={"description": "the form's fields"})


class CompletionSchema(Schema):
    item = fields.Nested(WorkItemSchema)
    case_no = fields.String()
    stage = fields.String()
    stage_name = fields.String()
    status = fields.String()
    next_items = fields.List(fields.Nested(WorkItemSchema))


class MessageRequestSchema(Schema):
    message = fields.String(required=True, validate=validate.Length(1, 100),
                            metadata={"description": "the message's name, e.g. judicial_decision"})
    payload = fields.Dict(load_default=dict, keys=fields.String(), metadata={"description": (
        "the message's content; for judicial_decision see JudicialDecisionPayload")})


class ReassignRequestSchema(Schema):
    assignee = fields.String(required=True, validate=validate.Length(1, 80),
                             metadata={"description": "username of a colleague in the item's department"})


class UrgeRequestSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(1, 500),
                         metadata={"description": "what the department is pressed to do (催办意见)"})


class UrgedSchema(Schema):
    item_id = fields.Integer(required=True)
    case_no = fields.String(required=True)
    at = fields.DateTime(required=True, metadata={"description": "when the item was pressed"})
    notified = fields.Integer(required=True, metadata={"description": "how many people were notified"})


class ReturnRequestSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(1, 500),
                           metadata={"description": "why the department cannot take the case (退回理由)"})


class CommentRequestSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(1, 2000))


class CommentSchema(Schema):
    id = fields.Integer()
    author = fields.String()
    at = fields.DateTime()
    text = fields.String()


class AttachmentSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    uploaded_by = fields.String()
    uploaded_at = fields.DateTime()


class CommentListSchema(Schema):
    comments = fields.List(fields.Nested(CommentSchema))


class AttachmentListSchema(Schema):
    attachments = fields.List(fields.Nested(AttachmentSchema))


class DraftSavedSchema(Schema):
    item_id = fields.Integer()
    saved_at = fields.AwareDateTime()
