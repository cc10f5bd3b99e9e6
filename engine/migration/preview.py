"""Which running cases of a process could move to one of its versions, and why the others cannot.

Nothing is saved: each case's state is loaded, judged (engine/migration/realign.py), realigned in memory and
checked to load again on the target version's specs, then dropped."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..instances import OpenCase, open_case
from ..models import Case, Definition, WorkItem
from ..permissions import check_can_read_definitions
from ..runtime import Runtime
from ..users import Actor
from . import realign
from . import reasons as why


@dataclass
class CaseVerdict:
    """One case judged against the target version."""

    case_no: str
    title: str
    stage_name: str
    status: str
    from_version: int
    waiting_on: list[str]  # the titles of its open work items
    movable: bool
    reasons: list[why.Reason] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {**self.__dict__, "reasons": [r.as_dict() for r in self.reasons]}


@dataclass
class MigrationPreview:
    key: str
    version: int
    definition_id: int
    cases: list[CaseVerdict]

    @property
    def movable(self) -> list[CaseVerdict]:
        return [c for c in self.cases if c.movable]

    @property
    def blocked(self) -> list[CaseVerdict]:
        return [c for c in self.cases if not c.movable]


def target_definition(session: Session, key: str, version: int) -> Definition:
    """The version cases are to move to."""
    row = session.scalar(select(Definition).where(Definition.key == key, Definition.version == version))
    if row is None:
        raise NotFound(f"流程 {key} 没有第 {version} 版")
    return row


def candidates(session: Session, target: Definition, case_nos: list[str] | None = None) -> list[Case]:
    """The named cases (unknown numbers refused), else every case of the process not closed and not on the target."""
    if case_nos:
        found = {c.case_no: c for c in session.scalars(select(Case).where(Case.case_no.in_(set(case_nos))))}
        missing = [no for no in case_nos if no not in found]
        if missing:
            raise NotFound(f"案件 {'、'.join(missing)} 不存在")
        return [found[no] for no in dict.fromkeys(case_nos)]
    query = (select(Case).join(Definition, Definition.id == Case.definition_id)
             .where(Definition.key == target.key, Case.definition_id != target.id,
                    Case.status.not_in(("closed", "cancelled")))
             .order_by(Case.id))
    return list(session.scalars(query))


@dataclass
class Judgement:
    """A case judged: the reasons it cannot move, or what moving it takes (its loaded state and the plan)."""

    reasons: list[why.Reason]
    opened: OpenCase | None = None
    plan: realign.Plan | None = None
    from_version: int = 0


def judge(rt: Runtime, session: Session, case: Case, target: Definition, row=None,
          diffs: dict | None = None) -> Judgement:
    """Whether `case` can move to `target`, with its loaded state when it can be judged at all (`diffs`: the spec
    diffs of earlier cases of the same run, see realign.spec_diff)."""
    current = session.get(Definition, case.definition_id)
    if current.key != target.key:
        return Judgement([why.other_process(current.key)], from_version=current.version)
    if current.id == target.id:
        return Judgement([why.same_version(target.version)], from_version=current.version)
    if case.status != "open":
        return Judgement([why.not_running(case.status)], from_version=current.version)
    try:
        opened = open_case(rt, session, case, row)
    except NotFound as exc:
        return Judgement([why.engine_refused(exc.message)], from_version=current.version)
    plan = realign.plan(rt.state.registry, opened.workflow, rt.specs.get(target), diffs)
    return Judgement(list(plan.reasons), opened, plan, current.version)


def realigned(rt: Runtime, judgement: Judgement, target: Definition):
    """Apply a movable judgement's plan and load the result again on the target's specs: the workflow as it will
    be saved. A state that does not survive the trip is an engine refusal (raised as ValueError with its text)."""
    bundle = rt.specs.get(target)
    try:
        realign.apply(judgement.plan, judgement.opened.workflow, bundle)
        text = rt.state.dumps(judgement.opened.workflow)
        return rt.state.loads(text, bundle.spec, bundle.subprocess_specs)
    except Exception as exc:  # the library's errors (a spec it cannot find, a child it will not drop): a reason
        raise ValueError(str(exc) or exc.__class__.__name__) from exc


def _waiting_on(session: Session, case_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = session.execute(select(WorkItem.case_id, WorkItem.title).where(WorkItem.case_id.in_(case_ids),
                                                                         WorkItem.state == "open")
                           .order_by(WorkItem.id))
    for case_id, title in rows:
        found.setdefault(case_id, []).append(title)
    return found


def preview(rt: Runtime, key: str, version: int, by: Actor, case_nos: list[str] | None = None) -> MigrationPreview:
    """Every running case of `key` not on `version` (or the named cases), each movable or with its reasons."""
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        target = target_definition(session, key, version)
        cases = candidates(session, target, case_nos)
        waiting = _waiting_on(session, [c.id for c in cases])
        verdicts, diffs = [], {}
        for case in cases:
            judgement = judge(rt, session, case, target, diffs=diffs)
            reasons = judgement.reasons
            if not reasons:
                try:
                    realigned(rt, judgement, target)
                except ValueError as exc:
                    reasons = [why.engine_refused(str(exc))]
            verdicts.append(CaseVerdict(case.case_no, case.title, case.stage_name, case.status,
                                        judgement.from_version, waiting.get(case.id, []), not reasons, reasons))
        session.rollback()  # nothing of a preview is ever kept
        return MigrationPreview(target.key, target.version, target.id, verdicts)
