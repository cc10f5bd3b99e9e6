"""What a request may carry, checked once before any view: every string free of NUL and lone surrogates (no
database stores them), JSON without NaN/Infinity and with bounded nesting, integers in the URL that a column holds.
A refusal is a 400 naming the field, whatever database runs below."""
from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider

from engine.errors import Invalid

MAX_DEPTH = 64  # objects and arrays within each other; forms and diagrams' JSON Schemas need far fewer
MAX_ID = 2**31 - 1  # ids and counts are 32-bit INTEGER columns on PostgreSQL
MAX_PAGE = 100_000  # a list page beyond this is empty anyway; its offset must stay a number the database takes
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_A_NUMBER = object()


def text_problem(value: str) -> str | None:
    """Why a string cannot be stored, or None."""
    if "\x00" in value:
        return "不能包含 NUL 字符（\\u0000）"
    if _SURROGATE.search(value):
        return "不能包含孤立的代理字符（不是有效的 Unicode 文本）"
    return None


def printable(value: str) -> str:
    """A name as an error may show it: NUL and lone surrogates written as escapes."""
    return re.sub("[\x00\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", value)


def whole_number(text: str | None, default: int | None = None, maximum: int = MAX_ID) -> int | None:
    """A page number or an id typed into a URL or form: ASCII digits within `maximum`, else `default`
    (`"²".isdigit()` is true, and a number beyond a column is no row either)."""
    if text and text.isascii() and text.isdigit() and len(text) <= len(str(maximum)) and int(text) <= maximum:
        return int(text)
    return default


def _refuse_constant(_name: str):
    return _NOT_A_NUMBER


def _join(path: str, key: Any) -> str:
    key = printable(key) if isinstance(key, str) else key
    return f"{path}.{key}" if path else str(key)


def _check_tree(document: Any) -> None:
    """Walk the parsed JSON without recursion: depth, NaN/Infinity, and every key and string."""
    pending = [(document, "", 1)]
    while pending:
        node, path, depth = pending.pop()
        if isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                raise Invalid(f"JSON 嵌套超过 {MAX_DEPTH} 层", {path or "": [f"嵌套不能超过 {MAX_DEPTH} 层"]})
            children = node.items() if isinstance(node, dict) else enumerate(node)
            for key, child in children:
                child_path = _join(path, key)
                if isinstance(key, str) and (problem := text_problem(key)):
                    raise Invalid(f"字段名{problem}", {child_path: [f"字段名{problem}"]})
                pending.append((child, child_path, depth + 1))
        elif node is _NOT_A_NUMBER:
            raise Invalid("JSON 中不允许 NaN 或 Infinity", {path: ["必须是有限的数值"]})
        elif isinstance(node, str) and (problem := text_problem(node)):
            raise Invalid(f"文本{problem}", {path: [problem]})


def parse_json(data: str | bytes) -> Any:
    """Strict JSON: what json.loads accepts, less NaN/Infinity, deep nesting, NUL and lone surrogates."""
    try:
        document = json.loads(data, parse_constant=_refuse_constant)
    except RecursionError:
        raise Invalid(f"JSON 嵌套超过 {MAX_DEPTH} 层", {"": [f"嵌套不能超过 {MAX_DEPTH} 层"]}) from None
    except json.JSONDecodeError as exc:
        raise Invalid(f"请求体不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）",
                      {"": ["不是有效的 JSON"]}) from None
    except ValueError:  # e.g. a number of more digits than Python converts, or bytes that are not UTF-8
        raise Invalid("请求体不是有效的 JSON", {"": ["不是有效的 JSON"]}) from None
    _check_tree(document)
    return document


class StrictJSONProvider(DefaultJSONProvider):
    """Every `request.get_json()` of the app parses with `parse_json`; a refusal is an `Invalid` (400)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return parse_json(s)


def _check_texts(where: str, pairs) -> None:
    for name, value in pairs:
        for text in (name, value):
            if isinstance(text, str) and (problem := text_problem(text)):
                shown = printable(str(name))
                raise Invalid(f"{where} {shown} {problem}", {shown: [problem]})


def check_request() -> None:
    """Path and query parameters, form fields, file names and headers; ids within their columns."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, int) and not isinstance(value, bool) and not -MAX_ID <= value <= MAX_ID:
            raise Invalid(f"参数 {name} 超出范围", {name: [f"必须是不大于 {MAX_ID} 的整数"]})
    _check_texts("路径参数", (request.view_args or {}).items())
    _check_texts("查询参数", request.args.items(multi=True))
    _check_texts("请求头", request.headers.items())
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        _check_texts("表单字段", request.form.items(multi=True))
        _check_texts("上传文件", ((name, upload.filename) for name, upload in request.files.items(multi=True)))


def init_request_guard(app: Flask) -> None:
    """Install the strict JSON parser and the check that runs before every view (and before CSRF)."""
    app.json = StrictJSONProvider(app)
    app.before_request(check_request)
