"""`yizhan scheduler` told to stop (SIGTERM) in the middle of a backlog of thousands of due timers: it
ends within a few seconds, after the timer it was firing, and hands the lease back at once."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import datetime, timedelta, timezone

from engine import lease
from tests.scheduling.test_scheduler import fired_events
from tests.scheduling.test_two_schedulers import YIZHAN, due_now, wait_until

STOP_WITHIN = 5.0  # seconds


def test_sigterm_stops_the_scheduler_in_the_middle_of_a_large_backlog_and_hands_the_lease_back(
        rt, clock, register, database_url, tmp_path):
    clock.set(datetime.now(timezone.utc) - timedelta(days=10))  # every timer of these cases is already due
    for n in range(500):
        register(title=f"积压案件{n}")
    backlog = due_now(rt)
    assert backlog >= 2000
    log_path = tmp_path / "scheduler.log"
    env = {**os.environ, "DATABASE_URL": database_url, "YIZHAN_MOVABLE_CLOCK": "0"}
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen([str(YIZHAN), "scheduler", "--interval", "0.5", "--lease-seconds", "30"],
                                   env=env, stdout=subprocess.DEVNULL, stderr=log_file)
        try:
            assert wait_until(lambda: sum(fired_events(rt).values()) >= 100, 60), "the scheduler never got going"
            holder = lease.current(rt).holder
            assert holder.split(":")[1] == str(process.pid)

            process.send_signal(signal.SIGTERM)
            told = time.monotonic()
            process.wait(timeout=30)
            took = time.monotonic() - told
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    log = log_path.read_text(encoding="utf-8", errors="replace")
    assert took < STOP_WITHIN, f"took {took:.1f} s to stop\n{log[-2000:]}"
    assert process.returncode == 0, log[-2000:]
    left = due_now(rt)
    assert left > backlog / 4, f"only {left} of {backlog} timers left: the test needs a backlog still being fired"
    assert lease.current(rt) is None, "the lease must be handed back"
    assert lease.hold(rt, "standby", timedelta(seconds=30)), "another scheduler must be able to take it at once"
    assert "handled so far" in log and "handed the timer lease back" in log, log[-2000:]
    assert set(fired_events(rt).values()) == {1}, "no timer fired twice"
