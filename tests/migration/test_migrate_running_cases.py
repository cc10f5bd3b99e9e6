"""A hundred running cases over four stages moved onto new versions of the pipeline."""
from __future__ import annotations

from sqlalchemy import select

from engine.migration import migrate, preview
from engine.migration import reasons as why
from engine.models import Case, WorkItem
from tests.api import pipeline as steps

from . import diagrams

STAGES = ("intake", "assessment", "dispatch", "accept")


def test_a_hundred_cases_move_only_where_what_they_wait_on_survives_then_all_reach_a_new_task(rt, who, running):
    spread = {stage: [running.start_at(stage) for _ in range(25)] for stage in STAGES}
    admin = who("admin")
    items_before = {no: _open_items(rt, no) for nos in spread.values() for no in nos}
    rows_before = {no: running.snapshot(no) for nos in spread.values() for no in nos}

    # version 2 drops the centre's dispatch step: the cases waiting on it cannot move
    assert running.deploy(diagrams.without_dispatch(diagrams.shipped())) == 2
    shown = preview.preview(rt, "dispute_resolution", 2, admin)
    blocked = {v.case_no: v for v in shown.blocked}
    assert set(blocked) == set(spread["dispatch"])
    assert {v.case_no for v in shown.movable} == set(spread["intake"] + spread["assessment"] + spread["accept"])
    first = blocked[spread["dispatch"][0]]
    assert [r.code for r in first.reasons][0] == why.REMOVED_TASK
    assert any(r.element_id == "dispatch" and "派单" in r.message for r in first.reasons)
    assert first.waiting_on == ["派单"]

    frozen = {no: rows_before[no] for no in spread["dispatch"]}
    run = migrate.migrate(rt, "dispute_resolution", 2, admin)
    assert sorted(run.moved) == sorted(spread["intake"] + spread["assessment"] + spread["accept"])
    assert {v.case_no for v in run.refused} == set(spread["dispatch"])
    for case_no in spread["dispatch"]:
        assert running.snapshot(case_no) == frozen[case_no]  # state, items and timers exactly as they were
    for case_no in run.moved:
        assert running.definition_version(case_no) == 2
        assert _open_items(rt, case_no) == items_before[case_no]  # same ids, tasks, assignees, deadlines
        moved = running.snapshot(case_no)
        assert (moved["items"], moved["timers"]) == (rows_before[case_no]["items"], rows_before[case_no]["timers"])

    # version 3 (from the shipped diagrams) has dispatch again and adds 法律审查 after referral: every case moves
    assert running.deploy(diagrams.with_review_after_referral(diagrams.shipped())) == 3
    run = migrate.migrate(rt, "dispute_resolution", 3, admin)
    assert len(run.moved) == 100 and not run.refused
    for stage, case_nos in spread.items():
        for case_no in case_nos:
            assert running.definition_version(case_no) == 3
            running.onward(case_no, stage)
            review = running.open_item(case_no, "legal_review", "center")
            assert review is not None and review.title == "法律审查", case_no


def test_an_open_item_keeps_its_id_assignee_and_draft_and_the_move_is_audited(rt, who, running):
    case_no = running.start_at("assessment")
    item = running.open_item(case_no, "assess_case")
    from engine import drafts, work
    work.claim(rt, item.id, who("center_clerk"))
    drafts.save_draft(rt, item.id, {"risk_reason": "草稿中的研判意见"}, who("center_clerk"))
    running.deploy(diagrams.with_review_after_referral(diagrams.shipped()))
    run = migrate.migrate(rt, "dispute_resolution", 2, who("admin"), [case_no], note="增加法律审查")
    assert run.moved == [case_no]
    after = running.open_item(case_no, "assess_case")
    draft = {"risk_reason": "草稿中的研判意见"}
    assert (after.id, after.assignee_id, after.draft, after.due_at) == (item.id, who("center_clerk").id, draft,
                                                                        item.due_at)
    history = [e for e in _history(rt, case_no) if e.kind == "case_migrated"]
    assert len(history) == 1 and history[0].actor == "admin"
    assert history[0].data["from_version"] == 1 and history[0].data["to_version"] == 2


def test_a_dry_run_moves_nothing_and_only_an_administrator_migrates(rt, who, running):
    case_no = running.start_at("dispatch")
    running.deploy(diagrams.without_dispatch(diagrams.shipped()))
    before = running.snapshot(case_no)
    run = migrate.migrate(rt, "dispute_resolution", 2, who("admin"), dry_run=True)
    assert run.dry_run and not run.moved and [v.case_no for v in run.refused] == [case_no]
    assert running.snapshot(case_no) == before
    import pytest

    from engine.errors import Forbidden
    with pytest.raises(Forbidden):
        migrate.migrate(rt, "dispute_resolution", 2, who("designer"))


