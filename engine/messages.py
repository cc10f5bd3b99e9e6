"""Messages from neighbouring systems (e.g. the court's decision), correlated to a case by its number."""
from __future__ import annotations

import json

from jsonschema import Draft202012Validator
from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition as BaseMessage
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from . import audit, projections
from .bpmn import progress
from .cases import CaseSummary, get_case, summary_of
from .errors import Conflict, Invalid
from .instances import flush_notices, lock_instance, open_case, run_engine, save
from .models import Case
from .permissions import check_can_send_message
from .runtime import Runtime
from .users import Actor

MAX_PAYLOAD_BYTES = 64 * 1024
# Who sends each message the shipped diagrams wait for: the departments whose staff (or whose connected system's
# account) may deliver it. Nobody else may, whatever their role; a message not listed here is delivered by the
# department whose lane in the case's process catches it.
SENDERS = {
    "judicial_decision": {"court"},
}
# What each of those messages carries, as a JSON Schema: a field outside it, a missing required field or a value
# of the wrong type is refused with 400 naming the field. `title` names the field in the error.
PAYLOAD_SCHEMAS = {
    "judicial_decision": {
        "type": "object",
        "properties": {
            "confirmed": {"type": "boolean", "title": "是否确认有效（true/false）",
                          "description": "whether the court confirmed the agreement"},
            "ruling_no": {"type": "string", "maxLength": 200, "title": "裁定书文号",
                          "description": "the ruling's number, e.g. （2026）0102民特12号"},
            "reason": {"type": "string", "maxLength": 2000, "title": "不予受理或不予确认的理由",
                       "description": "why the application was not accepted or not confirmed"},
        },
        "required": ["confirmed"],
        "additionalProperties": False,
    },
}
_KINDS = {"boolean": "true 或 false", "string": "文字", "integer": "整数", "number": "数字", "object": "对象",
          "array": "列表"}


def check_payload(message: str, payload: dict) -> None:
    """A known message's payload matches its schema; anything else is refused, naming each field."""
    schema = PAYLOAD_SCHEMAS.get(message)
    if schema is None:
        return
    fields = schema.get("properties", {})
    errors: dict[str, list[str]] = {}
    for error in Draft202012Validator(schema).iter_errors(payload):
        if error.validator == "required":
            names = [n for n in schema.get("required", ()) if n not in payload]
            for name in names:
                errors.setdefault(f"payload.{name}", []).append(f"{fields[name].get('title', name)}：必须填写")
        elif error.validator == "additionalProperties":
            for name in sorted(set(payload) - set(fields)):
                errors.setdefault(f"payload.{name}", []).append("不是该消息的字段")
        else:
            name = ".".join(str(p) for p in error.absolute_path)
            field = fields.get(str(error.absolute_path[0]), {}) if error.absolute_path else {}
            label = field.get("title", name or "消息内容")
            if error.validator == "type":
                text = f"{label}：应为{_KINDS.get(str(error.validator_value), str(error.validator_value))}"
            elif error.validator == "maxLength":
                text = f"{label}：不能超过 {error.validator_value} 个字"
            else:
                text = f"{label}：格式不正确"
            errors.setdefault(f"payload.{name}" if name else "payload", []).append(text)
    if errors:
        raise Invalid(f"消息 “{message}” 的内容有误", {k: sorted(set(v)) for k, v in errors.items()})


def waiting_for(workflow, message: str) -> list:
    """Tasks of the workflow currently waiting for a message with this name."""
    return [t for t in progress.tasks(workflow, state=TaskState.WAITING)
            if isinstance(getattr(t.task_spec, "event_definition", None), BaseMessage)
            and t.task_spec.event_definition.name == message]


def _lanes_catching(oc, message: str) -> set[str | None]:
    """The departments whose lanes in the case's processes catch `message` (waiting or not)."""
    return {info.get("lane") for process in oc.bundle.meta["processes"].values()
            for info in process.get("messages", {}).values() if info.get("message") == message}


def send(rt: Runtime, case_no: str, message: str, payload: dict, by: Actor) -> CaseSummary:
    """Deliver `message` with `payload` to the case; refused if the case is not waiting for it.

    Who may send it is asked first: someone who may not learns nothing of the case (whether it exists, is
    closed or waits), only the same 403."""
    declared = SENDERS.get(message)
    if declared is not None:
        check_can_send_message(by, declared)
    if not isinstance(payload, dict):
        raise Invalid("消息内容必须是 JSON 对象", {"payload": ["必须是对象"]})
    if len(json.dumps(payload, ensure_ascii=False)) > MAX_PAYLOAD_BYTES:
        raise Invalid("消息内容过大", {"payload": [f"不能超过 {MAX_PAYLOAD_BYTES} 字节"]})
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        oc = None
        if declared is None:
            found = session.scalar(select(Case).where(Case.case_no == case_no))
            if found is None:
                check_can_send_message(by, set())
            oc = open_case(rt, session, found)
            check_can_send_message(by, _lanes_catching(oc, message))
        case = get_case(session, case_no)
        state_row = lock_instance(rt, session, case)  # commands on one case queue here
        session.refresh(case)
        if case.status != "open":
            word = {"suspended": "已暂停", "cancelled": "已撤销"}.get(case.status, "已结案")
            raise Conflict(f"案件 {case_no} {word}，不能再接收消息")
        check_payload(message, payload)
        oc = open_case(rt, session, case, state_row)  # afresh: another command may have moved it meanwhile
        catchers = waiting_for(oc.workflow, message)
        if not catchers:
            # e.g. the court's staff have already recorded the ruling in Yizhan: the first to arrive wins
            raise Conflict(f"案件 {case_no} 当前没有在等待消息 “{message}”（可能已在系统中办理），本消息未作任何更改")
        if declared is None:
            check_can_send_message(by, {projections_lane(oc, t) for t in catchers})
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
