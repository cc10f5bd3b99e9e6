"""Responses checked against the OpenAPI document: the document is a contract, not a description."""
from __future__ import annotations

import functools
import json

from jsonschema import Draft7Validator


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


@functools.lru_cache(maxsize=1)
def _document(text: str) -> dict:
    return _convert(json.loads(text))


def check(api, response, path: str, method: str) -> None:
    """Fail unless `response` is documented for this path, method and status, and its body matches."""
    document = _document(json.dumps(api.get("/openapi.json").json, sort_keys=True))
    operation = document["paths"][path][method.lower()]
    answer = operation["responses"].get(str(response.status_code))
    assert answer is not None, f"{method} {path} answered {response.status_code}, which is not documented"
    content = answer.get("content", {}).get("application/json")
    if content is None:
        return
    schema = {**content["schema"], "components": document["components"]}
    errors = sorted(Draft7Validator(schema).iter_errors(response.json), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
