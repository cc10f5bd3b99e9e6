"""Lean serialisers for the hottest answers (a completion, the work-item list), built from their marshmallow
schemas so the OpenAPI document stays the one description of them.

`lean_dumper(Schema)` reads the schema's declared fields once and returns a function that turns an object (or
a dict) into the same JSON-ready dict as `Schema().dump(obj)` would, without marshmallow's per-call machinery:
about a tenth of the time for a completion. Only the field kinds these schemas use are supported; any other
kind makes `lean_dumper` refuse at import time rather than answer differently from marshmallow.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from marshmallow import Schema, fields


def _iso(value: datetime | None):
    return None if value is None else value.isoformat()


def _int(value):
    return None if value is None else int(value)


def _str(value):
    return None if value is None else str(value)


def _bool(value):
    return None if value is None else bool(value)


def _same(value):
    return value


_CONVERTERS: list[tuple[type, Callable]] = [
    (fields.DateTime, _iso), (fields.Integer, _int), (fields.String, _str), (fields.Boolean, _bool),
    (fields.Dict, _same), (fields.Raw, _same),
]


def _converter(field: fields.Field) -> Callable:
    if isinstance(field, fields.Nested):
        inner = lean_dumper(type(field.schema))
        return lambda value: None if value is None else inner(value)
    if isinstance(field, fields.List):
        element = _converter(field.inner)
        return lambda value: None if value is None else [element(v) for v in value]
    if isinstance(field, fields.DateTime) and field.format not in (None, "iso"):
        raise TypeError(f"lean_dumper: DateTime format {field.format!r} is not supported")
    if isinstance(field, fields.Integer) and field.as_string:
        raise TypeError("lean_dumper: Integer(as_string=True) is not supported")
    for kind, convert in _CONVERTERS:
        if isinstance(field, kind) and not isinstance(field, (fields.Nested, fields.List)):
            if kind in (fields.Dict, fields.Raw) or type(field) in (kind, fields.AwareDateTime, fields.NaiveDateTime):
                return convert
    raise TypeError(f"lean_dumper: field kind {type(field).__name__} is not supported")


_MISSING = object()
_cache: dict[type, Callable] = {}


def lean_dumper(schema_class: type[Schema]) -> Callable[[object], dict]:
    """A function equal to `schema_class().dump` for objects with attributes or dicts."""
    found = _cache.get(schema_class)
    if found is not None:
        return found
    schema = schema_class()
    plan = [(name, field.data_key or name, field.attribute or name, _converter(field))
            for name, field in schema.dump_fields.items()]

    def dump(obj) -> dict:
        out = {}
        if isinstance(obj, dict):
            for _name, key, attribute, convert in plan:
                value = obj.get(attribute, _MISSING)
                if value is not _MISSING:
                    out[key] = convert(value)
        else:
            for _name, key, attribute, convert in plan:
                value = getattr(obj, attribute, _MISSING)
                if value is not _MISSING:
                    out[key] = convert(value)
        return out

    _cache[schema_class] = dump
    return dump
