"""A database that cannot be reached is answered 503 with Retry-After (a JSON Error body for the API, a page for
the pages), logged as one warning line without a traceback, and the app serves again by itself once the database
is back: no restart, no 500."""
from __future__ import annotations

import logging
import shutil
import socket
import threading
from urllib.parse import urlsplit, urlunsplit

import pytest

from engine import schema, users
from engine.runtime import Runtime
from tests.conftest import STAFF_PASSWORD
from tests.web.conftest import Staff
from web import create_app

from .contract import check_answer


class Proxy:
    """A TCP relay in front of PostgreSQL that the test cuts (every connection closed, the port refusing) and
    restores on the same port: what the app sees when the database server goes down and comes back."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(32)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        if self._listener is not None:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close alone does not
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for end in sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()


def _assert_unavailable_json(response, path: str, document_text: str) -> None:
    assert response.status_code == 503, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.headers["Retry-After"].isdigit()
    assert response.json["error"] == "unavailable" and response.json["status"] == 503
    check_answer(document_text, "GET", path, response)


def _assert_unavailable_page(response) -> None:
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert response.headers["Retry-After"].isdigit()


def _quiet_but_warned(caplog, failed_requests: int) -> None:
    """No error and no traceback was logged; each refused request left one warning line."""
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]
    assert not [r for r in caplog.records if r.exc_info]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "database unavailable" in r.getMessage()]
    assert len(warnings) == failed_requests
    assert all("\n" not in r.getMessage() for r in warnings)


@pytest.fixture
def pg_url(database_url) -> str:
    if not database_url.startswith("postgres"):
        pytest.skip("the server outage is played on PostgreSQL (YIZHAN_TEST_DATABASE_URL)")
    return database_url


def test_postgresql_going_down_answers_503_and_the_app_recovers_when_it_returns(pg_url, rt, staff, caplog):
    parts = urlsplit(pg_url)
    proxy = Proxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    proxy.start()
    netloc = f"{parts.username}@127.0.0.1:{proxy.port}" if parts.username else f"127.0.0.1:{proxy.port}"
    app = create_app({"DATABASE_URL": urlunsplit(parts._replace(netloc=netloc)), "SCHEDULER_ENABLED": False,
                      "SECRET_KEY": "tests", "TESTING": True})
    try:
        client = app.test_client()
        token = {"Authorization": f"Bearer {staff.token('supervisor')}"}
        document_text = client.get("/api/v1/openapi.json").get_data(as_text=True)
        head = Staff(app, "center_head")
        assert client.get("/api/v1/me", headers=token).status_code == 200
        assert head.get("/inbox").status_code == 200

        caplog.clear()
        with caplog.at_level(logging.WARNING):
            proxy.cut()
            for _ in range(3):
                _assert_unavailable_json(client.get("/api/v1/work-items", headers=token), "/api/v1/work-items",
                                         document_text)
            _assert_unavailable_page(head.get("/inbox"))
            _quiet_but_warned(caplog, failed_requests=4)

            proxy.start()
            assert client.get("/api/v1/work-items", headers=token).status_code == 200
            assert head.get("/inbox").status_code == 200
            assert client.get("/api/v1/me", headers=token).json["username"] == "supervisor"
        _quiet_but_warned(caplog, failed_requests=4)
    finally:
        proxy.cut()
        app.extensions["yizhan"].session_factory.kw["bind"].dispose()


@pytest.fixture
def own_sqlite(tmp_path):
    """A SQLite database of its own in a folder the test can take away: (folder, url, a supervisor's token)."""
    folder = tmp_path / "volume"
    folder.mkdir()
    url = f"sqlite:///{folder / 'yizhan.db'}"
    schema.upgrade(url)
    rt = Runtime.from_url(url)
    schema.seed_departments(rt)
    users.create_user(rt, username="supervisor", display_name="supervisor", role="supervisor",
                      department_id="center", password=STAFF_PASSWORD)
    token = users.issue_token(rt, "supervisor", "tests")
    rt.session_factory.kw["bind"].dispose()
    return folder, url, token


def test_a_sqlite_file_out_of_reach_answers_503_and_the_app_recovers_when_it_is_back(own_sqlite, tmp_path, caplog):
    folder, url, token = own_sqlite
    away = tmp_path / "volume-away"
    shutil.move(folder, away)  # the volume is not mounted when the app starts
    with caplog.at_level(logging.WARNING):
        app = create_app({"DATABASE_URL": url, "SCHEDULER_ENABLED": False, "SECRET_KEY": "tests", "TESTING": True})
        try:
            client = app.test_client()
            document_text = client.get("/api/v1/openapi.json").get_data(as_text=True)
            caplog.clear()
            headers = {"Authorization": f"Bearer {token}"}
            _assert_unavailable_json(client.get("/api/v1/work-items", headers=headers), "/api/v1/work-items",
                                     document_text)
            visitor = Staff(app)
            visitor.refresh_token("/login")
            _assert_unavailable_page(visitor.post("/login", data={"username": "supervisor",
                                                                  "password": STAFF_PASSWORD}))
            _quiet_but_warned(caplog, failed_requests=2)
            assert not folder.exists()  # nothing was created in its place

            shutil.move(away, folder)
            assert client.get("/api/v1/work-items", headers=headers).status_code == 200
            assert visitor.post("/login", data={"username": "supervisor",
                                                "password": STAFF_PASSWORD}).status_code == 302
            _quiet_but_warned(caplog, failed_requests=2)
        finally:
            app.extensions["yizhan"].session_factory.kw["bind"].dispose()


def test_postgresql_ending_the_apps_connections_costs_no_request(pg_url, rt, staff, caplog):
    """A server restart or an administrator ending sessions: pooled connections are found dead and replaced."""
    from sqlalchemy import text
    marked = f"{pg_url}{'&' if '?' in pg_url else '?'}application_name=yizhan-outage-test"
    app = create_app({"DATABASE_URL": marked, "SCHEDULER_ENABLED": False, "SECRET_KEY": "tests", "TESTING": True})
    try:
        client = app.test_client()
        token = {"Authorization": f"Bearer {staff.token('supervisor')}"}
        assert client.get("/api/v1/work-items", headers=token).status_code == 200
        with rt.unit_of_work() as session:
            ended = session.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                         "WHERE application_name = 'yizhan-outage-test'")).scalar()
        assert ended >= 1
        with caplog.at_level(logging.WARNING):
            for _ in range(3):
                assert client.get("/api/v1/work-items", headers=token).status_code == 200
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    finally:
        app.extensions["yizhan"].session_factory.kw["bind"].dispose()
