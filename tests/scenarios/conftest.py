"""The application with its diagrams and a few scenarios in a folder of the test's own, so the studio's gate
runs them (and a test may break a copy of a stage)."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import WORKFLOWS
from web import create_app

GATE_SCENARIOS = ("settled.yaml", "not_accepted.yaml")


@pytest.fixture
def workflows_dir(tmp_path):
    copy = tmp_path / "workflows"
    shutil.copytree(WORKFLOWS, copy, ignore=shutil.ignore_patterns("scenarios"))
    (copy / "scenarios").mkdir()
    for name in GATE_SCENARIOS:
        shutil.copy(WORKFLOWS / "scenarios" / name, copy / "scenarios" / name)
    return copy


@pytest.fixture
def gated_app(rt, database_url, clock, workflows_dir):
    application = create_app({"DATABASE_URL": database_url, "CLOCK": clock, "SCHEDULER_ENABLED": False,
                              "SECRET_KEY": "tests", "TESTING": True, "WORKFLOWS_DIR": str(workflows_dir)})
    yield application
    application.extensions["yizhan"].session_factory.kw["bind"].dispose()


@pytest.fixture
def api(gated_app, staff):
    from tests.api.conftest import Api
    return Api(gated_app.test_client(), staff)


@pytest.fixture
def staff_as(gated_app):
    from tests.web.conftest import Staff

    def _as(username: str | None) -> Staff:
        return Staff(gated_app, username)
    return _as
