"""Drafts: a designer's edits of a process bundle and its forms, kept on the server where no case sees them.

A draft starts from the newest published version (or from a blank diagram for a new process). Every
save carries the revision it was based on and is applied only if nobody saved since (a conditional
update), so two designers never overwrite each other silently. Publishing checks the draft with the
same rules as deploy, publishes its edited forms, stores the next version with what changed, and
removes the draft, all in one transaction.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..bpmn.xml import parse_xml
from ..definitions import DefinitionInfo, check_context, latest_definitions, store_version
from ..errors import Conflict, DefinitionRejected, Invalid, NotFound, TooLarge
from ..models import Definition, FormVersion, ProcessDraft
from ..permissions import check_can_deploy, check_can_read_definitions
from ..runtime import Runtime
from ..users import Actor
from .compiler import compile_files
from .diff import diff_bundles
from .forms import current_forms
from .templates import blank_process

MAX_FILES = 50
MAX_TOTAL_BYTES = 10 * 1024 * 1024
MAX_FORM_BYTES = 256 * 1024
FILE_NAME = re.compile(r"^[\w\-. ]{1,100}\.(bpmn|dmn)$")
KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,99}$")


@dataclass(frozen=True)
class DraftView:
    key: str
    name: str
    files: dict[str, str]
    forms: dict[str, dict]          # forms edited in this draft (others are as published)
    revision: int                   # 0: nothing saved yet, the newest published version as it is
    base_version: int | None
    updated_by: str | None
    updated_at: datetime | None
    problems: list[dict]


def _problems(rt: Runtime, session: Session, files: Mapping[str, str], forms: Mapping[str, dict]) -> list[dict]:
    ctx = check_context(rt, session).within_bundle().with_forms(forms)
    compiled = compile_files({name: text.encode("utf-8") for name, text in files.items()}, ctx)
    return [p.as_dict() for p in compiled.problems]


def _latest(session: Session, key: str) -> Definition | None:
    return next((d for d in latest_definitions(session) if d.key == key), None)


def _view(rt: Runtime, session: Session, key: str) -> DraftView:
    row = session.scalar(select(ProcessDraft).where(ProcessDraft.key == key))
    if row is not None:
        base = session.get(Definition, row.base_definition_id) if row.base_definition_id else None
        return DraftView(row.key, row.name, dict(row.files), dict(row.forms), row.revision,
                         base.version if base else None, row.updated_by, row.updated_at,
                         _problems(rt, session, row.files, row.forms))
    definition = _latest(session, key)
    if definition is None:
        raise NotFound(f"流程 {key} 尚未部署，也没有草稿")
    return DraftView(key, definition.name, dict(definition.files), {}, 0, definition.version, None, None,
                     _problems(rt, session, definition.files, {}))


def get_draft(rt: Runtime, key: str, by: Actor) -> DraftView:
    """The draft of `key`, or (revision 0) its newest published version to start one from."""
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        return _view(rt, session, key)


def list_drafts(rt: Runtime, by: Actor) -> list[DraftView]:
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        rows = session.scalars(select(ProcessDraft).order_by(ProcessDraft.updated_at.desc())).all()
        bases = {d.id: d.version for d in session.scalars(select(Definition).where(
            Definition.id.in_([r.base_definition_id for r in rows if r.base_definition_id])))}
        return [DraftView(r.key, r.name, {}, {}, r.revision, bases.get(r.base_definition_id), r.updated_by,
                          r.updated_at, []) for r in rows]


def _checked_files(files: object) -> dict[str, str]:
    if not isinstance(files, dict) or not files:
        raise Invalid("草稿至少要有一个 BPMN 文件", {"files": ["必填"]})
    if len(files) > MAX_FILES:
        raise TooLarge(f"草稿最多 {MAX_FILES} 个文件")
    total = 0
    for name, text in files.items():
        if not isinstance(name, str) or not FILE_NAME.match(name) or not isinstance(text, str):
            raise Invalid(f"文件名 “{name}” 无效：须以 .bpmn 或 .dmn 结尾，只含字母、数字、-、_、.",
                          {f"files.{name}": ["文件名无效"]})
        content = text.encode("utf-8", errors="replace")
        total += len(content)
        if total > MAX_TOTAL_BYTES:
            raise TooLarge("草稿的文件过大")
        parse_xml(content, name)  # a draft holds XML that parses safely, whatever else is wrong with it
    return dict(files)


def _checked_forms(forms: object) -> dict[str, dict]:
    if forms is None:
        return {}
    if not isinstance(forms, dict):
        raise Invalid("forms 必须是对象：表单键 → JSON Schema", {"forms": ["必须是对象"]})
    for key, schema in forms.items():
        if not isinstance(key, str) or not KEY.match(key):
            raise Invalid(f"表单键 “{key}” 无效", {f"forms.{key}": ["只能用字母、数字、_ 和 -"]})
        check_form_schema(key, schema)
    return dict(forms)


def check_form_schema(key: str, schema: object) -> None:
    """A task form is a JSON Schema object whose top level is an object of fields."""
    if not isinstance(schema, dict) or schema.get("type") != "object" or \
            not isinstance(schema.get("properties"), dict):
        raise Invalid(f"表单 {key} 须是 type 为 object、带 properties 的 JSON Schema",
                      {f"forms.{key}": ["须是 type: object 并列出 properties"]})
    if len(json.dumps(schema, ensure_ascii=False).encode()) > MAX_FORM_BYTES:
        raise TooLarge(f"表单 {key} 过大")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.path) or "（顶层）"
        raise Invalid(f"表单 {key} 不是有效的 JSON Schema：{where} 处有误", {f"forms.{key}": [where]}) from exc


def save_draft(rt: Runtime, key: str, files: object, forms: object, revision: int, by: Actor,
               name: str | None = None) -> DraftView:
    """Save the draft if `revision` is still its revision (0 for the first save); the view has its problems."""
    check_can_deploy(by)
    files, forms = _checked_files(files), _checked_forms(forms)
    now = rt.clock.now()
    try:
        with rt.unit_of_work() as session:
            if revision == 0:
                base = _latest(session, key)
                session.add(ProcessDraft(key=key, name=name or (base.name if base else key), files=files,
                                         forms=forms, base_definition_id=base.id if base else None, revision=1,
                                         updated_by=by.username, updated_at=now))
                session.flush()
            else:
                values = dict(files=files, forms=forms, revision=revision + 1, updated_by=by.username,
                              updated_at=now)
                if name:
                    values["name"] = name
                result = session.execute(update(ProcessDraft).where(
                    ProcessDraft.key == key, ProcessDraft.revision == revision).values(**values))
                if result.rowcount != 1:
                    raise Conflict("草稿已被他人修改或已发布，请重新打开后再编辑")
            return _view(rt, session, key)
    except IntegrityError as exc:
        raise Conflict("该流程已有草稿（可能刚被他人创建），请重新打开") from exc


def new_process(rt: Runtime, key: str, name: str, by: Actor) -> DraftView:
    """A draft of a new process: a start, a first task in the centre's lane and an end, ready to draw on."""
    check_can_deploy(by)
    key, name = (key or "").strip(), (name or "").strip()
    if not KEY.match(key):
        raise Invalid("流程标识须以字母开头，只含字母、数字、_ 和 -（例如 legal_review）", {"key": ["格式不正确"]})
    if not name or len(name) > 200:
        raise Invalid("请填写流程名称（不超过 200 字）", {"name": ["必填"]})
    with rt.unit_of_work(write=False) as session:
        if _latest(session, key) is not None:
            raise Conflict(f"流程 {key} 已存在，请打开它的草稿")
    return save_draft(rt, key, {f"{key}.bpmn": blank_process(key, name)}, {}, 0, by, name=name)


