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
    """The forms of a folder (or a published definition's copies), each schema checked once and its
    validator reused. A registry built from copies falls back to another for keys it does not hold."""

    def __init__(self, folder: Path | None = None, schemas: Mapping[str, dict] | None = None,
                 fallback: FormRegistry | None = None):
        self._schemas: dict[str, dict] = {}
        self._validators: dict[str, Draft202012Validator] = {}
        self._fallback = fallback
        if schemas is None:
            schemas = {path.stem: json.loads(path.read_text(encoding="utf-8"))
                       for path in sorted((folder or FORMS_DIR).glob("*.json"))}
        for key, schema in schemas.items():
            Draft202012Validator.check_schema(schema)
            self._schemas[key] = schema
            self._validators[key] = Draft202012Validator(schema, format_checker=FormatChecker())

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
        for error in self._validators[form_key].iter_errors(data):
            for field, message in _field_errors(error):
                if message not in errors.setdefault(field, []):
                    errors[field].append(message)
        return errors

    def initial_values(self, form_key: str, data: Mapping) -> dict:
        """The values in `data` for the form's own top-level fields, to prefill it."""
        properties = self.get(form_key).get("properties", {})
        return {name: data[name] for name in properties if name in data and data[name] is not None}
