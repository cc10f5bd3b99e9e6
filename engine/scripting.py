"""The restricted script environment: every condition, script and expression in a diagram runs here.

SpiffWorkflow's default environment is plain ``eval``/``exec`` with all builtins, so a diagram could run
``__import__('os').system(...)``. This module replaces it with RestrictedPython plus:

* guards on attribute access (no ``_``-names, no ``format``/``format_map``, no frame/generator/code
  introspection, no ``mro``), item access, iteration, writes (only dicts and lists) and in-place operators;
* a small whitelist of builtins, a bounded ``range`` and size checks on ``*``, ``**`` and ``<<`` so a
  one-liner cannot allocate gigabytes or compute a huge integer in C;
* a time bound: a deadline check at every loop iteration (``while`` bodies, ``for`` loops and
  comprehensions through ``_getiter_``), every function call and every lambda call of the script;
* a bounded LRU of compiled code shared by all environments;
* task data in and out like SpiffWorkflow's ``TaskDataEnvironment``, except that ``execute`` runs on a
  copy and writes back only if the script finishes: a refused or failing script changes nothing.

Refusals raise :class:`ScriptRejected` (a timeout raises its subclass :class:`ScriptTimeout`). Inside a
workflow the engine from :func:`build_script_engine` turns them into SpiffWorkflow's
``WorkflowTaskException`` whose message is the reason, whose ``task_spec.bpmn_id`` names the element and
whose ``__cause__`` is the ``ScriptRejected``.
"""
from __future__ import annotations

import ast
import copy
import functools
import math
import operator
import re
import sys
import time
import types
from collections.abc import Callable, Iterator, Mapping

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence
from RestrictedPython.PrintCollector import PrintCollector
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer, copy_locations
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine
from SpiffWorkflow.exceptions import SpiffWorkflowException

__all__ = [
    "COMPILE_CACHE_SIZE",
    "MAX_INT_BITS",
    "MAX_RANGE",
    "MAX_SEQUENCE",
    "SandboxEnvironment",
    "SandboxScriptEngine",
    "ScriptError",
    "ScriptRejected",
    "ScriptTimeout",
    "build_script_engine",
    "clear_compile_cache",
    "compile_cache_info",
]

# PythonScriptEngine finds the failing line by looking for frames of this file name; keep it.
SCRIPT_FILENAME = "<string>"

MAX_RANGE = 100_000          # range() may produce at most this many numbers
MAX_SEQUENCE = 1_000_000     # str/list/tuple/bytes repetition (`x * n`) may produce at most this many items
MAX_INT_BITS = 65_536        # `*`, `**`, `<<` on ints may produce at most this many bits (~19,700 digits)
COMPILE_CACHE_SIZE = 1024    # compiled code objects kept, keyed by (mode, source text)
SNIPPET_CHARS = 200

# Attributes no script may read, whatever the object (names starting with "_" are refused as well).
DENIED_ATTRIBUTES = frozenset(INSPECT_ATTRIBUTES) | {
    "format", "format_map",                      # str.format reaches attributes: '{0.__class__}'.format(x)
    "mro",                                        # type.mro() hands out `object`
    "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await", "cr_origin",
    "ag_frame", "ag_code", "ag_await",
    "f_globals", "f_locals", "f_builtins", "f_back", "f_code", "f_trace", "f_generator",
    "tb_frame", "tb_next", "co_code",
    "func_globals", "func_code", "func_closure", "im_func", "im_self",  # Python 2 spellings, for good measure
}

# Calls refused when the source is compiled (so the script never starts). Only *calls* are refused:
# a data field called `type` or `input` can still be read and compared.
DENIED_CALLS = frozenset({
    "eval", "exec", "compile", "open", "getattr", "setattr", "delattr", "type", "vars", "globals",
    "locals", "dir", "breakpoint", "input", "help", "exit", "quit", "memoryview", "object", "super",
    "classmethod", "staticmethod", "property", "iter", "aiter", "anext",
})


# --------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------

