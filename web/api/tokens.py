"""API routes for bearer tokens: one's own (an admin's: anyone's), named, expiring, revocable."""
from __future__ import annotations

from dataclasses import asdict

from flask import g, request

from engine import users
from engine.errors import Invalid

from . import bp
from .auth import runtime, token_required
from .schemas.tokens import NewTokenSchema, TokenListSchema, TokenRequestSchema, TokenSchema


@bp.get("/tokens")
@token_required
def list_tokens():
    username = request.args.get("username") or None
    return TokenListSchema().dump({"tokens": users.list_tokens(runtime(), g.actor, username)})


@bp.post("/tokens")
@token_required
def create_token():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("请求体必须是 JSON 对象", {"": ["需要 Content-Type: application/json 的 JSON 对象"]})
    wanted = TokenRequestSchema().load(body)
    username = wanted["username"] or g.actor.username
    row, token = users.create_token(runtime(), username, wanted["name"], by=g.actor, days=wanted["expires_in_days"])
    return NewTokenSchema().dump({**asdict(row), "token": token}), 201


@bp.delete("/tokens/<int:token_id>")
@token_required
def revoke_token(token_id: int):
    return TokenSchema().dump(users.revoke_token(runtime(), token_id, g.actor))
