"""Decision tables (DMN): read them as the engine does, check every cell in the sandbox, and try them.

The engine grades with SpiffWorkflow's DMNEngine; the trial here runs that same DMNEngine with the same
sandboxed script engine, so the answer in the studio is the answer a case gets.
"""
from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser

from ..bpmn.xml import parse_xml
from ..diagram_functions import Outbox, diagram_functions
from ..error_text import failure_reason, source_reason
from ..errors import Invalid
from ..permissions import check_can_read_definitions
from ..runtime import Runtime
from ..sandbox.environment import build_script_engine
from ..sandbox.guards import SANDBOX_BUILTINS
from ..sandbox.limits import DEFAULT_CASE_DATA_LIMIT
from ..sandbox.policy import check_source
from ..users import Actor
from .problems import Findings

_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")  # a `?` outside quotes, as DMNEngine reads it


def parse_tables(root: etree._Element, filename: str) -> dict:
    """decision id -> SpiffWorkflow DecisionTable, parsed exactly as deploy parses it."""
    parser = BpmnDmnParser()
    parser.add_dmn_xml(root, filename=filename)
    tables = {}
    for decision_id, dmn_parser in parser.dmn_parsers.items():
        dmn_parser.parse()
        tables[decision_id] = dmn_parser.decision
    return tables


def unreadable(root: etree._Element, exc: Exception) -> str:
    """Why a DMN file cannot be read, in the designer's terms."""
    decisions = [el for el in root if isinstance(el.tag, str) and etree.QName(el).localname == "decision"]
    if len(decisions) > 1:
        return f"一个 DMN 文件只能有一个决策（本文件有 {len(decisions)} 个）：请把每个决策放在单独的文件中"
    if not decisions:
        return "DMN 文件中没有决策（decision）"
    if isinstance(exc, ValidationException):
        text = str(exc)
        for pattern, reason in _UNREADABLE:
            found = re.search(pattern, text, re.IGNORECASE)
            if found:
                return "决策表无法读取：" + reason.format(**found.groupdict())
    return "决策表无法读取：请检查每个输入、输出和规则是否完整"


_UNREADABLE = (
    (r"Malformed Output Expression '(?P<text>.*)'\.", "输出 “{text}” 写法有误（文本要加引号，例如 \"high\"）"),
    (r"Unknown type in decision table: (?P<text>.*)", "决策表中有无法识别的元素 {text}"),
    (r"Multiple decision tables", "一个决策只能有一张决策表"),
    (r"No decisions found", "文件中没有决策（decision）"),
)
# DMNEngine knows UNIQUE (the first rule that matches decides), COLLECT (every rule that matches, without
# aggregation) and reads any other policy as "the first match among all rules": right for FIRST and ANY only
HIT_POLICIES = ("UNIQUE", "FIRST", "ANY", "COLLECT")


def _check_hit_policy(root: etree._Element, findings: Findings, file: str) -> None:
    for table in root.iter():
        if not isinstance(table.tag, str) or etree.QName(table).localname != "decisionTable":
            continue
        policy = (table.get("hitPolicy") or "UNIQUE").strip().upper()
        if policy not in HIT_POLICIES:
            known = policy in ("PRIORITY", "RULE ORDER", "OUTPUT ORDER")
            why = "不受支持" if known else "不是有效的命中策略"
            findings.add("dmn-invalid", f"命中策略 “{table.get('hitPolicy')}” {why}（可用：{'、'.join(HIT_POLICIES)}）",
                         file, table)
        elif table.get("aggregation"):
            findings.add("dmn-invalid", f"COLLECT 的汇总方式 “{table.get('aggregation')}” 不受支持："
                         "请去掉 aggregation，由后续脚本汇总", file, table)


def _entry_source(input_expression: str, text: str) -> str:
    """The Python the engine will evaluate for one input cell (DMNEngine.evaluate's rule)."""
    marked = _QUESTION_MARK.sub("dmninputexpr", text)
    if "dmninputexpr" in marked:
        return marked
    if check_source(text, "eval") is None:
        return f"({input_expression}) == ({text})"
    return f"dmninputexpr {text}"


# a value of each type an input column may declare, to try a rule's condition on (`> 'abc'` fails on a number)
_SAMPLES = {"number": 1, "integer": 1, "long": 1, "double": 1.5, "string": "文本", "boolean": True}


