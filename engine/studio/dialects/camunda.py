"""Camunda Modeler, Activiti and Flowable attributes turned into Yizhan's own task properties.

`candidateGroups` name a department (by id, by Chinese name, or through the centre's group mapping),
`assignee` names a user whose department gets the task and who holds it from the start, `formKey`
names a form (`embedded:app:forms/approve.html` reads as `approve`). JUEL conditions become sandboxed
Python; scripts in another language are refused. Only the executable copy is changed: the designer's
file stays as drawn.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

from ...bpmn.meta import BPMN, HUMAN_TASKS, SPIFF, properties
from ..context import CheckContext
from ..problems import Findings
from . import juel

CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
ACTIVITI = "http://activiti.org/bpmn"
FLOWABLE = "http://flowable.org/bpmn"
DIALECT_NAMESPACES = (CAMUNDA, ACTIVITI, FLOWABLE)
PYTHON_LANGUAGES = {"python", "text/x-python", "py", "python3"}


def dialect_attribute(element: etree._Element, name: str) -> str | None:
    """The first of camunda:/activiti:/flowable: `name` on the element."""
    for namespace in DIALECT_NAMESPACES:
        value = element.get(f"{{{namespace}}}{name}")
        if value is not None and value.strip():
            return value.strip()
    return None


def set_property(element: etree._Element, name: str, value: str) -> None:
    """Write a spiffworkflow:property, creating its extensionElements/properties as needed."""
    extensions = element.find(f"{{{BPMN}}}extensionElements")
    if extensions is None:
        extensions = etree.Element(f"{{{BPMN}}}extensionElements")
        leading = sum(1 for child in element if isinstance(child.tag, str)
                      and etree.QName(child).localname == "documentation")
        element.insert(leading, extensions)
    holder = extensions.find(f"{{{SPIFF}}}properties")
    if holder is None:
        holder = etree.SubElement(extensions, f"{{{SPIFF}}}properties")
    for prop in holder.findall(f"{{{SPIFF}}}property"):
        if prop.get("name") == name:
            prop.set("value", value)
            return
    etree.SubElement(holder, f"{{{SPIFF}}}property", name=name, value=value)


def form_key_of(value: str) -> str:
    """`embedded:app:forms/approve.html`, `camunda-forms:deployment:approve.form`, `approve` → `approve`."""
    tail = re.split(r"[:/]", value)[-1]
    return tail.rsplit(".", 1)[0] if "." in tail else tail


def resolve_group(group: str, ctx: CheckContext) -> str | None:
    """A candidate group's department: the group is a department id or name, or the centre mapped it."""
    group = group.strip()
    if group in ctx.departments:
        return group
    by_name = {name: dept for dept, name in ctx.departments.items()}
    if group in by_name:
        return by_name[group]
    mapped = ctx.group_map.get(group)
    return mapped if mapped in ctx.departments else None


def translate_human_task(task: etree._Element, ctx: CheckContext, findings: Findings, file: str,
                         unmapped: dict[str, list[str]]) -> None:
    """Give a task from another modeler Yizhan's formKey, department and assignee properties."""
    props = properties(task)
    form = dialect_attribute(task, "formKey")
    if form and not props.get("formKey"):
        set_property(task, "formKey", form_key_of(form))
    if props.get("department"):
        return
    department = None
    groups = dialect_attribute(task, "candidateGroups")
    if groups:
        if juel.is_juel(groups):
            try:
                set_property(task, "department", juel.translate(groups))
                return
            except juel.JuelError as exc:
                findings.add("juel-unsupported", f"候选组表达式 “{groups}” 无法翻译，{exc}", file, task)
                return
        names = [g for g in groups.split(",") if g.strip()]
        department = next((d for d in (resolve_group(g, ctx) for g in names) if d), None)
        if department is None:
            unmapped[task.get("id")] = [g.strip() for g in names]
    assignee = dialect_attribute(task, "assignee")
    if assignee:
        if juel.is_juel(assignee):
            findings.add("dialect-ignored", f"办理人表达式 “{assignee}” 未被采用：待办按部门派发，由部门人员认领",
                         file, task)
        elif assignee in ctx.users:
            set_property(task, "assignee", assignee)
            department = department or ctx.users[assignee]
        elif resolve_group(assignee, ctx):  # a name the centre mapped like a group: its department, unclaimed
            department = department or resolve_group(assignee, ctx)
        else:
            findings.add("assignee-unknown", f"办理人 “{assignee}” 不是本系统的用户，待办将不预先指定办理人"
                         "（可在组映射中把它对应到部门）", file, task)
            unmapped.setdefault(task.get("id"), []).append(assignee)
    users = dialect_attribute(task, "candidateUsers")
    if users and not department and not juel.is_juel(users):
        known = [u.strip() for u in users.split(",") if u.strip() in ctx.users]
        department = ctx.users[known[0]] if known else None
    if department:
        set_property(task, "department", repr(department))


def translate_process(process: etree._Element, ctx: CheckContext, findings: Findings,
                      file: str) -> dict[str, list[str]]:
    """Translate one process in place; returns the candidate groups that map to no department, by task."""
    unmapped: dict[str, list[str]] = {}
    for kind in HUMAN_TASKS:
        for task in process.iter(f"{{{BPMN}}}{kind}"):
            translate_human_task(task, ctx, findings, file, unmapped)
    for condition in process.iter(f"{{{BPMN}}}conditionExpression"):
        translate_condition(condition, findings, file)
    for script_task in process.iter(f"{{{BPMN}}}scriptTask"):
        language = (script_task.get("scriptFormat") or "python").strip().lower()
        if language not in PYTHON_LANGUAGES:
            findings.add("script-language", f"脚本语言 “{script_task.get('scriptFormat')}” 不受支持："
                         "Yizhan 只运行沙箱中的 Python 脚本，请改写脚本", file, script_task)
    return unmapped


def translate_condition(condition: etree._Element, findings: Findings, file: str) -> None:
    flow = condition.getparent()
    language = (condition.get("language") or "").strip().lower()
    text = (condition.text or "").strip()
    if language and language not in PYTHON_LANGUAGES and not juel.is_juel(text) and language != "juel":
        findings.add("script-language", f"条件语言 “{condition.get('language')}” 不受支持，请改写为 Python 表达式",
                     file, flow)
        return
    if juel.is_juel(text):
        try:
            condition.text = juel.translate(text)
        except juel.JuelError as exc:
            findings.add("juel-unsupported", f"条件 “{text}” 无法翻译，{exc}", file, flow)
        if "language" in condition.attrib:
            del condition.attrib["language"]


def group_hint(groups: list[str], departments: Mapping[str, str]) -> str:
    return (f"候选组或办理人 {'、'.join(f'“{g}”' for g in groups)} 既不是部门，也未在组映射中指定部门；"
            f"请在设计室的“组映射”中为它选择部门（可选：{', '.join(departments)}）")
