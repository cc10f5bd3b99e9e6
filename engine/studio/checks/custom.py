"""A centre's own simple rules (settings.py): every selected element must have what the rule requires."""
from __future__ import annotations

import re

from lxml import etree

from ...bpmn.meta import BPMN, properties
from ..problems import Findings
from ..settings import CustomRule

_NEEDS = {"deadline": "办理期限", "form": "表单", "department": "承办部门", "name": "名称", "documentation": "说明"}


def _has(requirement: str, element: etree._Element, info: dict | None, process: etree._Element) -> bool:
    if requirement == "name":
        return bool((element.get("name") or "").strip())
    if requirement == "documentation":
        doc = element.find(f"{{{BPMN}}}documentation")
        return doc is not None and bool((doc.text or "").strip())
    if requirement == "form":
        return bool(info and info.get("form"))
    if requirement == "department":
        return bool(info and (info.get("department") or info.get("lane")))
    if properties(element).get("deadline"):
        return True
    return any(b.get("attachedToRef") == element.get("id") and b.find(f"{{{BPMN}}}timerEventDefinition") is not None
               for b in process.iter(f"{{{BPMN}}}boundaryEvent"))


def check_custom(rules: tuple[CustomRule, ...], process: etree._Element, meta: dict, findings: Findings,
                 file: str) -> None:
    for rule in rules:
        pattern = re.compile(rule.name_matches) if rule.name_matches else None
        for kind in rule.elements:
            for element in process.iter(f"{{{BPMN}}}{kind}"):
                info = meta["tasks"].get(element.get("id"))
                lane = info.get("lane") if info else None
                if rule.in_department_lane and not lane:
                    continue
                if rule.lanes and lane not in rule.lanes:
                    continue
                if pattern is not None and not pattern.search(element.get("name") or ""):
                    continue
                missing = [_NEEDS[r] for r in rule.require if not _has(r, element, info, process)]
                if missing:
                    name = element.get("name") or element.get("id")
                    findings.add(rule.id, f"{rule.message}（“{name}” 缺少{'、'.join(missing)}）", file, element,
                                 severity=rule.severity)
