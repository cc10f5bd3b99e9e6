"""Starting a case from intake data, and the case file read model."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, early_warning, projections
from .casefile.parties import mask_id_number
from .definitions import latest
from .early_warning.places import same_place_key, township_of
from .errors import Invalid, NotFound
from .instances import OpenCase, check_data_size, flush_notices, new_instance, run_engine
from .models import AuditEvent, Case, CaseParty, Definition, InstanceState, Timer, User, WorkItem
from .numbering import next_case_no
from .permissions import check_can_start, check_can_view_case, may_read_id_numbers
from .runtime import Runtime
from .starting_data import INTAKE_FORM, starting_data
from .users import Actor
from .work_items import WorkItemView, item_views

MAIN_PROCESS = "dispute_resolution"


@dataclass
class CaseSummary:
    id: int
    case_no: str
    title: str
    status: str
    stage: str
    stage_name: str
    risk: str | None
    outcome: str | None
    dispute_type: str
    channel: str
    lead_department_id: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    open_items: list[WorkItemView] = field(default_factory=list)
    definition_key: str = ""
    definition_version: int = 0
    possible_duplicates: list[str] = field(default_factory=list)


@dataclass
class CaseFile(CaseSummary):
    parties: list[dict] = field(default_factory=list)
    description: str = ""
    place: str = ""
    amount: float | None = None
    items: list[WorkItemView] = field(default_factory=list)
    timers: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    version: int = 0
    risk_reason: str = ""
    id_numbers_masked: bool = False


def summary_of(session: Session, case: Case, now: datetime, cls=CaseSummary, **extra) -> CaseSummary:
    """The summary of a case with its open items."""
    open_rows = session.scalars(select(WorkItem).where(WorkItem.case_id == case.id, WorkItem.state == "open")
                                .order_by(WorkItem.id)).all()
    key, version = session.execute(select(Definition.key, Definition.version)
                                   .where(Definition.id == case.definition_id)).one()
    return cls(case.id, case.case_no, case.title, case.status, case.stage, case.stage_name, case.risk,
               case.outcome, case.dispute_type, case.channel, case.lead_department_id, case.created_at,
               case.updated_at, case.closed_at, item_views(session, open_rows, now, cases={case.id: case}),
               key, version, **extra)


def find_duplicates(session: Session, parties: list[dict]) -> list[str]:
    """Open cases sharing a party's ID number (or name and phone): a repeated dispute."""
    ids = [p["id_number"] for p in parties if p.get("id_number")]
    name_phone = [(p["name"], p["phone"]) for p in parties if p.get("name") and p.get("phone")]
    query = select(Case.case_no).join(CaseParty, CaseParty.case_id == Case.id).where(Case.status == "open")
    found: set[str] = set()
    if ids:
        found.update(session.scalars(query.where(CaseParty.id_number.in_(ids))))
    for name, phone in name_phone:
        found.update(session.scalars(query.where(CaseParty.name == name, CaseParty.phone == phone)))
    return sorted(found)


@dataclass(frozen=True)
class OpenCaseOfParty:
    case_no: str
    title: str
    stage_name: str
    party_names: str


def open_cases_of_parties(rt: Runtime, parties: list[dict], by: Actor) -> list[OpenCaseOfParty]:
    """Open cases a party of a new registration already has: the intake window warns before registering."""
    check_can_start(by)
    parties = [p for p in parties if isinstance(p, dict)]
    with rt.unit_of_work(write=False) as session:
        numbers = find_duplicates(session, parties)
        if not numbers:
            return []
        rows = session.scalars(select(Case).where(Case.case_no.in_(numbers)).order_by(Case.case_no))
        return [OpenCaseOfParty(c.case_no, c.title, c.stage_name, c.party_names) for c in rows]


