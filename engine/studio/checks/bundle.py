"""Checks across the files of one bundle: processes defined once, call activities, messages."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from ...bpmn.meta import BPMN, SPIFF, local_name, message_names
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


def check_called_decisions(processes: Mapping[str, ProcessSource], decisions: set[str], findings: Findings) -> None:
    """A business rule task calls a decision that one of the files defines."""
    for source in processes.values():
        for task in source.element.iter(f"{{{BPMN}}}businessRuleTask"):
            called = task.find(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}calledDecisionId")
            decision = (called.text or "").strip() if called is not None else ""
            if decision and decision not in decisions:
                known = f"（这些文件中的决策：{'、'.join(sorted(decisions))}）" if decisions \
                    else "（这些文件中没有决策表）"
                name = task.get("name") or task.get("id")
                findings.add("dmn-invalid", f"业务规则任务 “{name}” 调用的决策 “{decision}” 不存在{known}",
                             source.file, task)


_CATCHERS = ("startEvent", "intermediateCatchEvent", "boundaryEvent")
_THROWERS = ("intermediateThrowEvent", "endEvent")


def check_messages(processes: Mapping[str, ProcessSource], findings: Findings) -> None:
    """A message a case waits for must come from somewhere: a throwing element, or a department's lane
    (that department delivers it through the API)."""
    sent: dict[str, list[tuple[ProcessSource, etree._Element]]] = {}
    waiting: list[tuple[str, ProcessSource, etree._Element, bool]] = []
    for source in processes.values():
        names = message_names(source.root)
        lanes = {eid for eid, info in source.meta["messages"].items() if info.get("lane")}
        for element in source.element.iter():
            if not isinstance(element.tag, str) or etree.QName(element).namespace != BPMN:
                continue
            kind = local_name(element)
            definition = element.find(f"{{{BPMN}}}messageEventDefinition")
            if kind in ("receiveTask", "sendTask"):
                ref = element.get("messageRef")
                if not ref:
                    findings.add("event-ref-missing", f"“{element.get('name') or element.get('id')}” 没有指定消息"
                                 "（messageRef）", source.file, element)
                    continue
            elif definition is not None:
                ref = definition.get("messageRef")
                if not ref:
                    findings.add("event-ref-missing", f"消息事件 “{element.get('name') or element.get('id')}” "
                                 "没有指定消息（messageRef）", source.file, element)
                    continue
            else:
                continue
            if ref not in names:
                findings.add("event-ref-missing", f"“{element.get('name') or element.get('id')}” 引用的消息 “{ref}” "
                             "未定义：请在文件中定义该消息（bpmn:message）", source.file, element)
                continue
            name = names[ref]
            if kind in _THROWERS or kind == "sendTask":
                sent.setdefault(name, []).append((source, element))
            elif kind in _CATCHERS or kind == "receiveTask":
                waiting.append((name, source, element, element.get("id") in lanes))
    for name, source, element, from_lane in waiting:
        if name not in sent and not from_lane:
            findings.add("message-never-sent", f"消息 “{name}” 没有任何元素发送，也不在部门泳道中由该部门送达："
                         "案件会一直等待", source.file, element)
    received = {name for name, *_ in waiting}
    for name, throwers in sent.items():
        if name not in received:
            for source, element in throwers:
                findings.add("message-never-received", f"发出的消息 “{name}” 没有任何元素接收：它不会推动任何案件",
                             source.file, element)


_REFERENCES = (("signalEventDefinition", "signalRef", "signal", "信号"),
               ("errorEventDefinition", "errorRef", "error", "错误"),
               ("escalationEventDefinition", "escalationRef", "escalation", "升级"))


def check_event_refs(root: etree._Element, process: etree._Element, findings: Findings, file: str) -> None:
    """A signal, error or escalation event refers to one the file defines (SpiffWorkflow cannot read it else)."""
    for tag, attribute, target, label in _REFERENCES:
        defined = {el.get("id") for el in root.iter(f"{{{BPMN}}}{target}")}
        for definition in process.iter(f"{{{BPMN}}}{tag}"):
            ref = definition.get(attribute)
            event = definition.getparent()
            if ref and ref not in defined:
                findings.add("event-ref-missing", f"“{event.get('name') or event.get('id')}” 引用的{label} “{ref}” "
                             f"未定义：请在文件中定义该{label}（bpmn:{target}）", file, event)
