"""Why a running case cannot move to another version: a code for programs, a Chinese sentence for people."""
from __future__ import annotations

from dataclasses import asdict, dataclass

REMOVED_TASK = "removed_task"              # a task the case waits on is not in the new version
REMOVED_DEPENDENCY = "removed_dependency"  # a finished element the case still stands on is not in it
CHANGED_TYPE = "changed_type"              # a task the case waits on became another kind of element
REMOVED_PROCESS = "removed_process"        # a stage the case is in is not in the new version's bundle
CALLED_PROCESS_CHANGED = "called_process_changed"  # the stage it is in is now another process
FAILED_STEP = "failed_step"                # the case's last engine step failed: repair it first
NOT_RUNNING = "not_running"                # closed, suspended or otherwise not open
SAME_VERSION = "same_version"              # already on the target version
OTHER_PROCESS = "other_process"            # the case runs another process
ENGINE_REFUSED = "engine_refused"          # the state did not load or refresh on the new version

CODES = (REMOVED_TASK, REMOVED_DEPENDENCY, CHANGED_TYPE, REMOVED_PROCESS, CALLED_PROCESS_CHANGED, FAILED_STEP,
         NOT_RUNNING, SAME_VERSION, OTHER_PROCESS, ENGINE_REFUSED)


@dataclass(frozen=True)
class Reason:
    """One thing that keeps a case on its version, naming the element (and the process it is in) where one applies."""

    code: str
    message: str
    element_id: str | None = None
    process_id: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _named(element_id: str, name: str | None) -> str:
    return f"“{name}”（{element_id}）" if name and name != element_id else element_id


_KINDS = {"user": "待办任务", "timer": "等待中的定时器", "call": "所在的阶段", "event": "等待中的事件"}


def removed_task(process_id: str, element_id: str, name: str | None, kind: str) -> Reason:
    what = _KINDS.get(kind, "任务")
    return Reason(REMOVED_TASK, f"案件{what} {_named(element_id, name)} 在新版本的 {process_id} 中已删除",
                  element_id, process_id)


def removed_dependency(process_id: str, element_id: str, name: str | None, scaffolding: bool = False) -> Reason:
    if scaffolding:
        return Reason(REMOVED_DEPENDENCY, f"案件所在的 {element_id} 在新版本的 {process_id} 中不再有边界事件，"
                      "案件所依赖的结构已删除", element_id, process_id)
    return Reason(REMOVED_DEPENDENCY, f"案件所依赖的已完成元素 {_named(element_id, name)} 在新版本的 {process_id} "
                  "中已删除", element_id, process_id)


def changed_type(process_id: str, element_id: str, name: str | None) -> Reason:
    return Reason(CHANGED_TYPE, f"案件等待的 {_named(element_id, name)} 在新版本中变成了另一种元素", element_id,
                  process_id)


def removed_process(process_id: str, element_id: str | None) -> Reason:
    return Reason(REMOVED_PROCESS, f"案件所在的阶段流程 {process_id} 不在新版本中", element_id, process_id)


def called_process_changed(process_id: str, element_id: str, old: str, new: str) -> Reason:
    return Reason(CALLED_PROCESS_CHANGED, f"案件所在的阶段 {element_id} 在新版本中调用 {new}，而不再是 {old}",
                  element_id, process_id)


def failed_step(process_id: str, element_id: str) -> Reason:
    return Reason(FAILED_STEP, f"案件在元素 {element_id} 处的步骤失败，请先处理该故障", element_id, process_id)


STATUS_WORDS = {"closed": "已结案", "suspended": "已暂停，恢复后才能迁移", "cancelled": "已撤销"}


def not_running(status: str) -> Reason:
    return Reason(NOT_RUNNING, f"案件不在办理中（状态：{STATUS_WORDS.get(status, status)}）")


def same_version(version: int) -> Reason:
    return Reason(SAME_VERSION, f"案件已在第 {version} 版上运行")


def other_process(key: str) -> Reason:
    return Reason(OTHER_PROCESS, f"案件运行的是另一个流程（{key}）")


def engine_refused(message: str, element_id: str | None = None) -> Reason:
    return Reason(ENGINE_REFUSED, f"流程引擎无法在新版本上继续该案件：{message}", element_id)
