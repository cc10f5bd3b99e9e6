"""Task forms: one JSON Schema per user-task form in this folder, loaded once and validated on the server.

A schema carries its own UI hints: `x-enum-labels` (Chinese labels of enum values) and `x-ui`
(field order, widgets, help). This module knows nothing of Flask or of the engine.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

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


def _path(error: ValidationError) -> str:
    return ".".join(str(part) for part in error.absolute_path)


def _field_errors(error: ValidationError) -> Iterable[tuple[str, str]]:
    """One (field path, message) per problem; `required` and `additionalProperties` name the field itself."""
    base = _path(error)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        yield (f"{base}.{missing}" if base else missing), _MESSAGES["required"]
    elif error.validator == "additionalProperties":
        extras = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        for extra in extras:
            yield (f"{base}.{extra}" if base else extra), _MESSAGES["additionalProperties"]
    elif error.validator == "format" and error.validator_value == "date":
        yield base, "日期格式应为 YYYY-MM-DD"
    else:
        yield base, _MESSAGES.get(str(error.validator), error.message)


class FormRegistry:
    """The forms of a folder, each schema checked once and its validator reused."""

    def __init__(self, folder: Path | None = None):
        self._schemas: dict[str, dict] = {}
        self._validators: dict[str, Draft202012Validator] = {}
        for path in sorted((folder or FORMS_DIR).glob("*.json")):
            schema = json.loads(path.read_text(encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
            self._schemas[path.stem] = schema
            self._validators[path.stem] = Draft202012Validator(schema, format_checker=FormatChecker())

    def keys(self) -> list[str]:
        """Every form key."""
        return list(self._schemas)

    def get(self, form_key: str) -> dict:
        """The JSON Schema of a form."""
        try:
            return self._schemas[form_key]
        except KeyError:
            raise UnknownForm(form_key) from None

    def validate(self, form_key: str, data: object) -> dict[str, list[str]]:
        """Field path -> messages; empty when the data is valid."""
        if form_key not in self._validators:
            raise UnknownForm(form_key)
        errors: dict[str, list[str]] = {}
        for error in self._validators[form_key].iter_errors(data):
            for field, message in _field_errors(error):
                if message not in errors.setdefault(field, []):
                    errors[field].append(message)
        return errors

    def initial_values(self, form_key: str, data: Mapping) -> dict:
        """The values in `data` for the form's own top-level fields, to prefill it."""
        properties = self.get(form_key).get("properties", {})
        return {name: data[name] for name in properties if name in data and data[name] is not None}
