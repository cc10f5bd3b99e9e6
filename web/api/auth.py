"""Bearer-token authentication for the JSON API."""
from __future__ import annotations

from functools import wraps

from flask import current_app, g, request

from engine.errors import Unauthorized
from engine.users import actor_for_token

from . import bp


def runtime():
    return current_app.extensions["yizhan"]


def token_required(view):
    """Resolve `Authorization: Bearer <token>` to the acting user, or answer 401."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("缺少 Bearer 令牌")
        g.token_presented = True
        g.actor = actor_for_token(runtime(), token.strip())
        return view(*args, **kwargs)
    return wrapper


@bp.after_request
def _challenge(response):
    """A 401 names the scheme to authenticate with (RFC 6750); a token that was refused says so."""
    if response.status_code == 401 and "WWW-Authenticate" not in response.headers:
        challenge = 'Bearer realm="yizhan"'
        if g.get("token_presented"):
            challenge += ', error="invalid_token"'
        response.headers["WWW-Authenticate"] = challenge
    return response
