"""Raising a warning once: the registrations that could raise the same warning at the same moment are
serialised on its kind and key, so one raises it (and notifies) and the other joins it."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from .. import audit, notifications
from ..models import Case, EarlyWarning

FOREVER = timedelta(days=36500)


def _serialise(session: Session, kind: str, key: str) -> None:
    """Hold the warning's key until the transaction ends (SQLite's writers already run one at a time)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"early_warning:{kind}:{key}"})


def current(session: Session, kind: str, key: str, now: datetime, window: timedelta) -> EarlyWarning | None:
    """The warning of this kind and key that is still going: not ended, joined within `window`."""
    return session.scalar(select(EarlyWarning).where(
        EarlyWarning.kind == kind, EarlyWarning.key == key, EarlyWarning.ended_at.is_(None),
        EarlyWarning.last_at >= now - window).order_by(EarlyWarning.id.desc()).limit(1))


def raise_or_join(session: Session, *, kind: str, key: str, case: Case, case_ids: list[int], title: str,
                  now: datetime, window: timedelta = FOREVER, details: dict | None = None,
                  webhook: bool = False) -> EarlyWarning | None:
    """Raise the warning and notify the supervisors, unless one of this kind and key is still going: then
    the cases join it, unnotified. Returns the warning raised, or None when it was joined."""
    _serialise(session, kind, key)
    going = current(session, kind, key, now, window)
    if going is not None:
        joined = list(dict.fromkeys([*going.case_ids, *case_ids]))
        if joined != going.case_ids:
            going.case_ids, going.last_at = joined, now
        return None
    warning = EarlyWarning(kind=kind, key=key[:250], title=title[:300], case_ids=list(dict.fromkeys(case_ids)),
                           details=details or {}, raised_at=now, last_at=now)
    session.add(warning)
    session.flush()
    notifications.record(session, case, "warning", title, now, webhook=webhook)
    audit.record(session, at=now, actor="system", kind="warning_raised", case_id=case.id, summary=title,
                 data={"warning_id": warning.id, "kind": kind, "cases": warning.case_ids})
    return warning


def end(session: Session, kind: str, key: str, now: datetime) -> int:
    """End the warning of this kind and key that is going, if any; how many ended."""
    return session.execute(update(EarlyWarning).where(
        EarlyWarning.kind == kind, EarlyWarning.key == key, EarlyWarning.ended_at.is_(None))
        .values(ended_at=now).execution_options(synchronize_session=False)).rowcount
