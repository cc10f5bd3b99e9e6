"""Retrying a case's failed step: the failed timer is fired again; on success its incident is resolved, on
failure nothing of the case changes and the incident keeps the new error."""
from __future__ import annotations

from dataclasses import dataclass

from .. import audit
from ..errors import Conflict, ScriptFailed
from ..models import Timer
from ..runtime import Runtime
from ..timer_firing import SET_ASIDE, fire_row
from ..users import Actor
from .guard import locked_case, opened, reason_of, require_status
from .incidents import element_name, open_incident, record_failure, resolve_open


@dataclass
class Retried:
    case_no: str
    incident_id: int
    element_id: str | None
    status: str
    stage_name: str


def retry(rt: Runtime, case_no: str, reason: str, by: Actor) -> Retried:
    """Fire the case's failed timer again; Conflict (with the new error) when its path fails again."""
    reason = reason_of(reason)
    try:
        return _retry(rt, case_no, reason, by)
    except ScriptFailed as exc:
        _failed_again(rt, case_no, reason, by, exc)
        raise Conflict(f"重试失败，案件保持原状：{exc.message}", element_id=exc.element_id) from exc


def _retry(rt: Runtime, case_no: str, reason: str, by: Actor) -> Retried:
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case, row = locked_case(rt, session, case_no, by)
        incident = open_incident(session, case.id)
        if incident is None:
            raise Conflict(f"案件 {case_no} 没有待处理的故障，无需重试")
        require_status(case, "open", action="重试（请先恢复案件）" if case.status == "suspended" else "重试")
        timer = session.get(Timer, incident.timer_id) if incident.timer_id is not None else None
        if timer is None or timer.state != "failed":
            raise Conflict(f"案件 {case_no} 的故障步骤已不在等待重试")
        oc = opened(rt, session, case, row)
        timer.state = "waiting"
        outcome = fire_row(rt, session, oc, timer, now, actor=by.username)
        resolve_open(session, case.id, by.username, "gone" if outcome == SET_ASIDE else "retried", now)
        audit.record(session, at=now, actor=by.username, kind="incident_retried", case_id=case.id,
                     element_id=incident.element_id,
                     summary=f"重试故障步骤 {incident.element_name}：{reason}",
                     data={"reason": reason, "incident_id": incident.id, "error": incident.message,
                           "outcome": outcome})
        return Retried(case.case_no, incident.id, incident.element_id, case.status, case.stage_name)


def _failed_again(rt: Runtime, case_no: str, reason: str, by: Actor, exc: ScriptFailed) -> None:
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case, _row = locked_case(rt, session, case_no, by)
        incident = open_incident(session, case.id)
        if incident is None or incident.timer_id is None:
            return
        timer = session.get(Timer, incident.timer_id)
        bundle = rt.specs.for_id(session, case.definition_id)
        record_failure(session, timer, exc, now, element_name(bundle, exc.element_id))
        audit.record(session, at=now, actor=by.username, kind="incident_retry_failed", case_id=case.id,
                     element_id=incident.element_id,
                     summary=f"重试故障步骤 {incident.element_name} 未成功：{reason}",
                     data={"reason": reason, "incident_id": incident.id, "error": exc.message})
