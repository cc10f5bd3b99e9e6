"""API routes for early warning (预警): the recent warnings, and one with its cases."""
from __future__ import annotations

from dataclasses import asdict

from flask import g, request

from engine import early_warning

from . import bp
from .auth import runtime, token_required
from .schemas.warnings import WarningDetailSchema, WarningListSchema


@bp.get("/warnings")
@token_required
def list_warnings():
    listed = early_warning.recent_warnings(runtime(), g.actor, kind=request.args.get("kind") or None)
    return WarningListSchema().dump(asdict(listed))


@bp.get("/warnings/<int:warning_id>")
@token_required
def show_warning(warning_id: int):
    return WarningDetailSchema().dump(asdict(early_warning.warning_detail(runtime(), g.actor, warning_id)))