def _open_items(rt, case_no: str) -> list[tuple]:
    with rt.unit_of_work(write=False) as session:
        case = session.scalar(select(Case).where(Case.case_no == case_no))
        rows = session.scalars(select(WorkItem).where(WorkItem.case_id == case.id, WorkItem.state == "open")
                               .order_by(WorkItem.id))
        return [(r.id, r.task_id, r.element_id, r.assignee_id, r.due_at, r.draft) for r in rows]


def _history(rt, case_no: str):
    from engine.models import AuditEvent
    with rt.unit_of_work(write=False) as session:
        case = session.scalar(select(Case).where(Case.case_no == case_no))
        return list(session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)))


def test_a_task_added_inside_the_stage_a_case_is_in_is_reached_after_its_current_step(rt, who, running):
    case_no = running.start_at("assessment")
    running.deploy(diagrams.with_task_on_flow(diagrams.shipped(), "joint_assessment.bpmn", "f_as_assessed",
                                              "assessment_review", "研判复核"))
    before = running.snapshot(case_no)
    run = migrate.migrate(rt, "dispute_resolution", 2, who("admin"))
    assert run.moved == [case_no]
    after = running.snapshot(case_no)
    assert after["timers"] == before["timers"]  # every deadline runs on as it was counted
    running.complete(case_no, "assess_case", "center_clerk", steps.assessment())
    assert running.open_item(case_no, "assessment_review", "center") is not None
    assert running.open_item(case_no, "dispatch", "center") is None


def test_a_case_between_parallel_branches_moves_and_its_join_leads_to_the_new_task(rt, who, running):
    case_no = running.start_at("accept")
    running.onward(case_no, "accept")  # now in coordinated resolution: the lead resolves, the others cooperate
    running.deploy(diagrams.with_task_on_flow(diagrams.shipped(), "coordinated_resolution.bpmn", "f_cr_joined",
                                              "resolution_review", "化解结果复核"))
    running.complete(case_no, "cooperate", "justice_office_clerk", steps.cooperation())  # one branch has arrived
    run = migrate.migrate(rt, "dispute_resolution", 2, who("admin"))
    assert run.moved == [case_no], [v.reasons for v in run.refused]
    running.complete(case_no, "resolve", "people_mediation_clerk", steps.report())
    assert running.open_item(case_no, "resolution_review", "center") is not None


def test_a_case_waiting_on_a_task_whose_id_changed_is_told_it_was_removed_and_stays(rt, who, running):
    case_no = running.start_at("intake")
    files = diagrams.shipped()
    renamed = files["intake.bpmn"].decode().replace("review_acceptance", "acceptance_check").encode()
    running.deploy({**files, "intake.bpmn": renamed})
    before = running.snapshot(case_no)
    run = migrate.migrate(rt, "dispute_resolution", 2, who("admin"))
    assert not run.moved
    assert [(r.code, r.element_id) for r in run.refused[0].reasons][0] == (why.REMOVED_TASK, "review_acceptance")
    assert running.snapshot(case_no) == before


def test_deadlines_run_on_after_a_move_and_an_open_supervision_notice_moves_with_its_task(rt, who, running, clock):
    from datetime import timedelta

    from engine import timer_firing
    supervised = running.start_at("intake")
    clock.advance(timedelta(days=1, hours=9, minutes=1))  # past the close of the intake's deadline
    assert timer_firing.fire_due(rt) >= 1
    notice = running.open_item(supervised, "review_acceptance_notice")
    assert notice is not None
    fresh = running.start_at("intake")
    running.deploy(diagrams.with_review_after_referral(diagrams.shipped()))
    run = migrate.migrate(rt, "dispute_resolution", 2, who("admin"))
    assert sorted(run.moved) == sorted([supervised, fresh]), [v.reasons for v in run.refused]
    assert running.open_item(supervised, "review_acceptance_notice").id == notice.id
    # the fresh case's own deadline comes due on the new version: its supervision notice is raised
    clock.advance(timedelta(days=2))
    assert timer_firing.fire_due(rt) >= 1
    assert running.open_item(fresh, "review_acceptance_notice") is not None
    # completing the supervised task withdraws its notice and the case goes on
    running.complete(supervised, "review_acceptance", "center_clerk", steps.ACCEPT)
    assert running.open_item(supervised, "review_acceptance_notice") is None
    assert running.open_item(supervised, "assess_case") is not None
