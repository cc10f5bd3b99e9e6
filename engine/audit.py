"""The append-only audit log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from .models import AuditEvent


def record(session: Session, *, at: datetime, actor: str, kind: str, summary: str,
           case_id: int | None = None, element_id: str | None = None, data: dict | None = None) -> None:
    """Append one event; nothing ever updates or deletes these rows."""
    session.add(AuditEvent(case_id=case_id, at=at, actor=actor, kind=kind, summary=summary[:500],
                           element_id=element_id, data=data))
