"""The `yizhan` command line on a fresh SQLite file: schema, deploy, demo, help."""
from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from engine import timer_firing
from engine.models import Case, Definition, User, WorkItem
from engine.runtime import Runtime
from web.cli import main

from ..conftest import WORKFLOWS


def test_every_command_explains_itself():
    runner = CliRunner()
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("init-db", "deploy", "demo", "serve", "scheduler"):
        assert command in result.output
        assert runner.invoke(main, [command, "--help"]).exit_code == 0


def test_demo_sets_up_users_definitions_and_cases_at_different_stages(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    runner = CliRunner()
    result = runner.invoke(main, ["demo", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "center_clerk" in result.output and "demo1234" in result.output
    rt = Runtime.from_url(url)
    with rt.unit_of_work(write=False) as session:
        stages = set(session.scalars(select(Case.stage)))
        assert {"intake", "joint_assessment", "referral", "coordinated_resolution",
                "enforcement_followup"} <= stages
        assert session.scalar(select(User).where(User.username == "police_head")) is not None
        # one case waits for the court to record whether it accepts the application
        assert session.scalar(select(Case.stage_name).join(WorkItem, WorkItem.case_id == Case.id).where(
            WorkItem.department_id == "court", WorkItem.state == "open")) == "等待法院裁定"
        assert session.scalar(select(User).where(User.username == "court_clerk")) is not None
    # Cases were left lying for days: once the scheduler runs, the ladder of the one at the window has climbed.
    assert timer_firing.fire_due(rt) >= 4
    with rt.unit_of_work(write=False) as session:
        late = session.execute(select(WorkItem.department_id, WorkItem.element_id).where(
            WorkItem.state == "open", WorkItem.escalation_level >= 1)).all()
        assert ("center", "review_acceptance") in late
        assert session.scalar(select(func.count()).where(WorkItem.notice_no.is_not(None))) >= 1
    again = runner.invoke(main, ["demo", "--database-url", url])
    assert again.exit_code == 0, again.output
    with rt.unit_of_work(write=False) as session:
        assert len(session.scalars(select(Case)).all()) == 6
        assert len(session.scalars(select(Definition)).all()) == 1


def test_deploy_reports_a_bad_file_without_a_traceback(tmp_path):
    url = f"sqlite:///{tmp_path / 'deploy.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["init-db", "--database-url", url]).exit_code == 0
    bad = tmp_path / "bad.bpmn"
    bad.write_text("<not-bpmn")
    result = runner.invoke(main, ["deploy", str(bad), "--database-url", url])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "XML" in result.output
    good = runner.invoke(main, ["deploy", str(WORKFLOWS), "--database-url", url])
    assert good.exit_code == 0 and "dispute_resolution v1" in good.output


def test_the_centre_sets_its_closing_time_and_lunch_break(tmp_path):
    from datetime import datetime, time

    from engine import settings
    from engine.calendar import SHANGHAI

    url = f"sqlite:///{tmp_path / 'hours.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["init-db", "--database-url", url]).exit_code == 0
    shown = runner.invoke(main, ["hours", "--database-url", url])
    assert shown.exit_code == 0 and "closing 18:00; lunch break none" in shown.output
    changed = runner.invoke(main, ["hours", "--closing", "17:30", "--lunch", "12:00-13:30", "--database-url", url])
    assert changed.exit_code == 0 and "closing 17:30; lunch break 12:00-13:30" in changed.output
    # A process started afterwards ends its working-day limits at the new close.
    rt = Runtime.from_url(url)
    settings.load_working_hours(rt)
    assert rt.calendar.hours.closing == time(17, 30)
    friday = datetime(2025, 9, 26, 15, 0, tzinfo=SHANGHAI)
    assert rt.calendar.add_working_days(friday, 3) == datetime(2025, 9, 30, 17, 30, tzinfo=SHANGHAI)
    refused = runner.invoke(main, ["hours", "--closing", "25:00", "--database-url", url])
    assert refused.exit_code != 0 and "closing_time" in refused.output and "Traceback" not in refused.output
    refused = runner.invoke(main, ["hours", "--lunch", "14:00-12:00", "--database-url", url])
    assert refused.exit_code != 0 and "午休" in refused.output
