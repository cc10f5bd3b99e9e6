"""The periods reports cover: a calendar month (YYYY-MM) or a quarter (YYYY-Qn), and the one before it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..board import Period
from ..errors import Invalid

KINDS = ("monthly", "quarterly")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_QUARTER_NAMES = "一二三四"


@dataclass(frozen=True)
class ReportPeriod:
    kind: str
    period: Period

    @property
    def label(self) -> str:
        """2026年3月 / 2026年第一季度"""
        start = self.period.start
        if self.kind == "monthly":
            return f"{start.year}年{start.month}月"
        return f"{start.year}年第{_QUARTER_NAMES[(start.month - 1) // 3]}季度"

    @property
    def code(self) -> str:
        start = self.period.start
        return f"{start:%Y-%m}" if self.kind == "monthly" else f"{start.year}-Q{(start.month - 1) // 3 + 1}"

    def previous(self) -> ReportPeriod:
        return covering(self.kind, self.period.start - timedelta(days=1))


def _last_day(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def covering(kind: str, day: date) -> ReportPeriod:
    """The month or quarter `day` falls in."""
    if kind == "monthly":
        return ReportPeriod(kind, Period(day.replace(day=1), _last_day(day.year, day.month)))
    first = (day.month - 1) // 3 * 3 + 1
    return ReportPeriod(kind, Period(date(day.year, first, 1), _last_day(day.year, first + 2)))


def parse(kind: str, text: str) -> ReportPeriod:
    """`monthly`, "2026-03" or `quarterly`, "2026-Q1"; Invalid naming the field otherwise."""
    if kind not in KINDS:
        raise Invalid("报表类型有误", {"kind": ["必须是 monthly 或 quarterly"]})
    text = (text or "").strip()
    match = (_MONTH if kind == "monthly" else _QUARTER).match(text)
    if match is None or not 2000 <= int(match.group(1)) <= 2100:
        hint = "YYYY-MM，如 2026-03" if kind == "monthly" else "YYYY-Qn，如 2026-Q1"
        raise Invalid("报表期间有误", {"period": [f"应为 {hint}"]})
    year, part = int(match.group(1)), match.group(2)
    month = int(part) if kind == "monthly" else (int(part) - 1) * 3 + 1
    return covering(kind, date(year, month, 1))
