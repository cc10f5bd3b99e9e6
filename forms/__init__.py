"""Task forms: one JSON Schema per user-task form in this folder, loaded once and validated on the server.

A schema carries its own UI hints: `x-enum-labels` (Chinese labels of enum values), `x-ui`
(field order, widgets, help) and `x-messages` (what to say when a keyword fails); and two checks of
its own (`forms.checks`). Every message names its field: "联系电话：应为11位手机号或带区号的固定电话".
This module knows nothing of Flask or of the engine.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from .checks import format_checker, not_in, read_only

FORMS_DIR = Path(__file__).parent


class UnknownForm(KeyError):
    """No form with this key exists."""


_MESSAGES = {
    "required": "必填",
    "type": "类型不正确",
    "enum": "不在可选范围内",
    "format": "格式不正确",
    "pattern": "格式不正确",
    "maxLength": "内容过长",
    "minLength": "不能为空",
    "minItems": "至少需要一项",
    "maxItems": "项目过多",
    "minimum": "数值过小",
    "maximum": "数值过大",
    "additionalProperties": "不允许的字段",
    "uniqueItems": "不能重复",
}
# A field's own messages may replace these: `"x-messages": {"pattern": "应为11位手机号…"}`.
SEPARATOR = "："  # between the field's label and what is wrong: "联系电话：应为11位手机号…"
ROW = "（第{n}行）"  # a field of a table row: "当事人（第2行）身份证号"


def _path(parts) -> str:
    return ".".join(str(part) for part in parts)


def _field_schema(root: Mapping, parts: list) -> Mapping:
    """The schema of the field at a data path (array indexes step into `items`)."""
    node: Mapping = root
    for part in parts:
        if isinstance(part, int):
            node = node.get("items", {}) if isinstance(node.get("items"), Mapping) else {}
        else:
            node = node.get("properties", {}).get(part, {})
    return node


def label_of(root: Mapping, parts: list) -> str:
    """How a person names the field at a data path: its title, after the table and row for a row's field."""
    label, node, in_row = "", root, False
    for part in parts:
        if isinstance(part, int):
            label, in_row = label + ROW.format(n=part + 1), True
            node = node.get("items", {}) if isinstance(node.get("items"), Mapping) else {}
            continue
        node = node.get("properties", {}).get(part, {})
        title = node.get("title") or str(part)
        label, in_row = (label + title if in_row else title), False
    return label


def _problem(root: Mapping, parts: list, error: ValidationError) -> str:
    validator = str(error.validator)
    own = _field_schema(root, parts).get("x-messages", {})
    if validator in own:
        return own[validator]
    if validator == "format" and error.cause is not None and str(error.cause):
        return str(error.cause)
    if validator == "format" and error.validator_value == "date":
        return "日期格式应为 YYYY-MM-DD"
    return _MESSAGES.get(validator, error.message)


def _field_errors(root: Mapping, error: ValidationError) -> Iterable[tuple[str, str]]:
    """One (field path, "label：problem") per problem; `required` and `additionalProperties` name the field."""
    base = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        parts = [*base, missing]
        problem = _field_schema(root, parts).get("x-messages", {}).get("required", _MESSAGES["required"])
        yield _path(parts), label_of(root, parts) + SEPARATOR + problem
    elif error.validator == "additionalProperties":
        for extra in sorted(set(error.instance) - set(error.schema.get("properties", {}))):
            yield _path([*base, extra]), f"{extra}{SEPARATOR}{_MESSAGES['additionalProperties']}"
    else:
        label = label_of(root, base)
        yield _path(base), (label + SEPARATOR if label else "") + _problem(root, base, error)


_Validator = validators.extend(Draft202012Validator, {"x-not-in": not_in, "readOnly": read_only})


class FormRegistry:
    """The forms of a folder (or a published definition's copies), each schema checked once and its
    validator reused. A registry built from copies falls back to another for keys it does not hold."""

    def __init__(self, folder: Path | None = None, schemas: Mapping[str, dict] | None = None,
                 fallback: FormRegistry | None = None):
        self._schemas: dict[str, dict] = {}
        self._validators: dict[str, Draft202012Validator] = {}
        checker = format_checker()
        self._fallback = fallback
        if schemas is None:
            schemas = {path.stem: json.loads(path.read_text(encoding="utf-8"))
                       for path in sorted((folder or FORMS_DIR).glob("*.json"))}
        for key, schema in schemas.items():
            Draft202012Validator.check_schema(schema)
            self._schemas[key] = schema
            self._validators[key] = _Validator(schema, format_checker=checker)

    @classmethod
    def of(cls, schemas: Mapping[str, dict], fallback: FormRegistry) -> FormRegistry:
        """A registry of the given schemas, falling back to `fallback` for any other key."""
        return cls(schemas=schemas, fallback=fallback)

    def keys(self) -> list[str]:
        """Every form key."""
        return list(dict.fromkeys([*self._schemas, *(self._fallback.keys() if self._fallback else [])]))

    def get(self, form_key: str) -> dict:
        """The JSON Schema of a form."""
        if form_key in self._schemas:
            return self._schemas[form_key]
        if self._fallback is not None:
            return self._fallback.get(form_key)
        raise UnknownForm(form_key)

    def validate(self, form_key: str, data: object) -> dict[str, list[str]]:
        """Field path -> messages; empty when the data is valid."""
        if form_key not in self._validators:
            if self._fallback is not None:
                return self._fallback.validate(form_key, data)
            raise UnknownForm(form_key)
        errors: dict[str, list[str]] = {}
        shape_wrong: set[str] = set()
        found = sorted(self._validators[form_key].iter_errors(data), key=lambda e: e.validator != "pattern")
        for error in found:
            if error.validator == "format" and _path(error.absolute_path) in shape_wrong:
                continue  # the pattern already said the shape is wrong: one message per field is enough
            if error.validator == "pattern":
                shape_wrong.add(_path(error.absolute_path))
            for field, message in _field_errors(self._schemas[form_key], error):
                if message not in errors.setdefault(field, []):
                    errors[field].append(message)
        return errors

    def with_defaults(self, form_key: str, data: Mapping) -> dict:
        """The data with each top-level field it leaves out set to that field's `default`, if it has one."""
        properties = self.get(form_key).get("properties", {})
        missing = {name: prop["default"] for name, prop in properties.items()
                   if "default" in prop and name not in data}
        return {**data, **json.loads(json.dumps(missing))}

    def initial_values(self, form_key: str, data: Mapping) -> dict:
        """The values in `data` for the form's own top-level fields, to prefill it (and to show the read-only ones)."""
        properties = self.get(form_key).get("properties", {})
        return {name: data[name] for name in properties if name in data and data[name] is not None}
