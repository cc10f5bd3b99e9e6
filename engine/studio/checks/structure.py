"""The shape of a process: ids, flows, elements Yizhan cannot run, reachability and gateways."""
from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from ...bpmn.meta import BPMN, SPIFF, local_name
from ..problems import Findings

# Children of a (sub)process that are not flow nodes a sequence flow may join.
_NOT_FLOW_NODES = {"sequenceFlow", "lane", "laneSet", "flowNodeRef", "extensionElements", "incoming",
                   "outgoing", "documentation", "textAnnotation", "association", "dataObject",
                   "dataObjectReference", "dataStoreReference", "conditionExpression", "script", "property",
                   "ioSpecification", "group", "category"}
_CONTAINERS = ("process", "subProcess", "transaction", "adHocSubProcess")


def _is_bpmn(element) -> bool:
    return isinstance(element.tag, str) and etree.QName(element).namespace == BPMN


def flow_nodes(container: etree._Element) -> dict[str, etree._Element]:
    """id -> element for the flow nodes directly inside a process or subprocess."""
    return {child.get("id"): child for child in container if _is_bpmn(child) and child.get("id")
            and local_name(child) not in _NOT_FLOW_NODES}


def containers(process: etree._Element) -> list[etree._Element]:
    return [process, *(el for tag in _CONTAINERS[1:] for el in process.iter(f"{{{BPMN}}}{tag}"))]


_MODEL_NAMESPACES = (BPMN, "http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC",
                     "http://www.omg.org/spec/DD/20100524/DI")


def check_unique_ids(root: etree._Element, findings: Findings, file: str) -> bool:
    """Every id of the model and its layout once; returns False when one repeats (nothing after this can be
    trusted). Extensions have ids of their own meaning (a Camunda form field's id is a variable name)."""
    seen: dict[str, etree._Element] = {}
    unique = True
    for element in root.iter():
        element_id = element.get("id") if isinstance(element.tag, str) and \
            etree.QName(element).namespace in _MODEL_NAMESPACES else None
        if element_id is None:
            continue
        if element_id in seen:
            findings.add("duplicate-id", f"元素 id “{element_id}” 重复出现（另见第 {seen[element_id].sourceline} 行）",
                         file, element)
            unique = False
        else:
            seen[element_id] = element
    return unique


def check_flows(process: etree._Element, findings: Findings, file: str) -> None:
    """Every sequence flow has an id and joins two elements of its own (sub)process."""
    for container in containers(process):
        nodes = flow_nodes(container)
        for flow in container.findall(f"{{{BPMN}}}sequenceFlow"):
            if not flow.get("id"):
                findings.add("flow-invalid", f"顺序流缺少 id（从 {flow.get('sourceRef')} 到 {flow.get('targetRef')}）",
                             file, flow)
                continue
            for end, label in (("sourceRef", "起点"), ("targetRef", "终点")):
                ref = flow.get(end)
                if not ref:
                    findings.add("flow-invalid", f"顺序流没有{label}（{end}）", file, flow)
                elif ref not in nodes:
                    findings.add("flow-invalid", f"顺序流的{label} “{ref}” 在流程中不存在（指向了不存在的元素）",
                                 file, flow)


def check_unsupported(process: etree._Element, findings: Findings, file: str) -> None:
    for element in process.iter(f"{{{BPMN}}}serviceTask"):
        findings.add("service-task", "服务任务（serviceTask）不受支持：流程不调用外部服务；"
                     "请改用脚本任务（通知用 notify()）或人工任务", file, element)
    for element in process.iter(f"{{{BPMN}}}callActivity"):
        if not element.get("calledElement"):
            findings.add("call-missing", "调用活动缺少 calledElement（要调用的流程）", file, element)
    for element in process.iter(f"{{{BPMN}}}businessRuleTask"):
        called = element.find(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}calledDecisionId")
        if called is None or not (called.text or "").strip():
            name = element.get("name") or element.get("id")
            findings.add("dmn-invalid", f"业务规则任务 “{name}” 没有指定要调用的决策（calledDecisionId）",
                         file, element)


def _successors(container: etree._Element) -> dict[str, list[str]]:
    edges: dict[str, list[str]] = {}
    for flow in container.findall(f"{{{BPMN}}}sequenceFlow"):
        if flow.get("sourceRef") and flow.get("targetRef"):
            edges.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    for node in container:
        if _is_bpmn(node) and local_name(node) == "boundaryEvent" and node.get("attachedToRef"):
            edges.setdefault(node.get("attachedToRef"), []).append(node.get("id"))
    return edges


def _entry_points(container: etree._Element, nodes: Mapping[str, etree._Element]) -> list[str]:
    """Where tokens appear without an incoming flow: start events, event subprocesses, and (in a process
    without a start event) every node without an incoming flow, as BPMN allows."""
    targets = {f.get("targetRef") for f in container.findall(f"{{{BPMN}}}sequenceFlow")}
    starts = [nid for nid, node in nodes.items() if local_name(node) == "startEvent"]
    event_subprocesses = [nid for nid, node in nodes.items()
                          if local_name(node) == "subProcess" and node.get("triggeredByEvent") == "true"]
    if not starts:
        starts = [nid for nid, node in nodes.items()
                  if nid not in targets and local_name(node) not in ("boundaryEvent",)]
    return starts + event_subprocesses


def check_reachable(process: etree._Element, findings: Findings, file: str) -> None:
    """Every flow node can be reached from where the (sub)process starts."""
    for container in containers(process):
        nodes = flow_nodes(container)
        edges = _successors(container)
        seen: set[str] = set()
        todo = _entry_points(container, nodes)
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            todo.extend(edges.get(node, ()))
        for nid, node in nodes.items():
            if nid not in seen:
                name = node.get("name") or nid
                findings.add("unreachable", f"“{name}” 从开始事件无法到达：没有顺序流通向它", file, node)


def check_gateways(process: etree._Element, findings: Findings, file: str) -> None:
    """An exclusive gateway whose every way out is conditional, with no default, can find no way."""
    for container in containers(process):
        flows = container.findall(f"{{{BPMN}}}sequenceFlow")
        for gateway in container:
            if not _is_bpmn(gateway) or local_name(gateway) not in ("exclusiveGateway", "inclusiveGateway"):
                continue
            outgoing = [f for f in flows if f.get("sourceRef") == gateway.get("id")]
            conditional = [f for f in outgoing if f.find(f"{{{BPMN}}}conditionExpression") is not None
                           and (f.find(f"{{{BPMN}}}conditionExpression").text or "").strip()]
            if outgoing and len(conditional) == len(outgoing) and not gateway.get("default"):
                name = gateway.get("name") or gateway.get("id")
                findings.add("gateway-no-default", f"网关 “{name}” 的 {len(outgoing)} 条出口都是条件流且没有默认流："
                             "条件都不成立时案件会停在这里；请把其中一条设为默认流", file, gateway)