class ScriptError(Exception):
    """Base of the sandbox's own errors: a reason in plain words plus the offending source."""

    def __init__(self, reason: str, source: str = "", line: int | None = None):
        self.reason = reason
        self.source = source
        self.line = line
        super().__init__(self._message())

    @property
    def snippet(self) -> str:
        """The offending line if known, else the start of the source, shortened."""
        text = self.source or ""
        if self.line and 0 < self.line <= len(text.splitlines()):
            text = text.splitlines()[self.line - 1]
        text = " ".join(text.split())
        return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS - 1] + "…"

    def _message(self) -> str:
        where = f"第 {self.line} 行" if self.line else ""
        snippet = self.snippet
        if snippet:
            return f"{self.reason}（{where + '：' if where else ''}{snippet}）"
        return self.reason

    def attach(self, source: str, line: int | None) -> ScriptError:
        """Fill in the source and line once known (guards raise before they know them)."""
        if not self.source:
            self.source = source
        if self.line is None:
            self.line = line
        self.args = (self._message(),)
        return self

    def __str__(self) -> str:
        return self._message()


class ScriptRejected(ScriptError):
    """The sandbox refused the script: forbidden name, attribute, call, import or size."""


class ScriptTimeout(ScriptRejected):
    """The script ran longer than the environment's time limit and was stopped."""


# --------------------------------------------------------------------------------------------------
# Compilation: policy and cache
# --------------------------------------------------------------------------------------------------

_SIZE_CHECKED_OPS = {ast.Mult: "*", ast.Pow: "**", ast.LShift: "<<"}


class SandboxPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy plus: no import, no class, no dangerous calls, size-checked operators,
    and a deadline check (`_tick_()`) at the top of every `while` body, every function and every lambda.
    With `_getiter_` checking the deadline on every item of every `for` loop and comprehension, every
    way a script can repeat work passes through a deadline check."""

    def visit_Import(self, node):
        self.error(node, "脚本不允许 import（不能导入模块）")
        return node

    def visit_ImportFrom(self, node):
        self.error(node, "脚本不允许 import（不能导入模块）")
        return node

    def visit_ClassDef(self, node):
        self.error(node, "脚本不允许定义类")
        return node

    def visit_Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id in DENIED_CALLS:
            self.error(node, f"脚本不允许调用 {node.func.id}()")
        return super().visit_Call(node)

    def visit_BinOp(self, node):
        node = self.node_contents_visit(node)
        symbol = _SIZE_CHECKED_OPS.get(type(node.op))
        if symbol is None:
            return node
        call = ast.Call(func=ast.Name("_binop_", ast.Load()),
                        args=[ast.Constant(symbol), node.left, node.right], keywords=[])
        copy_locations(call, node)
        copy_locations(call.func, node)
        copy_locations(call.args[0], node)
        return call

    @staticmethod
    def _tick(node) -> ast.Call:
        call = ast.Call(func=ast.Name("_tick_", ast.Load()), args=[], keywords=[])
        copy_locations(call, node)
        copy_locations(call.func, node)
        return call

    def _tick_statement(self, node) -> ast.Expr:
        statement = ast.Expr(self._tick(node))
        copy_locations(statement, node)
        return statement

    def visit_While(self, node):
        node = self.node_contents_visit(node)
        node.body.insert(0, self._tick_statement(node))
        return node

    def visit_FunctionDef(self, node):
        node = super().visit_FunctionDef(node)
        node.body.insert(0, self._tick_statement(node))
        return node

    def visit_Lambda(self, node):
        node = super().visit_Lambda(node)
        node.body = ast.BoolOp(op=ast.Or(), values=[self._tick(node), node.body])  # None or body == body
        copy_locations(node.body, node)
        return node


_MESSAGES = [
    (re.compile(r'"(?P<n>[^"]+)" is an invalid attribute name because it starts with "_"'),
     "脚本不允许访问以下划线开头的属性: {n}"),
    (re.compile(r'"(?P<n>[^"]+)" is an invalid variable name because it starts with "_"'),
     "脚本不允许使用以下划线开头的名字: {n}"),
    (re.compile(r'"(?P<n>[^"]+)" is a restricted name, that is forbidden to access'),
     "脚本不允许访问属性: {n}"),
    (re.compile(r'"(?P<n>[^"]+)" is a reserved name'), "脚本不允许使用保留名字: {n}"),
    (re.compile(r"Exec calls are not allowed"), "脚本不允许调用 exec()"),
    (re.compile(r"Eval calls are not allowed"), "脚本不允许调用 eval()"),
    (re.compile(r"Augmented assignment of object items and slices is not allowed"),
     "脚本不允许对字典或列表的元素做增量赋值（请写成 d['k'] = d['k'] + 1）"),
    (re.compile(r"Augmented assignment of attributes is not allowed"), "脚本不允许对属性做增量赋值"),
    (re.compile(r"(?P<n>\w+) statements? (is|are) not allowed"), "脚本不允许使用 {n} 语句"),
]
_LINE_PREFIX = re.compile(r"^Line (?P<line>\d+|None): (?P<text>.*)$", re.DOTALL)


def _explain(errors: tuple[str, ...]) -> tuple[str, int | None]:
    """RestrictedPython's error list as one plain sentence, and the first line number it names."""
    reasons: list[str] = []
    first_line: int | None = None
    for error in errors:
        text, line = error, None
        match = _LINE_PREFIX.match(error)
        if match:
            text = match["text"]
            line = int(match["line"]) if match["line"].isdigit() else None
        for pattern, template in _MESSAGES:
            found = pattern.search(text)
            if found:
                text = template.format(**found.groupdict())
                break
        if first_line is None:
            first_line = line
        if text not in reasons:
            reasons.append(text)
    return "；".join(reasons), first_line


