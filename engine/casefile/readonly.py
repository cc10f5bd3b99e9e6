"""A completed form shown read-only: each filled field with the label its schema gives it.

The values stay codes-free for the reader: a choice becomes its `x-enum-labels` label, a list of rows
a table, a yes/no field a boolean the page words as 是/否. Empty fields are left out.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# What an entry holds, so a page knows how to draw it.
TEXT, LONG_TEXT, CHOICE, CHOICES, YES_NO, NUMBER, TABLE, GROUP = (
    "text", "long_text", "choice", "choices", "yes_no", "number", "table", "group")


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[Entry | None]]


@dataclass(frozen=True)
class Entry:
    """One filled field: its name, its label (the schema's title, in Chinese), what kind it is, its value."""

    name: str
    label: str
    kind: str
    value: object
    children: list[Entry] = field(default_factory=list)


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def field_order(schema: Mapping) -> list[str]:
    """The schema's fields in the order its form shows them (`x-ui.order`, then the rest)."""
    properties = list((schema.get("properties") or {}).keys())
    order = [name for name in (schema.get("x-ui") or {}).get("order", []) if name in properties]
    return order + [name for name in properties if name not in order]


def _label(prop: Mapping, value) -> str:
    labels = prop.get("x-enum-labels") or {}
    return str(labels.get(value, value))


def entry(name: str, prop: Mapping, value) -> Entry | None:
    """The entry of one field, or None when it was left empty."""
    if _empty(value):
        return None
    title = str(prop.get("title") or name)
    kind = prop.get("type")
    if isinstance(value, bool):
        labels = prop.get("x-enum-labels") or {}
        worded = labels.get("true" if value else "false")
        return Entry(name, title, CHOICE, str(worded)) if worded else Entry(name, title, YES_NO, value)
    if "enum" in prop:
        return Entry(name, title, CHOICE, _label(prop, value))
    if kind == "array" and isinstance(value, list):
        items = prop.get("items") or {}
        if items.get("type") == "object" or any(isinstance(v, dict) for v in value):
            return Entry(name, title, TABLE, table(items, value))
        return Entry(name, title, CHOICES, [_label(items, v) for v in value if not _empty(v)])
    if kind == "object" and isinstance(value, dict):
        children = entries(prop, value)
        return Entry(name, title, GROUP, None, children) if children else None
    if isinstance(value, (int, float)):
        return Entry(name, title, NUMBER, value)
    if isinstance(value, (list, dict)):
        return Entry(name, title, TEXT, str(value))
    widget = prop.get("x-widget")
    return Entry(name, title, LONG_TEXT if widget == "textarea" else TEXT, str(value))


def table(items: Mapping, rows: Iterable) -> Table:
    """Rows of an array of objects as a table whose columns are the row schema's fields that were filled."""
    rows = [r for r in rows if isinstance(r, dict)]
    properties = items.get("properties") or {}
    names = [n for n in field_order(items) if any(not _empty(r.get(n)) for r in rows)]
    names += sorted({k for r in rows for k in r if k not in properties and not _empty(r[k])})
    columns = [str((properties.get(n) or {}).get("title") or n) for n in names]
    return Table(columns, [[entry(n, properties.get(n) or {}, r.get(n)) for n in names] for r in rows])


def entries(schema: Mapping, data: Mapping | None, only: Iterable[str] | None = None) -> list[Entry]:
    """The filled fields of `data` in form order (or in the order of `only`), labelled from `schema`."""
    if not isinstance(data, Mapping):
        return []
    properties = schema.get("properties") or {}
    names = [n for n in (only if only is not None else field_order(schema)) if n in properties]
    found = [entry(name, properties.get(name) or {}, data.get(name)) for name in names if name in data]
    return [e for e in found if e is not None]
