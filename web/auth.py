"""Browser sign-in: Flask-Login sessions bound to the password, a rate-limited login, the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_user, logout_user

from engine import login_attempts, users
from engine.errors import Unauthorized
from engine.users import Actor

from .extensions import login_manager
from .i18n import LANGUAGES
from .views.common import landing_url

bp = Blueprint("auth", __name__)


class SessionUser(UserMixin):
    """The signed-in staff member; the session id carries a stamp that a password change invalidates."""

    def __init__(self, actor: Actor, stamp: str):
        self.actor, self.stamp = actor, stamp

    def get_id(self) -> str:
        return f"{self.actor.id}:{self.stamp}"


def runtime():
    return current_app.extensions["yizhan"]


@login_manager.user_loader
def load_user(session_id: str) -> SessionUser | None:
    user_id, _sep, stamp = session_id.partition(":")
    if not user_id.isdigit() or not stamp:
        return None
    actor = users.actor_for_session(runtime(), int(user_id), stamp)
    return SessionUser(actor, stamp) if actor else None


def _safe_next(target: str | None, actor: Actor | None = None) -> str:
    """Only a path on this site is followed after sign-in (no open redirect); else where the person's work is."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    if actor is not None:
        return landing_url(actor)
    return url_for("inbox.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(None, current_user.actor))
    error = None
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        address = request.remote_addr or ""
        rt = runtime()
        if login_attempts.is_blocked(rt, username, address):
            error = _("Too many failed sign-ins. Please wait 15 minutes and try again.")
            return render_template("auth/login.html", error=error, username=username), 429
        try:
            actor, stamp = users.sign_in(rt, username, password)
        except Unauthorized:
            login_attempts.record(rt, username, address, succeeded=False)
            error = _("Wrong username or password.")
            return render_template("auth/login.html", error=error, username=username), 401
        login_attempts.record(rt, username, address, succeeded=True)
        language = session.get("lang")
        session.clear()
        if language:
            session["lang"] = language
        login_user(SessionUser(actor, stamp))
        session.permanent = True
        return redirect(_safe_next(request.args.get("next"), actor))
    return render_template("auth/login.html", error=error, username=username)


@bp.post("/logout")
def logout():
    language = session.get("lang")
    logout_user()
    session.clear()
    if language:
        session["lang"] = language
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    chosen = request.form.get("lang", "")
    if chosen in LANGUAGES:
        session["lang"] = chosen
    return redirect(_safe_next(request.form.get("next")))


def load_actor() -> None:
    """Before each request: the signed-in actor (or None) in `g.actor` for views and templates."""
    g.actor = current_user.actor if current_user.is_authenticated else None


def init_auth(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    app.before_request(load_actor)
    app.register_blueprint(bp)
