"""Request and response schemas of the JSON API; the OpenAPI document is generated from them."""
from marshmallow import EXCLUDE, Schema, fields, validate

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


class ActorSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    department_id = fields.String()


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


class TokenSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True, metadata={"description": "whose token it is"})
    name = fields.String(required=True, metadata={"description": "what the token is for"})
    created_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(allow_none=True)
    last_used_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "when it last authenticated a request (recorded at most once a minute)"})
    revoked_at = fields.AwareDateTime(allow_none=True)
    state = fields.String(required=True, validate=validate.OneOf(["active", "expired", "revoked"]))


class TokenListSchema(Schema):
    tokens = fields.List(fields.Nested(TokenSchema), required=True)


class TokenRequestSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 100),
                         metadata={"description": "what the token is for, e.g. 短信网关"})
    expires_in_days = fields.Integer(load_default=90, validate=validate.Range(1, 3 * 365),
                                     metadata={"description": "how many days the token lasts (default 90)"})
    username = fields.String(load_default=None, validate=validate.Length(1, 80), metadata={
        "description": "whose token (admins only; default: the caller)"})


class NewTokenSchema(TokenSchema):
    token = fields.String(required=True, metadata={
        "description": "the bearer token itself: shown only in this answer, only its hash is kept"})


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


DOCUMENT_KINDS = ["acceptance_notice", "rejection_notice", "agreement", "confirmation_application",
                  "supervision_notice", "follow_up_record"]


class DocumentSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS))
    title = fields.String(required=True, metadata={"description": "the document's name as printed (Chinese)"})
    filename = fields.String(required=True)
    number = fields.String(allow_none=True, metadata={"description": "its number, if it has one (协议编号, 督办编号)"})
    size = fields.Integer(required=True, metadata={"description": "bytes of the .docx"})
    has_pdf = fields.Boolean(required=True, metadata={
        "description": "a PDF copy exists (only where LibreOffice is installed on the server)"})
    generated_by = fields.String(required=True)
    generated_at = fields.AwareDateTime(required=True)


class DocumentListSchema(Schema):
    documents = fields.List(fields.Nested(DocumentSchema), required=True)
    available = fields.List(fields.String(validate=validate.OneOf(DOCUMENT_KINDS)), required=True, metadata={
        "description": "the kinds the caller may generate now (the case has reached them)"})


class DocumentRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS), metadata={
        "description": "acceptance_notice 受理通知书, rejection_notice 不予受理告知书, agreement 调解协议书, "
                       "confirmation_application 司法确认申请书, supervision_notice 督办通知书 (the latest notice), "
                       "follow_up_record 回访记录 (the latest visit)"})


# --- statistics (统计) and the monthly and quarterly reports -------------------------------------------------

STATISTICS_RISKS = ["red", "yellow", "blue"]


class StatisticsQuerySchema(Schema):
    from_ = fields.Date(data_key="from", metadata={"description": "first day (YYYY-MM-DD, Asia/Shanghai); default "
                                                                  "the first of this month"})
    to = fields.Date(metadata={"description": "last day, included (default today)"})
    department = fields.String(validate=validate.Length(max=60), metadata={
        "description": "the case's lead department (the centre while none is named); items: the item's department. "
                       "A department head's is always their own"})
    dispute_type = fields.String(validate=validate.Length(max=60))
    channel = fields.String(validate=validate.Length(max=60), metadata={"description": "intake channel"})
    township = fields.String(validate=validate.Length(max=60), metadata={"description": "乡镇（街道） of the place"})
    risk = fields.String(validate=validate.OneOf(STATISTICS_RISKS))


class StatisticsPeriodSchema(Schema):
    from_ = fields.Date(data_key="from", required=True)
    to = fields.Date(required=True)


class ItemRowSchema(Schema):
    key = fields.String(required=True, metadata={"description": "the stage (process) id or the department id"})
    name = fields.String(required=True)
    finished = fields.Integer(required=True, metadata={"description": "items with a deadline finished in the period"})
    on_time = fields.Integer(required=True)
    on_time_rate = fields.Float(allow_none=True, metadata={"description": "per cent; null when none finished"})
    mean_days = fields.Float(allow_none=True, metadata={"description": "mean working days from created to done"})
    p90_days = fields.Float(allow_none=True, metadata={"description": "90th percentile (nearest rank) of the same"})


class RiskRowSchema(Schema):
    risk = fields.String(required=True, validate=validate.OneOf(STATISTICS_RISKS))
    cases = fields.Integer(required=True)
    amount = fields.Float(required=True, metadata={"description": "amount at stake registered, yuan"})


class TrendMonthSchema(Schema):
    month = fields.String(required=True, metadata={"description": "YYYY-MM"})
    registered = fields.Integer(required=True)
    mediated_closed = fields.Integer(required=True)
    closed_success = fields.Integer(required=True)
    success_rate = fields.Float(allow_none=True)


class StatisticsRatesSchema(Schema):
    success_rate = fields.Float(allow_none=True, metadata={"description": "closed_success ÷ mediated_closed, %"})
    fulfilment_rate = fields.Float(allow_none=True, metadata={"description": "fulfilled ÷ performance_due, %"})
    success_target = fields.Float(required=True)
    fulfilment_target = fields.Float(required=True)
    success_below_target = fields.Boolean(required=True)
    fulfilment_below_target = fields.Boolean(required=True)


class StatisticsSchema(Schema):
    period = fields.Nested(StatisticsPeriodSchema, required=True)
    filters = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                          metadata={"description": "the filters applied (a department head's department included)"})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True, metadata={
        "description": "registered, accepted, not_accepted, closed_success, referred (referred.litigation, "
                       "referred.arbitration, referred.administrative_review), withdrawn, mediated_closed, "
                       "agreements, confirmation_applied, confirmation_granted, performance_due, fulfilled, "
                       "enforced, risk.red, risk.yellow, risk.blue"})
    rates = fields.Nested(StatisticsRatesSchema, required=True)
    stages = fields.List(fields.Nested(ItemRowSchema), required=True)
    departments = fields.List(fields.Nested(ItemRowSchema), required=True)
    risks = fields.List(fields.Nested(RiskRowSchema), required=True)
    amount_total = fields.Float(required=True)
    trend = fields.List(fields.Nested(TrendMonthSchema), required=True,
                        metadata={"description": "the 12 months ending with the period's last month"})
    definitions = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                              metadata={"description": "how each figure is counted (Chinese)"})


class ReportSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["monthly", "quarterly"]))
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    title = fields.String(required=True)
    generated_at = fields.AwareDateTime(required=True)
    generated_by = fields.String(required=True, metadata={"description": "a username, or `system` (the scheduler)"})
    size = fields.Integer(required=True, metadata={"description": "bytes of the DOCX"})


class ReportListSchema(Schema):
    reports = fields.List(fields.Nested(ReportSchema), required=True)


class ReportRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["monthly", "quarterly"]))
    period = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$"), metadata={
        "description": "YYYY-MM for a month, YYYY-Qn for a quarter"})


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
