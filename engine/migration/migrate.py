"""Move running cases onto another version of their process: one transaction per case.

Each case's instance row is locked first (instances.lock_instance), the case judged afresh under the lock,
its state realigned onto the target's specs and saved, its projections refreshed (work items keep their ids,
assignees and drafts where their task survives; timers keep their due times) and an audit event written. A
case that cannot move is refused inside its own transaction, which is rolled back: it stays exactly as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from .. import audit, projections
from ..diagram_functions import Outbox
from ..errors import YizhanError
from ..instances import OpenCase, find_task, lock_instance, save, script_engine
from ..models import Case, Definition, Timer, WorkItem
from ..permissions import check_can_migrate
from ..runtime import Runtime
from ..users import Actor
from . import reasons as why
from .preview import CaseVerdict, candidates, judge, preview, realigned, target_definition


class _Refused(Exception):
    def __init__(self, reasons: list[why.Reason]):
        super().__init__(reasons[0].message if reasons else "")
        self.reasons = reasons


@dataclass
class MigrationRun:
    key: str
    version: int
    moved: list[str] = field(default_factory=list)
    refused: list[CaseVerdict] = field(default_factory=list)
    dry_run: bool = False


def migrate(rt: Runtime, key: str, version: int, by: Actor, case_nos: list[str] | None = None,
            note: str = "", dry_run: bool = False) -> MigrationRun:
    """Move the named cases (or every running case of `key` on another version) to `version`; a dry run moves
    nothing and tells which would move."""
    check_can_migrate(by)
    if dry_run:
        shown = preview(rt, key, version, by, case_nos)
        return MigrationRun(key, version, [c.case_no for c in shown.movable], shown.blocked, dry_run=True)
    with rt.unit_of_work(write=False) as session:
        target = target_definition(session, key, version)
        chosen = [(c.id, c.case_no) for c in candidates(session, target, case_nos)]
    run, diffs = MigrationRun(key, version), {}
    for case_id, case_no in chosen:
        try:
            migrate_case(rt, case_id, target.id, by, note, diffs)
        except _Refused as refusal:
            run.refused.append(_verdict(rt, case_id, refusal.reasons))
        except YizhanError as exc:  # e.g. another command holds the case, or a department no longer exists
            run.refused.append(_verdict(rt, case_id, [why.engine_refused(exc.message,
                                                                          getattr(exc, "element_id", None))]))
        else:
            run.moved.append(case_no)
    with rt.unit_of_work() as session:
        audit.record(session, at=rt.clock.now(), actor=by.username, kind="migration_run",
                     summary=f"迁移流程 {key} 的案件到第 {version} 版：{len(run.moved)} 件迁移，"
                             f"{len(run.refused)} 件未迁移",
                     data={"key": key, "version": version, "moved": run.moved,
                           "refused": {v.case_no: [r.code for r in v.reasons] for v in run.refused},
                           "note": note[:2000]})
    return run


def _verdict(rt: Runtime, case_id: int, reasons: list[why.Reason]) -> CaseVerdict:
    with rt.unit_of_work(write=False) as session:
        case = session.get(Case, case_id)
        version = session.scalar(select(Definition.version).where(Definition.id == case.definition_id))
        waiting = list(session.scalars(select(WorkItem.title).where(WorkItem.case_id == case_id,
                                                                    WorkItem.state == "open")))
        return CaseVerdict(case.case_no, case.title, case.stage_name, case.status, version, waiting, False, reasons)


def migrate_case(rt: Runtime, case_id: int, target_id: int, by: Actor, note: str = "",
                 diffs: dict | None = None) -> None:
    """Move one case to the target definition in one transaction, or raise _Refused and change nothing."""
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        row = lock_instance(rt, session, case_id)
        case = session.get(Case, case_id)
        target = session.get(Definition, target_id)
        judgement = judge(rt, session, case, target, row, diffs)
        if judgement.reasons:
            raise _Refused(judgement.reasons)
        try:
            workflow = realigned(rt, judgement, target)
        except ValueError as exc:
            raise _Refused([why.engine_refused(str(exc))]) from exc
        source = session.get(Definition, case.definition_id)
        outbox = Outbox()
        workflow.script_engine = script_engine(rt, outbox)
        moved = OpenCase(case, rt.specs.get(target), workflow, judgement.opened.version, outbox)
        case.definition_id = target.id
        save(rt, session, moved)
        kept = {item.id for item in session.scalars(select(WorkItem).where(WorkItem.case_id == case.id,
                                                                            WorkItem.state == "open"))}
        open_items = projections.refresh(rt, session, moved, now)
        _carry_items(rt, session, moved, [item for item in open_items if item.id in kept])
        _carry_timers(session, moved)
        audit.record(session, at=now, actor=by.username, kind="case_migrated", case_id=case.id,
                     summary=f"迁移到流程 {target.key} 第 {target.version} 版（原第 {source.version} 版）",
                     data={"key": target.key, "from_version": source.version, "to_version": target.version,
                           "from_definition_id": source.id, "to_definition_id": target.id,
                           "kept_items": sorted(kept & {item.id for item in open_items}), "note": note[:2000]})


def _carry_items(rt: Runtime, session, oc: OpenCase, items: list[WorkItem]) -> None:
    """Open items whose task survived take the new version's title, form and department; an item whose
    department changed goes back to that department's pool (its draft stays)."""
    for item in items:
        task = find_task(oc.workflow, item.task_id)
        if task is None:
            continue
        meta = projections.task_meta(oc, task)
        item.element_id, item.process_id = projections.element_id_of(task), projections.process_id_of(task)
        item.title = meta.get("name") or task.task_spec.bpmn_name or item.element_id
        item.form_key = meta.get("form") or ""
        item.required_role = meta.get("role")
        department = projections.department_of(rt, session, oc, task)
        if department != item.department_id:
            item.department_id, item.assignee_id = department, None


def _carry_timers(session, oc: OpenCase) -> None:
    """Waiting timers keep their due times and take the new version's names."""
    rows = session.scalars(select(Timer).where(Timer.case_id == oc.case.id, Timer.state == "waiting"))
    for row in rows:
        task = find_task(oc.workflow, row.task_id)
        if task is None:
            continue
        meta = projections.timer_meta(oc, task)
        row.element_id = projections.element_id_of(task)
        row.name = meta.get("name") or row.element_id
        row.kind = meta.get("kind", row.kind)
        row.attached_to = meta.get("attached_to", row.attached_to)
