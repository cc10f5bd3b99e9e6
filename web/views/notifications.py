"""The bell: a member of staff's notifications, newest first, and marking them read."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import notifications

from .common import actor, no_store, runtime, staff_only

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@staff_only
@no_store
def index():
    unread_only = request.args.get("show") == "unread"
    listed = notifications.for_user(runtime(), actor(), unread_only=unread_only)
    return render_template("notifications/index.html", notes=listed, unread_only=unread_only)


@bp.post("/read")
@staff_only
def mark_read():
    ids = [int(v) for v in request.form.getlist("id") if v.isdigit()] or None
    changed = notifications.mark_read(runtime(), actor(), ids)
    flash(_("%(n)s notification(s) marked read.", n=changed), "success")
    return redirect(url_for("notifications.index"))
