"""An administrator finds a case whose timer script failed among the incidents, opens it, corrects its data and
retries the failed step."""
from __future__ import annotations

from datetime import timedelta

from engine import timer_firing
from tests.repair.conftest import Probe


def test_an_administrator_opens_an_incident_corrects_the_data_and_retries(desk, rt, who, clock):
    probe = Probe(rt, who)
    case_no = probe.start(amount=0)
    probe.complete(case_no, "review")
    clock.advance(timedelta(days=2))
    timer_firing.fire_due(rt)

    admin = desk("admin")
    page = admin.open("/admin/incidents")
    row = page.locator(f'[data-testid="incidents"] tr[data-case-no="{case_no}"]')
    assert row.get_attribute("data-element") == "compute_share"
    assert "除数为零" in row.locator(".incident-error").inner_text()
    row.locator('[data-testid="open-incident"]').click()
    page.wait_for_selector('[data-testid="incident"]')
    assert "测算人均金额" in page.locator('[data-testid="incident"] h2').inner_text()
    admin.screenshot("incidents")

    page.fill('form[action$="/repair/data"] textarea[name=data]', '{"amount": 8000}')
    page.fill('form[action$="/repair/data"] input[name=reason]', "登记时金额漏填")
    page.click('[data-action="data"]')
    page.wait_for_selector(".flash-success")
    page.fill('form[action$="/repair/retry"] input[name=reason]', "金额已更正")
    page.click('[data-action="retry"]')
    page.wait_for_selector(".flash-success")
    assert page.locator('[data-testid="incident"]').count() == 0
    assert [i.element_id for i in probe.open_items(case_no)] == ["settle"]
