"""Scripts, conditions and timers: compiled by the sandbox's own compiler before any case meets them."""
from __future__ import annotations

from lxml import etree

from ...bpmn.meta import BPMN, NS
from ...error_text import source_reason
from ..dialects import juel
from ..dialects.camunda import PYTHON_LANGUAGES
from ..dialects.timers import TimerRefused, normalise_timer
from ..problems import Findings

TIMER_TAGS = ("timeDate", "timeDuration", "timeCycle")
# the expressions of multi-instance and loop markers, evaluated by the engine as conditions are
LOOP_EXPRESSIONS = {"loopCardinality": "多实例的实例数", "completionCondition": "多实例的完成条件",
                    "loopCondition": "循环条件"}


def _refused(source: str, mode: str, element, what: str, findings: Findings, file: str) -> None:
    reason = source_reason(source, mode)
    if reason:
        findings.add("script-refused", f"{what}不被允许：{reason}", file, element)


def check_scripts(process: etree._Element, findings: Findings, file: str) -> None:
    """Every condition, script and pre/post script compiles under the restricted compiler."""
    for condition in process.iter(f"{{{BPMN}}}conditionExpression"):
        text = (condition.text or "").strip()
        if text and not juel.is_juel(text):  # an untranslated JUEL condition was reported already
            _refused(text, "eval", condition.getparent(), f"条件表达式 “{text}”", findings, file)
    for script in process.iter(f"{{{BPMN}}}script"):
        if (script.getparent().get("scriptFormat") or "python").strip().lower() not in PYTHON_LANGUAGES:
            continue  # another language: refused as such when the dialects were read
        _refused(script.text or "", "exec", script.getparent(), "脚本", findings, file)
    for script in process.xpath(".//spiffworkflow:preScript | .//spiffworkflow:postScript", namespaces=NS):
        _refused(script.text or "", "exec", script.getparent().getparent(), "前置/后置脚本", findings, file)
    for tag, what in LOOP_EXPRESSIONS.items():
        for node in process.iter(f"{{{BPMN}}}{tag}"):
            text = (node.text or "").strip()
            if text and not juel.is_juel(text):
                _refused(text, "eval", node.getparent().getparent(), f"{what} “{text}”", findings, file)
    for node in process.iter(f"{{{BPMN}}}condition"):  # a conditional event's condition
        text = (node.text or "").strip()
        if text and not juel.is_juel(text):
            _refused(text, "eval", node.getparent().getparent(), f"条件事件的条件 “{text}”", findings, file)


def normalise_timers(process: etree._Element, findings: Findings, file: str) -> None:
    """Rewrite each timer's text into the expression the engine runs, or report why it cannot run."""
    for tag in TIMER_TAGS:
        for node in process.iter(f"{{{BPMN}}}{tag}"):
            event = node.getparent().getparent()
            try:
                node.text = normalise_timer(node.text, tag)
            except TimerRefused as exc:
                rule = "juel-unsupported" if juel.is_juel(node.text) else "timer-invalid"
                findings.add(rule, str(exc), file, event)
