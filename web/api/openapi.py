"""The OpenAPI 3 document of /api/v1, generated from the marshmallow schemas."""
from __future__ import annotations

import functools

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app

from engine import messages

from .schemas import cases, common, schema_named, statistics, warnings

_ERRORS = {str(code): {"description": text, "content": {"application/json": {"schema": "Error"}}}
           for code, text in ((400, "invalid input, with `fields`"), (401, "no or bad token"),
                              (403, "not allowed for this user"), (404, "not found"),
                              (409, "conflict: lost a race or the case moved on"), (413, "too large"),
                              (503, "the database is briefly unavailable; try again after `Retry-After` seconds"))}
_ERRORS["401"]["headers"] = {"WWW-Authenticate": {
    "description": 'the scheme to use: `Bearer realm="yizhan"`, with `error="invalid_token"` for a token refused',
    "schema": {"type": "string"}}}
_ERRORS["503"]["headers"] = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}


# The payload a connected court sends as the message judicial_decision (read by the diagram's 记录确认结果).
JUDICIAL_DECISION = {
    "type": "object",
    "description": (
        "The court's decision on judicial confirmation. Taken while the court's item (司法确认受理审查 or "
        "司法确认裁定) is open: that item is withdrawn and the case goes on with this decision. Once the court's "
        "staff have recorded the ruling in Yizhan the message is refused with 409 and changes nothing. "
        "`confirmed: false` stands for an application not accepted as well as for a ruling not confirming."),
    **messages.PAYLOAD_SCHEMAS["judicial_decision"],
}


def _ok(schema: str, code: str = "200", description: str = "OK", also: tuple[str, str] | None = None) -> dict:
    answers = {code: {"description": description, "content": {"application/json": {"schema": schema}}}}
    if also:
        answers[also[0]] = {"description": also[1], "content": {"application/json": {"schema": schema}}}
    return {**answers, **_ERRORS}


def _body(schema) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _path_param(name: str, kind: str = "string") -> dict:
    schema = {"type": kind}
    if kind == "integer":  # ids are 32-bit INTEGER columns; a larger one is refused with 400
        schema.update({"minimum": 0, "maximum": common.MAX_ID})
    return {"name": name, "in": "path", "required": True, "schema": schema}


