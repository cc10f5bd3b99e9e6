"""Filling a .docx template with a case's fields (docxtpl), and checking an uploaded template's fields.

Templates run in Jinja's sandbox: an administrator's upload may use the fields and plain expressions, never
reach into Python objects."""
from __future__ import annotations

import io
import zipfile

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import Invalid

MAX_TEMPLATE_BYTES = 2 * 1024 * 1024


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment()


def _template(content: bytes) -> DocxTemplate:
    if not content.startswith(b"PK\x03\x04"):
        raise Invalid("模板须为 .docx 文件", {"file": ["这不是一个有效的 .docx 文件"]})
    try:
        template = DocxTemplate(io.BytesIO(content))
        template.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Invalid("模板须为 .docx 文件", {"file": ["这不是一个有效的 .docx 文件"]}) from exc
    return template


def render(content: bytes, context: dict) -> bytes:
    """The template `content` filled with `context`, as .docx bytes."""
    template = _template(content)
    template.render(context, jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def fields_used(content: bytes) -> set[str]:
    """The fields (top-level names) a template uses; Invalid when it is not a .docx or its fields do not parse."""
    template = _template(content)
    try:
        return set(template.get_undeclared_template_variables(jinja_env=_environment()))
    except TemplateError as exc:
        message = f"模板中的字段写法有误：{getattr(exc, 'message', None) or exc}"
        raise Invalid(message, {"file": [message]}) from exc


def check_template(content: bytes, known: dict[str, str], sample: dict) -> None:
    """Refuse a template that is too large, not a .docx, uses a field not in `known` (naming it), or does
    not fill with the `sample` fields."""
    if len(content) > MAX_TEMPLATE_BYTES:
        raise Invalid("模板文件过大", {"file": [f"不能超过 {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB"]})
    unknown = sorted(fields_used(content) - set(known))
    if unknown:
        names = "、".join(unknown)
        message = f"模板使用了未知字段：{names}"
        raise Invalid(message, {"file": [message]}, unknown_fields=unknown)
    try:
        render(content, sample)
    except TemplateError as exc:
        message = f"模板无法填写：{getattr(exc, 'message', None) or exc}"
        raise Invalid(message, {"file": [message]}) from exc
