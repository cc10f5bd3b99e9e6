"""What codes look like to a person: roles, risks, case states, audit kinds, and content texts in the chosen language.

UI strings are English message ids translated to Chinese by the zh catalogue. Texts that come
from diagrams and forms (task and stage names, form labels, department names) are written in
Chinese and translated to English by the en catalogue, keyed by the Chinese text (`content`).
"""
from __future__ import annotations

import re

from flask import current_app
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from engine.schema import reference_data
from forms import SEPARATOR

from .content_strings import CJK

ROLES = {"clerk": _l("Clerk"), "head": _l("Department head"), "supervisor": _l("Centre supervisor"),
         "designer": _l("Process designer"), "admin": _l("Administrator")}
RISKS = {"red": _l("Red"), "yellow": _l("Yellow"), "blue": _l("Blue")}
CASE_STATUS = {"open": _l("In progress"), "closed": _l("Closed"), "suspended": _l("Suspended"),
               "cancelled": _l("Cancelled")}
STAGE_STATES = {"done": _l("Done"), "current": _l("Current"), "future": _l("Not reached")}
ITEM_STATES = {"open": _l("Open"), "completed": _l("Completed"), "cancelled": _l("Cancelled")}
TIMER_STATES = {"waiting": _l("Waiting"), "failed": _l("Failed"), "paused": _l("Paused"), "fired": _l("Fired"),
                "cancelled": _l("Cancelled")}
TIMER_KINDS = {"reminder": _l("Reminder"), "supervision": _l("Supervision notice"),
               "escalation": _l("Escalation"), "leadership": _l("Leadership"), "timer": _l("Timer")}
NOTICE_KINDS = {"assignment": _l("New work"), "reminder": _l("Reminder"), "supervision": _l("Supervision notice"),
                "escalation": _l("Escalation"), "leadership": _l("Leadership"), "warning": _l("Early warning"),
                "info": _l("Notice")}
# The rungs of the supervision ladder an item has reached (its escalation level), as people say them.
ESCALATION_LEVELS = {1: _l("Supervised"), 2: _l("Centre supervision"), 3: _l("Reported to leadership")}
AUDIT_KINDS = {
    "case_started": _l("Registered the case"), "task_completed": _l("Completed"),
    "item_claimed": _l("Claimed"), "item_released": _l("Released"), "item_reassigned": _l("Reassigned"),
    "draft_saved": _l("Saved a draft"), "comment_added": _l("Added a comment"),
    "attachment_added": _l("Uploaded evidence"), "message_received": _l("Message received"),
    "timer_fired": _l("Deadline timer fired"), "notice_reminder": _l("Reminder sent"),
    "notice_supervision": _l("Supervision notice sent"), "notice_leadership": _l("Leadership notified"),
    "notice_escalation": _l("Escalated"), "notice_info": _l("Notice"), "timer_failed": _l("Timer failed"),
    "definition_deployed": _l("Deployed a process"), "user_created": _l("Created a user"),
    "case_migrated": _l("Moved to another version of its process"), "migration_run": _l("Migrated running cases"),
    "user_updated": _l("Changed a user"), "password_reset": _l("Reset a password"),
    "token_issued": _l("Issued an API token"), "warning_raised": _l("Early warning raised"),
    "warning_rules_changed": _l("Changed the early-warning rules"),
    "document_generated": _l("Generated a document"), "document_downloaded": _l("Downloaded a document"),
    "case_file_exported": _l("Downloaded the whole case file"),
    "document_template_replaced": _l("Replaced a document template"),
    "document_template_reverted": _l("Went back to a shipped document template"),
    "targets_changed": _l("Changed the centre's targets"), "report_generated": _l("Generated a report"),
    "case_data_edited": _l("Corrected the case's data"), "incident_retried": _l("Retried the failed step"),
    "incident_retry_failed": _l("Retried the failed step without success"), "case_moved": _l("Moved the case"),
    "case_suspended": _l("Suspended the case"), "case_resumed": _l("Resumed the case"),
    "case_cancelled": _l("Cancelled the case"),
}
WARNING_KINDS = {"repeat": _l("Repeat dispute"), "surge": _l("Surge"), "red_unstable": _l("Red case not stabilised"),
                 "enforcement": _l("Enforcement before")}


def content(text: str | None) -> str:
    """A text from a diagram or form, in the chosen language (its Chinese original if untranslated)."""
    return gettext(text) if text else ""


def content_html(text: str | None) -> Markup:
    """`content(text)`, marked as Chinese when no translation exists (engine messages with case data in them)."""
    translated = content(text)
    if translated and translated == text and str(get_locale()) != "zh" and CJK.search(text):
        return Markup('<span lang="zh-CN">{}</span>').format(text)
    return Markup("{}").format(translated)


def escalation_label(level: int | None) -> str:
    """督办 / 中心督办 / 报告领导 for an item's escalation level 1 / 2 / 3 (the highest word beyond)."""
    if not level:
        return ""
    return str(ESCALATION_LEVELS[min(int(level), max(ESCALATION_LEVELS))])