@functools.cache
def _build(intake_schema_json: str) -> dict:
    import json
    spec = APISpec(title="Yizhan API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "一站式矛盾纠纷调处 — JSON API. "
                                        "Authenticate with `Authorization: Bearer <token>`."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name in ("Problem", "Change", "Changes", "Error", "WorkItem", "WorkItemDetail", "WorkItemList",
                 "CaseSummary", "CaseFile", "CompleteRequest", "Completion", "MessageRequest", "Definition",
                 "DefinitionList", "Actor", "ReassignRequest", "UrgeRequest", "Urged", "ReturnRequest",
                 "CommentRequest", "Comment", "CommentList", "Attachment", "AttachmentList", "DraftSaved",
                 "DraftSummary", "Draft", "DraftList", "DraftRequest", "NewProcessRequest", "PublishRequest",
                 "GroupMapping", "GroupMappingList", "GroupMappingRequest", "LintRequest", "LintResult",
                 "DecisionTrialRequest", "DecisionTrial", "Token", "TokenList", "TokenRequest", "NewToken",
                 "Warning", "WarningList", "WarningDetail", "FileMarks", "VersionDiff", "MigrationReason",
                 "CaseVerdict", "MigrationPreview", "MigrationRequest", "MigrationRun", "Document", "DocumentList",
                 "DocumentRequest"):
        spec.components.schema(name, schema=schema_named(name))
    intake = json.loads(intake_schema_json)
    intake.pop("$schema", None)
    spec.components.schema("Intake", intake)
    spec.components.schema("JudicialDecisionPayload", JUDICIAL_DECISION)
    secured = [{"bearer": []}]
    spec.path("/me", operations={"get": {"summary": "The calling user", "security": secured,
                                         "responses": _ok("Actor")}})
    spec.path("/cases", operations={"post": {
        "summary": "Start a case from intake data", "security": secured,
        "parameters": [{"name": "process", "in": "query", "schema": {"type": "string", "maxLength": 100},
                        "description": "the process to start (default: the main pipeline)"}],
        "requestBody": _body("Intake"), "responses": _ok("CaseSummary", "201", "created")}})
    spec.path("/cases/{case_no}", operations={"get": {
        "summary": "Case file: stage, open items, timers, audit history", "security": secured,
        "parameters": [_path_param("case_no")], "responses": _ok("CaseFile")}})
    spec.path("/cases/{case_no}/messages", operations={"post": {
        "summary": "Send a message (e.g. judicial_decision) to a case. Only the department that sends a message "
                   "may deliver it (judicial_decision: the court); anyone else gets 403 whether or not the case "
                   "exists or is closed", "security": secured,
        "parameters": [_path_param("case_no")], "requestBody": _body("MessageRequest"),
        "responses": _ok("CaseSummary")}})
    spec.path("/work-items", operations={"get": {
        "summary": "List work items (overdue first, then by due time)", "security": secured,
        "parameters": [{"in": "query", "schema": cases.WorkItemQuerySchema}],
        "responses": _ok("WorkItemList")}})
    spec.path("/work-items/{item_id}", operations={"get": {
        "summary": "One work item with its form", "security": secured,
        "parameters": [_path_param("item_id", "integer")], "responses": _ok("WorkItemDetail")}})
    for action, text in (("claim", "Claim an item"), ("release", "Release a claimed item")):
        spec.path(f"/work-items/{{item_id}}/{action}", operations={"post": {
            "summary": text, "security": secured, "parameters": [_path_param("item_id", "integer")],
            "responses": _ok("WorkItem")}})
    spec.path("/work-items/{item_id}/complete", operations={"post": {
        "summary": "Complete an item with its form data", "security": secured,
        "parameters": [_path_param("item_id", "integer")], "requestBody": _body("CompleteRequest"),
        "responses": _ok("Completion")}})
    item = [_path_param("item_id", "integer")]
    spec.path("/work-items/{item_id}/draft", operations={"post": {
        "summary": "Keep unfinished form data on the item (not validated)", "security": secured,
        "parameters": item, "requestBody": _body("CompleteRequest"), "responses": _ok("DraftSaved")}})
    spec.path("/work-items/{item_id}/reassign", operations={"post": {
        "summary": "Hand the item to a colleague of its department (heads)", "security": secured,
        "parameters": item, "requestBody": _body("ReassignRequest"), "responses": _ok("WorkItem")}})
    spec.path("/work-items/{item_id}/urge", operations={"post": {
        "summary": "Press the department on an open item (催办; the centre's supervisors and heads, once an hour)",
        "security": secured, "parameters": item, "requestBody": _body("UrgeRequest"), "responses": _ok("Urged")}})
    spec.path("/work-items/{item_id}/return", operations={"post": {
        "summary": "Return a dispatched case to the centre with a reason (退回)", "security": secured,
        "parameters": item, "requestBody": _body("ReturnRequest"), "responses": _ok("Completion")}})
    case = [_path_param("case_no")]
    spec.path("/cases/{case_no}/comments", operations={
        "get": {"summary": "Comments on the case file", "security": secured, "parameters": case,
                "responses": _ok("CommentList")},
        "post": {"summary": "Add a comment", "security": secured, "parameters": case,
                 "requestBody": _body("CommentRequest"), "responses": _ok("Comment", "201", "added")}})
    spec.path("/cases/{case_no}/attachments", operations={
        "get": {"summary": "Evidence attachments of the case", "security": secured, "parameters": case,
                "responses": _ok("AttachmentList")},
        "post": {"summary": "Upload evidence (multipart field `file`; PDF, JPEG, PNG, Office, MP3, text; 10 MB)",
                 "security": secured, "parameters": case,
                 "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                     "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                 "responses": _ok("Attachment", "201", "uploaded")}})
    spec.path("/cases/{case_no}/attachments/{attachment_id}", operations={"get": {
        "summary": "Download an attachment", "security": secured,
        "parameters": [*case, _path_param("attachment_id", "integer")],
        "responses": {"200": {"description": "the file"}, **_ERRORS}}})
    spec.path("/definitions", operations={
        "get": {"summary": "Deployed definitions and versions", "security": secured,
                "responses": _ok("DefinitionList")},
        "post": {"summary": "Deploy BPMN/DMN files (multipart field `files`)", "security": secured,
                 "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                     "type": "object", "properties": {"files": {"type": "array", "items": {
                         "type": "string", "format": "binary"}}}}}}},
                 "responses": _ok("Definition", "201", "deployed", ("200", "unchanged: that version exists"))}})
    _studio_paths(spec, secured)
    _migration_paths(spec, secured)
    _token_paths(spec, secured)
    _warning_paths(spec, secured)
    _document_paths(spec, secured)
    _statistics_paths(spec, secured)
    _repair_paths(spec, secured)
    document = spec.to_dict()
    document["servers"] = [{"url": "/api/v1"}]
    return document


