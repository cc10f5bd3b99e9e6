"""What the filters offer: departments, dispute types and intake channels with their Chinese names, and the
townships cases were registered in."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..models import Case
from ..runtime import Runtime
from .figures import department_names

INTAKE_FORM = "intake_registration"


@dataclass(frozen=True)
class Choices:
    departments: dict[str, str]
    dispute_types: dict[str, str]
    channels: dict[str, str]
    townships: list[str]


def _labels(rt: Runtime, field: str) -> dict[str, str]:
    prop = rt.forms.get(INTAKE_FORM).get("properties", {}).get(field, {})
    labels = prop.get("x-enum-labels", {})
    return {value: labels.get(value, value) for value in prop.get("enum", [])}


def choices(rt: Runtime) -> Choices:
    with rt.unit_of_work(write=False) as session:
        townships = sorted(t for t in session.scalars(select(Case.township).distinct()) if t)
        departments = department_names(session)
    return Choices(departments, _labels(rt, "dispute_type"), _labels(rt, "channel"), townships)