@functools.lru_cache(maxsize=COMPILE_CACHE_SIZE)
def _compile(source: str, mode: str) -> tuple[types.CodeType | None, str, int | None]:
    """(code, "", None) or (None, reason, line). Syntax errors raise SyntaxError (and are not cached)."""
    tree = ast.parse(source, SCRIPT_FILENAME, mode)  # SyntaxError is the author's mistake, not a refusal
    compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    result = compiler(tree, SCRIPT_FILENAME, policy=SandboxPolicy)
    if result.errors:
        reason, line = _explain(tuple(result.errors))
        return None, reason, line
    return result.code, "", None


def check_source(source: str, mode: str) -> str | None:
    """Why `source` would be refused ("eval" or "exec" mode), or None if it compiles in the sandbox."""
    try:
        code, reason, line = _compile(source, mode)
    except SyntaxError as exc:
        return f"语法错误（第 {exc.lineno} 行）：{exc.msg}"
    if code is None:
        return reason + (f"（第 {line} 行）" if line else "")
    return None


def compile_cache_info():
    """Hits, misses and size of the shared compile cache (functools' CacheInfo)."""
    return _compile.cache_info()


def clear_compile_cache() -> None:
    _compile.cache_clear()


def _compiled(source: str, mode: str) -> types.CodeType:
    if not isinstance(source, str):
        raise ScriptRejected(f"脚本必须是文本，而不是 {source.__class__.__name__}")
    code, reason, line = _compile(source, mode)
    if code is None:
        raise ScriptRejected(reason, source, line)
    return code


# --------------------------------------------------------------------------------------------------
# Guards and builtins
# --------------------------------------------------------------------------------------------------

def _is_sequence(value) -> bool:
    return isinstance(value, (str, bytes, bytearray, list, tuple))


def _check_operation(symbol: str, left, right) -> None:
    """Refuse `*`, `**`, `<<` whose result would be huge (these run in C, beyond the time bound)."""
    if symbol == "*":
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise ScriptRejected(f"乘积过大（超过 {MAX_INT_BITS} 位）")
        elif _is_sequence(left) and isinstance(right, int) or _is_sequence(right) and isinstance(left, int):
            sequence, times = (left, right) if _is_sequence(left) else (right, left)
            if len(sequence) * times > MAX_SEQUENCE:
                raise ScriptRejected(f"重复后的序列过长（最多 {MAX_SEQUENCE} 项）")
    elif symbol == "**":
        if (isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1
                and right * math.log2(abs(left)) > MAX_INT_BITS):
            raise ScriptRejected(f"乘方结果过大（超过 {MAX_INT_BITS} 位）")
    elif symbol == "<<":
        if (isinstance(left, int) and isinstance(right, int) and left
                and (right > MAX_INT_BITS or left.bit_length() + right > MAX_INT_BITS)):
            raise ScriptRejected(f"移位结果过大（超过 {MAX_INT_BITS} 位）")


