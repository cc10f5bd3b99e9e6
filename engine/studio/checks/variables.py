"""Conditions may only use variables that something provides: a form, a script, a decision, the intake.

Across a bundle (call activities share their data), a variable is provided by the intake form and what
the engine adds at the start, the fields of every task's form (or its `resultVariable`), names a script
assigns, the outputs of decision tables, multi-instance items, message variables, Camunda form fields,
and the diagram functions.
"""
from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable, Mapping

from lxml import etree

from ...bpmn.meta import BPMN, HUMAN_TASKS, NS, SPIFF, properties
from ...sandbox.guards import SANDBOX_BUILTINS
from ...starting_data import ADDED_BY_ENGINE, INTAKE_FORM
from ..dialects.camunda import DIALECT_NAMESPACES
from ..problems import Findings

DIAGRAM_NAMES = {"working_days", "calendar_days", "hours_from_now", "working_days_after", "calendar_days_after",
                 "working_days_before", "months", "months_after",
                 "hours_before", "now", "notify", "supervise", "data_value"}


def _assigned(source: str) -> set[str]:
    try:
        tree = ast.parse(source or "", mode="exec")
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}


def _used(source: str) -> set[str]:
    """Free names a condition reads (names bound inside comprehensions or lambdas are not free)."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return set()
    bound = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    bound |= {arg.arg for node in ast.walk(tree) if isinstance(node, ast.Lambda) for arg in node.args.args}
    return {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)} - bound


def provided_names(processes: Iterable[etree._Element], forms: Mapping[str, dict],
                   decision_outputs: Iterable[str]) -> set[str]:
    """Every variable something in these processes provides."""
    names = set(DIAGRAM_NAMES) | set(SANDBOX_BUILTINS) | set(dir(builtins)) | set(ADDED_BY_ENGINE)
    names |= set(forms.get(INTAKE_FORM, {}).get("properties", {}))
    names |= set(decision_outputs)
    for process in processes:
        for kind in HUMAN_TASKS:
            for task in process.iter(f"{{{BPMN}}}{kind}"):
                props = properties(task)
                if props.get("resultVariable"):
                    names.add(props["resultVariable"])
                else:
                    names |= set(forms.get(props.get("formKey", ""), {}).get("properties", {}))
        for script in process.iter(f"{{{BPMN}}}script", f"{{{SPIFF}}}preScript", f"{{{SPIFF}}}postScript"):
            names |= _assigned(script.text or "")
        for item in process.iter(f"{{{BPMN}}}inputDataItem", f"{{{BPMN}}}outputDataItem"):
            names |= {v for v in (item.get("name"), item.get("id")) if v}
        for ref in process.iter(f"{{{BPMN}}}loopDataOutputRef", f"{{{BPMN}}}dataObject"):
            names |= {v for v in ((ref.text or "").strip(), ref.get("id"), ref.get("name")) if v}
        for variable in process.xpath(".//spiffworkflow:messageVariable", namespaces=NS):
            names.add((variable.text or "").strip())
        for namespace in DIALECT_NAMESPACES:
            for field in process.iter(f"{{{namespace}}}formField"):
                if field.get("id"):
                    names.add(field.get("id"))
            for element in process.iter():
                if isinstance(element.tag, str) and element.get(f"{{{namespace}}}resultVariable"):
                    names.add(element.get(f"{{{namespace}}}resultVariable"))
    return names


def check_condition_variables(process: etree._Element, provided: set[str], findings: Findings, file: str) -> None:
    for condition in process.iter(f"{{{BPMN}}}conditionExpression"):
        text = (condition.text or "").strip()
        missing = sorted(_used(text) - provided) if text else []
        if missing:
            flow = condition.getparent()
            findings.add("condition-unknown-variable",
                         f"条件 “{text}” 用到的变量 {'、'.join(missing)} 没有任何表单、脚本或决策表提供："
                         "条件求值时会出错", file, flow)
