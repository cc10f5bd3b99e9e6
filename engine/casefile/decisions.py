"""What was decided on a case: every completed task's form read-only, the essentials (办理要点) of each
stage, and what a receiving department is told (the dispatch instructions, the other departments' reports)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import FormRegistry, UnknownForm

from ..cases import get_case
from ..errors import NotFound
from ..models import AuditEvent, Case, Definition, User, WorkItem
from ..permissions import CENTRE, check_can_open, check_can_view_case
from ..runtime import Runtime
from ..users import Actor
from .drawing import processes, stage_order
from .readonly import Entry, entries

ESSENTIALS_FILE = Path(__file__).resolve().parent.parent / "data" / "case_file_essentials.json"


@cache
def essentials_table() -> dict:
    """The centre's choice of essential fields per form, and the message payloads it shows (a data file)."""
    return json.loads(ESSENTIALS_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Decision:
    """One completed task (or a decision a neighbouring system sent) with its filled fields."""

    item_id: int | None
    title: str
    element_id: str
    process_id: str
    stage_name: str
    department_id: str | None
    completed_by: str
    completed_at: datetime
    form_key: str
    entries: list[Entry]
    notice_no: str | None = None


@dataclass(frozen=True)
class StageEssentials:
    process_id: str
    name: str
    state: str  # "done", "current" or "future"
    points: list[Decision] = field(default_factory=list)


@dataclass(frozen=True)
class CaseRecord:
    decisions: list[Decision]  # in the order they were taken
    essentials: list[StageEssentials]  # one per stage of the main process, in order


@dataclass(frozen=True)
class TaskContext:
    own: Decision | None  # the item's own form as completed
    instructions: list[Decision]  # the centre's dispatch instructions (派单要求), latest last
    reports: list[Decision]  # what the other departments on the case reported, briefly
    earlier: tuple[Decision, ...] = ()  # the decisions this task builds on (e.g. the assessment, on 派单)


def _schema(forms: FormRegistry, form_key: str) -> dict:
    try:
        return forms.get(form_key) if form_key else {}
    except UnknownForm:
        return {}


def essential_fields(form_key: str, schema: dict) -> list[str]:
    """The fields of a form that go into the 办理要点: the table's choice, else the form's required ones."""
    chosen = essentials_table()["forms"].get(form_key)
    return list(chosen) if chosen is not None else list(schema.get("required") or [])


def _decisions(rt: Runtime, session: Session, case: Case) -> list[Decision]:
    forms = rt.forms_of(session, case.definition_id)
    meta = rt.specs.for_id(session, case.definition_id).meta["processes"]
    rows = session.scalars(select(WorkItem).where(WorkItem.case_id == case.id, WorkItem.state == "completed")
                           .order_by(WorkItem.completed_at, WorkItem.id)).all()
    events = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id,
                                                      AuditEvent.kind.in_(("task_completed", "message_received")))
                             .order_by(AuditEvent.id)).all()
    # Items completed before their data was kept on the item: the audit event of the completion has it.
    audited = {(e.element_id, e.at): e.data for e in events if e.kind == "task_completed"}
    people = dict(session.execute(select(User.id, User.display_name)
                                  .where(User.id.in_({r.completed_by_id for r in rows} - {None}))).all())
    by_login = dict(session.execute(select(User.username, User.display_name)
                                    .where(User.username.in_({e.actor for e in events}))).all())
    found: list[Decision] = []
    for row in rows:
        data = row.submitted if row.submitted is not None else audited.get((row.element_id, row.completed_at))
        found.append(Decision(row.id, row.title, row.element_id, row.process_id,
                              meta.get(row.process_id, {}).get("name", row.process_id), row.department_id,
                              people.get(row.completed_by_id, ""), row.completed_at, row.form_key,
                              entries(_schema(forms, row.form_key), data), row.notice_no))
    shown = essentials_table().get("messages", {})
    for event in events:
        process_id = next((pid for pid, info in meta.items() if event.element_id in info.get("messages", {})), "")
        catcher = meta.get(process_id, {}).get("messages", {}).get(event.element_id, {})
        name, lane = catcher.get("message"), catcher.get("lane")
        if event.kind != "message_received" or name not in shown:
            continue
        found.append(Decision(None, shown[name].get("title", name), event.element_id or "", process_id,
                              meta.get(process_id, {}).get("name", process_id), lane,
                              by_login.get(event.actor, event.actor), event.at, "",
                              entries(shown[name], event.data)))
    found.sort(key=lambda d: (d.completed_at, d.item_id or 0))
    return found


def _brief(decision: Decision, forms: FormRegistry) -> Decision:
    if not decision.form_key:
        return decision
    chosen = essential_fields(decision.form_key, _schema(forms, decision.form_key))
    kept = [e for name in chosen for e in decision.entries if e.name == name]
    return replace(decision, entries=kept)


def _stage_state(process_id: str, case: Case, decided: set[str]) -> str:
    if case.status in ("open", "suspended") and case.stage == process_id:  # a suspended case still stands there
        return "current"
    return "done" if process_id in decided else "future"


def case_record(rt: Runtime, case_no: str, by: Actor) -> CaseRecord:
    """Every decision on a case in order, and per stage its essentials, for someone who may see the case."""
    with rt.unit_of_work(write=False) as session:
        case = get_case(session, case_no)
        check_can_view_case(session, by, case)
        decisions = _decisions(rt, session, case)
        forms = rt.forms_of(session, case.definition_id)
        main = rt.specs.for_id(session, case.definition_id).meta["main"]
        drawn = processes(session.get(Definition, case.definition_id).files)
        stages = stage_order(drawn[main]) if main in drawn else []
        decided = {d.process_id for d in decisions}
        essentials = []
        for stage in stages:
            points = [b for b in (_brief(d, forms) for d in decisions if d.process_id == stage.process_id)
                      if b.entries and not b.notice_no]
            essentials.append(StageEssentials(stage.process_id, stage.name,
                                              _stage_state(stage.process_id, case, decided), points))
        return CaseRecord(decisions, essentials)


def task_context(rt: Runtime, item_id: int, by: Actor) -> TaskContext:
    """For a task page: the item's completed form; and, on a department's open item, the centre's
    dispatch instructions and what the other departments on the case have reported so far."""
    with rt.unit_of_work(write=False) as session:
        item = session.get(WorkItem, item_id)
        if item is None:
            raise NotFound(f"事项 {item_id} 不存在")
        check_can_open(by, item)
        case = session.get(Case, item.case_id)
        decisions = _decisions(rt, session, case)
        own = next((d for d in decisions if d.item_id == item.id), None)
        if item.state != "open":
            return TaskContext(own, [], [])
        forms = rt.forms_of(session, case.definition_id)
        builds_on = essentials_table()["builds_on"].get(item.form_key or "", [])
        earlier = tuple(b for b in (_brief(d, forms) for d in decisions if d.form_key in builds_on) if b.entries)
        if item.department_id == CENTRE:
            return TaskContext(own, [], [], earlier)
        asked = essentials_table()["instructions"]
        instructions = [replace(d, entries=[e for e in d.entries if e.name in asked[d.form_key]])
                        for d in decisions if d.form_key in asked]
        reports = [_brief(d, forms) for d in decisions
                   if d.department_id not in (item.department_id, CENTRE, None) and not d.notice_no]
        shown = {d.item_id for d in instructions} | {r.item_id for r in reports}
        return TaskContext(own, [d for d in instructions if d.entries], [r for r in reports if r.entries],
                           tuple(d for d in earlier if d.item_id not in shown))
