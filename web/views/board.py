"""The overdue board (督办看板) for supervisors: departments late first, drill-downs, on-time rates, the export."""
from __future__ import annotations

import re

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from engine import board, early_warning
from engine.clock import local
from engine.errors import Invalid

from ..board_chart import bar_chart
from ..board_export import MEDIA_TYPE, overdue_workbook
from ..downloads import attachment
from ..request_guard import MAX_PAGE, whole_number
from .common import actor, no_store, run_and_flash, runtime, staff_only

bp = Blueprint("board", __name__, url_prefix="/board")


def _period(args) -> tuple[board.Period, bool]:
    """The period asked for, or this month so far (and True) when the dates cannot be used."""
    rt = runtime()
    try:
        return board.parse_period(rt, args.get("from"), args.get("to")), False
    except Invalid:
        return board.default_period(rt), True


def _page(args) -> int:
    return whole_number(args.get("page"), 1, maximum=MAX_PAGE)


@bp.get("")
@staff_only
@no_store
def index():
    rt, me = runtime(), actor()
    overview = board.board(rt, me)
    period, period_refused = _period(request.args)
    return render_template("board/index.html", board=overview, chart=bar_chart(overview.rows),
                           rates=board.completion_rates(rt, me, period), period_refused=period_refused,
                           warnings=early_warning.recent_warnings(rt, me, limit=10))


@bp.get("/departments/<department_id>")
@staff_only
@no_store
def department(department_id: str):
    listing = board.department_items(runtime(), actor(), department_id, request.args.get("show") or "overdue",
                                     _page(request.args))
    return render_template("board/department.html", listing=listing)


@bp.get("/overdue.xlsx")
@staff_only
def overdue_export():
    listing = board.overdue_list(runtime(), actor(), request.args.get("department") or None)
    name = "-".join(filter(None, ("overdue", re.sub(r"[^A-Za-z0-9_]", "", listing.department_id or ""),
                                  local(listing.now).date().isoformat())))
    return attachment(overdue_workbook(listing), f"{name}.xlsx", MEDIA_TYPE)


@bp.get("/warnings")
@staff_only
@no_store
def warnings():
    rt, me = runtime(), actor()
    kind = request.args.get("kind") or None
    kind = kind if kind in early_warning.listing.KINDS else None
    return render_template("board/warnings.html", warnings=early_warning.recent_warnings(rt, me, kind=kind),
                           kind=kind, rules=early_warning.current_rules(rt))


@bp.get("/warnings/<int:warning_id>")
@staff_only
@no_store
def warning(warning_id: int):
    return render_template("board/warning.html", detail=early_warning.warning_detail(runtime(), actor(), warning_id))


@bp.post("/warnings/rules")
@staff_only
def warning_rules():
    values = {name: request.form.get(name, "") for name in early_warning.rules.LIMITS | {"surge_factor": None}}
    return run_and_flash(lambda: early_warning.set_rules(runtime(), actor(), values),
                         _("The early-warning rules were saved."), url_for("board.warnings"))
