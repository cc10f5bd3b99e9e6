"""The Flask application factory."""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from sqlalchemy.orm import sessionmaker

from engine.clock import SystemClock
from engine.db import configure_engine, normalise_url
from engine.runtime import Runtime

from . import config as config_module
from .errors import register_error_handlers
from .extensions import db

MAX_UPLOAD_BYTES = 12 * 1024 * 1024


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app; `config` overrides the environment (tests pass DATABASE_URL, CLOCK, ...)."""
    app = Flask(__name__, instance_relative_config=True)
    settings = config_module.from_environment()
    settings.update(config or {})
    app.config.update(settings)
    url = normalise_url(app.config["DATABASE_URL"])
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config.setdefault("MAX_CONTENT_LENGTH", MAX_UPLOAD_BYTES)
    app.json.ensure_ascii = False
    if url.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    else:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        configure_engine(engine)
    app.extensions["yizhan"] = Runtime(
        session_factory=sessionmaker(engine, expire_on_commit=False, autoflush=False),
        clock=app.config.get("CLOCK") or SystemClock())

    from .api import bp as api_bp
    app.register_blueprint(api_bp)
    register_error_handlers(app)
    return app
