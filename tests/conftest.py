"""Shared fixtures: one migrated database per run (SQLite file, or PostgreSQL when
YIZHAN_TEST_DATABASE_URL is set), the real diagrams deployed, staff with tokens, and per-test
clean case tables and a clock that stands still until a test moves it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text

from engine import definitions, schema, users
from engine.clock import SHANGHAI, ManualClock
from engine.db import make_engine
from engine.models import (
    Attachment,
    AuditEvent,
    Case,
    CaseCounter,
    CaseDocument,
    CaseParty,
    Comment,
    Definition,
    DocumentTemplate,
    EarlyWarning,
    FormVersion,
    GroupMapping,
    Incident,
    InstanceState,
    LoginAttempt,
    NoticeCounter,
    Notification,
    ProcessDraft,
    SchedulerLease,
    Setting,
    StatisticsReport,
    Timer,
    WebhookDelivery,
    WorkItem,
)
from engine.runtime import Runtime
from engine.users import SYSTEM
from web import create_app

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / "workflows"
STAFF_PASSWORD = "test-password-1"
# A Monday, a working day, 09:00 in Shanghai.
START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@dataclass
class Staff:
    tokens: dict[str, str]
    definition_ids: set[int]

    def token(self, username: str) -> str:
        return self.tokens[username]


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("YIZHAN_TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'yizhan-test.db'}"
    schema.upgrade(url)
    return url


@pytest.fixture(scope="session")
def staff(database_url) -> Staff:
    """Departments, the real diagrams, and a clerk and a head per department plus centre roles."""
    rt = Runtime.from_url(database_url)
    schema.seed_departments(rt)
    definitions.deploy(rt, definitions.files_from_path(WORKFLOWS), by=SYSTEM)
    tokens = {}
    accounts = [(f"{d['id']}_{role}", role, d["id"]) for d in schema.reference_data()["departments"]
                for role in ("clerk", "head")]
    accounts += [("supervisor", "supervisor", "center"), ("designer", "designer", "center"),
                 ("admin", "admin", "center")]
    for username, role, department in accounts:
        users.create_user(rt, username=username, display_name=username, role=role, department_id=department,
                          password=STAFF_PASSWORD)
        tokens[username] = users.issue_token(rt, username, "tests", days=users.MAX_TOKEN_DAYS)
    with rt.unit_of_work(write=False) as session:
        ids = set(session.scalars(select(Definition.id)))
    return Staff(tokens, ids)


def _clean(url: str, keep_definitions: set[int]) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        for model in (Incident, StatisticsReport, CaseDocument, DocumentTemplate, EarlyWarning, LoginAttempt,
                      Attachment, Comment, Notification, WebhookDelivery, AuditEvent, Timer, WorkItem, InstanceState,
                      CaseParty, Case, CaseCounter, NoticeCounter, SchedulerLease, Setting, ProcessDraft, FormVersion,
                      GroupMapping):
            conn.execute(delete(model))
        conn.execute(delete(Definition).where(Definition.id.not_in(keep_definitions)))
    engine.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def rt(database_url, staff, clock) -> Runtime:
    """A runtime on the shared database with every case of earlier tests removed."""
    _clean(database_url, staff.definition_ids)
    runtime = Runtime.from_url(database_url, clock=clock)
    yield runtime
    runtime.session_factory.kw["bind"].dispose()


@pytest.fixture
def who(rt, staff):
    """who("police_clerk") -> the Actor of that staff member."""
    def _who(username: str) -> users.Actor:
        return users.actor_for_token(rt, staff.token(username))
    return _who


@pytest.fixture
def app(rt, database_url, clock):
    """The web application on the test database, its clock the test's, its scheduler off; its connections
    are closed after the test, so a long run never holds more than a test's worth of them."""
    application = create_app({"DATABASE_URL": database_url, "CLOCK": clock, "SCHEDULER_ENABLED": False,
                              "SECRET_KEY": "tests", "TESTING": True})
    yield application
    application.extensions["yizhan"].session_factory.kw["bind"].dispose()


@pytest.fixture
def register(rt, who):
    """register(**changes) -> the summary of a case registered at the window by the centre's clerk."""
    from engine import cases
    from tests.api.pipeline import INTAKE

    def _register(**changes):
        return cases.start(rt, {**INTAKE, **changes}, who("center_clerk"))
    return _register
