"""Responses checked against the OpenAPI document: the document is a contract, not a description.

The API test client calls `check_answer` on every response, so each test in tests/api checks what it gets back:
the status is documented for the operation, the body matches its schema, the content type is the documented one,
401 carries `WWW-Authenticate`, 405 carries `Allow`, 503 carries `Retry-After`, and an unknown path or method gets
a JSON error body."""
from __future__ import annotations

import functools
import json
import re

from jsonschema import Draft7Validator

PREFIX = "/api/v1"


def _convert(node):
    """OpenAPI 3.0's `nullable` as JSON Schema: the type may also be null."""
    if isinstance(node, list):
        return [_convert(n) for n in node]
    if not isinstance(node, dict):
        return node
    converted = {k: _convert(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


@functools.lru_cache(maxsize=4)
def _document(text: str) -> dict:
    return _convert(json.loads(text))


@functools.lru_cache(maxsize=4)
def _templates(text: str) -> list[tuple[re.Pattern, str]]:
    """Documented paths as patterns, the most literal first (`/drafts/{key}/publish` before `/drafts/{key}`)."""
    patterns = []
    for template in _document(text)["paths"]:
        regex = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template))
        if template.startswith("/group-mappings/"):
            regex = regex.replace("[^/]+", ".+")  # a group name may hold slashes
        patterns.append((re.compile(f"^{regex}$"), template))
    return sorted(patterns, key=lambda p: (p[1].count("{"), -len(p[1])))


def operation_path(text: str, path: str) -> str | None:
    """The documented path template a request path (below /api/v1, without its query) falls under."""
    for pattern, template in _templates(text):
        if pattern.match(path):
            return template
    return None


def _errors(schema: dict, document: dict, body) -> list[str]:
    found = sorted(Draft7Validator({**schema, "components": document["components"]}).iter_errors(body),
                   key=lambda e: list(e.path))
    return [f"{list(e.path)}: {e.message}" for e in found[:5]]


def _check_error_body(response, what: str) -> None:
    assert response.mimetype == "application/json", f"{what}: answered {response.mimetype}, not JSON"
    body = response.get_json()
    assert isinstance(body, dict) and {"status", "error", "message"} <= body.keys(), f"{what}: {body!r}"
    assert set(body) <= {"status", "error", "message", "fields", "element_id", "file", "line", "problems"}, body


def check_answer(text: str, method: str, full_path: str, response) -> None:
    """Fail unless `response` to `method full_path` is what the document (as `text`) promises."""
    path = full_path.split("?", 1)[0]
    what = f"{method} {path} → {response.status_code}"
    assert response.status_code < 500 or response.status_code == 503, f"{what}: a server error"
    if response.status_code == 401:
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), f"{what}: no WWW-Authenticate"
    if response.status_code == 503:
        assert response.headers.get("Retry-After", "").isdigit(), f"{what}: no Retry-After"
    template = operation_path(text, path[len(PREFIX):]) if path.startswith(PREFIX + "/") else None
    if template is None:
        if response.status_code in (404, 405):
            _check_error_body(response, what)
        return
    document = _document(text)
    operation = document["paths"][template].get(method.lower())
    if operation is None:
        assert response.status_code == 405, f"{what}: {method} is not documented for {template}"
        assert response.headers.get("Allow"), f"{what}: no Allow header"
        _check_error_body(response, what)
        return
    answer = operation["responses"].get(str(response.status_code))
    assert answer is not None, f"{what}, which is not documented for {method} {template}"
    content = answer.get("content")
    if not content:
        return
    assert response.mimetype in content, f"{what}: answered {response.mimetype}, documented {list(content)}"
    schema = content[response.mimetype].get("schema")
    if schema is not None and response.mimetype == "application/json":
        errors = _errors(schema, document, response.get_json())
        assert not errors, f"{what}: the body does not match the document: {errors}"


def check(api, response, path: str, method: str) -> None:
    """Fail unless `response` is documented for this path, method and status, and its body matches."""
    document = _document(json.dumps(api.get("/openapi.json").json, sort_keys=True))
    operation = document["paths"][path][method.lower()]
    answer = operation["responses"].get(str(response.status_code))
    assert answer is not None, f"{method} {path} answered {response.status_code}, which is not documented"
    content = answer.get("content", {}).get("application/json")
    if content is None:
        return
    errors = _errors(content["schema"], document, response.json)
    assert not errors, errors
