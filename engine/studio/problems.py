"""A problem found in a diagram: which file, which element, which rule, how bad, and why, in Chinese.

Every rule is listed here once with its default severity. Rules marked `fixed` guard what would fail
at run time or open a hole (a refused script, a task no department can receive): a centre may not
turn those down. The others a centre may set to error, warning or off (settings.py).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from lxml import etree

ERROR, WARNING, OFF = "error", "warning", "off"
SEVERITIES = (ERROR, WARNING, OFF)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    fixed: bool = False


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("xml-invalid", ERROR, "XML 格式错误或不安全", fixed=True),
    Rule("not-bpmn", ERROR, "不是 BPMN 2.0 或 DMN 文件", fixed=True),
    Rule("bpmn-schema", ERROR, "不符合 BPMN 2.0 规范", fixed=True),
    Rule("no-process", ERROR, "文件中没有流程", fixed=True),
    Rule("duplicate-id", ERROR, "元素 id 重复", fixed=True),
    Rule("duplicate-process", ERROR, "同一流程定义在多个文件中", fixed=True),
    Rule("flow-invalid", ERROR, "顺序流缺少 id、起点或终点", fixed=True),
    Rule("script-refused", ERROR, "脚本、条件或表达式不被沙箱允许", fixed=True),
    Rule("script-fails", ERROR, "脚本、条件或表达式在每个案件中都会出错", fixed=True),
    Rule("script-language", ERROR, "脚本语言不受支持", fixed=True),
    Rule("juel-unsupported", ERROR, "JUEL 表达式超出可翻译的范围", fixed=True),
    Rule("service-task", ERROR, "服务任务不受支持", fixed=True),
    Rule("call-missing", ERROR, "调用活动指向不存在的流程", fixed=True),
    Rule("call-cycle", ERROR, "调用活动形成循环", fixed=True),
    Rule("task-no-department", ERROR, "人工任务没有承办部门", fixed=True),
    Rule("task-unknown-form", ERROR, "人工任务引用的表单不存在", fixed=True),
    Rule("task-bad-role", ERROR, "role 属性取值不正确", fixed=True),
    Rule("timer-invalid", ERROR, "定时器不是有效的 ISO 8601 时长、日期、周期或期限函数", fixed=True),
    Rule("deadline-invalid", ERROR, "期限或督办设置不正确", fixed=True),
    Rule("dmn-invalid", ERROR, "决策表有误", fixed=True),
    Rule("no-main-process", ERROR, "无法确定主流程", fixed=True),
    Rule("engine-refused", ERROR, "流程引擎无法读取该元素", fixed=True),
    Rule("event-ref-missing", ERROR, "事件没有指定或引用了未定义的消息、信号、错误或升级", fixed=True),
    Rule("assignee-unknown", WARNING, "办理人（assignee）不是本系统的用户"),
    Rule("task-no-form", WARNING, "人工任务没有表单"),
    Rule("task-no-deadline", WARNING, "人工任务没有办理期限"),
    Rule("unreachable", WARNING, "元素从开始事件无法到达"),
    Rule("gateway-no-default", WARNING, "排他网关的出口全是条件流且没有默认流"),
    Rule("condition-unknown-variable", ERROR, "条件用到的变量没有表单或脚本提供（求值时会出错）"),
    Rule("message-never-sent", ERROR, "没有任何元素或部门发送该消息（案件会一直等待）"),
    Rule("message-never-received", WARNING, "发出的消息没有任何元素接收"),
    Rule("dialect-ignored", WARNING, "其他建模工具的属性未被采用"),
    Rule("process-not-executable", WARNING, "流程标为不可执行，不会运行"),
)}


@dataclass(frozen=True)
class Problem:
    """One finding, ready to print, to return as JSON and to draw on the element it belongs to."""

    rule: str
    severity: str
    message: str
    file: str | None = None
    element_id: str | None = None
    line: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def text(self, path: str | None = None) -> str:
        """`file:element_id: rule: message`, as `yizhan lint` prints it."""
        label = "错误" if self.severity == ERROR else "警告"
        return f"{path or self.file or '-'}:{self.element_id or '-'}: {self.rule}: {label}：{self.message}"


@dataclass
class Findings:
    """Problems collected over one check run, with the centre's severities applied as they come in."""

    severities: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def severity_of(self, rule: str) -> str:
        known = RULES.get(rule)
        if known is not None and known.fixed:
            return known.severity
        return self.severities.get(rule) or (known.severity if known else ERROR)

    def add(self, rule: str, message: str, file: str | None = None, element: etree._Element | None = None,
            element_id: str | None = None, line: int | None = None, severity: str | None = None) -> None:
        severity = severity or self.severity_of(rule)
        if severity == OFF:
            return
        if element is not None:
            element_id = element_id or element.get("id")
            line = line or element.sourceline
        problem = Problem(rule, severity, message, file, element_id, line)
        if problem not in self.problems:
            self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.file or "", p.severity != ERROR, p.line or 0, p.rule))
