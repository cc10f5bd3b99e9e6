"""What a diagram's code may say: RestrictedPython's compile-time policy, the compile cache, and which
expressions are so cheap that they may run in the server's own process.

The policy refuses imports, classes, names and attributes starting with ``_``, dangerous calls, and
rewrites ``*``, ``**`` and ``<<`` into size-checked calls and puts a deadline check (``_tick_()``) at every
``while`` body, function and lambda. Refusals are raised as :class:`ScriptRejected` when the code runs and
reported by :func:`check_source` at deploy.
"""
from __future__ import annotations

import ast
import functools
import re
import types

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer, copy_locations

from .errors import SCRIPT_FILENAME, ScriptRejected

COMPILE_CACHE_SIZE = 1024    # compiled code objects kept, keyed by (mode, source text)

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


def compiled(source: str, mode: str) -> types.CodeType:
    if not isinstance(source, str):
        raise ScriptRejected(f"脚本必须是文本，而不是 {source.__class__.__name__}")
    code, reason, line = _compile(source, mode)
    if code is None:
        raise ScriptRejected(reason, source, line)
    return code


# --------------------------------------------------------------------------------------------------
# Cheap code: what may run in the server's own process
# --------------------------------------------------------------------------------------------------
#
# Most conditions and many scripts are a comparison or an assignment: `grade == "red"`,
# `amount >= 1000 and party.get("kind") == "company"`, `rounds = rounds + 1`, `"P3D"`. Shipping each to a
# worker costs a round trip, so code whose syntax tree shows it cannot be expensive runs in-process.
# "Cannot be expensive" is argued from what the tree may contain, never from a list of bad operations:
#
# * no loops, comprehensions, lambdas, function definitions or calls except `len(x)`, `bool(x)`,
#   `data_value(name[, d])`, `x.get(k[, d])`
#   and the calendar functions whose arguments are checked when called (see environment.py): so the
#   work is a fixed number of operations, each at most linear in its operands;
# * operators only `+`, `-` (linear in the operands: concatenation, addition), `*` between numbers written
#   in the source (at most 10**6 each, so at most a few hundred digits), comparisons, `and`/`or`/
#   `not`, unary minus/plus, conditional expressions and literals of such;
#   `*`, `**`, `<<`, `%`, `/`, `//`, `@` (repetition, powers, formatting, big-number division) are not in it;
# * no attribute except `.get` on a call, no slices, no f-strings (format specs and widths), no starred
#   arguments or keywords; names not starting with `_`;
# * operands are task data (JSON values read from a case capped in size), literals from the source, or
#   the values of other cheap nodes; an expression has at most CHEAP_NODES nodes and CHEAP_ADDITIONS `+`/`-`, so
#   a value can at most grow 16-fold, and a script may have at most CHEAP_STATEMENTS
#   assignments to plain names; what an in-process script writes back is measured like any other.
#
# Anything else, and anything RestrictedPython refuses, goes the ordinary way (refused, or run in a worker).

CHEAP_NODES = 64
CHEAP_STATEMENTS = 8
CHEAP_ADDITIONS = 4   # `+`/`-` per expression or script: a value grows at most 16-fold in-process
CHEAP_CALLS = frozenset({"len", "bool", "data_value"})
CHEAP_FACTOR = 1_000_000  # `*` only between numbers written in the source (`2 * (1 if risk == 'red' else 2)`)
_CHEAP_NODE_TYPES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.Compare, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp,
    ast.Not, ast.USub, ast.UAdd, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.IfExp, ast.Tuple, ast.List, ast.Set,
    ast.Subscript, ast.Call, ast.Attribute,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn,
)


def _written_number(node: ast.AST) -> bool:
    """A number written in the source, or a choice between such numbers."""
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float) and abs(node.value) <= CHEAP_FACTOR
    if isinstance(node, ast.IfExp):
        return _written_number(node.body) and _written_number(node.orelse)
    return False


def _cheap_expression(tree: ast.AST, calendar_names: frozenset) -> bool:
    nodes = list(ast.walk(tree))
    if len(nodes) > CHEAP_NODES or sum(isinstance(node, ast.BinOp) for node in nodes) > CHEAP_ADDITIONS:
        return False
    for node in nodes:
        if not isinstance(node, _CHEAP_NODE_TYPES):
            return False
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            return False
        if isinstance(node, ast.Constant) and not isinstance(node.value, (str, int, float, bool, type(None))):
            return False
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) and not (
                _written_number(node.left) and _written_number(node.right)):
            return False
        if isinstance(node, ast.Subscript) and not isinstance(node.slice, (ast.Constant, ast.Name)):
            return False
        if isinstance(node, ast.Attribute):
            return_ok = any(isinstance(parent, ast.Call) and parent.func is node for parent in nodes)
            if node.attr != "get" or not return_ok:
                return False
        if isinstance(node, ast.Call):
            if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
                return False
            func = node.func
            if isinstance(func, ast.Attribute):
                if func.attr != "get" or not 1 <= len(node.args) <= 2:
                    return False
            elif isinstance(func, ast.Name):
                if func.id not in CHEAP_CALLS and func.id not in calendar_names:
                    return False
            else:
                return False
    return True


@functools.lru_cache(maxsize=COMPILE_CACHE_SIZE)
def cheap_code(source: str, mode: str, calendar_names: frozenset = frozenset()) -> types.CodeType | None:
    """Plain compiled code for `source` if it is cheap (see above) and the policy accepts it, else None.

    `calendar_names` are the functions the caller checks at each call (bounded arguments)."""
    if not isinstance(source, str):
        return None
    try:
        code, _, _ = _compile(source, mode)
        tree = ast.parse(source, SCRIPT_FILENAME, mode)
    except (SyntaxError, ValueError):
        return None
    if code is None:
        return None
    if mode == "eval":
        if not _cheap_expression(tree, calendar_names):
            return None
    else:
        if not tree.body or len(tree.body) > CHEAP_STATEMENTS:
            return None
        if sum(isinstance(node, ast.BinOp) for node in ast.walk(tree)) > CHEAP_ADDITIONS:
            return None  # across the whole script: a value can grow at most 2**CHEAP_ADDITIONS-fold
        for statement in tree.body:
            if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Name)
                    and not statement.targets[0].id.startswith("_")
                    and _cheap_expression(ast.Expression(statement.value), calendar_names)):
                return None
    return compile(tree, SCRIPT_FILENAME, mode)
