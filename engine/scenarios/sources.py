"""What scenarios can run against besides the files on disk: the studio's saved drafts, or one published
version, read from a real database and laid over the diagrams on disk in the throw-away one."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ..errors import Conflict, NotFound
from ..models import Definition
from ..permissions import check_can_read_definitions
from ..runtime import Runtime
from ..studio import drafts
from ..users import Actor
from .world import DiagramSource, Overlay


def on_disk(workflows: Path) -> DiagramSource:
    return DiagramSource(workflows, (), f"{workflows} 下的文件")


def against_drafts(rt: Runtime, workflows: Path, by: Actor, keys: list[str] | None = None) -> DiagramSource:
    """The saved drafts (all, or those of `keys`) over the files on disk."""
    views = [v for v in drafts.list_drafts(rt, by) if keys is None or v.key in keys]
    if not views:
        raise NotFound("数据库中没有保存的草稿" if keys is None else f"流程 {'、'.join(keys)} 没有保存的草稿")
    overlays = []
    for view in views:
        draft = drafts.get_draft(rt, view.key, by)
        overlays.append(Overlay(draft.key, draft.files, draft.forms, f"草稿 {draft.key}（第{draft.revision}稿）"))
    return DiagramSource(workflows, tuple(overlays), "、".join(o.label for o in overlays))


def against_version(rt: Runtime, workflows: Path, key: str, version: int, by: Actor) -> DiagramSource:
    """Published version `version` of `key`, with the forms it was published with, over the files on disk."""
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        row = session.scalar(select(Definition).where(Definition.key == key, Definition.version == version))
        if row is None:
            raise NotFound(f"流程 {key} 没有第 {version} 版")
        overlay = Overlay(key, dict(row.files), dict(row.forms or {}), f"{key} 第 {version} 版")
    return DiagramSource(workflows, (overlay,), overlay.label)


def draft_of(rt: Runtime, workflows: Path, key: str, revision: int, by: Actor) -> DiagramSource:
    """One draft as saved at `revision` (the studio checks exactly what it is about to publish)."""
    draft = drafts.get_draft(rt, key, by)
    if draft.revision != revision:
        raise Conflict("草稿在你检查之后又被修改过，请重新检查后再发布")
    overlay = Overlay(key, draft.files, draft.forms, f"草稿 {key}（第{draft.revision}稿）")
    return DiagramSource(workflows, (overlay,), overlay.label)
