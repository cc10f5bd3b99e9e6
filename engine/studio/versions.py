"""A process's published versions side by side: who published each and when, and what changed between two."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ..definitions import DefinitionInfo
from ..errors import Invalid, NotFound
from ..models import Definition
from ..permissions import check_can_read_definitions
from ..runtime import Runtime
from ..users import Actor
from .diff import diff_bundles

# a lane or pool painted as changed would cover everything drawn in it; the list still names it
_CONTAINERS = {"lane", "laneSet", "participant", "process", "collaboration"}


@dataclass
class FileMarks:
    """One file of the two versions and the elements to colour on it: added and changed on the newer drawing,
    removed on the older one."""

    file: str
    old_definition_id: int | None
    new_definition_id: int | None
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class VersionDiff:
    key: str
    old: DefinitionInfo
    new: DefinitionInfo
    changes: dict
    files: list[FileMarks]


def versions(rt: Runtime, key: str, by: Actor) -> list[DefinitionInfo]:
    """Every published version of `key`, newest first."""
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        rows = list(session.scalars(select(Definition).where(Definition.key == key)
                                    .order_by(Definition.version.desc())))
        if not rows:
            raise NotFound(f"流程 {key} 尚未部署")
        return [DefinitionInfo.of(row) for row in rows]


def _version(session, key: str, version: int) -> Definition:
    row = session.scalar(select(Definition).where(Definition.key == key, Definition.version == version))
    if row is None:
        raise NotFound(f"流程 {key} 没有第 {version} 版")
    return row


def compare(rt: Runtime, key: str, old_version: int, new_version: int, by: Actor) -> VersionDiff:
    """What changed from `old_version` to `new_version` of `key`, element by element and file by file."""
    check_can_read_definitions(by)
    if old_version == new_version:
        raise Invalid("请选择两个不同的版本", {"to": ["与 from 相同"]})
    with rt.unit_of_work(write=False) as session:
        old, new = _version(session, key, old_version), _version(session, key, new_version)
        changes = diff_bundles(old.files, new.files)
        names = sorted(set(old.files) | set(new.files), key=lambda n: (n != f"{key}.bpmn", n))
        marks = {name: FileMarks(name, old.id if name in old.files else None, new.id if name in new.files else None)
                 for name in names}
        for group in ("added", "changed", "removed"):
            for change in changes[group]:
                if change["kind"] not in _CONTAINERS:
                    getattr(marks[change["file"]], group).append(change["element_id"])
        return VersionDiff(key, DefinitionInfo.of(old), DefinitionInfo.of(new), changes, list(marks.values()))
