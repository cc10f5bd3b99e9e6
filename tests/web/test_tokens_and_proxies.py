"""The admin's token page, sign-in that tells nobody which names exist, the client address behind a proxy, HSTS,
and supervisors' pages without the buttons of a department's work."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import users
from engine.errors import Unauthorized
from engine.models import LoginAttempt, User
from tests.api.pipeline import register as api_register
from tests.conftest import STAFF_PASSWORD
from web import create_app

from .conftest import Staff


def _user_id(rt, username: str) -> int:
    with rt.unit_of_work(write=False) as session:
        return session.scalar(select(User.id).where(User.username == username))


def test_the_admin_issues_lists_and_revokes_a_users_tokens(staff_as, rt, api, clock):
    admin = staff_as("admin")
    page_path = f"/admin/users/{_user_id(rt, 'grid_clerk')}"
    issued = admin.post(f"{page_path}/tokens", data={"label": "网格App", "days": "30"})
    assert issued.status_code == 200 and issued.headers["Cache-Control"] == "no-store"
    token = re.search(r'data-testid="token">([^<]+)<', issued.get_data(as_text=True)).group(1)
    clock.advance(timedelta(minutes=5))
    assert api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    page = admin.get(page_path).get_data(as_text=True)
    row = re.search(r'<tr data-token-id="(\d+)">((?:(?!</tr>).)*网格App.*?)</tr>', page, re.S)
    assert row and "有效" in row.group(2) and "从未" not in row.group(2)
    assert token not in page  # shown once, never again
    revoked = admin.post(f"{page_path}/tokens/{row.group(1)}/revoke")
    assert revoked.status_code == 302
    after = admin.get(page_path).get_data(as_text=True)
    assert re.search(rf'<tr data-token-id="{row.group(1)}">.*?已撤销.*?</tr>', after, re.S)
    assert api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    # a token needs a name
    assert admin.post(f"{page_path}/tokens", data={"label": "", "days": "30"}).status_code == 302


def test_only_an_admin_reaches_the_token_page(staff_as, rt):
    path = f"/admin/users/{_user_id(rt, 'grid_clerk')}/tokens"
    assert staff_as("supervisor").post(path, data={"label": "x", "days": "30"}).status_code == 403


@pytest.fixture
def scrypt_calls(monkeypatch):
    """How many times a password hash is computed (the library call itself, counted, not replaced)."""
    calls = []
    real = hashlib.scrypt

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(hashlib, "scrypt", counted)
    return calls


def test_sign_in_checks_a_password_hash_whether_or_not_the_user_exists(rt, scrypt_calls):
    users.create_user(rt, username="gone_clerk", display_name="停用", role="clerk", department_id="grid",
                      password=STAFF_PASSWORD)
    with rt.unit_of_work() as session:
        session.scalar(select(User).where(User.username == "gone_clerk")).active = False
    scrypt_calls.clear()
    for username, password in (("nobody_here", "whatever-1"), ("police_clerk", "wrong-password"),
                               ("gone_clerk", STAFF_PASSWORD), ("", "")):
        with pytest.raises(Unauthorized):
            users.sign_in(rt, username, password)
        assert len(scrypt_calls) == 1, username
        scrypt_calls.clear()
    users.sign_in(rt, "police_clerk", STAFF_PASSWORD)
    assert len(scrypt_calls) == 1


def _attempt_addresses(rt) -> list[str]:
    with rt.unit_of_work(write=False) as session:
        return list(session.scalars(select(LoginAttempt.address).order_by(LoginAttempt.id)))


def _app(database_url, clock, **settings):
    return create_app({"DATABASE_URL": database_url, "CLOCK": clock, "SCHEDULER_ENABLED": False,
                       "SECRET_KEY": "tests", "TESTING": True, **settings})


@pytest.mark.parametrize(("proxies", "seen"), [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_rate_limits_count_the_client_address_the_trusted_proxies_report(rt, database_url, clock, proxies, seen):
    app = _app(database_url, clock, TRUSTED_PROXIES=proxies)
    try:
        client = Staff(app)
        client.refresh_token("/login")
        answer = client.client.post("/login", data={"username": "police_clerk", "password": "wrong-password",
                                                    "csrf_token": client.csrf},
                                    headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
        assert answer.status_code == 401
        assert _attempt_addresses(rt)[-1] == seen
    finally:
        app.extensions["yizhan"].session_factory.kw["bind"].dispose()


def test_the_trusted_proxy_count_is_read_from_the_environment(monkeypatch):
    from web import config
    monkeypatch.setenv("YIZHAN_TRUSTED_PROXIES", "2")
    assert config.from_environment()["TRUSTED_PROXIES"] == 2
    monkeypatch.setenv("YIZHAN_TRUSTED_PROXIES", "many")
    with pytest.raises(ValueError, match="YIZHAN_TRUSTED_PROXIES"):
        config.from_environment()


@pytest.mark.parametrize("secure", [True, False])
def test_hsts_is_sent_when_cookies_are_secure(rt, database_url, clock, secure):
    app = _app(database_url, clock, SESSION_COOKIE_SECURE=secure)
    try:
        answer = app.test_client().get("/login")
        api_answer = app.test_client().get("/api/v1/openapi.json")
        if secure:
            assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")
            assert "Strict-Transport-Security" in api_answer.headers
        else:
            assert "Strict-Transport-Security" not in answer.headers
    finally:
        app.extensions["yizhan"].session_factory.kw["bind"].dispose()


def test_a_supervisor_reads_a_departments_task_without_its_working_buttons(staff_as, api):
    case_no = api_register(api)["case_no"]
    item = next(i for i in api.get("/work-items", as_="center_clerk").json["items"] if i["case_no"] == case_no)
    for who in ("supervisor", "admin"):
        page = staff_as(who).get(f"/tasks/{item['id']}")
        assert page.status_code == 200, who
        html = page.get_data(as_text=True)
        assert 'data-testid="read-only"' in html
        assert 'data-action="complete"' not in html and 'value="draft"' not in html
    inbox = staff_as("supervisor").get("/inbox?department=center").get_data(as_text=True)
    row = re.search(rf'<tr [^>]*data-item-id="{item["id"]}".*?</tr>', inbox, re.S).group(0)
    assert 'data-action="claim"' not in row and f'href="/tasks/{item["id"]}"' in row
    assert staff_as("supervisor").post(f"/inbox/items/{item['id']}/claim").status_code == 403


def test_supervisors_and_admins_are_not_offered_the_intake_window(staff_as):
    for who, landing in (("supervisor", "/board"), ("admin", "/admin/users")):
        staff = staff_as(who)
        assert 'href="/intake"' not in staff.get(landing).get_data(as_text=True), who
        assert staff.get("/intake").status_code == 403, who
