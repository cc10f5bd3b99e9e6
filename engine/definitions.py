"""Deploying process definitions: check, version, store. Running cases keep the version they started on."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit
from .bpmn.bundle import parse_bundle
from .bpmn.meta import BPMN
from .errors import Conflict, DefinitionRejected, NotFound, TooLarge
from .models import Definition
from .permissions import check_can_deploy, check_can_read_definitions
from .runtime import Runtime
from .studio.compiler import Compiled, compile_files
from .studio.context import CheckContext
from .studio.diff import diff_bundles
from .studio.forms import current_forms, used_forms
from .users import SYSTEM, Actor

MAX_FILES = 50
MAX_TOTAL_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class DefinitionInfo:
    id: int
    key: str
    version: int
    name: str
    process_ids: list[str]
    files: list[str]
    deployed_at: datetime
    deployed_by: str
    created: bool = True
    note: str = ""
    changes: dict | None = None

    @classmethod
    def of(cls, row: Definition, created: bool = True) -> DefinitionInfo:
        return cls(row.id, row.key, row.version, row.name, list(row.process_ids), sorted(row.files),
                   row.deployed_at, row.deployed_by, created, row.note or "", row.changes)


def files_from_path(path: Path) -> dict[str, bytes]:
    """The .bpmn and .dmn files at `path` (a file, or a directory searched recursively)."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    found = {p.name: p.read_bytes() for p in sorted(path.rglob("*")) if p.suffix in (".bpmn", ".dmn")}
    if not found:
        raise DefinitionRejected(f"{path} 下没有 .bpmn 或 .dmn 文件")
    return found


def latest_definitions(session: Session) -> list[Definition]:
    """The newest version of every key."""
    newest = (select(Definition.key, func.max(Definition.version).label("v"))
              .group_by(Definition.key).subquery())
    return list(session.scalars(select(Definition).join(
        newest, (Definition.key == newest.c.key) & (Definition.version == newest.c.v))))


def latest(session: Session, key: str) -> Definition:
    row = session.scalar(select(Definition).where(Definition.key == key)
                         .order_by(Definition.version.desc()).limit(1))
    if row is None:
        raise NotFound(f"流程 {key} 尚未部署")
    return row


def _checksum(files: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(files.items()), ensure_ascii=False).encode()).hexdigest()


def _process_ids_in(definition: Definition, name: str) -> list[str]:
    return definition.meta.get("files", {}).get(name, [])


def check_context(rt: Runtime, session: Session) -> CheckContext:
    """What the checks know of this centre now; call activities may reach deployed processes
    (`within_bundle()` for a bundle that must hold every process it calls)."""
    processes = frozenset(pid for d in latest_definitions(session) for pid in d.process_ids)
    return CheckContext.of_database(session, current_forms(rt, session), rt.checks, processes, rt.clock, rt.calendar)


def _calls_in(content: bytes) -> set[str]:
    """The processes a stored (already checked) BPMN file calls."""
    root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    return {call.get("calledElement") for call in root.iter(f"{{{BPMN}}}callActivity")}


def bundle_for(session: Session, uploads: Mapping[str, bytes], ctx: CheckContext) -> tuple[dict[str, bytes],
                                                                                           Definition | None]:
    """The whole bundle an upload belongs to: the uploaded files, the rest of the deployed bundle they
    update, and any deployed file holding a process they call. Returns the files and that base bundle."""
    first = compile_files(uploads, ctx)
    first.raise_for_errors()
    defined = set(first.processes)
    base = _base_bundle(session, defined)
    files = dict(uploads)
    calls = {call.get("calledElement") for source in first.processes.values()
             for call in source.element.iter(f"{{{BPMN}}}callActivity")}

    def add(definition: Definition, name: str) -> None:
        files[name] = definition.files[name].encode("utf-8")
        defined.update(_process_ids_in(definition, name))
        calls.update(_calls_in(files[name]))

    if base is not None:
        for name in base.files:
            if name not in files and not set(_process_ids_in(base, name)) & set(first.processes):
                add(base, name)
    pools = ([base] if base is not None else []) + [d for d in latest_definitions(session) if d is not base]
    while True:
        missing = sorted(calls - defined)
        source = next(((d, name) for pid in missing for d in pools for name in d.files
                       if pid in _process_ids_in(d, name) and name not in files), None)
        if source is None:
            return files, base
        add(*source)


