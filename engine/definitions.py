"""Deploying process definitions: check, version, store. Running cases keep the version they started on."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import audit
from .bpmn.bundle import CheckedFile, check_bundle, check_file, parse_bundle, roots
from .bpmn.meta import BPMN
from .errors import DefinitionRejected, NotFound, TooLarge
from .models import Definition
from .permissions import check_can_deploy, check_can_read_definitions
from .runtime import Runtime
from .users import SYSTEM, Actor, department_names

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

    @classmethod
    def of(cls, row: Definition, created: bool = True) -> DefinitionInfo:
        return cls(row.id, row.key, row.version, row.name, list(row.process_ids), sorted(row.files),
                   row.deployed_at, row.deployed_by, created)


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


def _called(checked: list[CheckedFile]) -> dict[str, str]:
    """calledElement -> call activity id, over the given files."""
    return {ca.get("calledElement"): ca.get("id") for f in checked
            for ca in f.root.iter(f"{{{BPMN}}}callActivity")}


def deploy(rt: Runtime, uploads: Mapping[str, bytes], by: Actor = SYSTEM) -> DefinitionInfo:
    """Check and store a new version; files that replace part of a deployed bundle make its next version."""
    check_can_deploy(by)
    if not uploads:
        raise DefinitionRejected("没有上传任何文件")
    if len(uploads) > MAX_FILES or sum(len(c) for c in uploads.values()) > MAX_TOTAL_BYTES:
        raise TooLarge("上传的文件过多或过大")
    with rt.unit_of_work() as session:
        departments = department_names(session)
        form_keys = set(rt.forms.keys())
        checked, meta = [], {}
        for name, content in uploads.items():
            file, file_meta = check_file(name, content, departments, form_keys)
            checked.append(file)
            meta.update(file_meta)
        uploaded_pids = {pid for f in checked for pid in f.process_ids}
        bundle_files = {f.name: f for f in checked}
        base = _base_bundle(session, uploaded_pids)
        key = base.key if base is not None else None
        pools = [base] if base is not None else []
        pools += [d for d in latest_definitions(session) if d is not base]
        _complete_from(pools, bundle_files, meta, departments, form_keys, uploaded_pids, base)
        files = list(bundle_files.values())
        check_bundle(files)
        missing = {pid: ca for pid, ca in _called(files).items()
                   if pid not in {p for f in files for p in f.process_ids}}
        if missing:
            pid, ca = next(iter(missing.items()))
            raise DefinitionRejected(f"调用活动 {ca} 调用的流程 “{pid}” 既不在本次上传中，也未部署过",
                                     element_id=ca)
        if key is None:
            candidates = roots(files)
            if len(candidates) != 1:
                raise DefinitionRejected(
                    f"无法确定主流程：找到 {len(candidates)} 个顶层流程（{', '.join(candidates) or '无'}），"
                    "请每次只部署一个主流程及其调用的子流程")
            key = candidates[0]
        texts = {f.name: f.content for f in files}
        full_meta = {"main": key, "processes": meta, "files": {f.name: f.process_ids for f in files}}
        bundle = parse_bundle(texts, key, full_meta)
        checksum = _checksum(texts)
        current = session.scalar(select(Definition).where(Definition.key == key)
                                 .order_by(Definition.version.desc()).limit(1))
        if current is not None and current.checksum == checksum:
            return DefinitionInfo.of(current, created=False)
        row = Definition(key=key, version=(current.version + 1) if current else 1,
                         name=meta.get(key, {}).get("name", key), files=texts,
                         process_ids=sorted(meta), meta=full_meta, checksum=checksum,
                         deployed_at=rt.clock.now(), deployed_by=by.username)
        session.add(row)
        session.flush()
        audit.record(session, at=rt.clock.now(), actor=by.username, kind="definition_deployed",
                     summary=f"部署流程 {key} 第 {row.version} 版（{', '.join(sorted(texts))}）",
                     data={"key": key, "version": row.version, "files": sorted(texts)})
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


def _complete_from(pools: list[Definition], bundle_files: dict[str, CheckedFile], meta: dict,
                   departments, form_keys, uploaded_pids: set[str], base: Definition | None) -> None:
    """Add the files the bundle still needs: the rest of the base bundle, then any called process."""
    def add_stored(definition: Definition, name: str) -> None:
        file, file_meta = check_file(name, definition.files[name].encode("utf-8"), departments, form_keys)
        if set(file.process_ids) & uploaded_pids or name in bundle_files:
            return
        bundle_files[name] = file
        meta.update(file_meta)

    if base is not None:
        for name in base.files:
            add_stored(base, name)
    while True:
        have = {p for f in bundle_files.values() for p in f.process_ids}
        wanted = [pid for pid in _called(list(bundle_files.values())) if pid not in have]
        source = next(((d, name) for pid in wanted for d in pools for name in d.files
                       if pid in _process_ids_in(d, name)), None)
        if source is None:
            return
        add_stored(*source)
        if source[1] not in bundle_files:
            return


def _process_ids_in(definition: Definition, name: str) -> list[str]:
    return definition.meta.get("files", {}).get(name, [])


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
