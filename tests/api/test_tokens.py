"""API tokens are named, expire, can be revoked, show when they were last used, and are kept only as a hash."""
from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from sqlalchemy import select

from engine import users
from engine.models import ApiToken, User
from engine.runtime import Runtime
from engine.token_cache import TOKEN_CACHE_SECONDS

from .contract import check


def _issue(api, as_="police_clerk", **body):
    answer = api.post("/tokens", as_=as_, json={"name": "短信网关", **body})
    assert answer.status_code == 201, answer.json
    check(api, answer, "/tokens", "post")
    return answer.json


def _listed(api, token_id, as_="police_clerk", **query):
    answer = api.get("/tokens", as_=as_, query_string=query)
    assert answer.status_code == 200, answer.json
    check(api, answer, "/tokens", "get")
    return next(t for t in answer.json["tokens"] if t["id"] == token_id)


def _me(api, token):
    return api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def test_a_new_token_is_named_expires_and_is_kept_only_as_its_hash(api, rt):
    issued = _issue(api, expires_in_days=30)
    assert issued["name"] == "短信网关" and issued["state"] == "active" and issued["username"] == "police_clerk"
    assert issued["last_used_at"] is None
    assert _me(api, issued["token"]).json["username"] == "police_clerk"
    with rt.unit_of_work(write=False) as session:
        row = session.get(ApiToken, issued["id"])
        assert row.token_hash == hashlib.sha256(issued["token"].encode()).hexdigest()
        assert issued["token"] not in (row.token_hash, row.label)
        assert row.expires_at - row.created_at == timedelta(days=30)
        assert session.scalar(select(ApiToken).where(ApiToken.token_hash == issued["token"])) is None
    assert "token" not in _listed(api, issued["id"])


def test_last_use_is_shown_and_written_at_most_once_a_minute(api, clock):
    issued = _issue(api)
    assert _me(api, issued["token"]).status_code == 200
    first = _listed(api, issued["id"])["last_used_at"]
    assert first is not None
    clock.advance(timedelta(seconds=30))
    assert _me(api, issued["token"]).status_code == 200
    assert _listed(api, issued["id"])["last_used_at"] == first
    clock.advance(timedelta(seconds=40))
    assert _me(api, issued["token"]).status_code == 200
    assert _listed(api, issued["id"])["last_used_at"] > first


def test_an_expired_token_is_refused_with_a_challenge(api, clock):
    issued = _issue(api, expires_in_days=1)
    assert _me(api, issued["token"]).status_code == 200
    clock.advance(timedelta(days=1, seconds=1))
    refused = _me(api, issued["token"])
    assert refused.status_code == 401 and "过期" in refused.json["message"]
    assert refused.headers["WWW-Authenticate"].startswith("Bearer") and "invalid_token" in refused.headers[
        "WWW-Authenticate"]
    check(api, refused, "/me", "get")
    assert _listed(api, issued["id"])["state"] == "expired"
    missing = api.client.get("/api/v1/me")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused_at_once(api):
    issued = _issue(api)
    assert _me(api, issued["token"]).status_code == 200
    revoked = api.delete(f"/tokens/{issued['id']}", as_="police_clerk")
    assert revoked.status_code == 200 and revoked.json["state"] == "revoked" and revoked.json["revoked_at"]
    check(api, revoked, "/tokens/{token_id}", "delete")
    refused = _me(api, issued["token"])
    assert refused.status_code == 401 and "WWW-Authenticate" in refused.headers
    assert _listed(api, issued["id"])["state"] == "revoked"
    assert api.delete(f"/tokens/{issued['id']}", as_="police_clerk").status_code == 200  # twice: no change


def test_staff_manage_their_own_tokens_and_an_admin_everyones(api):
    issued = _issue(api)
    assert api.delete(f"/tokens/{issued['id']}", as_="police_head").status_code == 404
    assert api.get("/tokens?username=police_clerk", as_="police_head").status_code == 403
    assert api.post("/tokens", as_="police_head", json={"name": "x", "username": "police_clerk"}).status_code == 403
    assert _listed(api, issued["id"], as_="admin", username="police_clerk")["state"] == "active"
    for_someone = _issue(api, as_="admin", username="court_clerk", name="法院系统")
    assert for_someone["username"] == "court_clerk"
    assert _me(api, for_someone["token"]).json["username"] == "court_clerk"
    assert api.delete(f"/tokens/{issued['id']}", as_="admin").json["state"] == "revoked"


def test_a_token_needs_a_name_and_a_bounded_lifetime(api):
    for body, field in (({}, "name"), ({"name": ""}, "name"), ({"name": "x", "expires_in_days": 0}, "expires_in_days"),
                        ({"name": "x", "expires_in_days": 5000}, "expires_in_days")):
        refused = api.post("/tokens", as_="police_clerk", json=body)
        assert refused.status_code == 400 and field in refused.json["fields"], (body, refused.json)
        check(api, refused, "/tokens", "post")


def test_a_token_revoked_elsewhere_stops_working_within_seconds(api, database_url):
    """A server remembers a token that worked for a few seconds (engine/token_cache.py); a revocation made by
    another process (the CLI, another worker) reaches it within that time."""
    issued = _issue(api)
    assert _me(api, issued["token"]).status_code == 200
    elsewhere = Runtime.from_url(database_url)
    users.revoke_token(elsewhere, issued["id"], users.SYSTEM)
    revoked_at = time.monotonic()
    while _me(api, issued["token"]).status_code == 200:
        assert time.monotonic() - revoked_at < TOKEN_CACHE_SECONDS + 0.5
        time.sleep(0.05)
    assert _me(api, issued["token"]).status_code == 401


def test_a_deactivated_users_tokens_stop_at_once_in_the_same_server(api):
    rt = api.client.application.extensions["yizhan"]
    issued = _issue(api)
    assert _me(api, issued["token"]).status_code == 200
    with rt.unit_of_work(write=False) as session:
        clerk = session.scalar(select(User).where(User.username == "police_clerk"))
    admin = users.Actor(None, "admin", "管理员", "admin", "center")
    users.update_user(rt, clerk.id, display_name=clerk.display_name, role=clerk.role,
                      department_id=clerk.department_id, active=False, by=admin)
    try:
        assert _me(api, issued["token"]).status_code == 401
    finally:
        users.update_user(rt, clerk.id, display_name=clerk.display_name, role=clerk.role,
                          department_id=clerk.department_id, active=True, by=admin)
