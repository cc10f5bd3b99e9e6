"""What every page view needs: the engine runtime, the signed-in actor, and messages in the chosen language."""
from __future__ import annotations

from functools import wraps

from flask import current_app, flash, g, redirect, url_for
from flask_login import login_required

from engine.errors import Invalid, YizhanError
from engine.permissions import allowed, check_can_manage_users, check_can_start, sees_all
from engine.runtime import Runtime
from engine.users import Actor

from ..labels import content_html, field_message


def runtime() -> Runtime:
    return current_app.extensions["yizhan"]


def actor() -> Actor:
    return g.actor


def landing_url(me: Actor) -> str:
    """Where a member of staff's work is: users for the administrator, the overdue board for supervisors (the
    centre's leadership level), the process pages for designers (who work no cases), else the inbox."""
    if allowed(check_can_manage_users, me):
        return url_for("admin.index")
    if sees_all(me):
        return url_for("board.index")
    if not allowed(check_can_start, me):
        return url_for("designer.index")
    return url_for("inbox.index")


def staff_only(view):
    """A page for signed-in staff; anyone else is sent to the sign-in page."""
    return login_required(view)


def message_of(exc: YizhanError) -> str:
    """An engine error's message in the chosen language (fixed messages are in the catalogue)."""
    return content_html(exc.message)


def run_and_flash(action, success: str, back: str, refusals=(Invalid,)):
    """Run a page command; flash its refusal or `success`, then send the browser `back`.

    Only the given refusals are flashed: rights (403) and missing things (404) are answered as such."""
    try:
        action()
    except refusals as exc:
        flash(message_of(exc), "error")
    else:
        flash(success, "success")
    return redirect(back)


def field_messages(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: [field_message(m) for m in messages] for name, messages in errors.items()}


def no_store(view):
    """Pages with case data are not kept in shared caches or the browser's history cache."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        response = current_app.make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response
    return wrapper
