"""Timer text as modelers write it, made into a timer expression the engine can run, or refused.

SpiffWorkflow reads timer text as a Python expression, so the `PT5M` that Camunda Modeler writes
parses and then fails on every engine step (SPIFFWORKFLOW.md). Here a bare ISO 8601 duration, date
or cycle is checked and quoted, a date without an offset is read in China's time zone, a JUEL
`${...}` is translated, a cron expression is refused with what to write instead, and a literal or a
working-day function in the wrong kind of timer (a duration in `timeDate`) is refused at deploy
rather than at the first case.
"""
from __future__ import annotations

import ast
import re

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from ...error_text import source_reason
from . import juel

CHINA_OFFSET = "+08:00"
# diagram functions that return an instant (timeDate), and how many arguments each takes
INSTANT_FUNCTIONS = {"working_days": (1, 1), "calendar_days": (1, 1), "hours_from_now": (1, 1),
                     "working_days_after": (2, 2), "calendar_days_after": (2, 2),
                     "working_days_before": (2, 2), "hours_before": (2, 2),
                     "months": (1, 1), "months_after": (2, 2), "now": (0, 0)}
# and the other functions a timer may call: data_value(name, default) reads the case's data
CALLABLE = {**INSTANT_FUNCTIONS, "data_value": (1, 2)}
_DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$",
                       re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_CYCLE = re.compile(r"^R\d*/", re.IGNORECASE)
_CRON = re.compile(r"^[\d*?/,LW#A-Z\-]+(\s+[\d*?/,LW#A-Z\-]+){4,6}$", re.IGNORECASE)
# meant as ISO 8601, but not valid
_ISO_LIKE = re.compile(r"^(R[-+]?\d*/|R[-+]?\d+$|P\d|PT(\d|$)|P$|\d{4}-\d)", re.IGNORECASE)
_KIND = {"timeDate": "日期", "timeDuration": "时长", "timeCycle": "周期"}


class TimerRefused(ValueError):
    """Timer text that cannot run; the message says why, in Chinese."""


def _with_offset(date: str) -> str:
    if "T" not in date:
        date += "T00:00:00"
    if not re.search(r"(Z|[+-]\d{2}:?\d{2})$", date):
        date += CHINA_OFFSET
    return date


def _check_literal(text: str, tag: str) -> str:
    """An ISO string for this kind of timer, normalised; raises TimerRefused."""
    if tag == "timeDuration":
        if not _DURATION.match(text):
            raise TimerRefused(f"“{text}” 不是有效的 ISO 8601 时长（例如 PT5M、P3D）")
        TimerEventDefinition.parse_iso_duration(text.upper())
        return text.upper()
    if tag == "timeDate":
        if _DURATION.match(text):
            raise TimerRefused(f"“{text}” 是时长，不是日期：请放在 timeDuration 中，或写成 working_days(n) 等期限函数")
        if not _DATE.match(text):
            raise TimerRefused(f"“{text}” 不是有效的 ISO 8601 日期时间（例如 2026-10-14T18:00:00+08:00）")
        normalised = _with_offset(text)
        try:
            TimerEventDefinition.get_datetime(normalised)
        except ValueError as exc:
            raise TimerRefused(f"“{text}” 不是有效的日期时间") from exc
        return normalised
    if not _CYCLE.match(text):
        raise TimerRefused(f"“{text}” 不是有效的 ISO 8601 周期（例如 R3/PT1H，或 R/PT5M 表示不限次数）")
    parts = text.split("/")
    if len(parts) == 3 and _DATE.match(parts[1]):
        parts[1] = _with_offset(parts[1])
        text = "/".join(parts)
    try:
        TimerEventDefinition.parse_iso_recurring_interval(text.upper() if len(parts) == 2 else text)
    except Exception as exc:  # the library raises bare Exception for a bad cycle
        raise TimerRefused(f"“{text}” 不是有效的 ISO 8601 周期（例如 R3/PT1H）") from exc
    return text.upper() if len(parts) == 2 else text


def _check_expression(source: str, tag: str) -> str:
    """The expression to run for `source` (a quoted literal normalised as a bare one); raises TimerRefused."""
    reason = source_reason(source, "eval")
    if reason:
        raise TimerRefused(f"定时器表达式 “{source}” 不被允许：{reason}")
    tree = ast.parse(source, mode="eval").body
    if isinstance(tree, ast.Constant):
        if not isinstance(tree.value, str):
            raise TimerRefused(f"定时器表达式 “{source}” 不是{_KIND[tag]}")
        if _CRON.match(tree.value.strip()) and not _DATE.match(tree.value.strip()):
            raise TimerRefused(f"“{tree.value.strip()}” 是 cron 表达式，Yizhan 不支持；请改写为 ISO 8601 周期，"
                               "例如每 5 分钟 R/PT5M、每天一次 R/P1D")
        return repr(_check_literal(tree.value.strip(), tag))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise TimerRefused(f"定时器表达式 “{source}” 只能调用期限函数")
            name = node.func.id
            if name not in CALLABLE:
                raise TimerRefused(f"定时器表达式调用了未知函数 {name}()；可用：{', '.join(INSTANT_FUNCTIONS)}")
            low, high = CALLABLE[name]
            if not low <= len(node.args) <= high or node.keywords:
                raise TimerRefused(f"{name}() 需要 {low} 个参数" if low == high
                                   else f"{name}() 需要 {low} 到 {high} 个参数")
    if isinstance(tree, ast.Call) and tree.func.id in INSTANT_FUNCTIONS and tag != "timeDate":
        raise TimerRefused(f"{tree.func.id}() 给出的是日期时间，请放在 timeDate 中，而不是 {tag}")
    return source


def normalise_timer(text: str | None, tag: str) -> str:
    """The timer expression to run for `text` found in a `tag` element; raises TimerRefused."""
    text = (text or "").strip()
    if not text:
        raise TimerRefused(f"定时器的 {tag} 为空")
    if juel.is_juel(text):
        try:
            source = juel.translate(text)
        except juel.JuelError as exc:
            raise TimerRefused(f"定时器表达式 “{text}” 无法翻译，{exc}") from exc
        return _check_expression(source, tag)
    if _CRON.match(text) and not _DATE.match(text):
        raise TimerRefused(f"“{text}” 是 cron 表达式，Yizhan 不支持；请改写为 ISO 8601 周期，"
                           "例如每 5 分钟 R/PT5M、每天一次 R/P1D")
    if _DURATION.match(text) or _DATE.match(text) or _CYCLE.match(text):
        return repr(_check_literal(text, tag))
    if _ISO_LIKE.match(text):
        raise TimerRefused(f"“{text}” 不是有效的 ISO 8601 {_KIND[tag]}（时长如 PT5M、P3D；日期如 "
                           "2026-10-14T18:00:00+08:00；周期如 R3/PT1H）")
    return _check_expression(text, tag)
