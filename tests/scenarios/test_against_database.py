"""`--against draft` plays the scenarios against the studio's saved drafts, `--against version N` against a
published version, both read from the real database; the throw-away one is still a SQLite file of its own."""
from __future__ import annotations

from click.testing import CliRunner

from engine.studio import drafts
from tests.conftest import WORKFLOWS
from web.cli import main

SETTLED = str(WORKFLOWS / "scenarios" / "settled.yaml")
FULFILLED = "<bpmn:conditionExpression>performance == 'fulfilled'</bpmn:conditionExpression>"


def scenario_run(database_url: str, *args: str):
    return CliRunner().invoke(main, ["scenario", "run", "--database-url", database_url, *args])


def test_against_the_saved_draft_a_broken_follow_up_fails_where_the_files_on_disk_pass(rt, who, database_url):
    designer = who("designer")
    files = drafts.get_draft(rt, "dispute_resolution", designer).files
    files["enforcement_followup.bpmn"] = files["enforcement_followup.bpmn"].replace(
        FULFILLED, FULFILLED.replace("fulfilled", "paid"))
    drafts.save_draft(rt, "dispute_resolution", files, {}, 0, designer)

    on_draft = scenario_run(database_url, "--against", "draft", SETTLED)
    assert on_draft.exit_code == 1, on_draft.output
    lines = on_draft.output.strip().splitlines()
    assert lines[0] == "场景测试：草稿 dispute_resolution（第1稿）"
    assert any(line.startswith("FAIL") and ":第10步:follow_up_visit: " in line for line in lines)
    assert lines[-1] == "0 passed, 1 failed"
    on_disk = scenario_run(database_url, SETTLED)
    assert on_disk.exit_code == 0 and on_disk.output.strip().endswith("1 passed, 0 failed")


def test_against_a_published_version_and_a_version_that_does_not_exist(rt, database_url):
    passed = scenario_run(database_url, "--against", "version", "1", SETTLED)
    assert passed.exit_code == 0, passed.output
    assert passed.output.splitlines()[0] == "场景测试：dispute_resolution 第 1 版"
    missing = scenario_run(database_url, "--against", "version:9", SETTLED)
    assert missing.exit_code == 1 and "流程 dispute_resolution 没有第 9 版" in missing.output


def test_against_drafts_when_there_are_none_says_so(rt, database_url):
    result = scenario_run(database_url, "--against", "draft", SETTLED)
    assert result.exit_code == 1 and "数据库中没有保存的草稿" in result.output
