"""Reads what the engine needs from a diagram beyond SpiffWorkflow's spec: lanes, forms, timer kinds.

It reads the executable copy of a diagram, where the studio has already turned other modelers'
attributes (Camunda's `candidateGroups`, `assignee`, `formKey`) into `spiffworkflow:properties`;
`camunda:properties` are read as well.
"""
from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF, "camunda": CAMUNDA}

HUMAN_TASKS = ("userTask", "manualTask")
TIMER_KINDS = ("reminder", "supervision", "escalation", "leadership")


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def properties(element: etree._Element) -> dict[str, str]:
    """The extension properties of an element, Spiff's and Camunda's alike."""
    found: dict[str, str] = {}
    for prop in element.xpath(
        "bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property"
        " | bpmn:extensionElements/camunda:properties/camunda:property", namespaces=NS):
        name = prop.get("name")
        if name:
            found[name] = prop.get("value", "")
    return found


def resolve_lane(lane_id: str | None, lane_name: str | None,
                 departments: Mapping[str, str]) -> str | None:
    """A lane names a department by id, or by the department's Chinese name."""
    by_name = {name: dept_id for dept_id, name in departments.items()}
    for candidate in (lane_id, (lane_name or "").strip()):
        if candidate in departments:
            return candidate
        if candidate in by_name:
            return by_name[candidate]
    return None


def _lanes_of(process: etree._Element) -> dict[str, tuple[str, str]]:
    """flow node id -> (lane id, lane name); nested lane sets give the innermost lane."""
    owner: dict[str, tuple[str, str]] = {}
    for lane in process.iter(f"{{{BPMN}}}lane"):
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            if ref.text:
                owner[ref.text.strip()] = (lane.get("id", ""), lane.get("name", ""))
    return owner


def process_meta(process: etree._Element, departments: Mapping[str, str]) -> dict:
    """Metadata of one process element: its name, human tasks, timers and message catchers."""
    lanes = _lanes_of(process)
    tasks: dict[str, dict] = {}
    timers: dict[str, dict] = {}
    messages: dict[str, dict] = {}
    for element in process.iter():
        if not isinstance(element.tag, str) or etree.QName(element).namespace != BPMN:
            continue
        kind = local_name(element)
        element_id = element.get("id")
        if not element_id:
            continue
        lane_id, lane_name = lanes.get(element_id, (None, None))
        lane_department = resolve_lane(lane_id, lane_name, departments)
        if kind in HUMAN_TASKS:
            props = properties(element)
            tasks[element_id] = {
                "name": element.get("name") or element_id,
                "lane": lane_department,
                "lane_name": lane_name,
                "form": props.get("formKey") or "",
                "department": props.get("department") or None,
                "role": props.get("role") or None,
                "result_variable": props.get("resultVariable") or None,
                "supervises": props.get("supervises") or None,  # a 督办件: the task it supervises
                "assignee": props.get("assignee") or None,  # a user who holds the item from the start
                "case_status": props.get("caseStatus") or None,  # what the case shows while this is open
            }
        elif kind in ("boundaryEvent", "intermediateCatchEvent", "startEvent"):
            if element.find(f"{{{BPMN}}}timerEventDefinition") is not None:
                props = properties(element)
                interrupting = element.get("cancelActivity", "true") != "false"
                timer_kind = props.get("timerKind")
                if timer_kind not in TIMER_KINDS:
                    timer_kind = "escalation" if kind == "boundaryEvent" and interrupting else "timer"
                timers[element_id] = {
                    "name": element.get("name") or element_id,
                    "kind": timer_kind,
                    "attached_to": element.get("attachedToRef"),
                    "interrupting": interrupting if kind == "boundaryEvent" else False,
                }
            definition = element.find(f"{{{BPMN}}}messageEventDefinition")
            if definition is not None:
                messages[element_id] = {"message_ref": definition.get("messageRef"),
                                        "lane": lane_department}
        elif kind == "receiveTask":
            messages[element_id] = {"message_ref": element.get("messageRef"), "lane": lane_department}
    return {"name": process.get("name") or process.get("id"), "tasks": tasks, "timers": timers,
            "messages": messages}


def message_names(root: etree._Element) -> dict[str, str]:
    """bpmn:message id -> name (SpiffWorkflow correlates by name)."""
    return {m.get("id"): (m.get("name") or m.get("id"))
            for m in root.iter(f"{{{BPMN}}}message") if m.get("id")}
