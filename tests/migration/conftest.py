"""Running cases spread over the pipeline's stages, driven through the engine's services."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import cases, definitions, work
from engine.models import Case, InstanceState, Timer, WorkItem
from engine.users import SYSTEM
from tests.api import pipeline as steps

# stage -> the completions that bring a new case there (element, staff member, data)
TO_STAGE = {
    "intake": [],
    "assessment": [("review_acceptance", "center_clerk", steps.ACCEPT)],
    "dispatch": [("review_acceptance", "center_clerk", steps.ACCEPT),
                 ("assess_case", "center_clerk", steps.assessment())],
    "accept": [("review_acceptance", "center_clerk", steps.ACCEPT),
               ("assess_case", "center_clerk", steps.assessment()),
               ("dispatch", "center_head", steps.dispatch())],
}
# what takes a case on from each stage to the end of referral
ONWARD = [("review_acceptance", "center_clerk", steps.ACCEPT), ("assess_case", "center_clerk", steps.assessment()),
          ("dispatch", "center_head", steps.dispatch()), ("accept_dispatch", "people_mediation_clerk",
                                                           steps.ACCEPT_DISPATCH),
          ("accept_dispatch", "justice_office_clerk", steps.ACCEPT_DISPATCH)]


class Cases:
    """Helpers over the engine's services for one test."""

    def __init__(self, rt, who):
        self.rt, self.who = rt, who

    def open_item(self, case_no: str, element: str, department: str | None = None) -> WorkItem | None:
        with self.rt.unit_of_work(write=False) as session:
            query = (select(WorkItem).join(Case, Case.id == WorkItem.case_id)
                     .where(Case.case_no == case_no, WorkItem.element_id == element, WorkItem.state == "open"))
            if department:
                query = query.where(WorkItem.department_id == department)
            return session.scalars(query.order_by(WorkItem.id)).first()

    def complete(self, case_no: str, element: str, username: str, data: dict) -> None:
        department = username.rsplit("_", 1)[0]
        item = self.open_item(case_no, element, department)
        assert item is not None, f"{case_no} has no open {element} for {department}"
        work.complete(self.rt, item.id, data, self.who(username))

    def start_at(self, stage: str) -> str:
        case_no = cases.start(self.rt, steps.INTAKE, self.who("center_clerk")).case_no
        for element, username, data in TO_STAGE[stage]:
            self.complete(case_no, element, username, data)
        return case_no

    def onward(self, case_no: str, stage: str) -> None:
        """Take a case from `stage` through the end of referral."""
        for element, username, data in ONWARD[len(TO_STAGE[stage]):]:
            self.complete(case_no, element, username, data)

    def deploy(self, files: dict[str, bytes]) -> int:
        return definitions.deploy(self.rt, files, by=SYSTEM).version

    def snapshot(self, case_no: str) -> dict:
        """Everything stored of a case that a migration could touch, column by column."""
        with self.rt.unit_of_work(write=False) as session:
            case = session.scalar(select(Case).where(Case.case_no == case_no))

            def rows(model):
                found = session.scalars(select(model).where(model.case_id == case.id).order_by(model.id))
                return [{c.name: getattr(r, c.name) for c in model.__table__.columns} for r in found]
            state = session.get(InstanceState, case.id)
            return {"case": {c.name: getattr(case, c.name) for c in Case.__table__.columns},
                    "state": (state.version, state.state), "items": rows(WorkItem), "timers": rows(Timer)}

    def definition_version(self, case_no: str) -> int:
        return cases.case_file(self.rt, case_no, self.who("supervisor")).definition_version


@pytest.fixture
def running(rt, who) -> Cases:
    return Cases(rt, who)
