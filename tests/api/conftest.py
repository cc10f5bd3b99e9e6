"""The Flask app on the shared test database, and a client that speaks as a named staff member."""
from __future__ import annotations

import pytest


class Api:
    """`api.post("/cases", as_="center_clerk", json=...)` → the test client's response."""

    def __init__(self, client, staff):
        self.client = client
        self.staff = staff

    def _headers(self, as_: str | None) -> dict:
        return {"Authorization": f"Bearer {self.staff.token(as_)}"} if as_ else {}

    def get(self, path: str, as_: str | None = None, **kwargs):
        return self.client.get(f"/api/v1{path}", headers=self._headers(as_), **kwargs)

    def post(self, path: str, as_: str | None = None, **kwargs):
        return self.client.post(f"/api/v1{path}", headers=self._headers(as_), **kwargs)

    def put(self, path: str, as_: str | None = None, **kwargs):
        return self.client.put(f"/api/v1{path}", headers=self._headers(as_), **kwargs)

    def delete(self, path: str, as_: str | None = None, **kwargs):
        return self.client.delete(f"/api/v1{path}", headers=self._headers(as_), **kwargs)


@pytest.fixture
def api(app, staff) -> Api:
    return Api(app.test_client(), staff)
