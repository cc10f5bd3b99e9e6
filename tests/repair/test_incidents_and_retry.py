"""A script on a timer's path fails: the case is an incident; the administrator corrects its data and retries."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from engine import cases, definitions, timer_firing, work
from engine.errors import Conflict, Forbidden, Invalid
from engine.models import Timer, WorkItem
from engine.repair import case_data, incidents, retry
from engine.users import SYSTEM
from tests.api.pipeline import INTAKE


def _fail_the_timer(rt, clock, probe, case_no):
    probe.complete(case_no, "review")
    clock.advance(timedelta(days=2))
    timer_firing.fire_due(rt)


def test_a_failing_timer_script_is_an_incident_the_administrator_corrects_and_retries(rt, clock, who, probe):
    case_no = probe.start(amount=0)
    _fail_the_timer(rt, clock, probe, case_no)
    admin = who("admin")

    shown = incidents.list_incidents(rt, admin)
    assert [(i.case_no, i.element_id, i.element_name) for i in shown] == [(case_no, "compute_share", "测算人均金额")]
    assert "compute_share" in shown[0].message and "除数为零" in shown[0].message
    assert probe.open_items(case_no) == []

    # a later command on the case does not trip over the failed timer's row
    case_data.edit_data(rt, case_no, {"note_for_test": "x"}, "补充说明", admin)
    with rt.unit_of_work(write=False) as session:
        assert [t.state for t in session.scalars(select(Timer))] == ["failed"]

    with pytest.raises(Invalid) as refused:  # the intake form says an amount is not negative
        case_data.edit_data(rt, case_no, {"amount": -5}, "金额录入错误", admin)
    assert "amount" in refused.value.fields

    changed = case_data.edit_data(rt, case_no, {"amount": 8000}, "登记时金额漏填", admin)
    assert changed == {"amount": {"old": 0, "new": 8000}}
    retry.retry(rt, case_no, "金额已更正", admin)

    assert [i.element_id for i in probe.open_items(case_no)] == ["settle"]
    assert incidents.list_incidents(rt, admin) == []
    resolved = incidents.list_incidents(rt, admin, state="resolved")
    assert [(i.resolved_by, i.resolution) for i in resolved] == [("admin", "retried")]
    history = cases.case_file(rt, case_no, admin).history
    edits = [h for h in history if h["kind"] == "case_data_edited" and h["data"]["changes"].get("amount")]
    assert edits[0]["actor"] == "admin" and edits[0]["data"]["reason"] == "登记时金额漏填"
    assert edits[0]["data"]["changes"]["amount"] == {"old": 0, "new": 8000}
    retried = [h for h in history if h["kind"] == "incident_retried"]
    assert retried[0]["actor"] == "admin" and retried[0]["data"]["reason"] == "金额已更正"


def test_a_retry_that_fails_again_keeps_the_incident_with_the_new_error_and_changes_nothing(rt, clock, who, probe):
    case_no = probe.start(amount=0)
    _fail_the_timer(rt, clock, probe, case_no)
    admin = who("admin")
    with pytest.raises(Conflict) as refused:
        retry.retry(rt, case_no, "再试一次", admin)
    assert "重试失败" in refused.value.message
    shown = incidents.list_incidents(rt, admin)
    assert len(shown) == 1 and shown[0].attempts == 2
    assert probe.open_items(case_no) == []
    with rt.unit_of_work(write=False) as session:
        assert [t.state for t in session.scalars(select(Timer))] == ["failed"]


def test_retry_without_an_incident_and_repairs_by_others_are_refused(rt, who, probe):
    case_no = probe.start(amount=0)
    with pytest.raises(Conflict) as refused:
        retry.retry(rt, case_no, "试试", who("admin"))
    assert "没有待处理的故障" in refused.value.message
    with pytest.raises(Invalid):
        retry.retry(rt, case_no, "  ", who("admin"))
    for stranger in ("center_head", "supervisor", "designer"):
        with pytest.raises(Forbidden):
            retry.retry(rt, case_no, "试试", who(stranger))
        with pytest.raises(Forbidden):
            incidents.list_incidents(rt, who(stranger))


REMINDER = Path(__file__).parent / "reminder_probe.bpmn"


def test_a_failed_reminder_leaves_the_task_workable_and_its_incident_ends_with_the_task(rt, clock, who):
    definitions.deploy(rt, {REMINDER.name: REMINDER.read_bytes()}, by=SYSTEM)
    case_no = cases.start(rt, {**INTAKE, "amount": 0}, who("center_clerk"), process="reminder_probe").case_no
    clock.advance(timedelta(days=2))
    timer_firing.fire_due(rt)
    admin = who("admin")
    assert [i.element_id for i in incidents.list_incidents(rt, admin)] == ["count_reminder"]
    case_data.edit_data(rt, case_no, {"note_for_test": "x"}, "补充说明", admin)  # a refresh beside the failed row
    with rt.unit_of_work(write=False) as session:
        item = session.scalar(select(WorkItem).where(WorkItem.state == "open"))
    work.complete(rt, item.id, {}, who("center_clerk"))  # the task goes on; its failed reminder is over
    assert cases.case_file(rt, case_no, admin).status == "closed"
    assert incidents.list_incidents(rt, admin) == []
    assert [(i.resolution, i.resolved_by) for i in incidents.list_incidents(rt, admin, state="resolved")] == [
        ("gone", "system")]
