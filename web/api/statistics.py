"""API routes for statistics (统计) and the monthly and quarterly reports."""
from __future__ import annotations

from dataclasses import asdict

from flask import g, request

from engine import statistics
from engine.statistics import periods
from engine.statistics.report_store import MEDIA_TYPE

from ..downloads import attachment
from . import bp
from .auth import runtime, token_required
from .schemas.statistics import ReportListSchema, ReportRequestSchema, ReportSchema, StatisticsSchema
from .views import json_body


def statistics_payload(result: statistics.Statistics) -> dict:
    """The statistics as the API (and the page's export) give them."""
    return {
        "period": {"from_": result.period.start, "to": result.period.end},
        "filters": result.filters.as_dict(),
        "counts": result.counts,
        "rates": {"success_rate": result.success_rate, "fulfilment_rate": result.fulfilment_rate,
                  "success_target": result.targets.success, "fulfilment_target": result.targets.fulfilment,
                  "success_below_target": result.success_below_target,
                  "fulfilment_below_target": result.fulfilment_below_target},
        "stages": [asdict(row) for row in result.stages],
        "departments": [asdict(row) for row in result.departments],
        "risks": [asdict(row) for row in result.risks],
        "amount_total": result.amount_total,
        "trend": [asdict(month) for month in result.trend],
        "definitions": statistics.DEFINITIONS,
    }


@bp.get("/statistics")
@token_required
def get_statistics():
    rt = runtime()
    period, filters = statistics.parse_request(rt, request.args)
    return StatisticsSchema().dump(statistics_payload(statistics.statistics(rt, g.actor, period, filters)))


@bp.get("/statistics/reports")
@token_required
def list_reports():
    return ReportListSchema().dump({"reports": [asdict(r) for r in statistics.list_reports(runtime(), g.actor)]})


@bp.post("/statistics/reports")
@token_required
def generate_report():
    body = ReportRequestSchema().load(json_body())
    which = periods.parse(body["kind"], body["period"])
    return ReportSchema().dump(asdict(statistics.generate(runtime(), g.actor, which))), 201


@bp.get("/statistics/reports/<int:report_id>")
@token_required
def download_report(report_id: int):
    view, body = statistics.report_file(runtime(), g.actor, report_id)
    return attachment(body, f"report-{view.kind}-{view.period_start}.docx", MEDIA_TYPE)
