"""A designer compares two versions of a stage on the drawings; an administrator previews and runs a migration."""
from __future__ import annotations

from engine import definitions
from engine.users import SYSTEM
from tests.migration import diagrams
from tests.migration.conftest import Cases

DRAWN = "() => [...document.querySelectorAll('div.version-diagram')].filter(d => d.closest('details').open)" \
        ".every(d => d.getAttribute('data-rendered') === 'true')"


def _second_version(rt) -> None:
    files = diagrams.with_review_after_referral(diagrams.without_dispatch(diagrams.shipped()))
    definitions.deploy(rt, files, by=SYSTEM, note="派单并入联席研判；分流后增加法律审查")


def test_a_designer_sees_what_changed_in_the_referral_stage_coloured_on_both_drawings(desk, rt):
    _second_version(rt)
    designer = desk("designer")
    page = designer.open("/designer/definitions")
    page.click('[data-testid="versions-dispute_resolution"]')
    page.wait_for_selector('[data-testid="changes"]')
    assert "派单" in page.locator('[data-testid="changes"] tr.change-removed').first.inner_text()
    assert page.locator('[data-testid="changes"] tr.change-added[data-element="legal_review"]').count() == 1
    referral = page.locator('details[data-file="referral.bpmn"]')
    assert referral.get_attribute("open") is not None
    page.wait_for_function(DRAWN)
    old = referral.locator('[data-testid="diagram-old"]')
    assert int(old.get_attribute("data-marked")) > 0
    assert old.locator("g.djs-element.yz-removed[data-element-id='dispatch']").count() == 1
    new = referral.locator('[data-testid="diagram-new"]')
    assert new.locator("g.djs-element.yz-changed").count() > 0
    main = page.locator('details[data-file="dispute_resolution.bpmn"] [data-testid="diagram-new"]')
    assert main.locator("g.djs-element.yz-added[data-element-id='legal_review']").count() == 1
    referral.scroll_into_view_if_needed()
    designer.screenshot("version-diff")


def test_an_administrator_previews_a_migration_and_moves_the_cases_that_can_move(desk, rt, who):
    running = Cases(rt, who)
    waiting = running.start_at("dispatch")
    movable = [running.start_at("intake"), running.start_at("assessment"), running.start_at("accept")]
    _second_version(rt)
    admin = desk("admin")
    page = admin.open("/designer/processes/dispute_resolution/migration?to=2")
    assert page.locator(f'tr[data-case="{waiting}"]').get_attribute("data-movable") == "no"
    assert "派单" in page.locator(f'tr[data-case="{waiting}"] [data-reason="removed_task"]').inner_text()
    assert page.locator(f'tr[data-case="{waiting}"] input[name=case]').is_disabled()
    for case_no in movable:
        assert page.locator(f'tr[data-case="{case_no}"]').get_attribute("data-movable") == "yes"
    page.fill("input[name=note]", "派单并入联席研判")
    admin.screenshot("migration-preview")
    page.click('[data-testid="run-migration"]')
    page.wait_for_selector(".flash")
    assert "3" in page.locator(".flash").first.inner_text()
    remaining = page.locator('[data-testid="migration-cases"] tbody tr[data-case]')
    assert remaining.count() == 1 and remaining.first.get_attribute("data-case") == waiting
    for case_no in movable:
        assert running.definition_version(case_no) == 2
    assert running.definition_version(waiting) == 1
    admin.screenshot("migration")
