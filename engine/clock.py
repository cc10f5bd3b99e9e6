"""The one place that says what time it is. Engine code asks a Clock; tests move a ManualClock."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime:
        """Return the current instant, timezone-aware (UTC)."""


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """Return the current instant in UTC."""
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock that stands still until told to move; for tests and demos."""

    def __init__(self, start: datetime | None = None):
        start = start or datetime.now(timezone.utc)
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start")
        self._now = start.astimezone(timezone.utc)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """Return the instant the clock was last set to."""
        with self._lock:
            return self._now

    def set(self, instant: datetime) -> None:
        """Jump to `instant` (aware)."""
        if instant.tzinfo is None:
            raise ValueError("ManualClock.set needs a timezone-aware instant")
        with self._lock:
            self._now = instant.astimezone(timezone.utc)

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by `delta` and return the new instant."""
        with self._lock:
            self._now += delta
            return self._now


def local(instant: datetime) -> datetime:
    """The instant in the centre's time zone (Asia/Shanghai)."""
    return instant.astimezone(SHANGHAI)


class ShiftedClock:
    """Real time moved forward by an offset kept in the database, so a demo can jump to a deadline.

    Every process of a deployment (web workers, the scheduler) reads the same offset; it is re-read at
    most once a second. With no offset set this is the real time."""

    def __init__(self, read_offset, base: Clock | None = None, refresh_seconds: float = 1.0):
        self._read_offset = read_offset
        self._base = base or SystemClock()
        self._refresh = refresh_seconds
        self._offset = timedelta(0)
        self._read_at: float | None = None
        self._lock = threading.Lock()

    def offset(self) -> timedelta:
        with self._lock:
            if self._read_at is None or time.monotonic() - self._read_at >= self._refresh:
                self._offset = self._read_offset()
                self._read_at = time.monotonic()
            return self._offset

    def forget(self) -> None:
        """Re-read the offset on the next call (after this process changed it)."""
        with self._lock:
            self._read_at = None

    def now(self) -> datetime:
        return self._base.now() + self.offset()
