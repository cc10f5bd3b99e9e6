"""The staff pages through Flask's test client: sign in with a password, carry the CSRF token like a browser."""
from __future__ import annotations

import re

import pytest

from tests.conftest import STAFF_PASSWORD

_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


class Staff:
    """One signed-in member of staff with their own cookie jar."""

    def __init__(self, app, username: str | None = None, language: str | None = None):
        self.client = app.test_client()
        self.csrf = ""
        if language:
            self.refresh_token("/login")
            self.post("/language", data={"lang": language, "next": "/login"})
        if username:
            self.sign_in(username)

    def refresh_token(self, path: str = "/inbox") -> str:
        found = _TOKEN.search(self.client.get(path).get_data(as_text=True))
        assert found, f"no CSRF token on {path}"
        self.csrf = found.group(1)
        return self.csrf

    def sign_in(self, username: str, password: str = STAFF_PASSWORD):
        self.refresh_token("/login")
        response = self.client.post("/login", data={"username": username, "password": password,
                                                    "csrf_token": self.csrf})
        if response.status_code == 302:
            self.refresh_token()
        return response

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf)
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def staff_as(app):
    """staff_as("police_clerk") -> a signed-in page client; staff_as(None) -> an anonymous one."""
    def _as(username: str | None, language: str | None = None) -> Staff:
        return Staff(app, username, language)
    return _as


@pytest.fixture
def api(app, staff):
    from tests.api.conftest import Api
    return Api(app.test_client(), staff)
