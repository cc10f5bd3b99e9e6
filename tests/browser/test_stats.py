"""Statistics in the browser: a supervisor opens /stats from the navigation, filters by a department and a month,
follows a figure to its cases, comes back and downloads a table as a workbook that opens (here: in openpyxl)."""
from __future__ import annotations

import re

from openpyxl import load_workbook

from tests import statistics_cases


def test_a_supervisor_filters_by_department_and_month_follows_a_figure_and_exports(desk, rt, who, clock, tmp_path):
    known = statistics_cases.build(rt, who, clock)
    window = desk("supervisor")
    page = window.open("/inbox")
    page.click("[data-testid=nav-stats]")
    page.wait_for_url(re.compile(r".*/stats$"))
    assert page.locator("h1").inner_text() == "统计分析"

    form = page.locator("[data-testid=stats-filters]")
    form.locator("input[name=from]").fill("2026-03-01")
    form.locator("input[name=to]").fill("2026-03-31")
    form.locator("select[name=department]").select_option("people_mediation")
    form.locator("[data-action=filter]").click()
    page.wait_for_url(re.compile(r".*/stats\?from=2026-03-01&to=2026-03-31&department=people_mediation.*"))
    figures = page.locator("#table-figures")
    # people's mediation leads B, C, E, G and H; B, C and E closed by mediation success
    assert figures.locator("td[data-figure=registered]").inner_text().strip() == "5"
    assert figures.locator("td[data-figure=closed_success]").inner_text().strip() == "3"
    assert page.locator("[data-testid=success-rate] strong").inner_text() == "100.00%"
    assert "below-target" in page.locator("[data-testid=fulfilment-rate]").get_attribute("class")  # 1 of 3
    assert page.locator("svg.trend-chart g.month[data-month='2026-03']").get_attribute("data-registered") == "5"
    window.screenshot("stats")

    figures.locator("td[data-figure=closed_success] a").click()
    page.wait_for_url(re.compile(r".*/stats/cases\?figure=closed_success.*department=people_mediation.*"))
    rows = page.locator("#figure-cases tbody tr")
    assert [rows.nth(i).get_attribute("data-case-no") for i in range(rows.count())] == sorted(
        known[n] for n in "BCE")

    page.go_back()
    page.wait_for_url(re.compile(r".*/stats\?.*"))
    with page.expect_download() as waiting:
        page.click("[data-testid=export-figures]")
    download = waiting.value
    assert download.suggested_filename == "stats-figures-2026-03-01-2026-03-31.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert "department=people_mediation" in rows[0][0]
    values = {r[0]: r[1] for r in rows[2:]}
    assert values["登记案件"] == 5 and values["调解成功"] == 3 and values["签订调解协议"] == 3
