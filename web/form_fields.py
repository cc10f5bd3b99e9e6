"""A task form's JSON Schema as HTML fields, and posted HTML fields back as the JSON the schema validates.

The schema stays the one source of truth: the server validates every submission against it
(engine side); this module only shapes it for templates and reads the browser's flat form
encoding (`parties-0-name`, repeated checkboxes) back into nested data.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

MAX_ROWS = 50


@dataclass
class Option:
    value: str
    label: str


@dataclass
class Field:
    """One input, with what the browser needs to validate it before the server does again."""

    name: str
    label: str
    help: str
    widget: str  # text, textarea, select, radio, checkboxes, checkbox, number, date, lines, rows
    required: bool = False
    options: list[Option] = field(default_factory=list)
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    problem: str = ""  # what the browser says when the pattern does not match
    format: str = ""  # `cn-resident-id`: the page script checks the check digit too
    columns: list[Field] = field(default_factory=list)  # the fields of one row, for `rows`
    min_rows: int = 0
    read_only: bool = False  # shown with its value's label, never posted (`readOnly`)
    not_in: str = ""  # another field whose chosen value this field's choices may not include (`x-not-in`)


def _options(schema: Mapping) -> list[Option]:
    labels = schema.get("x-enum-labels", {})
    if schema.get("type") == "boolean":  # a yes/no asked as two choices: `true`/`false` and their labels
        return [Option(value, labels.get(value, value)) for value in ("true", "false")]
    return [Option(str(value), labels.get(value, str(value))) for value in schema.get("enum", [])]


def _widget(schema: Mapping, in_row: bool = False) -> str:
    kind = schema.get("type")
    if kind == "boolean":
        return "radio" if schema.get("x-widget") == "radio" else "checkbox"
    if kind in ("number", "integer"):
        return "number"
    if kind == "array":
        items = schema.get("items", {})
        if items.get("type") == "object":
            return "rows"
        return "checkboxes" if "enum" in items else "lines"
    if kind == "object":
        return "group"
    if "enum" in schema:  # a table cell has room for a select only
        return "radio" if len(schema["enum"]) <= 3 and not in_row else "select"
    if schema.get("format") == "date":
        return "date"
    return schema.get("x-widget") or "text"


def _ordered(schema: Mapping) -> list[str]:
    properties = list(schema.get("properties", {}))
    order = [name for name in schema.get("x-ui", {}).get("order", []) if name in properties]
    return order + [name for name in properties if name not in order]


def fields_of(schema: Mapping, prefix: str = "", in_row: bool = False) -> list[Field]:
    """The inputs of an object schema, in its `x-ui.order`, nested objects flattened with a dotted name.

    In a table row (`in_row`) every choice is a select, so a row added in the browser is the same row."""
    required = set(schema.get("required", []))
    excluded_by = {many: f"{prefix}{single}" for single, many in schema.get("x-not-in", {}).items()}
    result = []
    for name in _ordered(schema):
        prop = schema["properties"][name]
        widget = _widget(prop, in_row)
        full = f"{prefix}{name}"
        if widget == "group":
            result.extend(fields_of(prop, prefix=f"{full}."))
            continue
        item = Field(full, prop.get("title", name), prop.get("description", ""), widget, name in required,
                     min_length=prop.get("minLength"), max_length=prop.get("maxLength"),
                     minimum=prop.get("minimum"), maximum=prop.get("maximum"), pattern=prop.get("pattern"),
                     problem=prop.get("x-messages", {}).get("pattern", ""), format=prop.get("format", ""))
        item.read_only = bool(prop.get("readOnly"))
        if widget in ("select", "radio"):
            item.options = _options(prop)
        elif widget == "checkboxes":
            item.options = _options(prop["items"])
            item.not_in = excluded_by.get(name, "")
        elif widget == "rows":
            item.columns = fields_of(prop["items"], in_row=True)
            item.min_rows = prop.get("minItems", 0)
        result.append(item)
    return result


def _scalar(schema: Mapping, raw: str):
    """A posted string as the schema's type; a number that does not parse is kept so validation names it."""
    raw = raw.strip()
    if raw == "":
        return None
    if schema.get("type") == "integer":
        try:
            return int(raw)
        except ValueError:
            return raw
    if schema.get("type") == "number":
        try:
            number = float(raw)
        except ValueError:
            return raw
        return int(number) if number.is_integer() else number
    return raw


def _object_from(schema: Mapping, form: MultiDict, prefix: str) -> dict:
    data: dict = {}
    for name, prop in schema.get("properties", {}).items():
        key = f"{prefix}{name}"
        kind = prop.get("type")
        if prop.get("readOnly"):
            continue  # shown, never taken from the browser
        if kind == "object":
            nested = _object_from(prop, form, f"{key}.")
            if nested:
                data[name] = nested
        elif kind == "boolean" and prop.get("x-widget") == "radio":
            if form.get(key) in ("true", "false"):  # nothing chosen stays missing, so `required` says so
                data[name] = form.get(key) == "true"
        elif kind == "boolean":
            if key in form or f"{key}.present" in form:
                data[name] = form.get(key) in ("on", "true", "1", "yes")
        elif kind == "array":
            items = prop.get("items", {})
            if items.get("type") == "object":
                rows = [_object_from(items, form, f"{key}-{index}-") for index in range(MAX_ROWS)]
                rows = [row for row in rows if row]
                if rows or f"{key}.present" in form:
                    data[name] = rows
            elif "enum" in items:
                if key in form or f"{key}.present" in form:
                    data[name] = [value for value in form.getlist(key) if value]
            else:
                lines = [line.strip() for line in form.get(key, "").splitlines() if line.strip()]
                if lines or key in form:
                    data[name] = lines
        else:
            value = _scalar(prop, form.get(key, ""))
            if value is not None:
                data[name] = value
    return data


def data_from_form(schema: Mapping, form: MultiDict) -> dict:
    """The JSON a browser's submission of `fields_of(schema)` stands for; empty inputs are left out."""
    return _object_from(schema, form, "")


def value_at(data: Mapping, dotted: str):
    """The value of a dotted field name in nested data (for prefilling)."""
    current = data
    for part in dotted.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return None
        current = current[part]
    return current


def errors_by_field(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Validation errors keyed as the inputs are named: `parties.0.name` becomes `parties-0-name`."""
    result: dict[str, list[str]] = {}
    for path, messages in errors.items():
        parts = path.split(".")
        if len(parts) >= 3 and parts[1].isdigit():
            name = f"{parts[0]}-{parts[1]}-{'.'.join(parts[2:])}"
        else:
            name = path
        result.setdefault(name, []).extend(messages)
    return result
