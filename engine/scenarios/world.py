"""The throw-away database scenarios run on: a temporary SQLite file with the shipped departments, one
account per department and role, and the diagrams deployed (the files on disk, then any draft or
published version laid over them); every scenario gets its own copy of it and its own manual clock."""
from __future__ import annotations

import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from .. import definitions, schema, users
from ..calendar import WorkingCalendar
from ..clock import ManualClock
from ..models import Definition
from ..runtime import Runtime
from ..specs import SpecCache
from ..studio import drafts
from ..studio.settings import CheckSettings
from ..users import SYSTEM, Actor
from .format import DEFAULT_START

ROLES_PER_DEPARTMENT = ("clerk", "head")
CENTRE_ACCOUNTS = (("supervisor", "supervisor"), ("designer", "designer"), ("admin", "admin"))


@dataclass(frozen=True)
class Overlay:
    """Diagrams (and edited forms) published over the files on disk: a studio draft or a stored version."""

    key: str
    files: Mapping[str, str]
    forms: Mapping[str, dict] = field(default_factory=dict)
    label: str = ""


@dataclass(frozen=True)
class DiagramSource:
    """What the scenarios run against: the diagrams under `workflows`, with `overlays` published over them."""

    workflows: Path
    overlays: tuple[Overlay, ...] = ()
    label: str = ""


class World:
    """The template database, built once per run; `runtime()` hands each scenario a fresh copy of it."""

    def __init__(self, source: DiagramSource, checks: CheckSettings | None = None,
                 calendar: WorkingCalendar | None = None):
        self._dir = Path(tempfile.mkdtemp(prefix="yizhan-scenarios-"))
        self._template = self._dir / "template.db"
        self._copies = 0
        self._shared = dict(specs=SpecCache(), calendar=calendar or WorkingCalendar.from_file(),
                            checks=checks or CheckSettings())
        self.actors: dict[str, Actor] = {}
        self.elements: dict[str, tuple[str, str]] = {}  # element id -> (process id, file) in what was deployed
        self.messages: dict[str, str] = {}  # message name -> the element that catches it
        try:
            self._build(source)
        except BaseException:
            self.close()
            raise

    def _url(self, path: Path) -> str:
        return f"sqlite:///{path}"

    def _build(self, source: DiagramSource) -> None:
        url = self._url(self._template)
        schema.upgrade(url)
        rt = Runtime.from_url(url, clock=ManualClock(DEFAULT_START), **self._shared)
        try:
            schema.seed_departments(rt)
            password = secrets.token_urlsafe(16)
            accounts = [(f"{d['id']}_{role}", role, d["id"], d["name"]) for d in schema.reference_data()["departments"]
                        for role in ROLES_PER_DEPARTMENT]
            accounts += [(name, role, "center", name) for name, role in CENTRE_ACCOUNTS]
            for username, role, department, shown in accounts:
                self.actors[username] = users.create_user(rt, username=username, display_name=shown, role=role,
                                                          department_id=department, password=password)
            definitions.deploy(rt, definitions.files_from_path(source.workflows), by=SYSTEM)
            designer = self.actors["designer"]
            for overlay in source.overlays:
                drafts.save_draft(rt, overlay.key, dict(overlay.files), dict(overlay.forms), 0, designer)
                drafts.publish_draft(rt, overlay.key, 1, overlay.label or "场景测试", designer)
            self._index(rt)
        finally:
            rt.session_factory.kw["bind"].dispose()

    def _index(self, rt: Runtime) -> None:
        """Where each element of the newest versions is drawn, to point a failing step at it."""
        with rt.unit_of_work(write=False) as session:
            for row in definitions.latest_definitions(session):
                meta = session.scalar(select(Definition.meta).where(Definition.id == row.id)) or {}
                file_of = {pid: name for name, pids in meta.get("files", {}).items() for pid in pids}
                for pid, process in meta.get("processes", {}).items():
                    for element in (*process.get("tasks", {}), *process.get("timers", {})):
                        self.elements.setdefault(element, (pid, file_of.get(pid, "")))
                    for element, info in process.get("messages", {}).items():
                        self.elements.setdefault(element, (pid, file_of.get(pid, "")))
                        if info.get("message"):
                            self.messages.setdefault(info["message"], element)

    def runtime(self, start: datetime = DEFAULT_START) -> Runtime:
        """A runtime on a fresh copy of the template database, its clock a manual one standing at `start`."""
        self._copies += 1
        copy = self._dir / f"scenario-{self._copies}.db"
        source, target = sqlite3.connect(self._template), sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return Runtime.from_url(self._url(copy), clock=ManualClock(start), **self._shared)

    def release(self, rt: Runtime) -> None:
        """Close a scenario's runtime (its copy is removed with the world)."""
        rt.session_factory.kw["bind"].dispose()

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> World:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def checks_beside(source: DiagramSource) -> CheckSettings:
    """The centre's check settings beside the diagrams (workflows/checks.toml), or the defaults."""
    path = source.workflows / "checks.toml"
    return CheckSettings.load(path) if path.is_file() else CheckSettings()

