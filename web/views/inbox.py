"""The inbox: the landing page for staff, with tabs, filters, countdowns, and the commands on an item."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import inbox as inbox_model
from engine import offers, urging, users, work
from engine.errors import Conflict, Invalid
from engine.permissions import sees_all

from .. import labels
from ..labels import enum_labels
from ..request_guard import MAX_PAGE, whole_number
from .common import actor, landing_url, no_store, run_and_flash, runtime, staff_only

bp = Blueprint("inbox", __name__)


def _filter_from(args) -> inbox_model.InboxFilter:
    return inbox_model.InboxFilter(
        scope=args.get("scope") or "department", department=args.get("department") or None,
        stage=args.get("stage", ""), risk=args.get("risk", ""), dispute_type=args.get("type", ""),
        search=args.get("q", ""), page=whole_number(args.get("page"), 1, maximum=MAX_PAGE))


def _back() -> str:
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("inbox.index")


@bp.get("/")
@staff_only
def home():
    return redirect(landing_url(actor()))


@bp.get("/inbox")
@staff_only
@no_store
def index():
    rt, me = runtime(), actor()
    only_list = request.headers.get("HX-Request") == "true"
    page = inbox_model.inbox(rt, me, _filter_from(request.args), with_stages=not only_list)
    actions = {e.item.id: offers.item_actions(me, e.item) for e in page.entries}
    colleagues = (users.department_colleagues(rt, page.department)
                  if any("reassign" in offered for offered in actions.values()) else [])
    context = {
        "page": page,
        # task titles and stage names repeat down the list: each is translated once
        "said": {text: labels.content(text) for text in {e.item.title for e in page.entries}
                 | {e.item.stage_name for e in page.entries}},
        "actions": actions,
        "returnable": {e.item.id for e in page.entries if "complete" in actions[e.item.id]
                       and work.can_return(rt, e.item.form_key, e.item.definition_id)},
        "colleagues": {e.item.id: offers.who_may_take(e.item, colleagues) for e in page.entries
                       if "reassign" in actions[e.item.id]},
        "dispute_types": enum_labels("intake_registration", "dispute_type"),
        "departments": users.departments(rt) if sees_all(me) else {},
    }
    if only_list:
        return render_template("inbox/_list.html", **context)
    return render_template("inbox/index.html", **context)


def _command(action, success: str):
    return run_and_flash(action, success, _back(), refusals=(Conflict, Invalid))


@bp.post("/inbox/items/<int:item_id>/claim")
@staff_only
def claim(item_id: int):
    return _command(lambda: work.claim(runtime(), item_id, actor()), _("You have claimed the item."))


@bp.post("/inbox/items/<int:item_id>/release")
@staff_only
def release(item_id: int):
    return _command(lambda: work.release(runtime(), item_id, actor()),
                    _("The item is back in the department's pool."))


@bp.post("/inbox/items/<int:item_id>/reassign")
@staff_only
def reassign(item_id: int):
    username = request.form.get("assignee", "")
    return _command(lambda: work.reassign(runtime(), item_id, username, actor()), _("The item was reassigned."))


@bp.post("/inbox/items/<int:item_id>/urge")
@staff_only
def urge(item_id: int):
    text = request.form.get("text", "")
    return _command(lambda: urging.urge(runtime(), item_id, text, actor()),
                    _("The department was pressed; its head has been notified."))


@bp.post("/inbox/items/<int:item_id>/return")
@staff_only
def return_to_centre(item_id: int):
    reason = request.form.get("reason", "")
    return _command(lambda: work.return_to_centre(runtime(), item_id, reason, actor()),
                    _("The case was returned to the centre with your reason."))
