"""Case numbers like 2026-000123: per-year counters, allocated inside the starting transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .clock import local
from .models import CaseCounter


def next_case_no(session: Session, now: datetime) -> str:
    """The next number of the year (Asia/Shanghai) `now` falls in; rolled back with the transaction."""
    year = local(now).year
    counter = session.scalar(select(CaseCounter).where(CaseCounter.year == year).with_for_update())
    if counter is None:
        try:
            with session.begin_nested():
                counter = CaseCounter(year=year, last=0)
                session.add(counter)
        except IntegrityError:
            counter = session.scalar(select(CaseCounter).where(CaseCounter.year == year).with_for_update())
    counter.last += 1
    session.flush()
    return f"{year}-{counter.last:06d}"
