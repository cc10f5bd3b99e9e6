"""The JSON API under /api/v1: bearer-token auth, marshmallow schemas, an OpenAPI document."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import documents, migration, repair, statistics, studio, tokens, views, warnings  # noqa: E402,F401