def _studio_paths(spec: APISpec, secured: list) -> None:
    key = [_path_param("key")]
    no_content = {"204": {"description": "done"}, **_ERRORS}
    spec.path("/studio/catalogue", operations={"get": {
        "summary": "Choices for the studio's properties panel: departments, forms and fields, deadline units, "
                   "ladders, messages, mapped groups, check rules", "security": secured,
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                      **_ERRORS}}})
    spec.path("/drafts", operations={
        "get": {"summary": "Unpublished drafts", "security": secured, "responses": _ok("DraftList")},
        "post": {"summary": "Start a new process as a draft", "security": secured,
                 "requestBody": _body("NewProcessRequest"), "responses": _ok("Draft", "201", "created")}})
    spec.path("/drafts/{key}", operations={
        "get": {"summary": "A process's draft with its problems (revision 0: the newest published version)",
                "security": secured, "parameters": key, "responses": _ok("Draft")},
        "put": {"summary": "Save the draft; refused with 409 if someone saved since `revision`",
                "security": secured, "parameters": key, "requestBody": _body("DraftRequest"),
                "responses": _ok("Draft")},
        "delete": {"summary": "Discard the draft", "security": secured, "parameters": key,
                   "responses": no_content}})
    for name in ("ScenarioRunRequest", "ScenarioStep", "ScenarioFailedStep", "ScenarioResult", "ScenarioRun"):
        spec.components.schema(name, schema=schema_named(name))
    spec.path("/drafts/{key}/scenarios", operations={"post": {
        "summary": "Run the scenarios (workflows/scenarios/) whose case goes through the draft's processes against "
                   "the draft as saved at `revision`, each on a throw-away database", "security": secured,
        "parameters": key, "requestBody": _body("ScenarioRunRequest"), "responses": _ok("ScenarioRun")}})
    spec.path("/drafts/{key}/publish", operations={"post": {
        "summary": "Check the draft, run its scenarios and publish it as the next version (its edited forms too). "
                   "With a failing scenario a designer is refused (403, the failures in `problems`); an "
                   "administrator publishes only with `scenario_override_reason` (400 without), which is audited",
        "security": secured, "parameters": key, "requestBody": _body("PublishRequest"),
        "responses": _ok("Definition", "201", "published", ("200", "unchanged: that version exists"))}})
    spec.path("/lint", operations={"post": {
        "summary": "Check BPMN/DMN texts with deploy's rules", "security": secured,
        "requestBody": _body("LintRequest"), "responses": _ok("LintResult")}})
    group = [{**_path_param("group"), "schema": {"type": "string", "minLength": 1, "maxLength": 100}}]
    spec.path("/group-mappings", operations={"get": {
        "summary": "Candidate groups of other modelers and their departments", "security": secured,
        "responses": _ok("GroupMappingList")}})
    spec.path("/group-mappings/{group}", operations={
        "put": {"summary": "Map a candidate group to a department", "security": secured, "parameters": group,
                "requestBody": _body("GroupMappingRequest"), "responses": _ok("GroupMapping")},
        "delete": {"summary": "Remove a group's mapping", "security": secured, "parameters": group,
                   "responses": no_content}})
    spec.path("/decisions/try", operations={"post": {
        "summary": "Try a decision table: the rules that match and the output", "security": secured,
        "requestBody": _body("DecisionTrialRequest"), "responses": _ok("DecisionTrial")}})


