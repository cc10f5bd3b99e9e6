"""The Flask app on the shared test database, and a client that speaks as a named staff member and checks
every answer against the OpenAPI document (tests/api/contract.py)."""
from __future__ import annotations

import pytest

from .contract import PREFIX, check_answer


class Api:
    """`api.post("/cases", as_="center_clerk", json=...)` → the test client's response, checked against the
    document: an answer the document does not promise fails the test that got it."""

    def __init__(self, client, staff):
        self.client = client
        self.staff = staff
        self._document_text: str | None = None

    def _headers(self, as_: str | None) -> dict:
        return {"Authorization": f"Bearer {self.staff.token(as_)}"} if as_ else {}

    def document_text(self) -> str:
        if self._document_text is None:
            self._document_text = self.client.get(f"{PREFIX}/openapi.json").get_data(as_text=True)
        return self._document_text

    def _call(self, method: str, path: str, as_: str | None, kwargs: dict):
        headers = {**self._headers(as_), **kwargs.pop("headers", {})}
        response = self.client.open(f"{PREFIX}{path}", method=method, headers=headers, **kwargs)
        check_answer(self.document_text(), method, f"{PREFIX}{path}", response)
        return response

    def get(self, path: str, as_: str | None = None, **kwargs):
        return self._call("GET", path, as_, kwargs)

    def post(self, path: str, as_: str | None = None, **kwargs):
        return self._call("POST", path, as_, kwargs)

    def put(self, path: str, as_: str | None = None, **kwargs):
        return self._call("PUT", path, as_, kwargs)

    def delete(self, path: str, as_: str | None = None, **kwargs):
        return self._call("DELETE", path, as_, kwargs)


@pytest.fixture
def api(app, staff) -> Api:
    return Api(app.test_client(), staff)
