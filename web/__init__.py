"""The Flask application factory."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy.orm import sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

from engine.clock import SystemClock
from engine.db import configure_engine, normalise_url
from engine.runtime import Runtime

from . import config as config_module
from .auth import init_auth
from .errors import register_error_handlers
from .extensions import csrf, db
from .i18n import init_i18n
from .request_guard import init_request_guard
from .template_helpers import init_template_helpers

MAX_UPLOAD_BYTES = 12 * 1024 * 1024
WEB_DEFAULTS = {
    "MAX_CONTENT_LENGTH": MAX_UPLOAD_BYTES,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
}
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                           "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app; `config` overrides the environment (tests pass DATABASE_URL, CLOCK, ...)."""
    app = Flask(__name__, instance_relative_config=True)
    settings = config_module.from_environment()
    settings.update(config or {})
    app.config.update(WEB_DEFAULTS)
    app.config.update(settings)
    url = normalise_url(app.config["DATABASE_URL"])
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["REMEMBER_COOKIE_SECURE"] = app.config.get("SESSION_COOKIE_SECURE", False)
    init_request_guard(app)  # before CSRF and the views: what no database stores is refused first
    app.json.ensure_ascii = False
    if url.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    else:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        configure_engine(engine)
    rt = Runtime(session_factory=sessionmaker(engine, expire_on_commit=False, autoflush=False),
                 clock=app.config.get("CLOCK") or SystemClock())
    config_module.configure_runtime(rt, app.config)
    app.extensions["yizhan"] = rt

    init_i18n(app)
    init_auth(app)
    csrf.init_app(app)
    init_template_helpers(app)
    from .api import bp as api_bp
    from .views import register_pages
    csrf.exempt(api_bp)  # the API authenticates every call with a bearer token, never with a cookie
    app.register_blueprint(api_bp)
    register_pages(app)
    register_error_handlers(app)
    app.after_request(_security_headers)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:  # the client's address (for rate limits) and scheme as the trusted proxies saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    return app


HSTS = "max-age=31536000; includeSubDomains"


def _security_headers(response):
    if current_app.config.get("SESSION_COOKIE_SECURE"):  # served over HTTPS only: browsers stay on it
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
