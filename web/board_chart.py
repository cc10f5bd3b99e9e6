"""The board's bar chart laid out for inline SVG: one stacked bar per department (overdue, due soon, the rest
of the open work), an axis with round ticks. Only geometry here; the template draws it and words it."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.board import DepartmentRow

WIDTH = 800
LABEL_WIDTH = 236  # department names, Chinese or English, sit left of the bars
RIGHT_MARGIN = 48
TOP = 34  # the legend sits above the bars
BAR_HEIGHT = 18
BAR_GAP = 10
AXIS_HEIGHT = 46  # tick labels and the axis title under the bars
PARTS = ("overdue", "due_soon", "other_open")


@dataclass(frozen=True)
class Segment:
    part: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    department_id: str
    y: float
    total: int
    segments: list[Segment]

    @property
    def label_y(self) -> float:
        return self.y + BAR_HEIGHT / 2


@dataclass(frozen=True)
class Tick:
    value: int
    x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bar_height: int
    bars: list[Bar]
    ticks: list[Tick]

    @property
    def centre(self) -> float:
        return (self.plot_left + self.plot_right) / 2


def nice_step(largest: int, most_ticks: int = 6) -> int:
    """A tick step of 1, 2 or 5 times a power of ten giving at most `most_ticks` intervals up to `largest`."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if largest <= step * most_ticks:
                return step
        magnitude *= 10


def bar_chart(rows: Sequence[DepartmentRow]) -> Chart:
    """Stacked horizontal bars in the board's order, scaled to the busiest department."""
    step = nice_step(max((row.open for row in rows), default=0) or 1)
    top_value = step * max(1, -(-max((row.open for row in rows), default=0) // step))
    left, right = LABEL_WIDTH, WIDTH - RIGHT_MARGIN
    scale = (right - left) / top_value
    bars = []
    for index, row in enumerate(rows):
        x, segments = float(left), []
        for part in PARTS:
            count = getattr(row, part)
            if count > 0:
                segments.append(Segment(part, count, x, count * scale))
                x += count * scale
        bars.append(Bar(row.department_id, TOP + index * (BAR_HEIGHT + BAR_GAP), row.open, segments))
    bottom = TOP + len(rows) * (BAR_HEIGHT + BAR_GAP)
    ticks = [Tick(value, left + value * scale) for value in range(0, top_value + 1, step)]
    return Chart(WIDTH, bottom + AXIS_HEIGHT, left, right, TOP, bottom, BAR_HEIGHT, bars, ticks)
