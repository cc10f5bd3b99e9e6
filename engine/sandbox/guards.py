"""The guards and builtins a script runs with: attribute, item, iteration and write guards, size checks on
``*``, ``**`` and ``<<``, a bounded ``range``, and a deadline checked at every loop iteration and call.

These run inside the worker process (runner.py); the operating system's limits there catch whatever
a single C-level operation would still do past them.
"""
from __future__ import annotations

import math
import operator
import sys
import time
import types
from collections.abc import Iterator, Mapping

from RestrictedPython import safe_builtins
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence
from RestrictedPython.PrintCollector import PrintCollector

from .errors import SCRIPT_FILENAME, ScriptRejected, ScriptTimeout
from .policy import DENIED_ATTRIBUTES

MAX_RANGE = 100_000          # range() may produce at most this many numbers
MAX_SEQUENCE = 1_000_000     # str/list/tuple/bytes repetition (`x * n`) may produce at most this many items
MAX_INT_BITS = 65_536        # `*`, `**`, `<<` on ints may produce at most this many bits (~19,700 digits)


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


class Run:
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


def failing_line(error: BaseException) -> int | None:
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == SCRIPT_FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def is_data(value) -> bool:
    """What may go back into task data: not functions/classes, modules or half-consumed iterators."""
    return not (callable(value) or isinstance(value, (types.ModuleType, Iterator)))
