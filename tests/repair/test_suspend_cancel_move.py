"""Suspending and resuming a case, cancelling it, moving it back or on: on the shipped pipeline."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import board, cases, timer_firing, work
from engine.errors import Conflict, Forbidden
from engine.models import Case, Timer, WorkItem
from engine.repair import cancel, move, suspension
from tests.api import pipeline as steps


def _rows(rt, case_no, model, state):
    with rt.unit_of_work(write=False) as session:
        return list(session.scalars(select(model).join(Case, Case.id == model.case_id)
                                    .where(Case.case_no == case_no, model.state == state).order_by(model.id)))


def _weekdays_after(earlier, later) -> int:
    """Monday-to-Friday days after `earlier`'s date up to `later`'s (March 2026 has no public holidays)."""
    day, count = earlier.date(), 0
    while day < later.date():
        day += timedelta(days=1)
        count += day.weekday() < 5
    return count


def test_suspended_on_monday_and_resumed_three_working_days_later_moves_each_deadline_three_working_days(
        rt, clock, who, register):
    admin = who("admin")
    case_no = register().case_no
    items_before = {i.id: i.due_at for i in _rows(rt, case_no, WorkItem, "open")}
    timers_before = {t.id: t.due_at for t in _rows(rt, case_no, Timer, "waiting")}
    assert items_before and timers_before and all(items_before.values())

    assert clock.now().weekday() == 0  # Monday 09:00
    suspension.suspend(rt, case_no, "当事人申请暂缓调解", admin)
    assert cases.case_file(rt, case_no, admin).status == "suspended"
    assert {t.state for t in _rows(rt, case_no, Timer, "paused")} == {"paused"}

    clock.advance(timedelta(days=3))  # Thursday 09:00: three working days later, every deadline long passed
    assert timer_firing.fire_due(rt) == 0  # a suspended case's timers do not count or fire
    item_id = next(iter(items_before))
    with pytest.raises(Conflict) as refused:
        work.complete(rt, item_id, steps.ACCEPT, who("center_clerk"))
    assert "暂停" in refused.value.message
    # its clock stands still: the overdue board does not count its item late, nor list it among the overdue
    centre = {r.department_id: r for r in board.board(rt, who("supervisor")).rows}["center"]
    assert (centre.open, centre.overdue, centre.escalated) == (1, 0, 0)
    assert board.overdue_list(rt, who("supervisor")).items == []

    moved = suspension.resume(rt, case_no, "当事人同意继续", admin)
    assert moved["working_days"] == 3
    for timer in _rows(rt, case_no, Timer, "waiting"):
        old = timers_before[timer.id]
        assert timer.due_at == rt.calendar.later_by_working_days(old, 3)
        assert _weekdays_after(old, timer.due_at) == 3 and timer.due_at.time() == old.time()
    for item in _rows(rt, case_no, WorkItem, "open"):
        assert item.due_at == rt.calendar.later_by_working_days(items_before[item.id], 3)
    file = cases.case_file(rt, case_no, admin)
    assert file.status == "open"
    kinds = [(h["kind"], h["actor"], (h["data"] or {}).get("reason")) for h in file.history]
    assert ("case_suspended", "admin", "当事人申请暂缓调解") in kinds
    assert ("case_resumed", "admin", "当事人同意继续") in kinds
    work.complete(rt, item_id, steps.ACCEPT, who("center_clerk"))  # resumed: the work goes on


def test_a_deadline_moved_over_a_weekend_skips_it(rt, clock, who, register):
    admin = who("admin")
    case_no = register().case_no
    before = {t.id: t.due_at for t in _rows(rt, case_no, Timer, "waiting")}
    clock.advance(timedelta(days=4))  # Friday 09:00
    suspension.suspend(rt, case_no, "暂缓", admin)
    clock.advance(timedelta(days=4))  # Tuesday 09:00: Monday and Tuesday count, the weekend does not
    assert suspension.resume(rt, case_no, "继续", admin)["working_days"] == 2
    # timers already due when the case was suspended keep waiting to fire; none moves by the weekend
    for timer in _rows(rt, case_no, Timer, "waiting"):
        assert _weekdays_after(before[timer.id], timer.due_at) == 2


def test_cancel_withdraws_open_items_and_keeps_the_parties_and_the_file(rt, who, register, clock):
    admin = who("admin")
    case_no = register().case_no
    open_before = [i.id for i in _rows(rt, case_no, WorkItem, "open")]
    withdrawn = cancel.cancel(rt, case_no, "当事人撤回申请", admin)
    assert withdrawn == open_before
    assert _rows(rt, case_no, WorkItem, "open") == [] and _rows(rt, case_no, Timer, "waiting") == []
    assert [i.id for i in _rows(rt, case_no, WorkItem, "cancelled")] == open_before
    file = cases.case_file(rt, case_no, who("supervisor"))  # still readable
    assert file.status == "cancelled"
    assert [p["name"] for p in file.parties] == [p["name"] for p in steps.INTAKE["parties"]]
    clock.advance(timedelta(days=30))
    assert timer_firing.fire_due(rt) == 0
    with pytest.raises(Conflict) as again:
        cancel.cancel(rt, case_no, "再撤一次", admin)
    assert "已撤销" in again.value.message
    with pytest.raises(Conflict) as resumed:
        suspension.resume(rt, case_no, "恢复", admin)
    assert "已撤销" in resumed.value.message


def test_refusals_that_would_leave_a_case_inconsistent(rt, who, register):
    admin = who("admin")
    case_no = register().case_no
    with pytest.raises(Conflict) as refused:
        suspension.resume(rt, case_no, "恢复", admin)
    assert "只有已暂停的案件可以恢复" in refused.value.message
    suspension.suspend(rt, case_no, "暂缓", admin)
    with pytest.raises(Conflict):
        suspension.suspend(rt, case_no, "再暂停", admin)
    with pytest.raises(Conflict) as moving:
        move.move(rt, case_no, "assess_case", "前移", admin)
    assert "请先恢复" in moving.value.message
    for stranger in ("center_head", "supervisor", "police_clerk"):
        with pytest.raises(Forbidden):
            cancel.cancel(rt, case_no, "撤销", who(stranger))


def test_move_back_to_an_earlier_task_withdraws_the_later_item_and_on_again(rt, clock, who, probe):
    admin = who("admin")
    case_no = probe.start(amount=8000)
    probe.complete(case_no, "review")
    clock.advance(timedelta(days=2))
    timer_firing.fire_due(rt)
    settle = [i for i in _rows(rt, case_no, WorkItem, "open") if i.element_id == "settle"]
    assert settle

    moved = move.move(rt, case_no, "review", "受理审查结论有误，重新审查", admin)
    assert (moved.direction, moved.open_tasks, moved.withdrawn_items) == ("back", ["review"], [settle[0].id])
    assert [i.element_id for i in _rows(rt, case_no, WorkItem, "open")] == ["review"]
    assert [i.id for i in _rows(rt, case_no, WorkItem, "cancelled")] == [settle[0].id]
    history = cases.case_file(rt, case_no, admin).history
    assert any(h["kind"] == "case_moved" and h["actor"] == "admin"
               and h["data"]["reason"] == "受理审查结论有误，重新审查" for h in history)

    on = move.move(rt, case_no, "settle", "审查结论不变，直接结算", admin)
    assert on.direction == "forward" and on.open_tasks == ["settle"]  # settle was opened, never done: ahead
    probe.complete(case_no, "settle")
    assert cases.case_file(rt, case_no, admin).status == "closed"


def test_moving_on_to_a_task_ahead_and_the_refused_moves(rt, who, probe, register):
    admin = who("admin")
    case_no = probe.start(amount=8000)
    on = move.move(rt, case_no, "settle", "冷静期已在线下完成", admin)
    assert (on.direction, on.open_tasks) == ("forward", ["settle"])
    with rt.unit_of_work(write=False) as session:
        assert [t.state for t in session.scalars(select(Timer))] == []  # the skipped path set no timer
    with pytest.raises(Conflict) as already:
        move.move(rt, case_no, "settle", "再移", admin)
    assert "已在任务" in already.value.message
    with pytest.raises(Conflict) as unknown:
        move.move(rt, case_no, "no_such_task", "移", admin)
    assert "no_such_task" in unknown.value.message
    other = register().case_no  # at the intake stage: another stage's task is out of reach
    with pytest.raises(Conflict):
        move.move(rt, other, "assess_case", "跨阶段", admin)
    with pytest.raises(Forbidden):
        move.move(rt, other, "review_acceptance", "移", who("center_head"))


def test_a_suspended_case_waits_for_its_resumption_to_migrate_and_a_cancelled_one_is_not_offered(rt, who, probe):
    from engine import definitions
    from engine.migration import preview
    from engine.users import SYSTEM
    from tests.repair.conftest import PROBE
    admin = who("admin")
    paused, gone = probe.start(amount=1), probe.start(amount=2)
    suspension.suspend(rt, paused, "暂缓", admin)
    cancel.cancel(rt, gone, "撤回", admin)
    definitions.deploy(rt, {PROBE.name: PROBE.read_bytes().replace("结算确认".encode(), "结算确认（新）".encode())},
                       by=SYSTEM)
    shown = preview.preview(rt, "repair_probe", 2, admin)
    assert [v.case_no for v in shown.cases] == [paused]
    assert "已暂停" in shown.cases[0].reasons[0].message and not shown.cases[0].movable


def test_a_completion_and_a_suspension_at_once_leave_no_timer_counting_on_the_suspended_case(rt, who, register):
    from concurrent.futures import ThreadPoolExecutor
    admin, clerk = who("admin"), who("center_clerk")
    for _ in range(3):
        case_no = register().case_no
        item = _rows(rt, case_no, WorkItem, "open")[0]
        with ThreadPoolExecutor(2) as pool:
            completing = pool.submit(work.complete, rt, item.id, steps.ACCEPT, clerk)
            suspending = pool.submit(suspension.suspend, rt, case_no, "暂缓", admin)
            assert suspending.result() == "suspended"
            try:
                completing.result()
            except Conflict:  # the suspension came first
                assert [i.id for i in _rows(rt, case_no, WorkItem, "open")] == [item.id]
            else:  # the completion came first: the next step's timers are paused with the rest
                assert item.id not in [i.id for i in _rows(rt, case_no, WorkItem, "open")]
        assert _rows(rt, case_no, Timer, "waiting") == [] and _rows(rt, case_no, Timer, "paused")


def test_a_case_moved_between_tasks_with_deadline_ladders_takes_the_ladder_of_its_new_task_and_goes_on(
        rt, who, running):
    admin = who("admin")
    case_no = running.start_at("dispatch")
    ladder = {t.element_id for t in _rows(rt, case_no, Timer, "waiting")}
    assert ladder and all(e.startswith("dispatch") for e in ladder)
    on = move.move(rt, case_no, "redispatch", "需重新派单", admin)
    assert on.open_tasks == ["redispatch"]
    timers = {t.element_id for t in _rows(rt, case_no, Timer, "waiting")}
    assert timers and all(e.startswith("redispatch") for e in timers)  # the old ladder is gone, the new one runs
    assert ladder <= {t.element_id for t in _rows(rt, case_no, Timer, "cancelled")}
    back = move.move(rt, case_no, "dispatch", "仍按原派单办理", admin)
    assert back.open_tasks == ["dispatch"]
    running.complete(case_no, "dispatch", "center_head", steps.dispatch())  # the case's data came along
    assert {i.department_id for i in _rows(rt, case_no, WorkItem, "open")} == {"people_mediation", "justice_office"}
