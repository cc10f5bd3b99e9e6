"""Checks across the files of one bundle: processes defined once, call activities, messages."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from ...bpmn.meta import BPMN, local_name, message_names
from ..problems import Findings


@dataclass(frozen=True)
class ProcessSource:
    """A process of the bundle, in its executable form, with the file it came from."""

    file: str
    element: etree._Element
    root: etree._Element
    meta: dict


def check_calls(processes: Mapping[str, ProcessSource], deployed: frozenset[str], findings: Findings) -> None:
    """A call activity calls a process that exists, and no chain of calls comes back to where it started."""
    graph: dict[str, list[tuple[str, etree._Element]]] = {}
    for pid, source in processes.items():
        for call in source.element.iter(f"{{{BPMN}}}callActivity"):
            target = call.get("calledElement")
            if not target:
                continue
            graph.setdefault(pid, []).append((target, call))
            if target not in processes and target not in deployed:
                findings.add("call-missing", f"调用活动调用的流程 “{target}” 既不在这些文件中，也未部署过",
                             source.file, call)
    reported: set[str] = set()

    def visit(pid: str, path: list[str]) -> None:
        for target, call in graph.get(pid, ()):
            if target in path:
                cycle = " → ".join(path + [target])
                if call.get("id") not in reported:
                    reported.add(call.get("id"))
                    findings.add("call-cycle", f"调用活动形成循环：{cycle}（案件会无限运行）",
                                 processes[pid].file, call)
            elif target in processes:
                visit(target, path + [target])
    for pid in processes:
        visit(pid, [pid])


_CATCHERS = ("startEvent", "intermediateCatchEvent", "boundaryEvent")
_THROWERS = ("intermediateThrowEvent", "endEvent")


def check_messages(processes: Mapping[str, ProcessSource], findings: Findings) -> None:
    """A message a case waits for must come from somewhere: a throwing element, or a department's lane
    (that department delivers it through the API)."""
    sent: set[str] = set()
    waiting: list[tuple[str, ProcessSource, etree._Element, bool]] = []
    for source in processes.values():
        names = message_names(source.root)
        lanes = {eid for eid, info in source.meta["messages"].items() if info.get("lane")}
        for element in source.element.iter():
            if not isinstance(element.tag, str) or etree.QName(element).namespace != BPMN:
                continue
            kind = local_name(element)
            definition = element.find(f"{{{BPMN}}}messageEventDefinition")
            ref = element.get("messageRef") if kind in ("receiveTask", "sendTask") else \
                (definition.get("messageRef") if definition is not None else None)
            if ref is None:
                continue
            name = names.get(ref, ref)
            if kind in _THROWERS or kind == "sendTask":
                sent.add(name)
            elif kind in _CATCHERS or kind == "receiveTask":
                waiting.append((name, source, element, element.get("id") in lanes))
    for name, source, element, from_lane in waiting:
        if name not in sent and not from_lane:
            findings.add("message-never-sent", f"消息 “{name}” 没有任何元素发送，也不在部门泳道中由该部门送达："
                         "案件会一直等待", source.file, element)
