"""The bell: a member of staff's notifications, newest first, grouped and filtered by kind; marking them read."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import notifications

from ..request_guard import whole_number
from .common import actor, no_store, runtime, staff_only

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
# The order the groups are shown in: what asks something of the reader first.
GROUP_ORDER = ("supervision", "escalation", "leadership", "warning", "reminder", "assignment", "info")


def _kind(value: str | None) -> str | None:
    return value if value in notifications.KINDS else None


@bp.get("")
@staff_only
@no_store
def index():
    rt, me = runtime(), actor()
    unread_only = request.args.get("show") == "unread"
    kind = _kind(request.args.get("kind"))
    listed = notifications.for_user(rt, me, unread_only=unread_only, kind=kind)
    groups = [(k, [n for n in listed if n.kind == k]) for k in GROUP_ORDER]
    return render_template("notifications/index.html", notes=listed, groups=[g for g in groups if g[1]],
                           unread_only=unread_only, kind=kind, kinds=notifications.counts_by_kind(rt, me))


@bp.post("/read")
@staff_only
def mark_read():
    ids = [n for v in request.form.getlist("id") if (n := whole_number(v)) is not None] or None
    kind = _kind(request.form.get("kind"))
    changed = notifications.mark_read(runtime(), actor(), ids, kind=None if ids else kind)
    flash(_("%(n)s notification(s) marked read.", n=changed), "success")
    back = {"kind": kind} if kind else {}
    if request.form.get("show") == "unread":
        back["show"] = "unread"
    return redirect(url_for("notifications.index", **back))
