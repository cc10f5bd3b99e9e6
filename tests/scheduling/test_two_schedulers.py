"""Two `yizhan scheduler` processes on one database: every timer fires exactly once, and when the
active one is killed the standby takes over."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select

from engine import lease
from engine.models import Timer
from tests.scheduling.test_scheduler import fired_events, timers

YIZHAN = Path(sys.executable).parent / "yizhan"


def start_scheduler(database_url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "YIZHAN_MOVABLE_CLOCK": "0"}
    return subprocess.Popen([str(YIZHAN), "scheduler", "--interval", "0.5", "--lease-seconds", "3"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def timer_rows(rt) -> int:
    with rt.unit_of_work(write=False) as session:
        return session.scalar(select(func.count()).select_from(Timer))


def due_now(rt) -> int:
    with rt.unit_of_work(write=False) as session:
        return session.scalar(select(func.count()).select_from(Timer).where(
            Timer.state == "waiting", Timer.due_at <= datetime.now(timezone.utc)))


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_two_scheduler_processes_fire_each_timer_once_and_fail_over(rt, clock, register, database_url):
    clock.set(datetime.now(timezone.utc) - timedelta(days=10))  # every timer of these cases is already due
    for n in range(120):
        register(title=f"到期案件{n}")
    expected = len(timers(rt, "waiting"))
    assert expected >= 240
    processes = [start_scheduler(database_url), start_scheduler(database_url)]
    try:
        assert wait_until(lambda: due_now(rt) == 0, 90), f"{due_now(rt)} timers still due"
        events = fired_events(rt)
        assert sum(events.values()) == expected and set(events.values()) == {1}

        holder = lease.current(rt).holder
        pid = int(holder.split(":")[1])
        active = next(p for p in processes if p.pid == pid)
        standby = next(p for p in processes if p.pid != pid)
        active.send_signal(signal.SIGKILL)
        active.wait(timeout=10)

        before = timer_rows(rt)
        for n in range(20):
            register(title=f"接管后到期{n}")
        added = timer_rows(rt) - before  # every rung of the new cases' ladders is already due
        assert wait_until(lambda: due_now(rt) == 0, 30), "the standby did not take over"
        assert lease.current(rt).holder.split(":")[1] == str(standby.pid)
        events = fired_events(rt)
        assert set(events.values()) == {1} and sum(events.values()) == expected + added
        assert standby.poll() is None, "the standby must still be running"
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
