"""The APScheduler job that fires due timers, embedded in the app or run as its own process."""
from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from .runtime import Runtime
from .timer_firing import fire_due

log = logging.getLogger(__name__)


def tick(rt: Runtime) -> int:
    """Fire whatever is due now; never lets an error kill the scheduler."""
    try:
        fired = fire_due(rt)
        if fired:
            log.info("fired %d timer(s)", fired)
        return fired
    except Exception:  # the next tick retries; one bad row must not stop deadlines for everyone
        log.exception("timer tick failed")
        return 0


def _configure(scheduler, rt: Runtime, interval_seconds: float):
    scheduler.add_job(tick, "interval", args=[rt], seconds=interval_seconds, id="fire_due_timers",
                      max_instances=1, coalesce=True, misfire_grace_time=None)
    return scheduler


def start_background(rt: Runtime, interval_seconds: float = 15) -> BackgroundScheduler:
    """Start firing in a background thread; timers that came due while stopped fire on the first tick."""
    tick(rt)
    scheduler = _configure(BackgroundScheduler(timezone="Asia/Shanghai"), rt, interval_seconds)
    scheduler.start()
    return scheduler


def run_blocking(rt: Runtime, interval_seconds: float = 15) -> None:
    """Run the scheduler in the foreground (the `yizhan scheduler` process)."""
    tick(rt)
    _configure(BlockingScheduler(timezone="Asia/Shanghai"), rt, interval_seconds).start()
