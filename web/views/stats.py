"""Statistics (统计) and the monthly and quarterly reports: the figures of a period with filters, each figure's
cases, any table as XLSX, the reports kept and generated on demand, and the centre's targets."""
from __future__ import annotations

import re

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from engine import statistics
from engine.board import default_period
from engine.errors import Invalid
from engine.permissions import statistics_department
from engine.statistics import choices, periods
from engine.statistics.report_store import MEDIA_TYPE as DOCX
from engine.statistics.report_store import due_reports

from ..board_export import MEDIA_TYPE as XLSX
from ..downloads import attachment
from ..stats_chart import trend_chart
from ..stats_export import table_workbook
from ..stats_tables import TABLES, tables
from .common import actor, no_store, run_and_flash, runtime, staff_only

bp = Blueprint("stats", __name__, url_prefix="/stats")


def _asked():
    """The period and filters of the request; a period that cannot be used falls back to this month (flagged)."""
    rt = runtime()
    filters = statistics.scoped(actor(), statistics.parse_filters(request.args))
    try:
        period, _filters = statistics.parse_request(rt, request.args)
        return period, filters, False
    except Invalid:
        return default_period(rt), filters, True


def _query(period, filters) -> dict:
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), **filters.as_dict()}


def _heading(period, filters) -> str:
    parts = [f"{period.start.isoformat()} – {period.end.isoformat()}"]
    parts += [f"{k}={v}" for k, v in filters.as_dict().items()]
    return " · ".join(parts)


@bp.get("")
@staff_only
@no_store
def index():
    rt, me = runtime(), actor()
    period, filters, refused = _asked()
    result = statistics.statistics(rt, me, period, filters)
    return render_template("stats/index.html", stats=result, tables=tables(result), query=_query(period, filters),
                           chart=trend_chart(result.trend, result.targets.success), choices=choices.choices(rt),
                           definitions=statistics.DEFINITIONS, period_refused=refused,
                           forced=statistics_department(me))


@bp.get("/cases")
@staff_only
@no_store
def cases():
    period, filters, _refused = _asked()
    figure = (request.args.get("figure") or "").strip()[:120]
    page = request.args.get("page", 1, type=int) or 1
    found = statistics.figure_cases(runtime(), actor(), figure, period, filters, page=page)
    return render_template("stats/cases.html", found=found, query=_query(period, filters))


@bp.get("/export.xlsx")
@staff_only
def export():
    period, filters, _refused = _asked()
    which = request.args.get("table") or "figures"
    if which not in TABLES:
        raise Invalid("没有这张统计表", {"table": [f"必须是 {', '.join(TABLES)} 之一"]})
    table = tables(statistics.statistics(runtime(), actor(), period, filters))[which]
    name = re.sub(r"[^A-Za-z0-9_.-]", "", f"stats-{which}-{period.start}-{period.end}")
    return attachment(table_workbook(table, _heading(period, filters)), f"{name}.xlsx", XLSX)


@bp.get("/reports")
@staff_only
@no_store
def reports():
    rt = runtime()
    due = due_reports(default_period(rt).end)
    return render_template("stats/reports.html", reports=statistics.list_reports(rt, actor()),
                           suggested={w.kind: w.code for w in due})


@bp.post("/reports")
@staff_only
def generate_report():
    def _generate():
        which = periods.parse(request.form.get("kind", ""), request.form.get("period", ""))
        statistics.generate(runtime(), actor(), which)
    return run_and_flash(_generate, _("The report was generated."), url_for("stats.reports"))


@bp.get("/reports/<int:report_id>")
@staff_only
def download_report(report_id: int):
    view, body = statistics.report_file(runtime(), actor(), report_id)
    return attachment(body, f"report-{view.kind}-{view.period_start}.docx", DOCX)


@bp.post("/targets")
@staff_only
def targets():
    form = request.form
    return run_and_flash(lambda: statistics.set_targets(runtime(), actor(), form.get("success_rate", ""),
                                                        form.get("fulfilment_rate", ""), form.get("reason", "")),
                         _("The targets were saved."), url_for("stats.index"))
