"""A small process whose timer path runs a script that fails on some data, deployed for each test, and the API
client that checks every answer against the OpenAPI document."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from engine import cases, definitions, work
from engine.models import Case, WorkItem
from engine.users import SYSTEM
from tests.api.conftest import api  # noqa: F401  (the fixture)
from tests.api.pipeline import INTAKE
from tests.migration.conftest import running  # noqa: F401  (the fixture)
from tests.web.conftest import staff_as  # noqa: F401  (the fixture)

PROBE = Path(__file__).parent / "repair_probe.bpmn"


class Probe:
    def __init__(self, rt, who):
        self.rt, self.who = rt, who
        definitions.deploy(rt, {PROBE.name: PROBE.read_bytes()}, by=SYSTEM)

    def start(self, **changes) -> str:
        return cases.start(self.rt, {**INTAKE, **changes}, self.who("center_clerk"), process="repair_probe").case_no

    def open_items(self, case_no: str) -> list[WorkItem]:
        with self.rt.unit_of_work(write=False) as session:
            return list(session.scalars(select(WorkItem).join(Case, Case.id == WorkItem.case_id)
                                        .where(Case.case_no == case_no, WorkItem.state == "open")
                                        .order_by(WorkItem.id)))

    def complete(self, case_no: str, element: str, data: dict | None = None) -> None:
        item = next(i for i in self.open_items(case_no) if i.element_id == element)
        work.complete(self.rt, item.id, data or {}, self.who("center_clerk"))


@pytest.fixture
def probe(rt, who) -> Probe:
    return Probe(rt, who)
