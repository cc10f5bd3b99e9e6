"""What went wrong in a diagram's expression, script or table, told in Chinese, with the element it happened on.

Python and SpiffWorkflow explain themselves in English and in their own terms ("invalid syntax",
"Error evaluating expression ...", "Did you mean one of ..."). A designer or a clerk is told instead
what was written wrong and where; nothing of the library's text reaches them.
"""
from __future__ import annotations

import ast
import re

from .sandbox.errors import ScriptError
from .sandbox.policy import check_source

_SYNTAX = (
    (r"unterminated (triple-quoted )?string literal|EOL while scanning|EOF while scanning",
     "字符串缺少结束的引号"),
    (r"'(?P<b>[(\[{])' was never closed", "括号 “{b}” 没有闭合"),
    (r"unmatched '(?P<b>[)\]}])'", "多了一个 “{b}”"),
    (r"closing parenthesis '(?P<c>.)' does not match opening parenthesis '(?P<o>.)'", "括号 “{o}” 与 “{c}” 不配对"),
    (r"unexpected EOF|unexpected end", "表达式没有写完"),
    (r"expected ':'", "缺少冒号 “:”"),
    (r"unindent does not match|unexpected indent|expected an indented block|inconsistent use of tabs",
     "缩进不正确"),
    (r"cannot assign to|cannot delete", "不能给它赋值"),
    (r"invalid decimal literal|invalid digit|leading zeros", "数字写法不正确"),
    (r"invalid character|invalid non-printable character", "含有不能使用的字符（例如中文标点）"),
    (r"Perhaps you forgot a comma", "可能缺少逗号"),
    (r"positional argument follows keyword argument", "位置参数不能写在关键字参数之后"),
    (r"keyword argument repeated", "同一个参数写了两次"),
    (r"'return' outside function", "return 只能写在函数中"),
    (r"'(break|continue)' (not properly in|outside) loop", "break/continue 只能写在循环中"),
    (r"null bytes|source code string cannot contain null bytes", "含有空字符"),
)


def syntax_reason(exc: SyntaxError) -> str:
    """A Python syntax error as a sentence: what is wrong, on which line."""
    text = exc.msg or ""
    reason = "写法不符合 Python 语法"
    for pattern, template in _SYNTAX:
        found = re.search(pattern, text)
        if found:
            reason = template.format(**found.groupdict())
            break
    return f"语法错误（第 {exc.lineno or 1} 行）：{reason}"


def source_reason(source: str, mode: str) -> str | None:
    """Why `source` would be refused ("eval" or "exec"), in Chinese, or None when it compiles in the sandbox."""
    reason = check_source(source, mode)
    if reason is None or not reason.startswith("语法错误"):
        return reason
    try:
        ast.parse(source, mode=mode)
    except SyntaxError as exc:
        return syntax_reason(exc)
    except ValueError:  # a NUL byte
        return "语法错误：含有空字符"
    return reason


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _innermost(exc: BaseException) -> BaseException:
    """The error that started it: the sandbox's own refusal if there is one, else the first Python error
    under the library's wrappers."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        # as Python's traceback reads the chain: `raise ... from None` hides the context
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    for found in seen:
        if isinstance(found, ScriptError):
            return found
    for found in reversed(seen):
        if not type(found).__module__.startswith("SpiffWorkflow"):
            return found
    return seen[-1]


_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH = re.compile(r"[A-Za-z]{2,}[,.:]? [A-Za-z]{2,}")


def _ours(text: str) -> bool:
    """A message our own code raised in Chinese (a diagram function's, the sandbox's), not Python's English."""
    return bool(_CHINESE.search(text)) and not _ENGLISH.search(text)
# what the library itself says when a case cannot go on, in the designer's terms
_LIBRARY = (
    (r"No conditions satisfied", "网关的出口条件都不成立，也没有默认流：案件无路可走"),
    (r"missing subworkflow|subworkflow.*not found|No .*spec", "调用的子流程不存在"),
    (r"was not reached", "汇合网关等待的分支没有到达"),
    (r"not waiting for", "案件此时不在等待这个消息"),
    (r"Rule failed", "决策表的规则计算出错"),
)


def failure_reason(exc: BaseException) -> str:
    """Why an expression, script or table failed while running, in Chinese."""
    cause = _innermost(exc)
    if isinstance(cause, ScriptError):
        return str(cause)
    if isinstance(cause, SyntaxError):
        return syntax_reason(cause)
    if isinstance(cause, NameError):
        name = getattr(cause, "name", None) or (re.findall(r"'([^']+)'", str(cause)) or ["?"])[0]
        return f"变量或函数 “{name}” 不存在（案件数据中没有它，也不是可用的函数）"
    if isinstance(cause, ZeroDivisionError):
        return "除数为零"
    if isinstance(cause, KeyError):
        return f"找不到键 {_short(cause.args[0]) if cause.args else ''}".rstrip()
    if isinstance(cause, IndexError):
        return "下标超出范围"
    if isinstance(cause, AttributeError):
        name = getattr(cause, "name", None)
        return f"对象没有属性 “{name}”" if name else "对象没有这个属性"
    if isinstance(cause, TypeError):
        text = str(cause)
        arity = re.search(r"(\w+)\(\) (takes|missing|got)", text)
        if arity:
            return f"调用 {arity.group(1)}() 的参数个数或名称不对"
        return "数据类型不对（例如把文本和数字相加或比较，或把 None 当作数值）"
    if isinstance(cause, (OverflowError, MemoryError, RecursionError)):
        return "计算结果过大或嵌套过深"
    if isinstance(cause, ValueError):
        text = str(cause)
        return text if _ours(text) else "取值不正确（例如日期、时长或数字的写法不对）"
    text = str(cause)
    if _ours(text):
        return text
    for pattern, reason in _LIBRARY:
        if re.search(pattern, " ".join(str(e) for e in _chain(exc)), re.IGNORECASE):
            return reason
    return "表达式或脚本运行出错"


def _chain(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found:
        found.append(current)
        # as Python's traceback reads the chain: `raise ... from None` hides the context
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return found


def _element_of_task(task) -> str | None:
    spec = getattr(task, "task_spec", task)
    return getattr(spec, "bpmn_id", None) or None


def failing_element(exc: BaseException) -> str | None:
    """The id of the diagram element whose step raised `exc`: from the library's exception when it says, else
    from the innermost frame of the step that was running a task (a timer's, a gateway's, a table's)."""
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for attr in ("task", "task_spec"):
            element = _element_of_task(getattr(current, attr, None))
            if element:
                return element
        # as Python's traceback reads the chain: `raise ... from None` hides the context
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    found = None
    traceback = exc.__traceback__
    while traceback is not None:
        frame_locals = traceback.tb_frame.f_locals
        for name in ("my_task", "task"):
            candidate = frame_locals.get(name)
            if candidate is not None and hasattr(candidate, "task_spec"):
                found = _element_of_task(candidate) or found
                break
        traceback = traceback.tb_next
    return found
