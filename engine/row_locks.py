"""Row locks that make the commands on one work item, or on one case, run one at a time.

A command takes the row with SELECT ... FOR UPDATE and reads it afresh under the lock, so it judges the
row as the command before it left it. On PostgreSQL a command waits for the lock at most
`rt.lock_wait_seconds` (a holder stuck far longer than any command runs), then gives up with 409 rather
than hang; SQLite's write transactions already run one at a time from BEGIN IMMEDIATE, and FOR UPDATE is
not rendered there."""
from __future__ import annotations

from sqlalchemy import Select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .errors import Conflict
from .runtime import Runtime

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout ran out


def lock_row(rt: Runtime, session: Session, query: Select, busy: str, skip_locked: bool = False):
    """The one row `query` selects, locked until the transaction ends (None if there is none, or with
    `skip_locked` if another command holds it); Conflict(`busy`) if the lock is not had in time."""
    if rt.dialect == "postgresql" and not skip_locked:
        milliseconds = max(1, int(rt.lock_wait_seconds * 1000))
        transaction = session.get_transaction()
        if session.info.get("lock_timeout") != (transaction, milliseconds):  # once per transaction
            session.execute(text(f"SET LOCAL lock_timeout = {milliseconds}"))
            session.info["lock_timeout"] = (session.get_transaction(), milliseconds)
    try:
        return session.scalar(query.with_for_update(skip_locked=skip_locked)
                              .execution_options(populate_existing=True))
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise Conflict(busy) from exc
        raise
