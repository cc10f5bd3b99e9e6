"""Document numbers given out per year inside the transaction that needs them, rolled back with it.

Case numbers read 2026-000123; supervision notices (督办件) read 督办〔2026〕第0007号.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .clock import local
from .models import CaseCounter, NoticeCounter


def _next_in_year(session: Session, counter_model, year: int) -> int:
    """Take the next number of `year` from a counter table, locking its row until the transaction ends."""
    query = select(counter_model).where(counter_model.year == year).with_for_update()
    counter = session.scalar(query)
    if counter is None:
        try:
            with session.begin_nested():
                counter = counter_model(year=year, last=0)
                session.add(counter)
        except IntegrityError:
            counter = session.scalar(query)
    counter.last += 1
    session.flush()
    return counter.last


def next_case_no(session: Session, now: datetime) -> str:
    """The next case number of the year (Asia/Shanghai) `now` falls in."""
    year = local(now).year
    return f"{year}-{_next_in_year(session, CaseCounter, year):06d}"


def next_notice_no(session: Session, now: datetime) -> str:
    """The next supervision notice number of the year `now` falls in."""
    year = local(now).year
    return f"督办〔{year}〕第{_next_in_year(session, NoticeCounter, year):04d}号"