def discard_draft(rt: Runtime, key: str, by: Actor) -> None:
    check_can_deploy(by)
    with rt.unit_of_work() as session:
        result = session.execute(delete(ProcessDraft).where(ProcessDraft.key == key))
        if result.rowcount != 1:
            raise NotFound(f"流程 {key} 没有草稿")
        audit.record(session, at=rt.clock.now(), actor=by.username, kind="draft_discarded",
                     summary=f"放弃流程 {key} 的草稿")


def publish_draft(rt: Runtime, key: str, revision: int, note: str, by: Actor,
                  extra_audit: dict | None = None) -> DefinitionInfo:
    """Check the draft, publish its edited forms and make it the next version; the draft is then gone.

    `extra_audit` (kind, summary, data) is one more audit event written in the same transaction, e.g. why
    an administrator published although scenarios failed."""
    check_can_deploy(by)
    note = (note or "").strip()
    if not note:
        raise Invalid("请写明本次发布的说明（改了什么、为什么）", {"note": ["必填"]})
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        row = session.scalar(select(ProcessDraft).where(ProcessDraft.key == key).with_for_update())
        if row is None:
            raise NotFound(f"流程 {key} 没有草稿")
        if row.revision != revision:
            raise Conflict("草稿在你检查之后又被修改过，请重新检查后再发布")
        ctx = check_context(rt, session).within_bundle().with_forms(row.forms)
        compiled = compile_files({n: t.encode("utf-8") for n, t in row.files.items()}, ctx)
        compiled.raise_for_errors()
        if key not in compiled.processes:
            raise DefinitionRejected(f"草稿中没有标识为 {key} 的流程：主流程的 id 必须是 {key}")
        _publish_forms(rt, session, row.forms, by, now)
        info = store_version(rt, session, compiled, key, by, note)
        if extra_audit is not None:
            audit.record(session, at=now, actor=by.username, **extra_audit)
        session.delete(row)
        return info


def _publish_forms(rt: Runtime, session: Session, forms: Mapping[str, dict], by: Actor, now: datetime) -> None:
    """A new version of every form the draft changed."""
    current = current_forms(rt, session)
    for key, schema in forms.items():
        if current.get(key) == schema:
            continue
        newest = session.scalar(select(FormVersion.version).where(FormVersion.key == key)
                                .order_by(FormVersion.version.desc()).limit(1)) or 0
        session.add(FormVersion(key=key, version=newest + 1, schema=schema, published_at=now,
                                published_by=by.username))
        audit.record(session, at=now, actor=by.username, kind="form_published",
                     summary=f"发布表单 {key} 第 {newest + 1} 版", data={"key": key, "version": newest + 1})
    try:
        session.flush()
    except IntegrityError as exc:  # the same form published by another draft at the same moment
        raise Conflict("表单刚刚由他人发布了新版本，请重新检查后再发布") from exc


def changes_against_published(rt: Runtime, key: str, files: Mapping[str, str], by: Actor) -> dict:
    """What publishing these files would change against the newest published version of `key`."""
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        latest = _latest(session, key)
        return diff_bundles(latest.files if latest else None, files)