def deploy(rt: Runtime, uploads: Mapping[str, bytes], by: Actor = SYSTEM, note: str = "") -> DefinitionInfo:
    """Check and store a new version; files that replace part of a deployed bundle make its next version."""
    check_can_deploy(by)
    if not uploads:
        raise DefinitionRejected("没有上传任何文件")
    if len(uploads) > MAX_FILES or sum(len(c) for c in uploads.values()) > MAX_TOTAL_BYTES:
        raise TooLarge("上传的文件过多或过大")
    with rt.unit_of_work() as session:
        ctx = check_context(rt, session)
        files, base = bundle_for(session, uploads, ctx)
        compiled = compile_files(files, ctx.within_bundle())
        compiled.raise_for_errors()
        key = base.key if base is not None else _main_of(compiled)
        return store_version(rt, session, compiled, key, by, note)


def _main_of(compiled: Compiled) -> str:
    candidates = compiled.roots()  # executable processes no other calls: the other pools are only drawn
    if len(candidates) != 1:
        raise DefinitionRejected(
            f"无法确定主流程：找到 {len(candidates)} 个顶层流程（{', '.join(candidates) or '无'}），"
            "请每次只部署一个主流程及其调用的子流程")
    return candidates[0]


def store_version(rt: Runtime, session: Session, compiled: Compiled, key: str, by: Actor,
                  note: str = "") -> DefinitionInfo:
    """Store a checked bundle as the next version of `key`, unless it is the same as the newest one."""
    texts = compiled.authored_texts()
    executable = compiled.executable_texts()
    full_meta = {"main": key, "processes": compiled.meta,
                 "files": {name: f.process_ids for name, f in compiled.files.items()}}
    forms = used_forms(compiled.meta, current_forms(rt, session))
    bundle = parse_bundle(executable, key, full_meta)
    checksum = _checksum({**texts, **{f"form:{k}": json.dumps(v, sort_keys=True) for k, v in forms.items()}})
    current = session.scalar(select(Definition).where(Definition.key == key)
                             .order_by(Definition.version.desc()).limit(1))
    if current is not None and current.checksum == checksum:
        return DefinitionInfo.of(current, created=False)
    changes = diff_bundles(current.files if current is not None else None, texts)
    row = Definition(key=key, version=(current.version + 1) if current else 1,
                     name=compiled.meta.get(key, {}).get("name", key), files=texts, executable=executable,
                     forms=forms, process_ids=sorted(compiled.meta), meta=full_meta, checksum=checksum,
                     deployed_at=rt.clock.now(), deployed_by=by.username, note=note[:2000], changes=changes)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # someone published this process's next version at the same moment
        raise Conflict(f"流程 {key} 刚刚由他人发布了新版本，请刷新后重试") from exc
    audit.record(session, at=rt.clock.now(), actor=by.username, kind="definition_deployed",
                 summary=f"部署流程 {key} 第 {row.version} 版（{', '.join(sorted(texts))}）",
                 data={"key": key, "version": row.version, "files": sorted(texts), "note": note[:2000]})
    rt.specs.put(row.id, bundle)
    return DefinitionInfo.of(row)


def _base_bundle(session: Session, uploaded_pids: set[str]) -> Definition | None:
    """The deployed bundle this upload updates: the one keyed by an uploaded process, else one holding them all."""
    latest_rows = latest_definitions(session)
    for row in latest_rows:
        if row.key in uploaded_pids:
            return row
    for row in latest_rows:
        if uploaded_pids and uploaded_pids <= set(row.process_ids):
            return row
    return None


def list_definitions(rt: Runtime, by: Actor) -> list[DefinitionInfo]:
    """Every deployed version, newest first per key."""
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        rows = session.scalars(select(Definition).order_by(Definition.key, Definition.version.desc()))
        return [DefinitionInfo.of(row) for row in rows]


def definition_file(rt: Runtime, definition_id: int, filename: str, by: Actor) -> str:
    """One stored file of a deployed version, to open in a modeler."""
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        row = session.get(Definition, definition_id)
        if row is None or filename not in row.files:
            raise NotFound(f"流程定义文件 {filename} 不存在")
        return row.files[filename]
