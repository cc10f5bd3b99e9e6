"""Sign-in throttling: too many recent failures for a username or from an address block further tries."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from .models import LoginAttempt
from .runtime import Runtime

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20
KEEP = timedelta(days=30)


def _failures_since(session, column, value, since) -> int:
    """Failures after the last success for this username/address within the window."""
    last_success = session.scalar(select(func.max(LoginAttempt.at))
                                  .where(column == value, LoginAttempt.succeeded.is_(True), LoginAttempt.at >= since))
    start = max(since, last_success) if last_success else since
    return session.scalar(select(func.count()).select_from(LoginAttempt)
                          .where(column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= start)) or 0


def is_blocked(rt: Runtime, username: str, address: str) -> bool:
    """Whether a sign-in for `username` from `address` must wait (failures in the last 15 minutes)."""
    since = rt.clock.now() - WINDOW
    with rt.unit_of_work(write=False) as session:
        if username and _failures_since(session, LoginAttempt.username, username, since) >= MAX_FAILURES_PER_USER:
            return True
        return bool(address) and _failures_since(session, LoginAttempt.address, address,
                                                 since) >= MAX_FAILURES_PER_ADDRESS


def record(rt: Runtime, username: str, address: str, *, succeeded: bool) -> None:
    """Remember one attempt; attempts older than a month are dropped on the way."""
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        session.add(LoginAttempt(username=username[:80], address=address[:64], at=now, succeeded=succeeded))
        if not succeeded:
            session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP))
