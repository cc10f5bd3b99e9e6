"""The designer area's versions and migration pages, in Chinese and in English."""
from __future__ import annotations

from engine import definitions
from engine.users import SYSTEM
from tests.migration import diagrams
from tests.migration.conftest import Cases


def _second_version(rt) -> None:
    definitions.deploy(rt, diagrams.without_dispatch(diagrams.shipped()), by=SYSTEM, note="派单并入联席研判")


def test_the_versions_page_lists_who_published_and_what_changed_in_both_languages(staff_as, rt):
    _second_version(rt)
    zh = staff_as("designer").get("/designer/processes/dispute_resolution/versions").get_data(as_text=True)
    assert "dispute_resolution 的版本" in zh and "从第 1 版到第 2 版" in zh and "派单并入联席研判" in zh
    assert 'data-element="dispatch"' in zh and "system" in zh
    en = staff_as("designer", "en").get("/designer/processes/dispute_resolution/versions?from=1&to=2")
    text = en.get_data(as_text=True)
    assert en.status_code == 200 and "Versions of dispute_resolution" in text and "From version 1 to version 2" in text


def test_the_migration_page_previews_and_only_an_administrator_runs_it(staff_as, rt, who):
    running = Cases(rt, who)
    waiting, movable = running.start_at("dispatch"), running.start_at("intake")
    _second_version(rt)
    designer = staff_as("designer", "en")
    page = designer.get("/designer/processes/dispute_resolution/migration?to=2").get_data(as_text=True)
    assert "1 can move, 1 cannot." in page and "A task it waits on was removed" in page
    assert "Only an administrator may move running cases." in page
    refused = designer.post("/designer/processes/dispute_resolution/migration", data={"to": "2", "case": [movable]})
    assert refused.status_code == 403
    admin = staff_as("admin")
    assert "1 件可以迁移，1 件不能迁移。" in admin.get("/designer/processes/dispute_resolution/migration?to=2")\
        .get_data(as_text=True)
    done = admin.post("/designer/processes/dispute_resolution/migration", data={"to": "2", "case": [movable, waiting]},
                      follow_redirects=True)
    assert "1 件案件已迁移到第 2 版；1 件不能迁移，保持原样。" in done.get_data(as_text=True)
    assert running.definition_version(movable) == 2 and running.definition_version(waiting) == 1


def test_a_moved_case_says_so_in_its_timeline_and_shows_its_new_version(staff_as, rt, who):
    running = Cases(rt, who)
    case_no = running.start_at("intake")
    _second_version(rt)
    admin = staff_as("admin")
    admin.post("/designer/processes/dispute_resolution/migration", data={"to": "2", "case": [case_no]})
    page = staff_as("supervisor").get(f"/cases/{case_no}").get_data(as_text=True)
    assert 'data-kind="case_migrated"' in page and "迁移流程版本" in page
    assert "流程 dispute_resolution 第 2 版" in page


def test_any_version_opens_in_the_viewer_without_a_comparison(staff_as, rt):
    _second_version(rt)
    designer = staff_as("designer")
    page = designer.get("/designer/processes/dispute_resolution/versions?to=1&from=0").get_data(as_text=True)
    assert 'data-testid="changes"' not in page
    assert page.count('class="version-diagram"') == 7 and "referral.bpmn" in page
    missing = designer.get("/designer/processes/no_such_process/versions")
    assert missing.status_code == 404
