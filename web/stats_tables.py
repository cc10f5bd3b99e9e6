"""The tables of the statistics page, laid out once: the page draws them and the XLSX export writes them, so both
show the same rows. A cell may link to the cases of its figure and may be marked below target."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.statistics import Statistics

from .labels import content, department_name

TABLES = ("figures", "stages", "departments", "risks", "trend")
FIGURE_ROWS = (
    ("registered", _l("Cases registered")),
    ("accepted", _l("Accepted")),
    ("not_accepted", _l("Not accepted")),
    ("mediated_closed", _l("Closed after mediation")),
    ("closed_success", _l("Closed by mediation success")),
    ("referred", _l("Referred onward")),
    ("referred.litigation", _l("— to litigation")),
    ("referred.arbitration", _l("— to arbitration")),
    ("referred.administrative_review", _l("— to administrative review")),
    ("withdrawn", _l("Withdrawn")),
    ("agreements", _l("Agreements signed")),
    ("confirmation_applied", _l("Judicial confirmations applied for")),
    ("confirmation_granted", _l("Judicial confirmations granted")),
    ("performance_due", _l("Agreements whose performance fell due")),
    ("fulfilled", _l("Fulfilled without enforcement")),
    ("enforced", _l("Enforcement applied for")),
)


@dataclass(frozen=True)
class Cell:
    value: object
    figure: str | None = None  # the drill-down's figure key
    alert: bool = False  # below target
    kind: str = "count"  # count | percent | days | amount | text


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def cell_text(cell: Cell) -> str:
    if cell.value is None:
        return "—"
    if cell.kind == "percent":
        return percent(cell.value)
    if cell.kind == "amount":
        return f"{cell.value:,.2f}"
    if cell.kind == "days":
        return f"{cell.value:.2f}"
    return str(cell.value)


def _figures(s: Statistics) -> Table:
    table = Table("figures", _("Figures"), [_("Figure"), _("Cases")])
    for key, label in FIGURE_ROWS:
        table.rows.append([Cell(str(label), kind="text"), Cell(s.counts[key], key)])
    table.rows.append([Cell(_("Mediation success rate (target %(target)s)", target=percent(s.targets.success)),
                            kind="text"), Cell(s.success_rate, alert=s.success_below_target, kind="percent")])
    table.rows.append([Cell(_("Fulfilment rate (target %(target)s)", target=percent(s.targets.fulfilment)),
                            kind="text"), Cell(s.fulfilment_rate, alert=s.fulfilment_below_target, kind="percent")])
    return table


def _items(key: str, title: str, first: str, rows, name) -> Table:
    table = Table(key, title, [first, _("Finished with a deadline"), _("On time"), _("Late"), _("On-time rate"),
                               _("Mean working days"), _("90th percentile working days")])
    prefix = "stage" if key == "stages" else "department"
    for row in rows:
        table.rows.append([Cell(name(row), kind="text"), Cell(row.finished, f"{prefix}.{row.key}.finished"),
                           Cell(row.on_time), Cell(row.finished - row.on_time, f"{prefix}.{row.key}.late"),
                           Cell(row.on_time_rate, kind="percent"), Cell(row.mean_days, kind="days"),
                           Cell(row.p90_days, kind="days")])
    return table


def _risks(s: Statistics) -> Table:
    names = {"red": _("Red"), "yellow": _("Yellow"), "blue": _("Blue")}
    table = Table("risks", _("Risk levels"), [_("Risk level"), _("Cases registered"), _("Amount involved (yuan)")])
    for row in s.risks:
        table.rows.append([Cell(names[row.risk], kind="text"), Cell(row.cases, f"risk.{row.risk}"),
                           Cell(row.amount, kind="amount")])
    table.rows.append([Cell(_("All cases registered"), kind="text"), Cell(s.counts["registered"], "registered"),
                       Cell(s.amount_total, kind="amount")])
    return table


def _trend(s: Statistics) -> Table:
    table = Table("trend", _("Month by month"), [_("Month"), _("Cases registered"), _("Closed after mediation"),
                                                 _("Closed by mediation success"), _("Mediation success rate")])
    for month in s.trend:
        table.rows.append([Cell(month.month, kind="text"), Cell(month.registered), Cell(month.mediated_closed),
                           Cell(month.closed_success),
                           Cell(month.success_rate, kind="percent", alert=month.success_rate is not None
                                and month.success_rate < s.targets.success)])
    return table


def tables(s: Statistics) -> dict[str, Table]:
    """Every table of the page, by key."""
    return {"figures": _figures(s),
            "stages": _items("stages", _("On time and working days per stage"), _("Stage"), s.stages,
                             lambda r: content(r.name)),
            "departments": _items("departments", _("On time and working days per department"), _("Department"),
                                  s.departments, lambda r: department_name(r.key)),
            "risks": _risks(s), "trend": _trend(s)}