def _migration_paths(spec: APISpec, secured: list) -> None:
    key = [_path_param("key")]
    version = {"in": "query", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": common.MAX_ID}}
    spec.path("/definitions/{key}/versions", operations={"get": {
        "summary": "A process's published versions, newest first, with who published each and when",
        "security": secured, "parameters": key, "responses": _ok("DefinitionList")}})
    spec.path("/definitions/{key}/diff", operations={"get": {
        "summary": "What changed between two versions: elements added, removed and changed (and in what), and per "
                   "file the elements to colour on each drawing", "security": secured,
        "parameters": [*key, {**version, "name": "from", "description": "the older version"},
                       {**version, "name": "to", "description": "the newer version"}],
        "responses": _ok("VersionDiff")}})
    spec.path("/definitions/{key}/migration", operations={
        "get": {"summary": "Preview: the running cases on other versions, which could move to version `to` and why "
                           "the others cannot (nothing is changed)", "security": secured,
                "parameters": [*key, {**version, "name": "to", "description": "the version to move to"}],
                "responses": _ok("MigrationPreview")},
        "post": {"summary": "Move running cases to version `to` (administrators): each case in its own transaction, "
                            "its work items, timers and deadlines refreshed and audited; a case that cannot move is "
                            "left exactly as it was and listed with its reasons", "security": secured,
                 "parameters": key, "requestBody": _body("MigrationRequest"), "responses": _ok("MigrationRun")}})


def _token_paths(spec: APISpec, secured: list) -> None:
    spec.path("/tokens", operations={
        "get": {"summary": "API tokens: one's own; an admin may ask for `username` (or `*` for everyone's). "
                           "Tokens themselves are never shown again, only their name, lifetime and last use",
                "security": secured,
                "parameters": [{"name": "username", "in": "query", "schema": {"type": "string"}}],
                "responses": _ok("TokenList")},
        "post": {"summary": "Issue a named token that expires after `expires_in_days` (one's own; an admin's for "
                            "anyone); the answer is the only time the token is shown",
                 "security": secured, "requestBody": _body("TokenRequest"),
                 "responses": _ok("NewToken", "201", "issued")}})
    spec.path("/tokens/{token_id}", operations={"delete": {
        "summary": "Revoke a token at once (one's own, or anyone's for an admin); it answers 401 from then on",
        "security": secured, "parameters": [_path_param("token_id", "integer")], "responses": _ok("Token")}})


def _warning_paths(spec: APISpec, secured: list) -> None:
    spec.path("/warnings", operations={"get": {
        "summary": "Early warnings (预警) raised or joined in the last 30 days, and red cases still not stabilised, "
                   "newest first (the board's readers: supervisors, admins, the centre's heads)",
        "security": secured,
        "parameters": [{"name": "kind", "in": "query", "schema": {"type": "string", "enum": warnings.WARNING_KINDS}}],
        "responses": _ok("WarningList")}})
    spec.path("/warnings/{warning_id}", operations={"get": {
        "summary": "One early warning with its cases", "security": secured,
        "parameters": [_path_param("warning_id", "integer")], "responses": _ok("WarningDetail")}})


def _binary(content_type: str, description: str) -> dict:
    return {"200": {"description": description, "content": {content_type: {"schema": {
        "type": "string", "format": "binary"}}}}, **_ERRORS}


def _document_paths(spec: APISpec, secured: list) -> None:
    case = [_path_param("case_no")]
    spec.path("/cases/{case_no}/documents", operations={
        "get": {"summary": "The documents generated on the case (who, when), and the kinds that may be generated now",
                "security": secured, "parameters": case, "responses": _ok("DocumentList")},
        "post": {"summary": "Generate a document of the case from its data as it stands (.docx; also PDF where "
                            "LibreOffice is installed); 409 when the case has not reached it (e.g. no agreement yet); "
                            "whoever may add to the case file",
                 "security": secured, "parameters": case, "requestBody": _body("DocumentRequest"),
                 "responses": _ok("Document", "201", "generated")}})
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    spec.path("/cases/{case_no}/documents/{document_id}", operations={"get": {
        "summary": "Download a generated document as issued (`format=pdf` for its PDF copy, 404 if it has none)",
        "security": secured,
        "parameters": [*case, _path_param("document_id", "integer"),
                       {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["docx", "pdf"]}}],
        "responses": {**_binary(docx, "the document"),
                      "200": {"description": "the document", "content": {
                          docx: {"schema": {"type": "string", "format": "binary"}},
                          "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}})
    spec.path("/cases/{case_no}/case-file.zip", operations={"get": {
        "summary": "卷宗: the whole case file as one .zip — every generated document, the timeline (时间线.html), "
                   "the attachments and their list (附件清单.txt)",
        "security": secured, "parameters": case,
        "responses": _binary("application/zip", "the case file")}})


def _statistics_paths(spec: APISpec, secured: list) -> None:
    for name in ("StatisticsPeriod", "ItemRow", "RiskRow", "TrendMonth", "StatisticsRates", "Statistics", "Report",
                 "ReportList", "ReportRequest"):
        spec.components.schema(name, schema=schema_named(name))
    spec.path("/statistics", operations={"get": {
        "summary": "Statistics (统计) for a period and any mix of filters: registrations, outcomes, the success "
                   "and fulfilment rates against the centre's targets, on-time rates and working days per stage and "
                   "department, risk levels and amounts, and the 12-month trend (supervisors, admins, the centre's "
                   "heads; a department head gets their own department only)",
        "security": secured, "parameters": [{"in": "query", "schema": statistics.StatisticsQuerySchema}],
        "responses": _ok("Statistics")}})
    spec.path("/statistics/reports", operations={
        "get": {"summary": "The monthly and quarterly reports kept, newest first", "security": secured,
                "responses": _ok("ReportList")},
        "post": {"summary": "Generate the monthly or quarterly report (DOCX) of a month or quarter now "
                            "(supervisors, admins, the centre's heads)", "security": secured,
                 "requestBody": _body("ReportRequest"), "responses": _ok("Report", "201", "generated")}})
    spec.path("/statistics/reports/{report_id}", operations={"get": {
        "summary": "Download a report (DOCX)", "security": secured,
        "parameters": [_path_param("report_id", "integer")],
        "responses": {"200": {"description": "the DOCX file", "content": {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                "schema": {"type": "string", "format": "binary"}}}}, **_ERRORS}}})


def _repair_paths(spec: APISpec, secured: list) -> None:
    for name in ("Incident", "IncidentList", "RepairReason", "CancelRequest", "CaseDataRequest", "MoveRequest",
                 "ValueChange", "RepairResult"):
        spec.components.schema(name, schema=schema_named(name))
    spec.path("/incidents", operations={"get": {
        "summary": "Cases whose engine step failed (a script on a timer's path), newest first (administrators)",
        "security": secured,
        "parameters": [{"name": "state", "in": "query",
                        "schema": {"type": "string", "enum": ["open", "resolved", "all"], "default": "open"}},
                       {"name": "case_no", "in": "query", "schema": {"type": "string", "maxLength": 20}}],
        "responses": _ok("IncidentList")}})
    case_no = [_path_param("case_no")]
    actions = {
        "data": ("Set variables on the case (old and new values audited, each checked against the form fields of "
                 "that name)", "CaseDataRequest"),
        "retry": ("Retry the case's failed step; 409 with the new error when it fails again (the incident keeps "
                  "it), 409 when the case has no open incident", "RepairReason"),
        "move": ("Put the case back at a user task it has done, or on at one ahead of it; work items of tasks no "
                 "longer ready are withdrawn", "MoveRequest"),
        "suspend": ("Suspend an open case: its timers stop, its tasks cannot be completed", "RepairReason"),
        "resume": ("Resume a suspended case: its remaining deadlines move on by the working days it stood still",
                   "RepairReason"),
        "cancel": ("Cancel an open or suspended case: open work items withdrawn, timers cancelled, parties and case "
                   "file kept; `ending` withdrawn when the parties withdrew", "CancelRequest"),
    }
    for action, (summary, body) in actions.items():
        spec.path(f"/cases/{{case_no}}/{action}", operations={"post": {
            "summary": f"{summary} (administrators; each audited with the reason)", "security": secured,
            "parameters": case_no, "requestBody": _body(body), "responses": _ok("RepairResult")}})


def openapi_document() -> dict:
    import json
    forms = current_app.extensions["yizhan"].forms
    return _build(json.dumps(forms.get("intake_registration"), ensure_ascii=False))