def start(rt: Runtime, intake: dict, by: Actor, process: str = MAIN_PROCESS) -> CaseSummary:
    """Register a dispute: validate the intake, number the case, run the pipeline to its first human step."""
    check_can_start(by)
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        definition = latest(session, process)
        errors = rt.forms_of(session, definition.id).validate(INTAKE_FORM, intake)
        if errors:
            raise Invalid("登记信息不完整或有误", errors)
        case_no = next_case_no(session, now)
        duplicates = find_duplicates(session, intake["parties"])
        data = starting_data(intake, case_no, duplicates, by.username)
        workflow, bundle, outbox = new_instance(rt, definition, data)
        run_engine(workflow)
        case = Case(case_no=case_no, definition_id=definition.id, status="open", title=intake["title"],
                    dispute_type=intake["dispute_type"], channel=intake["channel"],
                    party_names="、".join(p["name"] for p in intake["parties"])[:500],
                    place_key=same_place_key(intake.get("place")), township=township_of(intake.get("place")),
                    created_by=by.username, created_at=now, updated_at=now)
        session.add(case)
        session.flush()
        parties = [CaseParty(case_id=case.id, name=party["name"], id_number=party.get("id_number") or None,
                             phone=party.get("phone") or None, role=party.get("role", "applicant"),
                             address=party.get("address") or None)
                   for party in intake["parties"]]
        session.add_all(parties)
        state = rt.state.dumps(workflow)
        check_data_size(rt, workflow, state)
        session.add(InstanceState(case_id=case.id, version=1, state=state))
        oc = OpenCase(case, bundle, workflow, 1, outbox)
        projections.refresh(rt, session, oc, now)
        flush_notices(rt, session, oc, [], now)
        audit.record(session, at=now, actor=by.username, kind="case_started", case_id=case.id,
                     summary=f"登记案件 {case_no}：{intake['title']}", data=intake)
        session.flush()
        early_warning.on_registration(rt, session, case, parties, now, place=intake.get("place"))
        return summary_of(session, case, now, possible_duplicates=duplicates)


def get_case(session: Session, case_no: str) -> Case:
    case = session.scalar(select(Case).where(Case.case_no == case_no))
    if case is None:
        raise NotFound(f"案件 {case_no} 不存在")
    return case


def case_file(rt: Runtime, case_no: str, by: Actor) -> CaseFile:
    """Everything about one case for someone allowed to see it: summary, parties, items, history."""
    with rt.unit_of_work(write=False) as session:
        case = get_case(session, case_no)
        check_can_view_case(session, by, case)
        full_ids = may_read_id_numbers(by, case)
        parties = [{"name": p.name, "id_number": p.id_number if full_ids else mask_id_number(p.id_number),
                    "phone": p.phone, "role": p.role}
                   for p in session.scalars(select(CaseParty).where(CaseParty.case_id == case.id))]
        items = session.scalars(select(WorkItem).where(WorkItem.case_id == case.id).order_by(WorkItem.id)).all()
        timers = [{"element_id": t.element_id, "name": t.name, "kind": t.kind, "due_at": t.due_at,
                   "state": t.state, "fired_at": t.fired_at}
                  for t in session.scalars(select(Timer).where(Timer.case_id == case.id)
                                           .order_by(Timer.due_at, Timer.id))]
        history = [{"at": e.at, "actor": e.actor, "kind": e.kind, "element_id": e.element_id,
                    "summary": e.summary, "data": e.data}
                   for e in session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)
                                            .order_by(AuditEvent.id))]
        names = dict(session.execute(select(User.username, User.display_name)
                                     .where(User.username.in_({h["actor"] for h in history}))).all())
        for event in history:
            event["actor_name"] = names.get(event["actor"], event["actor"])
        started = history[0]["data"] if history and history[0]["kind"] == "case_started" else {}
        version = session.get(InstanceState, case.id).version
        risk_reason = next((h["data"]["risk_reason"] for h in reversed(history)
                            if isinstance(h["data"], dict) and h["data"].get("risk_reason")), "")
        return summary_of(session, case, rt.clock.now(), CaseFile, parties=parties,
                          description=started.get("description", ""), place=started.get("place", ""),
                          amount=started.get("amount"), items=item_views(session, items, rt.clock.now()),
                          timers=timers, history=history, version=version,
                          risk_reason=str(risk_reason), id_numbers_masked=not full_ids)
