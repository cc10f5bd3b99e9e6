"""The timer scheduler: APScheduler beats that fire due timers while this process holds the lease.

Embedded in the web process for the one-machine default, or run alone as `yizhan scheduler`. Either
way it holds the lease (engine.lease) before firing, so with several processes exactly one fires
and another takes over within `lease_ttl` + one beat when the active one dies. After each beat it
asks when the next timer falls due and wakes for it, so firings are not late by a whole interval.
"""
from __future__ import annotations

import logging
import threading
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from . import lease
from .board import today
from .clock import Clock, SystemClock
from .runtime import Runtime
from .statistics.report_store import generate_due
from .timer_firing import fire_due, next_due_at

log = logging.getLogger(__name__)

BEAT = "timer_beat"
WAKE = "timer_wake"


class TimerScheduler:
    """Fires due timers on a beat; one instance per process."""

    def __init__(self, rt: Runtime, *, interval_seconds: float = 5.0, lease_ttl: timedelta = timedelta(seconds=30),
                 holder: str | None = None, wall_clock: Clock | None = None, after_beat=None,
                 reports: bool = True):
        self.rt = rt
        self.interval = max(0.1, float(interval_seconds))
        self.lease_ttl = lease_ttl
        self.holder = holder or lease.holder_name()
        self.wall = wall_clock or SystemClock()
        self.after_beat = after_beat  # e.g. webhook delivery, run only by the active scheduler
        self.reports = reports  # last month's and last quarter's reports, made once they are over
        self._reports_made_on = None  # the day all reports due were found made: looked for once a day, not every beat
        self.active = False
        self._lease_until = None
        self._scheduler = None
        self._beat_lock = threading.Lock()
        self._stopping = threading.Event()

    # -- the lease ---------------------------------------------------------------------------------
    def _hold_lease(self) -> bool:
        now = self.wall.now()
        if self.active and self._lease_until is not None and now < self._lease_until - self.lease_ttl / 2:
            return True
        held = lease.hold(self.rt, self.holder, self.lease_ttl, clock=self.wall)
        if held and not self.active:
            log.info("scheduler %s took the timer lease", self.holder)
        elif self.active and not held:
            log.warning("scheduler %s lost the timer lease", self.holder)
        self.active = held
        self._lease_until = now + self.lease_ttl if held else None
        return held

    def _keep_going(self) -> bool:
        """Asked between timers: go on while not told to stop and still holding the lease."""
        return not self._stopping.is_set() and self._hold_lease()

    # -- one beat ----------------------------------------------------------------------------------
    def beat(self) -> int:
        """Fire whatever is due if this process holds the lease; never lets an error stop the beats."""
        if self._stopping.is_set() or not self._beat_lock.acquire(blocking=False):
            return 0  # stopping, or a beat is already running in this process
        try:
            if not self._keep_going():
                return 0
            fired = fire_due(self.rt, keep_going=self._keep_going)
            if fired:
                log.info("fired %d timer(s)", fired)
            if self.after_beat is not None and not self._stopping.is_set():
                self.after_beat()
            if self.reports and not self._stopping.is_set():
                self._make_reports()
            self._plan_wake()
            return fired
        except (OperationalError, InterfaceError, PoolTimeout) as exc:  # an outage: the next beat retries
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
            log.warning("database unavailable, timer beat skipped: %s", reason[0] if reason else type(exc).__name__)
            return 0
        except Exception:  # the next beat retries; one bad row must not stop deadlines for everyone
            log.exception("timer beat failed")
            return 0
        finally:
            self._beat_lock.release()

    def _make_reports(self) -> None:
        """The monthly and quarterly reports due by now; a failure is logged and retried on the next beat."""
        day = today(self.rt)
        if day == self._reports_made_on:
            return
        try:
            for report in generate_due(self.rt):
                log.info("generated %s", report.title)
            self._reports_made_on = day
        except (OperationalError, InterfaceError, PoolTimeout):
            raise
        except Exception:
            log.exception("report generation failed")

    def _plan_wake(self) -> None:
        """Wake exactly when the next timer falls due if that is sooner than the next beat."""
        if self._scheduler is None or not self._scheduler.running:
            return
        due = next_due_at(self.rt)
        if due is None:
            return
        wait = (due - self.rt.clock.now()).total_seconds()
        if wait >= self.interval:
            return
        run_at = self.wall.now() + timedelta(seconds=max(0.0, wait))
        self._scheduler.add_job(self.beat, "date", run_date=run_at, id=WAKE, replace_existing=True,
                                misfire_grace_time=None)

    # -- running -----------------------------------------------------------------------------------
    def _configure(self, scheduler):
        scheduler.add_job(self.beat, "interval", seconds=self.interval, id=BEAT, max_instances=1,
                          coalesce=True, misfire_grace_time=None)
        self._scheduler = scheduler
        return scheduler

    def start_background(self) -> BackgroundScheduler:
        """Start beating in a background thread; timers that came due while stopped fire on the first beat."""
        self._stopping.clear()
        scheduler = self._configure(BackgroundScheduler(timezone="Asia/Shanghai"))
        scheduler.start()
        scheduler.add_job(self.beat, id="first_beat")  # at once, in the scheduler's thread
        return scheduler

    def run_blocking(self) -> None:
        """Beat in the foreground until interrupted (the `yizhan scheduler` process)."""
        self._stopping.clear()
        scheduler = self._configure(BlockingScheduler(timezone="Asia/Shanghai"))
        scheduler.add_job(self.beat, id="first_beat")
        try:
            scheduler.start()
        finally:
            self.stop()

    def request_stop(self) -> None:
        """Ask a running beat to end after the timer it is firing (safe from a signal handler)."""
        self._stopping.set()

    def stop(self) -> None:
        """Stop beating and hand the lease back so a standby can take over at once.

        A beat in the middle of a long backlog ends after its current timer (each timer is its own
        transaction, so nothing is left half done); the lease is released only once it has ended."""
        self.request_stop()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=True)
        with self._beat_lock:  # a beat run outside the scheduler's threads (beat() called directly)
            if self.active:
                lease.release(self.rt, self.holder)
                self.active = False
                log.info("scheduler %s handed the timer lease back", self.holder)
