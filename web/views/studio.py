"""The studio: the bpmn-js modeler on a server-side draft, its properties panel's choices, the checks drawn
on the canvas, form previews, decision-table trials and publishing. The page's script calls the JSON
routes below (with the session and the CSRF header); every route calls one engine service."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.errors import Conflict, Invalid
from engine.permissions import check_can_deploy
from engine.scenarios import gate
from engine.studio import catalogue, decisions, drafts, ladder, templates
from engine.studio import forms as studio_forms
from engine.studio import lint as lint_service

from ..api.schemas.studio import (
    DefinitionSchema,
    DraftRequestSchema,
    DraftSchema,
    PublishRequestSchema,
    ScenarioRunRequestSchema,
)
from ..form_fields import fields_of
from .common import actor, message_of, no_store, run_and_flash, runtime, staff_only

bp = Blueprint("studio", __name__, url_prefix="/designer/studio")


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("请求体必须是 JSON 对象", {"": ["需要 JSON 对象"]})
    return body


def _texts(body: dict, name: str) -> dict:
    value = body.get(name) or {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, (str, dict))
                                              for k, v in value.items()):
        raise Invalid(f"{name} 必须是对象", {name: ["必须是对象"]})
    return value


@bp.get("/<key>")
@staff_only
@no_store
def edit(key: str):
    me = actor()
    check_can_deploy(me)
    draft = drafts.get_draft(runtime(), key, me)
    return render_template("designer/studio.html", key=key, draft=draft, strings=_strings(),
                           is_admin=me.role == "admin")


@bp.post("/new")
@staff_only
def new():
    try:
        draft = drafts.new_process(runtime(), request.form.get("key", ""), request.form.get("name", ""), actor())
    except (Invalid, Conflict) as exc:
        flash(message_of(exc), "error")
        return redirect(url_for("designer.index"))
    flash(_("A draft of the new process was created. Draw it, check it and publish it."), "success")
    return redirect(url_for("studio.edit", key=draft.key))


@bp.get("/<key>/draft")
@staff_only
@no_store
def get_draft(key: str):
    return DraftSchema().dump(drafts.get_draft(runtime(), key, actor()))


@bp.put("/<key>/draft")
@staff_only
def save_draft(key: str):
    body = DraftRequestSchema().load(json_body())
    return DraftSchema().dump(drafts.save_draft(runtime(), key, body["files"], body["forms"], body["revision"],
                                                actor(), body["name"]))


@bp.post("/<key>/check")
@staff_only
def check(key: str):
    body = json_body()
    problems = lint_service.check_texts(runtime(), _texts(body, "files"), _texts(body, "forms"), actor())
    return jsonify(problems=[p.as_dict() for p in problems])


@bp.post("/<key>/changes")
@staff_only
def changes(key: str):
    return jsonify(drafts.changes_against_published(runtime(), key, _texts(json_body(), "files"), actor()))


def _workflows() -> Path:
    return Path(current_app.config["WORKFLOWS_DIR"])


@bp.post("/<key>/scenarios")
@staff_only
def scenarios(key: str):
    body = ScenarioRunRequestSchema().load(json_body())
    return jsonify(gate.check_draft(runtime(), key, body["revision"], actor(), _workflows()).as_dict())


@bp.post("/<key>/publish")
@staff_only
def publish(key: str):
    body = PublishRequestSchema().load(json_body())
    info, _check = gate.publish(runtime(), key, body["revision"], body["note"], actor(), _workflows(),
                           body["scenario_override_reason"])
    return {**DefinitionSchema().dump(info), "redirect": url_for("designer.index")}, 201


@bp.post("/<key>/discard")
@staff_only
def discard(key: str):
    me = actor()
    return run_and_flash(lambda: drafts.discard_draft(runtime(), key, me), _("The draft was discarded."),
                         url_for("designer.index"))


@bp.get("/templates/<kind>")
@staff_only
def template(kind: str):
    check_can_deploy(actor())
    key = request.args.get("key", "")
    if not drafts.KEY.match(key) or kind not in ("bpmn", "dmn"):
        raise Invalid("标识须以字母开头，只含字母、数字、_ 和 -", {"key": ["格式不正确"]})
    name = request.args.get("name", "")[:200] or key
    xml = templates.blank_process(key, name) if kind == "bpmn" else templates.blank_decision(key, name)
    return jsonify(file=f"{key}.{kind}", xml=xml)


@bp.get("/catalogue")
@staff_only
def choices():
    return jsonify(catalogue.catalogue(runtime(), actor()))


@bp.get("/forms/<form_key>")
@staff_only
def form(form_key: str):
    schema = studio_forms.published_form(runtime(), form_key, actor())
    return jsonify(key=form_key, schema=schema)


@bp.post("/forms/preview")
@staff_only
def form_preview():
    body = json_body()
    key, schema = str(body.get("key") or "form"), body.get("schema")
    drafts.check_form_schema(key, schema)
    return render_template("designer/_form_preview.html", schema=schema, fields=fields_of(schema))


@bp.post("/decisions/describe")
@staff_only
def describe_decisions():
    return jsonify(decisions=decisions.describe(str(json_body().get("dmn") or ""), actor()))


@bp.post("/decisions/try")
@staff_only
def try_decision():
    body = json_body()
    columns = body.get("columns")
    trial = decisions.try_for(runtime(), actor(), str(body.get("dmn") or ""), body.get("decision_id"),
                              columns if isinstance(columns, dict) else None, None)
    return jsonify(asdict(trial))


@bp.post("/deadline-preview")
@staff_only
def deadline_preview():
    body = json_body()
    risk = body.get("risk") if body.get("risk") in ("red", "yellow", "blue") else None
    return jsonify(rungs=ladder.preview(runtime(), _texts(body, "properties"), actor(), risk))


def _strings() -> str:
    """The texts the page's script shows, in the chosen language."""
    return json.dumps({
        "saved": _("Draft saved (revision %(n)s)."), "unsaved": _("Unsaved changes"),
        "saving": _("Saving…"), "no_draft": _("No draft yet: this is the published version."),
        "checking": _("Checking…"), "no_problems": _("No problems found."),
        "errors": _("%(n)s errors"), "warnings": _("%(n)s warnings"), "conflict": _(
            "Someone else saved this draft in the meantime. Reload the studio to see their version."),
        "leave": _("You have unsaved changes. Leave anyway?"), "error": _("Error"), "warning": _("Warning"),
        "name": _("Element name"), "id": _("Id"), "department": _("Department"), "by_lane": _("From its lane"),
        "lane_is": _("Lane: %(lane)s"), "no_lane": _("The task is in no department's lane."),
        "from_data": _("From the case data"), "form": _("Form"), "no_form": _("— no form —"),
        "edit_form": _("Edit form"), "new_form": _("New form"), "deadline": _("Deadline"),
        "deadline_short": _("Due in"),
        "no_deadline": _("— no deadline —"), "ladder": _("Supervision"), "reminder_lead": _("Reminder before"),
        "working_days": _("working days"), "hours": _("hours"), "role": _("Who may do it"),
        "anyone": _("Anyone in the department"), "head": _("The department head"),
        "supervisor": _("A centre supervisor"), "condition": _("Condition"),
        "variables": _("Variables the condition may use"), "default_flow": _("Default flow of the gateway"),
        "timer": _("Timer"), "message": _("Message"), "script": _("Script"), "called": _("Calls process"),
        "open_called": _("Open the called diagram"), "lane_department": _("Department of the lane"),
        "nothing_selected": _("Select an element on the canvas to edit its properties."),
        "preview_title": _("If a case reached this task now:"), "publish_failed": _("Not published"),
        "published": _("Published as version %(n)s."), "changes_none": _("No element changed."),
        "added": _("Added"), "removed": _("Removed"), "changed": _("Changed"), "note_required": _(
            "Write what changed and why."), "form_invalid_json": _("Not valid JSON: %(error)s"),
        "form_saved": _("Form kept in the draft. Save the draft to keep it on the server."),
        "try_title": _("Try the table"), "run": _("Run"), "matched": _("Matching rules"),
        "output": _("Output"), "no_match": _("No rule matches these inputs."), "yes": _("Yes"), "no": _("No"),
        "camunda_groups": _("Candidate groups (from another modeler): %(groups)s"),
        "camunda_assignee": _("Assignee (from another modeler): %(user)s"),
        "map_groups": _("Map groups to departments"), "key_prompt": _("Key of the new form (letters, digits, _)"),
        "days": _("%(n)s working days"), "in_hours": _("%(n)s hours"), "calendar_days": _("calendar days"),
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        "new_file_prompt": _("Key of the new file: a stage diagram (e.g. township_level) or, ending in .dmn, "
                             "a decision table"),
        "file_exists": _("A file with this name is already in the process."),
        "scenario": _("Scenario"), "scenarios_running": _("Running the scenarios against the draft…"),
        "scenarios_passed": _("All %(n)s scenarios pass."),
        "scenarios_failed": _("%(failed)s of %(total)s scenarios fail."),
        "no_scenarios": _("No scenario runs through this process."),
        "scenario_failed_here": _("Scenario fails here"),
        "override_reason_help": _("As an administrator you may publish anyway: write why. The reason is audited."),
        "override_admin_only": _("Only an administrator may publish while scenarios fail, with a written reason."),
        "override_required": _("Write why you publish although scenarios fail."),
        "undo": _("Undo"), "redo": _("Redo"), "file": _("File"), "diagram_error": _(
            "The diagram could not be opened: %(error)s"),
    }, ensure_ascii=False)
