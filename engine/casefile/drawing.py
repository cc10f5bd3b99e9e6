"""What the drawn diagrams of a case's version say about its path: the stages in order, and the
supervision ladders (deadline timers with their reminder, 督办件 and escalation branches) the case file
hides until asked."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from ..bpmn.meta import BPMN, TIMER_KINDS, local_name, properties
from ..bpmn.xml import parse_xml


@dataclass(frozen=True)
class DrawnStage:
    """One call activity of the main process: the stage it runs and its name."""

    element_id: str
    process_id: str
    name: str


def processes(files: Mapping[str, str]) -> dict[str, etree._Element]:
    """process id -> its element, across the BPMN files of a version."""
    found: dict[str, etree._Element] = {}
    for name, text in files.items():
        if name.endswith(".bpmn"):
            root = parse_xml(text.encode(), name).getroot()
            for process in root.iter(f"{{{BPMN}}}process"):
                if process.get("id"):
                    found[process.get("id")] = process
    return found


def _nodes(process: etree._Element) -> dict[str, etree._Element]:
    return {e.get("id"): e for e in process if isinstance(e.tag, str) and e.get("id")}


def _flows(process: etree._Element) -> dict[str, list[tuple[str, str]]]:
    """source id -> [(flow id, target id)]."""
    out: dict[str, list[tuple[str, str]]] = {}
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        out.setdefault(flow.get("sourceRef"), []).append((flow.get("id"), flow.get("targetRef")))
    return out


def _attached(process: etree._Element) -> dict[str, list[str]]:
    """activity id -> the boundary events attached to it."""
    out: dict[str, list[str]] = {}
    for event in process.iter(f"{{{BPMN}}}boundaryEvent"):
        out.setdefault(event.get("attachedToRef"), []).append(event.get("id"))
    return out


def _reach(starts, flows, attached, stop=frozenset()) -> set[str]:
    """Every node and flow reachable from `starts` (boundary events ride along with their activity)."""
    seen: set[str] = set()
    todo = [s for s in starts if s not in stop]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for flow_id, target in flows.get(node, []):
            seen.add(flow_id)
            if target not in stop:
                todo.append(target)
        todo.extend(e for e in attached.get(node, []) if e not in stop)
    return seen


def is_ladder_timer(element: etree._Element) -> bool:
    """A non-interrupting boundary timer marked with a supervision `timerKind` (reminder, 督办, escalation)."""
    return (local_name(element) == "boundaryEvent" and element.get("cancelActivity") == "false"
            and element.find(f"{{{BPMN}}}timerEventDefinition") is not None
            and properties(element).get("timerKind") in TIMER_KINDS)


def ladder_elements(process: etree._Element) -> list[str]:
    """The ids of a process's supervision ladders: their timers, the scripts, 督办件 and ends they lead
    to, and the flows between; never an element the case's own path passes through."""
    nodes, flows, attached = _nodes(process), _flows(process), _attached(process)
    roots = {i for i, e in nodes.items() if is_ladder_timer(e)}
    if not roots:
        return []
    starts = [i for i, e in nodes.items() if local_name(e) == "startEvent"]
    path = _reach(starts, flows, attached, stop=frozenset(roots))
    return sorted(_reach(roots, flows, attached) - path)


def stage_order(process: etree._Element) -> list[DrawnStage]:
    """The call activities of the main process in the order its flows reach them from the start."""
    nodes, flows = _nodes(process), _flows(process)
    order: list[str] = []
    queue = [i for i, e in nodes.items() if local_name(e) == "startEvent"]
    seen: set[str] = set()
    while queue:
        node = queue.pop(0)
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        queue.extend(target for _flow, target in flows.get(node, []))
    order += [i for i in nodes if i not in seen]
    return [DrawnStage(i, nodes[i].get("calledElement") or i, nodes[i].get("name") or i)
            for i in order if local_name(nodes[i]) == "callActivity"]
