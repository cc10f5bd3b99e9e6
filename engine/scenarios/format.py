"""The scenario file: YAML or JSON, read into plain dataclasses; every mistake names the file and the step.

    name: 一般纠纷调解成功并结案
    start: "2026-03-02T09:00:00+08:00"       # optional; the clock stands still until a step moves it
    intake: {channel: walk_in, ...}          # as forms/intake_registration.json
    steps:
      - expect: {stage: intake, inbox: {center: [review_acceptance]}}
      - complete: review_acceptance          # a department completes its task with data
        department: center                   # optional when only one department has it open
        data: {accepted: true}
        expect: {stage: joint_assessment}
      - clock: {working_days: 3}             # or {days: N}, {hours: N}, {to: "2026-03-10T18:00:00+08:00"}
        expect: {notice: {level: 1, task: assess_case}}
      - message: judicial_decision           # a neighbouring system's message with its payload
        payload: {confirmed: true}
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from ..clock import SHANGHAI
from ..errors import Invalid

SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_PROCESS = "dispute_resolution"
# A Monday, a working day, 09:00 in the centre's time zone.
DEFAULT_START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
MAX_FILE_BYTES = 512 * 1024

TOP_KEYS = ("name", "description", "process", "start", "intake", "steps")
STEP_KINDS = ("complete", "clock", "message")
STEP_KEYS = {"complete": ("complete", "department", "as", "data", "expect", "note"),
             "clock": ("clock", "expect", "note"),
             "message": ("message", "payload", "from", "expect", "note"),
             None: ("expect", "note")}
CLOCK_KEYS = ("working_days", "days", "hours", "to")
EXPECT_KEYS = ("inbox", "stage", "status", "outcome", "risk", "notice", "variables")
NOTICE_KEYS = ("level", "task", "kind")
STATUSES = ("open", "closed")


class ScenarioError(Invalid):
    """A scenario file that cannot be run as written; the message names the file, the step and the key."""

    def __init__(self, file: str, message: str, step: int | None = None, line: int | None = None):
        where = file + (f"：第{step}步" if step else "") + (f"（第{line}行）" if line else "")
        super().__init__(f"{where}：{message}", file=file, line=line)
        self.file, self.step, self.line, self.reason = file, step, line, message


@dataclass(frozen=True)
class ClockMove:
    working_days: int | None = None
    days: int | None = None
    hours: float | None = None
    to: datetime | None = None

    def describe(self) -> str:
        if self.to is not None:
            return f"时钟拨到 {self.to.astimezone(SHANGHAI).strftime('%Y-%m-%d %H:%M')}"
        if self.working_days is not None:
            return f"时钟前进 {self.working_days} 个工作日"
        if self.days is not None:
            return f"时钟前进 {self.days} 天"
        return f"时钟前进 {self.hours:g} 小时"


@dataclass(frozen=True)
class NoticeExpectation:
    level: int
    task: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Expectations:
    inbox: dict[str, list[str]] | None = None
    stage: str | None = None
    status: str | None = None
    outcome: Any = None
    has_outcome: bool = False
    risk: str | None = None
    notices: list[NoticeExpectation] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)

    def empty(self) -> bool:
        return (self.inbox is None and self.stage is None and self.status is None and not self.has_outcome
                and self.risk is None and not self.notices and not self.variables)


@dataclass(frozen=True)
class Step:
    number: int
    kind: str | None                     # complete, clock, message, or None for a step that only checks
    expect: Expectations
    task: str | None = None              # complete: the task's element id
    department: str | None = None        # complete: whose inbox; message: who sends it
    username: str | None = None          # complete: a particular member of staff
    data: dict = field(default_factory=dict)   # complete: the form data; message: the payload
    clock: ClockMove | None = None
    message: str | None = None
    note: str = ""
    line: int | None = None

    def describe(self) -> str:
        if self.kind == "complete":
            return f"办结 {self.task}" + (f"（{self.department}）" if self.department else "")
        if self.kind == "clock":
            return self.clock.describe()
        if self.kind == "message":
            return f"收到消息 {self.message}" + (f"（{self.department}）" if self.department else "")
        return "检查"


@dataclass(frozen=True)
class Scenario:
    file: str
    name: str
    intake: dict
    steps: list[Step]
    process: str = DEFAULT_PROCESS
    start: datetime = DEFAULT_START
    description: str = ""

    @property
    def title(self) -> str:
        return f"{Path(self.file).name}（{self.name}）"


class _Loader(yaml.SafeLoader):
    """YAML as JSON would read it: dates and times stay strings (forms expect ISO text), and every mapping
    remembers its line so an error can say where."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class _Mapping(dict):
    line: int | None = None


