"""The 12-month trend laid out for inline SVG: per month a bar of cases registered and a bar of cases closed by
mediation success, and the success rate as a line against the target. Only geometry here; the template draws it."""
from __future__ import annotations

from dataclasses import dataclass

from engine.statistics.figures import TrendMonth

WIDTH, HEIGHT = 800, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 52, 34, 40


@dataclass(frozen=True)
class MonthBars:
    month: str
    x: float
    registered_y: float
    success_y: float
    registered: int
    success: int
    rate: float | None
    rate_y: float | None


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bar_width: float
    months: list[MonthBars]
    ticks: list[tuple[int, float]]  # (count, y)
    target_y: float
    rate_points: str  # the success rate's polyline

    @property
    def base(self) -> int:
        return self.bottom


def _round_top(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if value <= step * 5:
            return max(step * 5, 5) if value else 5
    return value


def trend_chart(trend: list[TrendMonth], target: float) -> TrendChart:
    bottom = HEIGHT - BOTTOM
    plot = bottom - TOP
    top_value = _round_top(max([m.registered for m in trend] + [0]))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(trend))
    bar = slot * 0.34

    def y_of(count: int) -> float:
        return round(bottom - plot * count / top_value, 1)

    def rate_y(rate: float) -> float:
        return round(bottom - plot * rate / 100, 1)

    months = []
    for index, m in enumerate(trend):
        x = LEFT + slot * index + slot * 0.14
        months.append(MonthBars(m.month, round(x, 1), y_of(m.registered), y_of(m.closed_success), m.registered,
                                m.closed_success, m.success_rate,
                                rate_y(m.success_rate) if m.success_rate is not None else None))
    points = " ".join(f"{round(mb.x + bar, 1)},{mb.rate_y}" for mb in months if mb.rate_y is not None)
    ticks = [(top_value * i // 5, y_of(top_value * i // 5)) for i in range(6)]
    return TrendChart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, bottom, round(bar, 1), months, ticks,
                      rate_y(target), points)
