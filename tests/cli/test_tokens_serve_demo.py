"""`yizhan token`, `yizhan serve` on a busy port, and `yizhan demo` run a second time."""
from __future__ import annotations

import socket

from click.testing import CliRunner
from sqlalchemy import func, select

from engine import cases, users
from engine.models import ApiToken, Case
from engine.runtime import Runtime
from web.cli import main


def _demo(tmp_path) -> tuple[str, CliRunner]:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    runner = CliRunner()
    first = runner.invoke(main, ["demo", "--database-url", url])
    assert first.exit_code == 0, first.output
    assert "6 demo cases" in first.output
    return url, runner


def test_demo_run_again_reports_only_its_own_cases_and_mints_no_new_tokens(tmp_path):
    url, runner = _demo(tmp_path)
    rt = Runtime.from_url(url)
    with rt.unit_of_work(write=False) as session:
        tokens = session.scalar(select(func.count()).select_from(ApiToken))
    clerk = users.authenticate(rt, "center_clerk", "demo1234")
    cases.start(rt, {"channel": "walk_in", "dispute_type": "neighbour", "title": "演示之后登记的纠纷",
                     "description": "邻里噪音", "place": "城关镇", "amount": 0,
                     "parties": [{"name": "甲", "role": "applicant", "phone": "13800000009"}],
                     "flags": {"mass_incident_risk": False, "petition_risk": False, "criminal_risk": False}}, clerk)
    again = runner.invoke(main, ["demo", "--database-url", url])
    assert again.exit_code == 0, again.output
    assert "6 demo cases" in again.output and "7 demo cases" not in again.output
    assert "issued earlier" in again.output and "yizhan token create" in again.output
    with rt.unit_of_work(write=False) as session:
        assert session.scalar(select(func.count()).select_from(ApiToken)) == tokens
        assert session.scalar(select(func.count()).select_from(Case)) == 7
    # a demo account whose token was revoked gets a new one on the next run
    first_id = users.list_tokens(rt, users.SYSTEM, "center_clerk")[0].id
    runner.invoke(main, ["token", "revoke", str(first_id), "--database-url", url])
    third = runner.invoke(main, ["demo", "--database-url", url])
    line = next(t for t in third.output.splitlines() if t.strip().startswith("center_clerk "))
    assert "issued earlier" not in line and "API token: " in line


def test_tokens_are_created_listed_and_revoked_from_the_command_line(tmp_path):
    url, runner = _demo(tmp_path)
    created = runner.invoke(main, ["token", "create", "court_clerk", "--name", "court-bridge", "--days", "7",
                                   "--database-url", url])
    assert created.exit_code == 0, created.output
    token = created.output.strip()
    rt = Runtime.from_url(url)
    assert users.actor_for_token(rt, token).username == "court_clerk"
    listed = runner.invoke(main, ["token", "list", "court_clerk", "--database-url", url])
    line = next(t for t in listed.output.splitlines() if "court-bridge" in t)
    assert "active" in line and "last used" in line and token not in listed.output
    token_id = line.split()[0]
    revoked = runner.invoke(main, ["token", "revoke", token_id, "--database-url", url])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert "revoked" in next(t for t in runner.invoke(main, ["token", "list", "--database-url", url])
                             .output.splitlines() if "court-bridge" in t)
    missing = runner.invoke(main, ["token", "create", "nobody", "--name", "x", "--database-url", url])
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    assert runner.invoke(main, ["token", "create", "court_clerk", "--database-url", url]).exit_code == 2


def test_serve_on_a_busy_port_says_so_and_exits_without_serving(tmp_path):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        result = CliRunner().invoke(main, ["serve", "--port", str(port), "--no-scheduler"],
                                    env={"DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
                                         "YIZHAN_DATA_DIR": str(tmp_path)})
    finally:
        busy.close()
    assert result.exit_code == 1, result.output
    assert f"端口 {port} 已被占用" in result.output and "already in use" in result.output
    assert "serving on" not in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