def _construct_mapping(loader, node):
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def scenario_files(paths: list[Path]) -> list[Path]:
    """The scenario files at `paths` (files, or directories searched recursively), in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def load_file(path: Path, shown_as: str | None = None) -> Scenario:
    """Read and check one scenario file."""
    name = shown_as or str(path)
    if path.suffix not in SUFFIXES:
        raise ScenarioError(name, f"场景文件须以 {'、'.join(SUFFIXES)} 结尾")
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(name, f"无法读取文件：{exc.strerror or exc}") from exc
    return parse(content, name, json_only=path.suffix == ".json")


def parse(content: bytes | str, file: str, json_only: bool = False) -> Scenario:
    """A scenario from the text of a file called `file` (YAML, of which JSON is a part)."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    if len(content) > MAX_FILE_BYTES:
        raise ScenarioError(file, f"文件过大（不能超过 {MAX_FILE_BYTES // 1024} KB）")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(file, "文件不是 UTF-8 编码的文本") from exc
    try:
        document = json.loads(text) if json_only else yaml.load(text, Loader=_Loader)  # noqa: S506 - safe loader
    except json.JSONDecodeError as exc:
        raise ScenarioError(file, f"不是有效的 JSON：{exc.msg}", line=exc.lineno) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(file, f"不是有效的 YAML：{problem}", line=mark.line + 1 if mark else None) from exc
    if not isinstance(document, dict):
        raise ScenarioError(file, "文件的顶层须是一个对象（name、intake、steps 等）")
    _only(document, TOP_KEYS, file, None, "场景")
    name = document.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(file, "缺少 name：请用一句话写明这个场景走的是哪条路径")
    intake = document.get("intake")
    if not isinstance(intake, dict) or not intake:
        raise ScenarioError(file, "缺少 intake：案件登记时的数据（见 forms/intake_registration.json）")
    process = document.get("process", DEFAULT_PROCESS)
    if not isinstance(process, str) or not process:
        raise ScenarioError(file, "process 须是流程标识，例如 dispute_resolution")
    start = _instant(document["start"], file, None, "start") if "start" in document else DEFAULT_START
    steps = document.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ScenarioError(file, "缺少 steps：至少要有一步")
    parsed = [_step(raw, number, file) for number, raw in enumerate(steps, start=1)]
    return Scenario(file, name.strip(), _plain(intake), parsed, process, start,
                    str(document.get("description") or ""))


def _only(mapping: dict, allowed, file: str, step: int | None, what: str) -> None:
    unknown = [str(k) for k in mapping if k not in allowed]
    if unknown:
        raise ScenarioError(file, f"{what}中有不认识的键 {'、'.join(unknown)}（可用：{'、'.join(allowed)}）", step,
                            getattr(mapping, "line", None))


def _plain(value):
    """The value without the loader's line bookkeeping, as JSON would hold it."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _step(raw, number: int, file: str) -> Step:
    if not isinstance(raw, dict):
        raise ScenarioError(file, "每一步须是一个对象，例如 {complete: review_acceptance, data: {...}}", number)
    line = getattr(raw, "line", None)
    kinds = [k for k in STEP_KINDS if k in raw]
    if len(kinds) > 1:
        raise ScenarioError(file, f"一步只能做一件事，这一步同时有 {'、'.join(kinds)}", number, line)
    kind = kinds[0] if kinds else None
    if kind is None and "expect" not in raw:
        raise ScenarioError(file, f"这一步什么也没做：须有 {'、'.join(STEP_KINDS)} 之一，或只写 expect", number, line)
    _only(raw, STEP_KEYS[kind], file, number, "这一步")
    expect = _expectations(raw.get("expect", {}), file, number)
    note = str(raw.get("note") or "")
    if kind == "complete":
        task = _identifier(raw, "complete", "任务的元素 id，例如 review_acceptance", file, number)
        data = _object(raw, "data", f"任务 {task} 的 data 须是对象（表单字段 → 值）", file, number)
        return Step(number, kind, expect, task=task, department=_name(raw, "department", file, number),
                    username=_name(raw, "as", file, number), data=data, note=note, line=line)
    if kind == "clock":
        return Step(number, kind, expect, clock=_clock(raw["clock"], file, number), note=note, line=line)
    if kind == "message":
        message = _identifier(raw, "message", "消息名称，例如 judicial_decision", file, number)
        payload = _object(raw, "payload", f"消息 {message} 的 payload 须是对象", file, number)
        return Step(number, kind, expect, message=message, department=_name(raw, "from", file, number),
                    data=payload, note=note, line=line)
    if expect.empty():
        raise ScenarioError(file, "expect 是空的：至少写一项期望", number, line)
    return Step(number, None, expect, note=note, line=line)


def _identifier(raw: dict, key: str, wanted: str, file: str, number: int) -> str:
    """The step's subject (a task or a message), a non-empty identifier."""
    value = raw[key]
    if not isinstance(value, str) or not value:
        raise ScenarioError(file, f"{key} 须写{wanted}", number, getattr(raw, "line", None))
    return value


