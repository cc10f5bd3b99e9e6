"""Versions side by side and migrating running cases over the JSON API (and the `yizhan migrate` command)."""
from __future__ import annotations

from click.testing import CliRunner

from engine import definitions
from engine.users import SYSTEM
from tests.migration import diagrams
from tests.migration.conftest import Cases
from web.cli import main


def _deploy(rt, files) -> int:
    return definitions.deploy(rt, files, by=SYSTEM).version


def test_a_designer_lists_versions_and_reads_what_changed_between_two(api, rt):
    _deploy(rt, diagrams.with_review_after_referral(diagrams.shipped()))
    listed = api.get("/definitions/dispute_resolution/versions", as_="designer")
    assert listed.status_code == 200
    assert [(d["version"], d["deployed_by"]) for d in listed.json["definitions"]] == [(2, "system"), (1, "system")]
    diff = api.get("/definitions/dispute_resolution/diff", as_="designer", query_string={"from": 1, "to": 2})
    assert diff.status_code == 200, diff.json
    assert {c["element_id"] for c in diff.json["changes"]["added"]} == {"legal_review", "f_legal_review_done"}
    changed = {c["element_id"]: c["what"] for c in diff.json["changes"]["changed"]}
    assert changed["f_referred"] == ["属性"]
    main_file = next(f for f in diff.json["files"] if f["file"] == "dispute_resolution.bpmn")
    assert "legal_review" in main_file["added"] and main_file["removed"] == []


def test_the_same_version_twice_or_an_unknown_one_is_a_clear_error(api):
    same = api.get("/definitions/dispute_resolution/diff", as_="designer", query_string={"from": 1, "to": 1})
    assert same.status_code == 400 and "to" in same.json["fields"]
    missing = api.get("/definitions/dispute_resolution/diff", as_="designer", query_string={"from": 1, "to": 9})
    assert missing.status_code == 404
    clerk = api.get("/definitions/dispute_resolution/versions", as_="center_clerk")
    assert clerk.status_code == 403


def test_an_administrator_previews_then_migrates_and_a_blocked_case_is_told_why(api, rt, who):
    running = Cases(rt, who)
    waiting, assessed = running.start_at("dispatch"), running.start_at("assessment")
    _deploy(rt, diagrams.without_dispatch(diagrams.shipped()))
    shown = api.get("/definitions/dispute_resolution/migration", as_="admin", query_string={"to": 2})
    assert shown.status_code == 200, shown.json
    verdicts = {c["case_no"]: c for c in shown.json["cases"]}
    assert verdicts[assessed]["movable"] and not verdicts[waiting]["movable"]
    assert verdicts[waiting]["reasons"][0]["code"] == "removed_task"
    assert verdicts[waiting]["reasons"][0]["element_id"] == "dispatch"
    refused = api.post("/definitions/dispute_resolution/migration", as_="designer", json={"to": 2})
    assert refused.status_code == 403
    run = api.post("/definitions/dispute_resolution/migration", as_="admin",
                   json={"to": 2, "cases": [assessed, waiting], "note": "派单并入研判"})
    assert run.status_code == 200, run.json
    assert run.json["moved"] == [assessed]
    assert [v["case_no"] for v in run.json["refused"]] == [waiting]
    assert api.get(f"/cases/{assessed}", as_="supervisor").json["definition_version"] == 2
    assert api.get(f"/cases/{waiting}", as_="supervisor").json["definition_version"] == 1
    bad = api.post("/definitions/dispute_resolution/migration", as_="admin", json={"to": 2, "cases": ["2026-999999"]})
    assert bad.status_code == 404


def test_the_command_line_migrates_dry_runs_and_names_what_stands_in_the_way(rt, who, database_url):
    running = Cases(rt, who)
    waiting, assessed = running.start_at("dispatch"), running.start_at("assessment")
    _deploy(rt, diagrams.without_dispatch(diagrams.shipped()))
    runner = CliRunner()
    dry = runner.invoke(main, ["migrate", "dispute_resolution", "--to", "2", "--dry-run", "--database-url",
                               database_url])
    assert dry.exit_code == 1
    assert f"{assessed}: 可迁移" in dry.output and f"{waiting}: 不能迁移" in dry.output and "派单" in dry.output
    assert running.definition_version(assessed) == 1
    done = runner.invoke(main, ["migrate", "dispute_resolution", "--to", "2", "--case", assessed, "--database-url",
                                database_url])
    assert done.exit_code == 0, done.output
    assert "1 件已迁移，0 件不能迁移" in done.output
    assert running.definition_version(assessed) == 2
