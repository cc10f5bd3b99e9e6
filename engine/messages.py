"""Messages from neighbouring systems (e.g. the court's decision), correlated to a case by its number."""
from __future__ import annotations

import json

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition as BaseMessage
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from . import audit, projections
from .cases import CaseSummary, get_case, summary_of
from .errors import Conflict, Invalid
from .instances import flush_notices, lock_instance, open_case, run_engine, save
from .permissions import check_can_send_message
from .runtime import Runtime
from .users import Actor

MAX_PAYLOAD_BYTES = 64 * 1024
# What the messages the shipped diagrams wait for must carry: field -> (type, its name in Chinese, required).
PAYLOAD_FIELDS = {
    "judicial_decision": {"confirmed": (bool, "是否确认有效（true/false）", True),
                          "ruling_no": (str, "裁定书文号", False),
                          "reason": (str, "不予受理或不予确认的理由", False)},
}


def check_payload(message: str, payload: dict) -> None:
    """A known message's payload carries its required fields with the right types; anything else is refused."""
    errors: dict[str, list[str]] = {}
    for name, (kind, label, required) in PAYLOAD_FIELDS.get(message, {}).items():
        if name not in payload or payload[name] is None:
            if required:
                errors[f"payload.{name}"] = [f"{label}：必须填写"]
        elif not isinstance(payload[name], kind):
            errors[f"payload.{name}"] = [f"{label}：应为{'true 或 false' if kind is bool else '文字'}"]
    if errors:
        raise Invalid(f"消息 “{message}” 的内容有误", errors)


def waiting_for(workflow, message: str) -> list:
    """Tasks of the workflow currently waiting for a message with this name."""
    return [t for t in workflow.get_tasks(state=TaskState.WAITING)
            if isinstance(getattr(t.task_spec, "event_definition", None), BaseMessage)
            and t.task_spec.event_definition.name == message]


def send(rt: Runtime, case_no: str, message: str, payload: dict, by: Actor) -> CaseSummary:
    """Deliver `message` with `payload` to the case; refused if the case is not waiting for it."""
    if not isinstance(payload, dict):
        raise Invalid("消息内容必须是 JSON 对象", {"payload": ["必须是对象"]})
    if len(json.dumps(payload, ensure_ascii=False)) > MAX_PAYLOAD_BYTES:
        raise Invalid("消息内容过大", {"payload": [f"不能超过 {MAX_PAYLOAD_BYTES} 字节"]})
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case = get_case(session, case_no)
        state_row = lock_instance(rt, session, case)  # commands on one case queue here
        session.refresh(case)
        if case.status != "open":
            raise Conflict(f"案件 {case_no} 已结案，不能再接收消息")
        check_payload(message, payload)
        oc = open_case(rt, session, case, state_row)
        catchers = waiting_for(oc.workflow, message)
        if not catchers:
            # e.g. the court's staff have already recorded the ruling in Yizhan: the first to arrive wins
            raise Conflict(f"案件 {case_no} 当前没有在等待消息 “{message}”（可能已在系统中办理），本消息未作任何更改")
        lanes = {projections_lane(oc, t) for t in catchers}
        check_can_send_message(by, lanes)
        event = BpmnEvent(MessageEventDefinition(message), payload)
        run_engine(oc.workflow, lambda: oc.workflow.catch(event))
        save(rt, session, oc)
        projections.refresh(rt, session, oc, now)
        flush_notices(rt, session, oc, [], now)
        audit.record(session, at=now, actor=by.username, kind="message_received", case_id=case.id,
                     element_id=projections.element_id_of(catchers[0]),
                     summary=f"收到消息 {message}", data=payload)
        session.flush()
        return summary_of(session, case, now)


def projections_lane(oc, task) -> str | None:
    meta = oc.bundle.meta["processes"].get(projections.process_id_of(task), {})
    return meta.get("messages", {}).get(projections.element_id_of(task), {}).get("lane")
