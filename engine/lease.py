"""The scheduler lease: a row that says which scheduler process may fire timers, until when.

The active scheduler renews it on every beat; a standby tries to take it and succeeds only once the
holder has stopped renewing for longer than the lease lasts. Liveness is measured on the wall clock
(the `clock` handed in), never on the engine's movable business clock."""
from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from .clock import Clock, SystemClock
from .models import SchedulerLease
from .runtime import Runtime

TIMERS = "timers"


def holder_name() -> str:
    """host:pid:random — unique per scheduler process, readable in the lease row."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class LeaseState:
    name: str
    holder: str
    acquired_at: datetime
    expires_at: datetime


def hold(rt: Runtime, holder: str, ttl: timedelta, name: str = TIMERS, clock: Clock | None = None) -> bool:
    """Take or renew the lease for `holder`; True if it holds the lease for the next `ttl`."""
    now = (clock or SystemClock()).now()
    table = SchedulerLease.__table__
    try:
        with rt.unit_of_work() as session:
            conn = session.connection()
            renewed = conn.execute(update(table).where(table.c.name == name, table.c.holder == holder)
                                   .values(expires_at=now + ttl)).rowcount
            if renewed:
                return True
            taken = conn.execute(update(table).where(table.c.name == name, table.c.expires_at <= now)
                                 .values(holder=holder, acquired_at=now, expires_at=now + ttl)).rowcount
            if taken:
                return True
            exists = conn.execute(table.select().where(table.c.name == name)).first()
            if exists is not None:
                return False
            conn.execute(insert(table).values(name=name, holder=holder, acquired_at=now, expires_at=now + ttl))
            return True
    except IntegrityError:  # another scheduler inserted the row first
        return False


def release(rt: Runtime, holder: str, name: str = TIMERS) -> None:
    """Give the lease up at once (a clean shutdown), so a standby need not wait for it to expire."""
    table = SchedulerLease.__table__
    with rt.unit_of_work() as session:
        session.connection().execute(table.delete().where(table.c.name == name, table.c.holder == holder))


def current(rt: Runtime, name: str = TIMERS) -> LeaseState | None:
    with rt.unit_of_work(write=False) as session:
        row = session.get(SchedulerLease, name)
        return LeaseState(row.name, row.holder, row.acquired_at, row.expires_at) if row else None
