"""Human tasks: each must reach a department, name a form that exists, and carry a deadline."""
from __future__ import annotations

from lxml import etree

from ...bpmn.meta import BPMN, HUMAN_TASKS, properties
from ...error_text import source_reason
from ..context import CheckContext
from ..dialects.camunda import group_hint
from ..ladder import read_deadline
from ..problems import Findings

ROLES = ("head", "supervisor")


def _has_timer(process: etree._Element, task_id: str) -> bool:
    return any(b.get("attachedToRef") == task_id and b.find(f"{{{BPMN}}}timerEventDefinition") is not None
               for b in process.iter(f"{{{BPMN}}}boundaryEvent"))


def check_human_tasks(process: etree._Element, meta: dict, ctx: CheckContext, findings: Findings, file: str,
                      unmapped_groups: dict[str, list[str]]) -> None:
    """Department, form, role and deadline of every user and manual task of one process."""
    for kind in HUMAN_TASKS:
        for task in process.iter(f"{{{BPMN}}}{kind}"):
            task_id = task.get("id")
            info = meta["tasks"].get(task_id)
            if info is None:
                continue
            _check_department(task, info, ctx, findings, file, unmapped_groups.get(task_id))
            _check_form(task, info, ctx, findings, file)
            if info["role"] and info["role"] not in ROLES:
                findings.add("task-bad-role", f"role 属性只能是 head（部门负责人）或 supervisor（中心督办员），"
                             f"而不是 “{info['role']}”", file, task)
            _check_deadline(process, task, info, findings, file)


def _check_department(task, info, ctx: CheckContext, findings: Findings, file: str,
                      groups: list[str] | None) -> None:
    name = info["name"]
    if info["department"]:
        reason = source_reason(info["department"], "eval")
        if reason:
            findings.add("script-refused", f"department 属性不被允许：{reason}", file, task)
        return
    multi = task.find(f"{{{BPMN}}}multiInstanceLoopCharacteristics") is not None
    if multi:
        findings.add("task-no-department", f"多实例人工任务 “{name}” 需要 department 属性（例如 department，"
                     "取自多实例的输入项），每个实例派给一个部门", file, task)
    elif not info["lane"]:
        if groups:
            message = f"人工任务 “{name}” 无法确定承办部门：{group_hint(groups, ctx.departments)}"
        else:
            lane = f"它所在的泳道 “{info['lane_name']}” 不是部门；" if info.get("lane_name") else ""
            message = (f"人工任务 “{name}” 无法确定承办部门：{lane}请放入以部门命名的泳道"
                       f"（{', '.join(ctx.departments)}），或在属性面板中选择承办部门")
        findings.add("task-no-department", message, file, task)


def _check_form(task, info, ctx: CheckContext, findings: Findings, file: str) -> None:
    if not info["form"]:
        findings.add("task-no-form", f"人工任务 “{info['name']}” 没有表单：办理人只能直接提交，不能填写任何内容",
                     file, task)
    elif info["form"] not in ctx.forms:
        findings.add("task-unknown-form", f"人工任务 “{info['name']}” 引用的表单 “{info['form']}” 不存在"
                     f"（可用：{', '.join(sorted(ctx.forms))}）", file, task)


def _check_deadline(process, task, info, findings: Findings, file: str) -> None:
    try:
        deadline = read_deadline(task)
    except ValueError as exc:
        findings.add("deadline-invalid", f"人工任务 “{info['name']}” 的{exc}", file, task)
        return
    explicit = _has_timer(process, task.get("id"))
    if deadline is not None and any(
            b.get("attachedToRef") == task.get("id") and properties(b).get("timerKind") == "supervision"
            for b in process.iter(f"{{{BPMN}}}boundaryEvent")):
        findings.add("deadline-invalid", f"人工任务 “{info['name']}” 既设置了办理期限，又画了超期督办定时器："
                     "请只保留一种", file, task)
    if deadline is None and not explicit and not info.get("supervises"):
        findings.add("task-no-deadline", f"人工任务 “{info['name']}” 没有办理期限：不会提醒，也不会超期督办",
                     file, task)
