"""The overdue board in the browser: a supervisor finds the late department first, drills into its overdue
items, comes back and downloads the overdue list as a workbook that opens in Excel (here: openpyxl)."""
from __future__ import annotations

import re
from datetime import datetime

from openpyxl import load_workbook

from engine import timer_firing
from engine.clock import SHANGHAI


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=SHANGHAI)


def test_a_supervisor_drills_into_the_late_department_and_exports_its_overdue_items(desk, register, rt, clock,
                                                                                      tmp_path):
    clock.set(datetime(2026, 2, 28, 10, 0, tzinfo=SHANGHAI))  # a make-up working Saturday
    first = register(title="楼上漏水久拖未办")  # acceptance review due Mon 2 March at 18:00
    clock.set(at(2, 11))
    second = register(title="邻里噪音纠纷")  # due Tue at 18:00
    clock.set(at(3, 10))
    timer_firing.fire_due(rt)  # the first review's supervision notice: escalated
    clock.set(at(4, 17))

    window = desk("supervisor")
    page = window.open("/inbox")
    page.click("[data-testid=nav-board]")
    page.wait_for_url(re.compile(r".*/board$"))
    assert page.locator("h1").inner_text() == "督办看板"
    first_row = page.locator("#board-table tbody tr").first
    assert first_row.get_attribute("data-department") == "center"
    assert "矛调中心" in first_row.locator("th").inner_text()
    overdue = first_row.locator("td[data-column=overdue]")
    assert overdue.inner_text().strip() == "2" and "cell-overdue" in overdue.get_attribute("class")
    assert page.locator("svg.bar-chart g.bar[data-department=center] rect[data-part=overdue]").count() == 1
    window.screenshot("board")

    overdue.locator("a").click()
    page.wait_for_url(re.compile(r".*/board/departments/center\?show=overdue$"))
    rows = page.locator("table.board-items tbody tr")
    assert [rows.nth(i).get_attribute("data-case-no") for i in range(rows.count())] == [first.case_no,
                                                                                        second.case_no]
    assert "已超期 1 天" in rows.first.inner_text() and "督办" in rows.first.inner_text()

    page.go_back()
    page.wait_for_url(re.compile(r".*/board$"))
    with page.expect_download() as waiting:
        page.click("[data-testid=export-overdue]")
    download = waiting.value
    assert download.suggested_filename == "overdue-2026-03-04.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("案件编号", "案件标题", "部门")
    assert [(r[0], r[1], r[4], r[6]) for r in rows[1:]] == [
        (first.case_no, "楼上漏水久拖未办", datetime(2026, 3, 2, 18, 0), 1),
        (second.case_no, "邻里噪音纠纷", datetime(2026, 3, 3, 18, 0), 0)]