def _try_entry(entry, text: str, row: int, findings: Findings, file: str, by_id: dict) -> None:
    """A condition like `> 'abc'` under a typed column, tried on a value of that type: one that fails on it
    fails every case whose input has the column's type."""
    sample_type = (entry.input.typeRef or "").lower()
    if sample_type not in _SAMPLES:
        return
    source = _entry_source("x", text)
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError):
        return
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    if names - {"dmninputexpr"} - set(SANDBOX_BUILTINS) - set(dir(builtins)):
        return  # it reads the case's data too
    try:
        build_script_engine().environment.evaluate(source, {"dmninputexpr": _SAMPLES[sample_type]})
    except Exception as exc:  # what every case with a value of this type would meet
        label = entry.input.label or entry.input.id
        findings.add("dmn-invalid", f"第 {row} 条规则的条件 “{text}” 与输入列 “{label}” 的类型（{entry.input.typeRef}）"
                     f"不符：试算出错：{failure_reason(exc)}", file, by_id.get(entry.id))


def _line(by_id: dict, element_id: str) -> int | None:
    element = by_id.get(element_id)
    return element.sourceline if element is not None else None


def check_decisions(root: etree._Element, findings: Findings, file: str,
                    reads: list[tuple[str, int | None, str, str]] | None = None) -> list[str]:
    """Every expression of every table compiles in the sandbox; returns the tables' output names. `reads`
    collects (element id, line, expression, what it is) of each cell the engine evaluates as written, for the
    checks that need the whole bundle (the variables it reads) or a trial."""
    reads = reads if reads is not None else []
    try:
        decisions = parse_tables(root, file)
    except Exception as exc:  # the library's DMN reader raises whatever it meets; the designer gets a reason
        element_id = getattr(exc, "id", None) or None
        element = next((el for el in root.iter() if isinstance(el.tag, str) and el.get("id") == element_id), None) \
            if element_id else None
        findings.add("dmn-invalid", unreadable(root, exc), file, element, element_id=element_id)
        return []
    _check_hit_policy(root, findings, file)
    by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    outputs: list[str] = []
    for decision in decisions.values():
        for table in decision.decisionTables:
            outputs += [o.name for o in table.outputs if o.name]
            for column in table.inputs:
                if not (column.expression or "").strip():
                    findings.add("dmn-invalid", f"输入列 “{column.label or column.id}” 没有输入表达式", file,
                                 by_id.get(column.id))
                    continue
                reason = source_reason(column.expression, "eval")
                if reason:
                    findings.add("dmn-invalid", f"输入列 “{column.label or column.id}” 的表达式不被允许：{reason}",
                                 file, by_id.get(column.id))
                else:
                    reads.append((column.id, _line(by_id, column.id), column.expression,
                                  f"输入列 “{column.label or column.id}” 的表达式"))
            for rule in table.rules:
                for entry in rule.inputEntries:
                    for text in entry.lhs:
                        if text is None or not text.strip():
                            continue
                        reason = source_reason(_entry_source(entry.input.expression or "x", text), "eval")
                        if reason:
                            findings.add("dmn-invalid", f"第 {rule.row_number} 条规则的条件 “{text}” 不被允许："
                                         f"{reason}", file, by_id.get(entry.id))
                        elif "dmninputexpr" not in _entry_source("x", text):  # a value compared with the input
                            reads.append((entry.id, _line(by_id, entry.id), text, f"第 {rule.row_number} 条规则的条件"))
                        else:
                            _try_entry(entry, text, rule.row_number, findings, file, by_id)
                for entry in rule.outputEntries:
                    if entry.text and entry.text.strip():
                        reason = source_reason(entry.text, "eval")
                        if reason:
                            findings.add("dmn-invalid", f"第 {rule.row_number} 条规则的输出 “{entry.text}” 不被允许："
                                         f"{reason}", file, by_id.get(entry.id))
                        else:
                            reads.append((entry.id, _line(by_id, entry.id), entry.text,
                                          f"第 {rule.row_number} 条规则的输出"))
    return outputs


@dataclass
class _Workflow:
    script_engine: object


@dataclass
class _Task:
    """What DMNEngine reads of a task: its data and its workflow's script engine."""

    data: dict
    workflow: _Workflow
    task_spec: object = None
    internal_data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Trial:
    matched: list[dict]      # the rules that matched: id, row number, description
    output: dict             # what the case would get
    inputs: list[dict]       # each input column: label, expression, the value it had
    hit_policy: str = "UNIQUE"  # FIRST/UNIQUE: the first matched rule decides; COLLECT: all of them

