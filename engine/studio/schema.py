"""The BPMN 2.0 schema check (XSD), with the schema's complaint told in Chinese terms."""
from __future__ import annotations

import functools
import re

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import BpmnValidator

from .problems import Findings

_ELEMENT = re.compile(r"Element '\{[^}]*\}(\w+)'")


@functools.cache
def _validator() -> BpmnValidator:
    return BpmnValidator()


def _explain(detail: str) -> str:
    element = _ELEMENT.search(detail)
    name = f"元素 {element.group(1)} " if element else ""
    if "This element is not expected" in detail:
        return f"{name}出现在不允许的位置或顺序（BPMN 2.0 规定了子元素的顺序）"
    if "attribute" in detail and "is not allowed" in detail:
        return f"{name}带有 BPMN 2.0 不允许的属性"
    if "is not a valid value" in detail or "is not facet-valid" in detail:
        return f"{name}的取值不符合 BPMN 2.0 的类型要求"
    if "is required but missing" in detail:
        return f"{name}缺少必需的属性"
    return f"{name}不符合 BPMN 2.0 规范"


def _element_on_line(root: etree._Element, line: int | None, named) -> etree._Element | None:
    """The element the schema complains about (it gives only a line): the one on that line with that name,
    or the nearest around it that has an id, so the refusal can name it."""
    if not line:
        return None
    on_line = [el for el in root.iter() if isinstance(el.tag, str) and el.sourceline == line]
    if named is not None:
        on_line = [el for el in on_line if etree.QName(el).localname == named.group(1)] or on_line
    for element in on_line[-1:] if on_line else ():
        while element is not None and not element.get("id"):
            element = element.getparent()
        if element is not None and element is not root:
            return element
    return None


def validate_bpmn(root: etree._Element, filename: str, findings: Findings) -> None:
    try:
        _validator().validate(root, filename)
    except ValidationException as exc:
        detail = str(exc)
        line = exc.line_number or None
        element = root.xpath("//*[@id=$id]", id=exc.id)[0] if getattr(exc, "id", None) and \
            root.xpath("//*[@id=$id]", id=exc.id) else _element_on_line(root, line, _ELEMENT.search(detail))
        findings.add("bpmn-schema", f"{_explain(detail)}（第 {line} 行）" if line else _explain(detail),
                     filename, element, line=line)
