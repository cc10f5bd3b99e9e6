"""Schema management through Alembic migrations, and the reference data every install needs."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from sqlalchemy import select

from .db import normalise_url
from .models import Department

if TYPE_CHECKING:
    from .runtime import Runtime

MIGRATIONS = Path(__file__).parent / "migrations"
DEPARTMENTS_FILE = Path(__file__).parent / "data" / "departments.json"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the database at `url` to the newest schema."""
    command.upgrade(alembic_config(url), "head")


def reference_data() -> dict:
    return json.loads(DEPARTMENTS_FILE.read_text(encoding="utf-8"))


def seed_departments(rt: Runtime) -> None:
    """Insert or rename the departments listed in the data file."""
    data = reference_data()
    with rt.unit_of_work() as session:
        existing = {d.id: d for d in session.scalars(select(Department))}
        for sort, entry in enumerate(data["departments"]):
            row = existing.get(entry["id"]) or Department(id=entry["id"])
            row.name, row.name_en, row.sort = entry["name"], entry.get("name_en", ""), sort
            session.add(row)
