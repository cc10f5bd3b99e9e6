"""A centre's own check settings: how severe each rule is, and simple rules of its own.

The file is TOML (by default `workflows/checks.toml`, beside the diagrams):

    [severity]
    task-no-deadline = "error"      # error | warning | off
    unreachable = "off"

    [[rule]]
    id = "lane-task-deadline"
    message = "部门泳道中的人工任务必须设置办理期限"
    severity = "error"
    elements = ["userTask"]           # BPMN element kinds the rule looks at
    in_department_lane = true         # only elements in a lane named after a department
    lanes = ["center"]                # or: only elements in these departments' lanes
    name_matches = "审查$"            # or: only elements whose name matches this pattern
    require = ["deadline"]            # deadline | form | department | name | documentation
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Invalid
from .problems import ERROR, RULES, SEVERITIES

REQUIREMENTS = ("deadline", "form", "department", "name", "documentation")
RULE_ID = re.compile(r"^[a-z][a-z0-9-]{1,60}$")


@dataclass(frozen=True)
class CustomRule:
    """A centre's own rule: every selected element must have each required thing."""

    id: str
    message: str
    severity: str = ERROR
    elements: tuple[str, ...] = ("userTask",)
    in_department_lane: bool = False
    lanes: tuple[str, ...] = ()
    name_matches: str | None = None
    require: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckSettings:
    severities: dict[str, str] = field(default_factory=dict)
    custom: tuple[CustomRule, ...] = ()

    @classmethod
    def load(cls, path: Path | None) -> CheckSettings:
        """Settings from a TOML file; no file means the defaults. A bad file is refused, never half-read."""
        if path is None or not path.exists():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise Invalid(f"检查设置文件 {path} 格式错误：{exc}") from exc
        return cls.from_dict(data, str(path))

    @classmethod
    def from_dict(cls, data: dict, source: str = "检查设置") -> CheckSettings:
        severities = {}
        for rule, severity in (data.get("severity") or {}).items():
            if rule not in RULES:
                raise Invalid(f"{source}：未知的检查规则 “{rule}”（可用：{', '.join(sorted(RULES))}）")
            if severity not in SEVERITIES:
                raise Invalid(f"{source}：规则 {rule} 的级别必须是 error、warning 或 off，而不是 “{severity}”")
            severities[rule] = severity
        custom = []
        for entry in data.get("rule") or []:
            custom.append(_custom_rule(entry, source))
        return cls(severities, tuple(custom))


def _custom_rule(entry: dict, source: str) -> CustomRule:
    rule_id = str(entry.get("id", ""))
    if not RULE_ID.match(rule_id) or rule_id in RULES:
        raise Invalid(f"{source}：自定义规则的 id “{rule_id}” 无效或与内置规则重名（小写字母、数字和 -）")
    message = str(entry.get("message") or "").strip()
    if not message:
        raise Invalid(f"{source}：自定义规则 {rule_id} 缺少 message")
    severity = entry.get("severity", ERROR)
    if severity not in SEVERITIES:
        raise Invalid(f"{source}：自定义规则 {rule_id} 的级别必须是 error、warning 或 off")
    require = tuple(entry.get("require") or ())
    unknown = [r for r in require if r not in REQUIREMENTS]
    if not require or unknown:
        raise Invalid(f"{source}：自定义规则 {rule_id} 的 require 必须取自 {', '.join(REQUIREMENTS)}")
    pattern = entry.get("name_matches")
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise Invalid(f"{source}：自定义规则 {rule_id} 的 name_matches 不是有效的正则表达式：{exc}") from exc
    return CustomRule(rule_id, message, severity, tuple(entry.get("elements") or ("userTask",)),
                      bool(entry.get("in_department_lane", False)), tuple(entry.get("lanes") or ()),
                      pattern, require)