def try_table(table, data: Mapping, functions: Mapping | None = None, time_limit: float = 1.0,
              data_limit: int = DEFAULT_CASE_DATA_LIMIT) -> Trial:
    """Run one decision table on `data` (the variables its input expressions read) in the sandbox."""
    task = _Task(dict(data), _Workflow(build_script_engine(functions, time_limit=time_limit,
                                                                 data_limit=data_limit)))
    engine = DMNEngine(table)
    try:
        values = [{"label": c.label or c.id, "expression": c.expression,
                   "value": task.workflow.script_engine.evaluate(task, c.expression)} for c in table.inputs]
        matched = engine.decide(task)
        output = engine.result(task)
    except Exception as exc:  # a cell that fails on these inputs is the designer's answer, not a 500
        reason = failure_reason(exc)
        raise Invalid(f"按这些输入运行决策表时出错：{reason}", {"": [reason]}) from exc
    return Trial([{"id": r.id, "row": r.row_number, "description": r.description or ""} for r in matched],
                 dict(output), values, table.hit_policy)


COLUMN_VARIABLE = "dmn_column_{}"
_TYPES = {"boolean": bool, "integer": int, "long": int, "number": float, "double": float, "string": str}


def _typed(value, type_ref: str | None, label: str):
    kind = _TYPES.get((type_ref or "").lower())
    if value is None or kind is None or isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    try:
        if kind is bool:
            if isinstance(value, str) and value.lower() in ("true", "false", "是", "否"):
                return value.lower() in ("true", "是")
            raise ValueError(value)
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise Invalid(f"输入列 “{label}” 需要 {type_ref} 类型的值", {label: [f"需要 {type_ref}"]}) from exc


def try_decision(xml: str, decision_id: str | None, columns: Mapping | None = None, data: Mapping | None = None,
                 functions: Mapping | None = None, time_limit: float = 1.0,
                 data_limit: int = DEFAULT_CASE_DATA_LIMIT) -> Trial:
    """Try a decision table as drawn: with a value per input column, or with case data for its expressions."""
    root = parse_xml(xml.encode("utf-8"), "decision.dmn").getroot()
    findings = Findings()
    check_decisions(root, findings, "decision.dmn")
    if findings.errors:
        raise Invalid(f"决策表有误：{findings.errors[0].message}", {"": [p.message for p in findings.errors]})
    decisions = parse_tables(root, "decision.dmn")
    decision = decisions.get(decision_id) if decision_id else next(iter(decisions.values()), None)
    if decision is None or not decision.decisionTables:
        raise Invalid(f"决策 {decision_id} 不存在", {"decision_id": ["不存在"]})
    table = decision.decisionTables[0]
    values = dict(data or {})
    drawn = [column.expression for column in table.inputs]
    if columns is not None:
        for index, column in enumerate(table.inputs):
            raw = columns.get(column.id, columns.get(column.label))
            values[COLUMN_VARIABLE.format(index)] = _typed(raw, column.typeRef, column.label or column.id)
            column.expression = COLUMN_VARIABLE.format(index)
    trial = try_table(table, values, functions, time_limit, data_limit)
    for shown, expression in zip(trial.inputs, drawn):
        shown["expression"] = expression
    return trial


def try_for(rt: Runtime, by: Actor, xml: str, decision_id: str | None, columns: Mapping | None,
            data: Mapping | None) -> Trial:
    """`try_decision` for a designer, with the diagram functions and time limit a case's grading has."""
    check_can_read_definitions(by)
    functions = diagram_functions(rt.clock, rt.calendar, Outbox())
    return try_decision(xml, decision_id, columns, data, functions, rt.script_time_limit, rt.case_data_limit)


def describe(xml: str, by: Actor) -> list[dict]:
    """Each decision of a DMN text with its input columns, outputs and rules, for the trial panel."""
    check_can_read_definitions(by)
    root = parse_xml(xml.encode("utf-8"), "decision.dmn").getroot()
    try:
        decisions = parse_tables(root, "decision.dmn")
    except Exception as exc:  # as in check_decisions
        raise Invalid(unreadable(root, exc)) from exc
    return [{"id": decision.id, "name": decision.name,
             "hit_policy": table.hit_policy,
             "inputs": [{"id": c.id, "label": c.label or c.id, "type": c.typeRef or "", "expression": c.expression}
                        for c in table.inputs],
             "outputs": [{"id": o.id, "label": o.label or o.name, "name": o.name, "type": o.typeRef or ""}
                         for o in table.outputs],
             "rules": [{"id": r.id, "row": r.row_number, "description": r.description or ""} for r in table.rules]}
            for decision in decisions.values() for table in decision.decisionTables[:1]]
