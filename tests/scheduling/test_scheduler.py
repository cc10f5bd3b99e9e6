"""The scheduler: timers that came due while nothing ran fire once on start; one scheduler at a time."""
from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from engine import lease
from engine.clock import ManualClock
from engine.models import AuditEvent, Timer
from engine.scheduler import TimerScheduler


def fired_events(rt) -> Counter:
    """(case, timer element) -> how many timer_fired audit events."""
    with rt.unit_of_work(write=False) as session:
        return Counter(session.execute(select(AuditEvent.case_id, AuditEvent.element_id)
                                       .where(AuditEvent.kind == "timer_fired")).all())


def timers(rt, state: str) -> set:
    with rt.unit_of_work(write=False) as session:
        return set(session.execute(select(Timer.case_id, Timer.element_id).where(Timer.state == state)).all())


def test_timers_that_came_due_while_stopped_fire_exactly_once_on_start(rt, clock, register):
    for n in range(5):
        register(title=f"第{n}件")
    # Past every rung of every acceptance review's ladder: reminder, deadline, escalation, leadership.
    clock.advance(timedelta(days=14))
    due = {(case_id, element) for case_id, element in timers(rt, "waiting")}
    assert len(due) == 5 * 4
    scheduler = TimerScheduler(rt, interval_seconds=0.2, wall_clock=ManualClock())
    scheduler.start_background()
    try:
        deadline = time.monotonic() + 20
        while timers(rt, "waiting") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        scheduler.stop()
    assert timers(rt, "waiting") == set()
    events = fired_events(rt)
    assert set(events) == due and set(events.values()) == {1}
    # a second start finds nothing left to fire
    again = TimerScheduler(rt, wall_clock=ManualClock())
    assert again.beat() == 0
    assert fired_events(rt) == events


def test_only_the_lease_holder_fires_and_a_standby_takes_over_when_it_stops_renewing(rt, clock, register):
    wall = ManualClock()
    active = TimerScheduler(rt, holder="a", lease_ttl=timedelta(seconds=30), wall_clock=wall)
    standby = TimerScheduler(rt, holder="b", lease_ttl=timedelta(seconds=30), wall_clock=wall)
    register()
    clock.advance(timedelta(hours=20))  # the reminder is due
    assert active.beat() == 1 and active.active
    assert lease.current(rt).holder == "a"
    clock.advance(timedelta(days=1))  # the deadline is due
    assert standby.beat() == 0 and not standby.active
    wall.advance(timedelta(seconds=29))
    assert standby.beat() == 0 and not standby.active, "the lease has not yet expired"
    wall.advance(timedelta(seconds=2))  # the holder has gone silent for longer than the lease
    assert standby.beat() == 1 and standby.active
    assert lease.current(rt).holder == "b"
    assert active.beat() == 0 and not active.active, "the old holder must notice it lost the lease"
    assert set(fired_events(rt).values()) == {1}


def test_a_clean_stop_hands_the_lease_over_at_once(rt):
    wall = ManualClock()
    a = TimerScheduler(rt, holder="a", wall_clock=wall)
    b = TimerScheduler(rt, holder="b", wall_clock=wall)
    a.beat()
    b.beat()
    assert a.active and not b.active
    a.stop()
    b.beat()
    assert b.active and lease.current(rt).holder == "b"


def test_a_timer_whose_task_is_completed_under_it_is_skipped_and_the_batch_goes_on(rt, clock, register, who):
    from engine import timer_firing, work
    from engine.models import WorkItem

    for n in range(3):
        register(title=f"第{n}件")
    clock.advance(timedelta(days=14))
    first = timer_firing.due_timer_ids(rt)[0]
    with rt.unit_of_work(write=False) as session:
        first_case = session.get(Timer, first).case_id
        item_id = session.scalar(select(WorkItem.id).where(WorkItem.case_id == first_case))
    asked = []

    def keep_going():  # the centre completes the first timer's task just as the scheduler comes to it
        if not asked:
            work.complete(rt, item_id, {"accepted": True}, who("center_clerk"))
        asked.append(1)
        return True

    fired = timer_firing.fire_due(rt, keep_going=keep_going)
    assert fired >= 2 * 4, "the other cases' timers must still fire"
    assert {case for case, _ in timers(rt, "failed")} == set()
    events = fired_events(rt)
    assert first_case not in {case for case, _ in events}, "its timers went with the completed task"
    assert set(events.values()) == {1}
