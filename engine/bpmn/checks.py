"""Checks an uploaded diagram before SpiffWorkflow sees it, with messages that name the element.

SpiffWorkflow's own errors on these mistakes are misleading or missing (SPIFFWORKFLOW.md,
"Pitfalls"), so the structural ones are caught here first.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

from ..errors import DefinitionRejected
from ..scripting import check_source
from .meta import BPMN, HUMAN_TASKS, NS, local_name, process_meta

_ISO_TIMER = re.compile(
    r"^(R\d*/)?(P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"
    r"|\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)(/.*)?$", re.IGNORECASE)
_FLOW_NODE_SKIP = {"sequenceFlow", "lane", "laneSet", "flowNodeRef", "extensionElements", "incoming",
                   "outgoing", "documentation", "textAnnotation", "association", "dataObject",
                   "dataObjectReference", "dataStoreReference", "conditionExpression", "script"}


def reject(message: str, element: etree._Element | None, filename: str) -> DefinitionRejected:
    element_id = element.get("id") if element is not None else None
    line = element.sourceline if element is not None else None
    where = f"{filename}" + (f" 第 {line} 行" if line else "") + (f"，元素 {element_id}" if element_id else "")
    return DefinitionRejected(f"{where}：{message}", element_id=element_id, file=filename, line=line)


def check_unique_ids(root: etree._Element, filename: str) -> None:
    seen: dict[str, etree._Element] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        element_id = element.get("id")
        if element_id is None:
            continue
        if element_id in seen:
            raise reject(f"元素 id “{element_id}” 重复出现（另见第 {seen[element_id].sourceline} 行）",
                         element, filename)
        seen[element_id] = element


def check_flows(process: etree._Element, filename: str) -> None:
    """Every sequence flow has an id and joins two elements of its own (sub)process."""
    for container in [process, *process.iter(f"{{{BPMN}}}subProcess")]:
        nodes = {child.get("id") for child in container if isinstance(child.tag, str)
                 and child.get("id") and local_name(child) not in _FLOW_NODE_SKIP}
        for flow in container.findall(f"{{{BPMN}}}sequenceFlow"):
            if not flow.get("id"):
                raise reject(f"顺序流缺少 id（从 {flow.get('sourceRef')} 到 {flow.get('targetRef')}）",
                             flow, filename)
            for end, label in (("sourceRef", "起点"), ("targetRef", "终点")):
                ref = flow.get(end)
                if not ref:
                    raise reject(f"顺序流没有{label}（{end}）", flow, filename)
                if ref not in nodes:
                    raise reject(f"顺序流的{label} “{ref}” 在流程中不存在（指向了不存在的元素）",
                                 flow, filename)


def _check_python(source: str, mode: str, element: etree._Element, what: str, filename: str) -> None:
    reason = check_source(source, mode)
    if reason:
        raise reject(f"{what}不被允许：{reason}", element, filename)


def normalise_timers(root: etree._Element, filename: str) -> None:
    """Quote bare ISO-8601 timer text (what Camunda Modeler writes) and refuse JUEL expressions."""
    for tag in ("timeDate", "timeDuration", "timeCycle"):
        for node in root.iter(f"{{{BPMN}}}{tag}"):
            event = node.getparent().getparent()
            text = (node.text or "").strip()
            if not text:
                raise reject(f"定时器 {tag} 为空", event, filename)
            if "${" in text or "#{" in text:
                raise reject(f"定时器表达式 “{text}” 是 JUEL/Camunda 写法，请改写为 Python 表达式，"
                             f"例如 working_days(3) 或 \"P3D\"", event, filename)
            if _ISO_TIMER.match(text):
                node.text = f'"{text}"'
                text = node.text
            _check_python(text, "eval", event, "定时器表达式", filename)


def check_expressions(process: etree._Element, filename: str) -> None:
    """Conditions and scripts must at least compile under the restricted compiler."""
    for condition in process.iter(f"{{{BPMN}}}conditionExpression"):
        if condition.text and condition.text.strip():
            _check_python(condition.text.strip(), "eval", condition.getparent(), "条件表达式", filename)
    for script in process.iter(f"{{{BPMN}}}script"):
        _check_python(script.text or "", "exec", script.getparent(), "脚本", filename)
    for script in process.xpath(".//spiffworkflow:preScript | .//spiffworkflow:postScript", namespaces=NS):
        owner = script.getparent().getparent()
        _check_python(script.text or "", "exec", owner, "前置/后置脚本", filename)


def check_human_tasks(process: etree._Element, meta: dict, departments: Mapping[str, str],
                      form_keys: set[str] | None, filename: str) -> None:
    """A human task must be routable to a department and name a form that exists."""
    by_id = {el.get("id"): el for el in process.iter() if isinstance(el.tag, str) and el.get("id")}
    for element_id, task in meta["tasks"].items():
        element = by_id[element_id]
        if not task["lane"] and not task["department"]:
            raise reject(f"人工任务 “{task['name']}” 无法确定承办部门：请放入以部门命名的泳道"
                         f"（{', '.join(departments)}），或设置 department 属性", element, filename)
        if task["department"]:
            _check_python(task["department"], "eval", element, "department 属性", filename)
        if form_keys is not None and task["form"] and task["form"] not in form_keys:
            raise reject(f"人工任务 “{task['name']}” 引用的表单 “{task['form']}” 不存在", element, filename)
        if task["role"] and task["role"] not in ("head", "supervisor"):
            raise reject(f"role 属性只能是 head 或 supervisor，而不是 “{task['role']}”", element, filename)


def check_process(process: etree._Element, departments: Mapping[str, str], form_keys: set[str] | None,
                  filename: str) -> dict:
    """Run every check on one process and return its metadata."""
    check_flows(process, filename)
    check_expressions(process, filename)
    meta = process_meta(process, departments)
    check_human_tasks(process, meta, departments, form_keys, filename)
    for element in process.iter(f"{{{BPMN}}}serviceTask"):
        raise reject("服务任务（serviceTask）不受支持：流程不调用外部服务；请改用脚本任务（通知用 notify()）"
                     "或人工任务", element, filename)
    for element in process.iter(f"{{{BPMN}}}callActivity"):
        if not element.get("calledElement"):
            raise reject("调用活动缺少 calledElement", element, filename)
    for kind in HUMAN_TASKS:
        for element in process.iter(f"{{{BPMN}}}{kind}"):
            if element.find(f"{{{BPMN}}}multiInstanceLoopCharacteristics") is not None and \
                    not meta["tasks"][element.get("id")]["department"] and \
                    not meta["tasks"][element.get("id")]["lane"]:
                raise reject("多实例人工任务需要 department 属性", element, filename)
    return meta


def call_graph(processes: Mapping[str, etree._Element]) -> dict[str, set[str]]:
    return {pid: {ca.get("calledElement") for ca in p.iter(f"{{{BPMN}}}callActivity")}
            for pid, p in processes.items()}


def check_no_recursion(graph: Mapping[str, set[str]], elements: Mapping[str, etree._Element],
                       files: Mapping[str, str]) -> None:
    """A call activity that (indirectly) calls its own process would run forever."""
    def visit(pid: str, path: list[str]) -> None:
        for callee in graph.get(pid, ()):
            if callee in path:
                raise reject(f"调用活动形成循环：{' → '.join(path + [callee])}", elements[pid],
                             files[pid])
            visit(callee, path + [callee])
    for pid in graph:
        visit(pid, [pid])