# Notices the diagrams' scripts raise (notify()/supervise(), and the ladders deploy draws) are Chinese sentences
# around a task's name. Each shape is read back into a UI string, its task name translated as content.
_NOTICE_SHAPES = (
    (re.compile(r"^(?P<task>.+?)临近期限$"), _l("“%(task)s” is due soon"), False),
    (re.compile(r"^(?P<task>.+?)已超期，发出督办件$"), _l("“%(task)s” is overdue: a supervision notice is issued"),
     False),
    (re.compile(r"^(?P<task>.+?)超期未办结，升级至中心督办$"),
     _l("“%(task)s” is still not done after its deadline: escalated to centre supervision"), False),
    (re.compile(r"^(?P<task>.+?)严重超期，报告分管领导$"),
     _l("“%(task)s” is seriously overdue: reported to the leader in charge"), False),
    (re.compile(r"^红色风险纠纷：(?P<task>.+)$"), _l("Red-risk dispute: %(task)s"), True),
    (re.compile(r"^新待办：(?P<task>.+?)（(?P<case>[^（）]+)）$"), _l("New work: %(task)s (%(case)s)"), False),
    (re.compile(r"^催办：(?P<case>\S+)「(?P<task>.+?)」— (?P<text>.+)$"),
     _l("Pressed by the centre: %(case)s “%(task)s” — %(text)s"), False),
)


def notice_html(text: str | None) -> Markup:
    """A notice's text in the chosen language: its own translation, else its shape's with the task's name
    translated (a case title stays as typed), else the text marked as Chinese."""
    if not text:
        return Markup("")
    if content(text) != text:
        return Markup("{}").format(content(text))
    for pattern, wording, typed in _NOTICE_SHAPES:
        found = pattern.match(text)
        if found:
            task = found.group("task")
            name = Markup('<span class="user-content">{}</span>').format(task) if typed else content_html(task)
            parts = {"task": name, **{k: v for k, v in found.groupdict().items() if k != "task"}}
            return Markup.escape(str(wording)) % parts
    return content_html(text)


_ROW = re.compile(r"^(.+?)（第(\d+)行）(.+)$")


def _field_label(text: str) -> str:
    row = _ROW.match(text)
    if row is None:
        return content(text)
    return gettext("%(table)s, row %(row)s, %(field)s", table=content(row.group(1)), row=row.group(2),
                   field=content(row.group(3)))


def field_message(text: str) -> Markup:
    """A form error "label：problem" in the chosen language, label and problem translated apart."""
    if str(get_locale()) == "zh" or SEPARATOR not in text or content(text) != text:
        return content_html(text)
    label_text, problem = text.split(SEPARATOR, 1)
    return content_html(gettext("%(field)s: %(problem)s", field=_field_label(label_text), problem=content(problem)))


def label(mapping: dict, code: str | None) -> str:
    if code is None or code == "":
        return ""
    found = mapping.get(code)
    return str(found) if found is not None else code


def department_name(department_id: str | None) -> str:
    names = current_app.extensions.get("yizhan_departments")
    if names is None:
        names = {d["id"]: d["name"] for d in reference_data()["departments"]}
        current_app.extensions["yizhan_departments"] = names
    return content(names.get(department_id, department_id or ""))


def enum_labels(form_key: str, field_path: str) -> dict[str, str]:
    """An enum field's labels from a form schema, translated; `field_path` is dotted (`parties.role`)."""
    prop = current_app.extensions["yizhan"].forms.get(form_key)
    for name in field_path.split("."):
        prop = prop["properties"][name]
        if prop.get("type") == "array":
            prop = prop["items"]
    return {value: content(prop.get("x-enum-labels", {}).get(value, value)) for value in prop.get("enum", [])}


def _typed(value) -> Markup:
    """A value someone typed (a name, a place), escaped and marked as user content inside a sentence."""
    return Markup('<span class="user-content">{}</span>').format(value if value is not None else "")


def warning_html(kind: str, details: dict) -> Markup:
    """An early warning in the page's language, from what the engine recorded with it; what people typed
    (names, places) is escaped and marked as theirs."""
    d = details or {}
    numbers = {"days": int(d.get("days") or 0), "recent": int(d.get("recent") or 0)}
    if kind == "repeat" and d.get("by") == "place":
        text = gettext("The same place registered again within %(days)s days: %(place)s (%(case_no)s)",
                       place=_typed(d.get("place")), case_no=Markup.escape(d.get("case_no", "")), **numbers)
    elif kind == "repeat":
        text = gettext("%(party)s registered again within %(days)s days (%(case_no)s)", party=_typed(d.get("party")),
                       case_no=Markup.escape(d.get("case_no", "")), **numbers)
    elif kind == "surge":
        what = (Markup.escape(gettext("Dispute type %(type)s", type=enum_labels("intake_registration", "dispute_type")
                                      .get(d.get("value"), d.get("value", ""))))
                if d.get("by") == "type" else gettext("Township %(township)s", township=_typed(d.get("value"))))
        text = gettext("%(what)s: %(recent)s cases in the last %(days)s days, usually %(usual)s", what=what,
                       usual=Markup.escape(f"{float(d.get('usual') or 0):.1f}"), **numbers)
    elif kind == "red_unstable":
        text = gettext("Red-risk case not yet stabilised: %(case_no)s %(title)s",
                       case_no=Markup.escape(d.get("case_no", "")), title=_typed(d.get("case_title")))
    elif kind == "enforcement":
        text = gettext("%(parties)s had an earlier case that ended in enforcement (%(earlier)s); new case %(case_no)s",
                       parties=_typed(d.get("parties")), earlier=Markup.escape("、".join(d.get("earlier", []))),
                       case_no=Markup.escape(d.get("case_no", "")))
    else:
        text = Markup.escape(gettext("Early warning"))
    return Markup(text)