_BINARY = {"*": operator.mul, "**": operator.pow, "<<": operator.lshift}
_INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow, "<<=": operator.ilshift,
    ">>=": operator.irshift, "&=": operator.iand, "^=": operator.ixor, "|=": operator.ior,
    "@=": operator.imatmul,
}


def _safe_range(*args):
    numbers = range(*args)
    try:
        size = len(numbers)
    except OverflowError:
        size = MAX_RANGE + 1
    if size > MAX_RANGE:
        raise ScriptRejected(f"range() 最多产生 {MAX_RANGE} 个数")
    return numbers


def _safe_pow(base, exp, mod=None):
    if mod is None:
        _check_operation("**", base, exp)
        return pow(base, exp)
    return pow(base, exp, mod)


def _safe_sum(iterable, /, start=0):
    if not isinstance(start, (int, float, complex)):
        raise ScriptRejected("sum() 只能对数字求和")
    return sum(iterable, start)


def _getitem(obj, index):
    return obj[index]


def _apply(func, *args, **kwargs):
    return func(*args, **kwargs)


_REMOVED_BUILTINS = {"__build_class__", "_getattr_", "setattr", "delattr", "BaseException", "SystemExit",
                     "KeyboardInterrupt", "GeneratorExit", "pow", "range", "sum"}


def _sandbox_builtins() -> dict:
    allowed = {name: value for name, value in safe_builtins.items() if name not in _REMOVED_BUILTINS}
    allowed.update({
        "len": len, "any": any, "all": all, "dict": dict, "list": list, "set": set, "frozenset": frozenset,
        "tuple": tuple, "sorted": sorted, "reversed": reversed, "min": min, "max": max, "sum": _safe_sum,
        "abs": abs, "round": round, "enumerate": enumerate, "zip": zip, "map": map, "filter": filter,
        "range": _safe_range, "pow": _safe_pow, "str": str, "int": int, "float": float, "bool": bool,
        "isinstance": isinstance,
    })
    return allowed


SANDBOX_BUILTINS: Mapping[str, object] = types.MappingProxyType(_sandbox_builtins())


