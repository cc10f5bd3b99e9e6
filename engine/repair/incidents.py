"""Incidents: a case whose engine step failed, from the failure until a retry gets through (or the case moves
on, or is cancelled)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ScriptFailed
from ..models import Case, Incident, Timer
from ..permissions import check_can_repair
from ..runtime import Runtime
from ..users import Actor

MAX_LISTED = 500


@dataclass
class IncidentView:
    id: int
    case_no: str
    case_title: str
    case_status: str
    kind: str
    element_id: str | None
    element_name: str
    message: str
    occurred_at: datetime
    attempts: int
    state: str
    resolved_by: str | None
    resolved_at: datetime | None
    resolution: str | None


def element_name(bundle, element_id: str | None) -> str | None:
    """The name the diagram gives an element (searched in the main process and the processes it calls)."""
    if not element_id:
        return None
    for spec in (bundle.spec, *bundle.subprocess_specs.values()):
        task_spec = spec.task_specs.get(element_id)
        if task_spec is not None and getattr(task_spec, "bpmn_name", None):
            return task_spec.bpmn_name
    return None


def record_failure(session: Session, row: Timer, exc: ScriptFailed, now: datetime,
                   name: str | None = None) -> Incident:
    """Open an incident for a timer whose path failed, or tell the open one of this timer the new error;
    `name` is the failing element's (else the timer's)."""
    incident = open_incident(session, row.case_id)
    if incident is None or incident.timer_id != row.id:
        incident = Incident(case_id=row.case_id, kind="timer", timer_id=row.id, attempts=0, state="open")
        session.add(incident)
    incident.element_id = exc.element_id or row.element_id
    incident.element_name = (name or row.name or row.element_id)[:200]
    incident.message = exc.message[:1000]
    incident.occurred_at = now
    incident.attempts = (incident.attempts or 0) + 1
    session.flush()
    return incident


def open_incident(session: Session, case_id: int) -> Incident | None:
    """The case's open incident (the newest, should a case ever have two)."""
    return session.scalar(select(Incident).where(Incident.case_id == case_id, Incident.state == "open")
                          .order_by(Incident.id.desc()).limit(1))


def resolve_open(session: Session, case_id: int, by: str, how: str, now: datetime) -> list[int]:
    """Close every open incident of the case (`how`: retried, moved, cancelled, gone); their ids."""
    found = list(session.scalars(select(Incident).where(Incident.case_id == case_id, Incident.state == "open")))
    for incident in found:
        incident.state, incident.resolved_by, incident.resolved_at, incident.resolution = "resolved", by, now, how
    return [incident.id for incident in found]


def resolve_for_timers(session: Session, timer_ids: list[int], now: datetime) -> None:
    """The open incidents of timers the case no longer waits on (their task was completed or cancelled by an
    ordinary command) are over: nothing is left to retry."""
    if not timer_ids:
        return
    for incident in session.scalars(select(Incident).where(Incident.timer_id.in_(timer_ids),
                                                           Incident.state == "open")):
        incident.state, incident.resolved_by, incident.resolved_at, incident.resolution = "resolved", "system", \
            now, "gone"


def _view(incident: Incident, case: Case) -> IncidentView:
    return IncidentView(incident.id, case.case_no, case.title, case.status, incident.kind, incident.element_id,
                        incident.element_name, incident.message, incident.occurred_at, incident.attempts,
                        incident.state, incident.resolved_by, incident.resolved_at, incident.resolution)


def list_incidents(rt: Runtime, by: Actor, state: str | None = "open", case_no: str | None = None
                   ) -> list[IncidentView]:
    """Incidents newest first (open ones unless `state` says otherwise; None: all), optionally of one case."""
    check_can_repair(by)
    with rt.unit_of_work(write=False) as session:
        query = select(Incident, Case).join(Case, Case.id == Incident.case_id)
        if state:
            query = query.where(Incident.state == state)
        if case_no:
            query = query.where(Case.case_no == case_no)
        rows = session.execute(query.order_by(Incident.occurred_at.desc(), Incident.id.desc()).limit(MAX_LISTED))
        return [_view(incident, case) for incident, case in rows]
