"""Task forms as the studio publishes them: the shipped ones in forms/, then newer versions from the studio.

A published definition keeps a copy of every form its tasks name (`Definition.forms`), so a running case
keeps the form its task was created with, whatever is published after it.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import FormVersion
from ..permissions import check_can_read_definitions
from ..runtime import Runtime
from ..starting_data import INTAKE_FORM
from ..users import Actor


def current_forms(rt: Runtime, session: Session) -> dict[str, dict]:
    """form key -> JSON Schema: the newest published version of each form, else the shipped file."""
    forms = {key: rt.forms.get(key) for key in rt.forms.keys()}
    newest = (select(FormVersion.key, func.max(FormVersion.version).label("v"))
              .group_by(FormVersion.key).subquery())
    rows = session.scalars(select(FormVersion).join(
        newest, (FormVersion.key == newest.c.key) & (FormVersion.version == newest.c.v)))
    forms.update({row.key: row.schema for row in rows})
    return forms


def used_forms(meta: dict, forms: dict[str, dict]) -> dict[str, dict]:
    """The forms a bundle's tasks name (and the intake form it starts from), as they are now: the copy a new
    definition keeps."""
    keys = {task["form"] for process in meta.values() for task in process["tasks"].values() if task["form"]}
    keys.add(INTAKE_FORM)
    return {key: forms[key] for key in sorted(keys) if key in forms}


def published_form(rt: Runtime, key: str, by: Actor) -> dict:
    """The newest published version of one form, to edit in the studio."""
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        forms = current_forms(rt, session)
    if key not in forms:
        raise NotFound(f"表单 {key} 不存在")
    return forms[key]
