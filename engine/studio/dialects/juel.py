"""The JUEL that people write in Camunda Modeler and Activiti, translated into the sandbox's Python.

Understood: variables (and dotted paths into dict data), string and number literals, true/false/null,
`== != < > <= >=` and their word forms `eq ne lt gt le ge`, `&& || !` and `and or not`, `empty`,
`+ - * / %` (`div`, `mod`), `a ? b : c` and parentheses. Anything else (method calls, `execution`,
indexing, lambdas) is refused with the part that was not understood, so nothing is guessed.
"""
from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(\.\d+)?([eE][+-]?\d+)?)
  | (?P<string>'(\\.|[^'\\])*'|"(\\.|[^"\\])*")
  | (?P<op>==|!=|<=|>=|&&|\|\||[<>!?:()+\-*/%.,\[\]])
  | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
""", re.VERBOSE)
_WORD_OPS = {"eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=", "and": "&&", "or": "||",
             "not": "!", "div": "/", "mod": "%"}
_LITERALS = {"true": "True", "false": "False", "null": "None"}
_ENVELOPE = re.compile(r"^\s*[$#]\{(?P<body>.*)\}\s*$", re.DOTALL)


class JuelError(ValueError):
    """An expression outside the understood subset; `part` is the piece not understood."""

    def __init__(self, reason: str, part: str):
        super().__init__(f"{reason}：“{part}”")
        self.reason = reason
        self.part = part


@dataclass
class _Token:
    kind: str
    text: str
    at: int


def is_juel(text: str | None) -> bool:
    """Whether `text` is written as a JUEL expression (`${...}` or `#{...}`)."""
    return bool(text) and ("${" in text or "#{" in text)


def _tokens(body: str) -> list[_Token]:
    tokens, at = [], 0
    while at < len(body):
        match = _TOKEN.match(body, at)
        if match is None:
            raise JuelError("无法识别的字符", body[at:at + 10])
        kind = match.lastgroup
        text = match.group()
        if kind == "name" and text in _WORD_OPS:
            kind, text = "op", _WORD_OPS[text]
        if kind != "space":
            tokens.append(_Token(kind, text, at))
        at = match.end()
    return tokens


class _Parser:
    """Recursive descent over the subset; each rule returns Python source, fully parenthesised."""

    def __init__(self, body: str):
        self.body = body
        self.tokens = _tokens(body)
        self.pos = 0

    def peek(self, *texts: str) -> bool:
        return self.pos < len(self.tokens) and self.tokens[self.pos].kind == "op" and \
            self.tokens[self.pos].text in texts

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def rest(self) -> str:
        return self.body[self.tokens[self.pos].at:] if self.pos < len(self.tokens) else ""

    def parse(self) -> str:
        if not self.tokens:
            raise JuelError("表达式为空", self.body)
        result = self.ternary()
        if self.pos < len(self.tokens):
            raise JuelError("无法理解的部分", self.rest())
        return result

    def ternary(self) -> str:
        condition = self.binary(0)
        if self.peek("?"):
            self.take()
            then = self.ternary()
            if not self.peek(":"):
                raise JuelError("条件表达式缺少 “:”", self.rest() or self.body)
            self.take()
            otherwise = self.ternary()
            return f"({then} if {condition} else {otherwise})"
        return condition

    _LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))
    _PYTHON = {"||": "or", "&&": "and"}

    def binary(self, level: int) -> str:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek(*self._LEVELS[level]):
            op = self.take().text
            right = self.binary(level + 1)
            left = f"({left} {self._PYTHON.get(op, op)} {right})"
        return left

    def unary(self) -> str:
        if self.peek("!"):
            self.take()
            return f"(not {self.unary()})"
        if self.peek("-"):
            self.take()
            return f"(-{self.unary()})"
        if self.pos < len(self.tokens) and self.tokens[self.pos].kind == "name" and \
                self.tokens[self.pos].text == "empty":
            self.take()
            operand = self.unary()
            return f"({operand} is None or {operand} == '' or {operand} == [] or {operand} == {{}})"
        return self.primary()

    def primary(self) -> str:
        if self.pos >= len(self.tokens):
            raise JuelError("表达式不完整", self.body)
        token = self.take()
        if token.kind == "number":
            return token.text
        if token.kind == "string":
            return repr(_unquote(token.text))
        if token.kind == "op" and token.text == "(":
            inner = self.ternary()
            if not self.peek(")"):
                raise JuelError("缺少右括号", self.rest() or self.body)
            self.take()
            return f"({inner})"
        if token.kind == "name":
            if token.text in _LITERALS:
                return _LITERALS[token.text]
            return self.path(token)
        raise JuelError("无法理解的部分", self.body[token.at:])

    def path(self, first: _Token) -> str:
        name = first.text
        if "$" in name or name.startswith("_") or keyword.iskeyword(name) or name == "execution":
            raise JuelError("不支持的变量名", name)
        source = name
        while self.peek("."):
            self.take()
            if self.pos >= len(self.tokens) or self.tokens[self.pos].kind != "name":
                raise JuelError("“.” 后应为属性名", self.rest() or self.body)
            source += f"[{self.take().text!r}]"
        if self.peek("(", "["):
            raise JuelError("不支持方法调用或下标", self.body[first.at:])
        return source


def _unquote(literal: str) -> str:
    body = literal[1:-1]
    return re.sub(r"\\(.)", lambda m: m.group(1), body)


def translate(text: str) -> str:
    """`${...}` → a Python expression for the sandbox; raises JuelError naming what is not understood."""
    match = _ENVELOPE.match(text or "")
    if match is None:
        raise JuelError("只支持整段为一个 ${...} 的表达式", (text or "").strip())
    return _Parser(match.group("body")).parse()