def _object(raw: dict, key: str, refusal: str, file: str, number: int) -> dict:
    """The step's data or payload, an object (empty when left out)."""
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(file, refusal, number, getattr(raw, "line", None))
    return _plain(value)


def _name(raw: dict, key: str, file: str, number: int) -> str | None:
    value = raw.get(key)
    if value is not None and (not isinstance(value, str) or not value):
        raise ScenarioError(file, f"{key} 须是一个标识（部门或用户名）", number, getattr(raw, "line", None))
    return value


def _clock(raw, file: str, number: int) -> ClockMove:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ScenarioError(file, f"clock 须且只须写一项：{'、'.join(CLOCK_KEYS)}，例如 {{working_days: 3}}", number)
    _only(raw, CLOCK_KEYS, file, number, "clock ")
    (key, value), = raw.items()
    if key == "to":
        return ClockMove(to=_instant(value, file, number, "clock.to"))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 or \
            (key != "hours" and not float(value).is_integer()):
        kind = "正数" if key == "hours" else "正整数"
        raise ScenarioError(file, f"clock.{key} 须是{kind}，而不是 {value!r}", number)
    if key == "hours":
        return ClockMove(hours=float(value))
    return ClockMove(**{key: int(value)})


def _instant(value, file: str, number: int | None, key: str) -> datetime:
    """An ISO date-time (without an offset: China's time), or a date (09:00 that day)."""
    text = str(value)
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(9, 0), SHANGHAI)
        instant = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ScenarioError(file, f"{key} 须是 ISO 日期或时间，例如 2026-03-10T18:00:00+08:00，而不是 {text!r}",
                            number) from exc
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=SHANGHAI)


def _expectations(raw, file: str, number: int) -> Expectations:
    if not isinstance(raw, dict):
        raise ScenarioError(file, "expect 须是对象，例如 {stage: referral}", number)
    _only(raw, EXPECT_KEYS, file, number, "expect ")
    inbox = None
    if "inbox" in raw:
        if not isinstance(raw["inbox"], dict) or not raw["inbox"]:
            raise ScenarioError(file, "expect.inbox 须是对象：部门 → 该部门待办中本案的任务列表，例如 "
                                      "{center: [dispatch]}", number)
        inbox = {}
        for department, tasks in raw["inbox"].items():
            tasks = [tasks] if isinstance(tasks, str) else tasks
            if tasks is None:
                tasks = []
            if not isinstance(tasks, list) or not all(isinstance(t, str) for t in tasks):
                raise ScenarioError(file, f"expect.inbox.{department} 须是任务 id 的列表（[] 表示没有待办）", number)
            inbox[str(department)] = list(tasks)
    for key in ("stage", "risk"):
        if key in raw and not isinstance(raw[key], str):
            raise ScenarioError(file, f"expect.{key} 须是文字", number)
    if "status" in raw and raw["status"] not in STATUSES:
        raise ScenarioError(file, f"expect.status 须是 {'、'.join(STATUSES)} 之一，而不是 {raw['status']!r}", number)
    notices = raw.get("notice", [])
    notices = [notices] if isinstance(notices, dict) else notices
    if not isinstance(notices, list):
        raise ScenarioError(file, "expect.notice 须是对象（或对象的列表），例如 {level: 1, task: assess_case}", number)
    parsed_notices = []
    for notice in notices:
        if not isinstance(notice, dict):
            raise ScenarioError(file, "expect.notice 的每一项须是对象，例如 {level: 1}", number)
        _only(notice, NOTICE_KEYS, file, number, "expect.notice ")
        level = notice.get("level")
        if level not in (1, 2, 3) or isinstance(level, bool):
            raise ScenarioError(file, f"expect.notice.level 须是 1、2 或 3（督办件、升级督办、报告领导），"
                                      f"而不是 {level!r}", number)
        parsed_notices.append(NoticeExpectation(level, notice.get("task"), notice.get("kind")))
    variables = raw.get("variables", {})
    if not isinstance(variables, dict):
        raise ScenarioError(file, "expect.variables 须是对象：变量名（可用 a.b 取下级） → 期望的值", number)
    return Expectations(inbox, raw.get("stage"), raw.get("status"), _plain(raw.get("outcome")), "outcome" in raw,
                        raw.get("risk"), parsed_notices, _plain(variables))