class _Run:
    """State of one evaluate/execute: its deadline, and the first refusal (kept even if the script
    catches the exception, so a swallowed refusal still fails the script)."""

    __slots__ = ("deadline", "expired", "refusal", "time_limit")

    def __init__(self, time_limit: float):
        self.time_limit = time_limit
        self.deadline = time.monotonic() + time_limit
        self.expired = False
        self.refusal: ScriptRejected | None = None

    def refuse(self, error: ScriptRejected):
        if error.line is None:
            error.line = _calling_line()
        if self.refusal is None:
            self.refusal = error
        raise error

    # -- time bound --------------------------------------------------------------------------------
    def tick(self) -> None:
        """Called at every loop iteration and function call of the script; raises once past the deadline
        (and again at every later call, so catching the timeout does not buy more time)."""
        if self.expired or time.monotonic() > self.deadline:
            self.expired = True
            self.refuse(ScriptTimeout(f"脚本运行超过 {self.time_limit:g} 秒，已被终止"))

    def getiter(self, obj):
        return self._ticking(iter(obj))

    def _ticking(self, iterator):
        clock, deadline, tick = time.monotonic, self.deadline, self.tick
        for item in iterator:
            if clock() > deadline:
                tick()
            yield item

    # -- guards ------------------------------------------------------------------------------------
    def getattr(self, obj, name):
        if not isinstance(name, str):
            self.refuse(ScriptRejected("属性名必须是文本"))
        if name.startswith("_"):
            self.refuse(ScriptRejected(f"脚本不允许访问以下划线开头的属性: {name}"))
        if name in DENIED_ATTRIBUTES:
            self.refuse(ScriptRejected(f"脚本不允许访问属性: {name}"))
        if isinstance(obj, types.ModuleType):
            self.refuse(ScriptRejected(f"脚本不允许访问模块的属性: {name}"))
        return getattr(obj, name)

    def write(self, obj):
        if isinstance(obj, (dict, list)):
            return obj
        self.refuse(ScriptRejected(f"脚本只能修改字典和列表，不能修改 {obj.__class__.__name__} 对象"))

    def binop(self, symbol, left, right):
        try:
            _check_operation(symbol, left, right)
        except ScriptRejected as error:
            self.refuse(error)
        return _BINARY[symbol](left, right)

    def inplacevar(self, op, left, right):
        func = _INPLACE.get(op)
        if func is None:
            self.refuse(ScriptRejected(f"脚本不允许使用运算符 {op}"))
        try:
            _check_operation(op[:-1], left, right)
        except ScriptRejected as error:
            self.refuse(error)
        return func(left, right)

    def globals(self) -> dict:
        return {
            "__builtins__": SANDBOX_BUILTINS_DICT,
            "__name__": "script",
            "_getattr_": self.getattr,
            "_getitem_": _getitem,
            "_getiter_": self.getiter,
            "_write_": self.write,
            "_inplacevar_": self.inplacevar,
            "_binop_": self.binop,
            "_tick_": self.tick,
            "_apply_": _apply,
            "_print_": PrintCollector,
            "_unpack_sequence_": guarded_unpack_sequence,
            "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        }


# exec/eval need a real dict for __builtins__; nothing hands this dict to a script.
SANDBOX_BUILTINS_DICT: dict = dict(SANDBOX_BUILTINS)


def _calling_line() -> int | None:
    """The script line that called the guard now refusing (the innermost script frame on the stack)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == SCRIPT_FILENAME:
            return frame.f_lineno
        frame = frame.f_back
    return None


def _failing_line(error: BaseException) -> int | None:
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == SCRIPT_FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _is_data(value) -> bool:
    """What may go back into task data: not functions/classes, modules or half-consumed iterators."""
    return not (callable(value) or isinstance(value, (types.ModuleType, Iterator)))


# --------------------------------------------------------------------------------------------------
# The environment
# --------------------------------------------------------------------------------------------------

class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """A `BasePythonScriptEngineEnvironment` that runs scripts under RestrictedPython with a time bound.

    `environment_globals` are the injected functions (working_days, notify, ...). As in
    SpiffWorkflow's TaskDataEnvironment:

    * evaluate(): the expression sees the injected functions, then `external_context`, then task data
      (later ones win);
    * execute(): task data may not reuse the name of an injected function or of an `external_context`
      key (ValueError, like TaskDataEnvironment); afterwards the task data holds the script's variables,
      minus the injected functions, the `external_context` keys and anything that is not data
      (functions, modules, iterators).

    Unlike TaskDataEnvironment, execute() runs on a deep copy of the task data and replaces the task
    data only when the script finishes, so a refused, failed or stopped script changes nothing.
    """

    def __init__(self, environment_globals: Mapping[str, Callable] | None = None, time_limit: float = 1.0):
        super().__init__(dict(environment_globals or {}))
        if not time_limit or time_limit <= 0:
            raise ValueError("time_limit must be a positive number of seconds")
        self.time_limit = float(time_limit)

    # -- SpiffWorkflow's interface -----------------------------------------------------------------
    def evaluate(self, expression, context, external_context=None):
        code = _compiled(expression, "eval")
        run = _Run(self.time_limit)
        scope = dict(self.globals)
        if external_context:
            scope.update(external_context)
        scope.update(context)
        scope.update(run.globals())
        return self._run(run, code, scope, expression, eval)

    def execute(self, script, context, external_context=None):
        external_context = external_context or {}
        self.check_for_overwrite(context, external_context)
        code = _compiled(script, "exec")
        run = _Run(self.time_limit)
        try:
            data = copy.deepcopy(context)
        except Exception:  # something in task data refuses deepcopy; fall back to a shallow copy
            data = dict(context)
        scope = dict(self.globals)
        scope.update(external_context)
        scope.update(data)
        scope.update(run.globals())
        self._run(run, code, scope, script, exec)
        injected = set(self.globals) | set(external_context)
        result = {}
        for key, value in scope.items():
            if key.startswith("_"):
                # a script cannot name "_" variables: these are the sandbox's own, or task data that the
                # script could not see or change, which goes back untouched
                if key in data:
                    result[key] = data[key]
            elif key not in injected and _is_data(value):
                result[key] = value
        context.clear()
        context.update(result)
        return True

    def call_service(self, context, **kwargs):
        # Deployment refuses serviceTask elements (engine/bpmn/checks.py); a state from elsewhere that still
        # reaches one fails like any refused script, with a clear message and nothing saved.
        raise ScriptRejected("服务任务不受支持：流程不调用外部服务")

    def check_for_overwrite(self, context, external_context):
        overwrites = set(self.globals).intersection(context)
        overwrites.update(set(external_context).intersection(context))
        if overwrites:
            raise ValueError(
                "You have task data that overwrites a predefined function(s). Please change the following "
                f"variable or field name(s) to something else: {overwrites}")

    # -- running -----------------------------------------------------------------------------------
    @staticmethod
    def _run(run: _Run, code, scope: dict, source: str, runner):
        try:
            result = runner(code, scope)
        except ScriptError as error:
            raise (run.refusal or error).attach(source, _failing_line(error)) from None
        except Exception as error:
            if run.refusal is not None:  # the script caught a refusal and then failed some other way
                raise run.refusal.attach(source, _failing_line(error)) from error
            raise
        if run.refusal is not None:  # the script caught the refusal and carried on: it still fails
            raise run.refusal.attach(source, None)
        return result


# --------------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------------

class SandboxScriptEngine(PythonScriptEngine):
    """PythonScriptEngine whose errors name the sandbox's reason.

    A ScriptRejected/ScriptTimeout (and any other ScriptError) becomes a WorkflowTaskException with
    message = the reason and the snippet, `error_type` = "ScriptRejected"/"ScriptTimeout",
    `task_spec` = the element's spec (`.bpmn_id`), `line_number`/`error_line`, and `__cause__` = the
    ScriptError. Other errors are wrapped exactly as PythonScriptEngine wraps them.
    """

    @staticmethod
    def _task_context(task, external_context):
        """`data_value(name, default)`: a value of the case that may be missing, without a NameError."""
        def data_value(name, default=None):
            return task.data.get(str(name), default)
        return {"data_value": data_value, **(external_context or {})}

    def evaluate(self, task, expression, external_context=None):
        try:
            return self.environment.evaluate(expression, task.data, self._task_context(task, external_context))
        except ScriptError as error:
            raise self.sandbox_exception(task, expression, error) from error
        except SpiffWorkflowException as se:
            se.add_note(f"Error evaluating expression '{expression}'")
            raise
        except Exception as e:
            raise WorkflowTaskException(f"Error evaluating expression '{expression}'", task=task,
                                        exception=e) from e

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, self._task_context(task, external_context))
        except ScriptError as error:
            raise self.sandbox_exception(task, script, error) from error
        except Exception as err:
            raise self.create_task_exec_exception(task, script, err) from err

    def create_task_exec_exception(self, task, script, err):
        """As PythonScriptEngine's, without its TypeError on exceptions whose first argument is not a str
        (KeyError(1), for example)."""
        if isinstance(err, SpiffWorkflowException):
            return super().create_task_exec_exception(task, script, err)
        line_number, error_line = self.get_error_line_number_and_content(script, err)
        detail = err.__class__.__name__
        if err.args:
            detail += ":" + str(err.args[0])
        return WorkflowTaskException(detail, task=task, exception=err, line_number=line_number,
                                     error_line=error_line)

    @staticmethod
    def sandbox_exception(task, source: str, error: ScriptError) -> WorkflowTaskException:
        lines = (source or "").splitlines()
        error_line = lines[error.line - 1] if error.line and 0 < error.line <= len(lines) else ""
        return WorkflowTaskException(str(error), task=task, exception=error,
                                     line_number=error.line or 0, error_line=error_line)


def build_script_engine(functions: Mapping[str, Callable] | None = None,
                        time_limit: float = 1.0) -> PythonScriptEngine:
    """The engine every workflow uses: sandboxed, time-bounded, with `functions` callable by scripts.

    Set it on every workflow after deserializing too (deserializing installs the unsafe default), and
    on nothing else: subprocesses use their top workflow's engine.
    """
    return SandboxScriptEngine(environment=SandboxEnvironment(functions, time_limit=time_limit))
