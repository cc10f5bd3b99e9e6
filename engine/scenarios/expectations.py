"""Judging a step's expectations against what the case shows: its file (as the case page reads it) and its
data (as its next task would see it). The first expectation that does not hold is the step's failure."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.util.task import TaskState

from ..bpmn import progress
from ..cases import CaseFile, case_file, get_case
from ..diagram_functions import LADDER
from ..instances import open_case
from ..runtime import Runtime
from ..users import Actor
from .format import Expectations

_MISSING = object()


@dataclass(frozen=True)
class Failure:
    """What was expected and what the case showed instead; `element_id` the element to point at."""

    text: str
    element_id: str | None = None


@dataclass
class Observation:
    """What the case shows after a step; its data is read only when an expectation asks for it."""

    rt: Runtime
    file: CaseFile
    _data: dict | None = None

    @classmethod
    def of(cls, rt: Runtime, case_no: str, reader: Actor) -> Observation:
        return cls(rt, case_file(rt, case_no, reader))

    def open_items(self, department: str | None = None) -> list:
        return [i for i in self.file.open_items if department is None or i.department_id == department]

    def data(self) -> dict:
        if self._data is None:
            self._data = case_data(self.rt, self.file.case_no)
        return self._data


def case_data(rt: Runtime, case_no: str) -> dict:
    """The case's data as the tasks that carry it on hold it (its end's data once it has ended)."""
    with rt.unit_of_work(write=False) as session:
        oc = open_case(rt, session, get_case(session, case_no))
        workflow = oc.workflow
        merged: dict = {}
        if progress.has_ended(workflow):
            for task in progress.tasks(workflow, state=TaskState.COMPLETED):
                if not task.children:
                    merged.update(task.data)
            merged.update(workflow.data)
            return merged
        live = TaskState.READY | TaskState.WAITING | TaskState.STARTED
        for task in progress.tasks(workflow, state=live):
            merged.update(task.data)
        return merged


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def tasks_text(items) -> str:
    """`department:task、…` of work items, for a failure's text."""
    return "、".join(sorted(f"{i.department_id}:{i.element_id}" for i in items)) or "无"


def first_failure(expect: Expectations, seen: Observation) -> Failure | None:
    """The first expectation that does not hold, in the order the file format lists them, or None."""
    case = seen.file
    if expect.inbox is not None:
        for department, tasks in expect.inbox.items():
            actual = sorted(i.element_id for i in seen.open_items(department))
            if actual != sorted(tasks):
                missing = sorted(set(tasks) - set(actual))
                element = missing[0] if missing else (actual[0] if actual else None)
                return Failure(f"期望 {department} 的待办中本案的任务为 [{'、'.join(sorted(tasks)) or '无'}]，"
                               f"实际为 [{'、'.join(actual) or '无'}]（本案全部待办：{tasks_text(seen.open_items())}）",
                               element)
    if expect.stage is not None and expect.stage not in (case.stage, case.stage_name):
        return Failure(f"期望案件处于阶段 {expect.stage}，实际为 {case.stage}（{case.stage_name}）")
    if expect.status is not None and expect.status != case.status:
        return Failure(f"期望案件状态为 {expect.status}，实际为 {case.status}")
    if expect.has_outcome and expect.outcome != case.outcome:
        return Failure(f"期望办理结果为 {_shown(expect.outcome)}，实际为 {_shown(case.outcome)}")
    if expect.risk is not None and expect.risk != case.risk:
        return Failure(f"期望风险等级为 {expect.risk}，实际为 {case.risk or '未定'}")
    for notice in expect.notices:
        failure = _notice_failure(notice, seen)
        if failure is not None:
            return failure
    for path, expected in expect.variables.items():
        actual = _lookup(seen.data(), path)
        if actual is _MISSING:
            return Failure(f"期望变量 {path} 为 {_shown(expected)}，实际案件数据中没有 {path}")
        if actual != expected:
            return Failure(f"期望变量 {path} 为 {_shown(expected)}，实际为 {_shown(actual)}")
    return None


def _notice_failure(notice, seen: Observation) -> Failure | None:
    kind = notice.kind or LADDER[notice.level]
    raised = [h for h in seen.file.history if h["kind"] == f"notice_{kind}"
              and isinstance(h["data"], dict) and h["data"].get("level") == notice.level]
    what = f"第{notice.level}级督办（{kind}）" + (f"，关于 {notice.task}" if notice.task else "")
    levels = sorted({(h["kind"][len("notice_"):], (h["data"] or {}).get("level")) for h in seen.file.history
                     if h["kind"].startswith("notice_") and isinstance(h["data"], dict) and h["data"].get("level")},
                    key=lambda pair: pair[1])
    actual = "、".join(f"第{level}级（{k}）" for k, level in levels) or "没有发出过督办"
    if not raised:
        return Failure(f"期望已发出{what}，实际：{actual}", notice.task)
    if notice.task is not None:
        reached = [i for i in seen.file.items if i.element_id == notice.task]
        if not any(i.escalation_level >= notice.level for i in reached):
            shown = "、".join(f"{i.department_id} 第{i.escalation_level}级" for i in reached) or "本案没有该任务"
            return Failure(f"期望已发出{what}，但任务 {notice.task} 的督办级别为：{shown}", notice.task)
    return None


def _lookup(data: dict, path: str):
    value: Any = data
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value
