"""The statistics page shows the query layer's figures (the same as the API's), each linking to its cases, any
table exported as XLSX with the same rows; a department head sees their department, a clerk is refused; the
administrator's targets decide what is shown below target; reports are generated and listed from the page."""
from __future__ import annotations

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from tests import statistics_cases

MARCH = "from=2026-03-01&to=2026-03-31"


@pytest.fixture
def known(rt, who, clock):
    return statistics_cases.build(rt, who, clock)


def figure_cells(html: str) -> dict[str, str]:
    """data-figure -> the number shown, across every table of the page."""
    return {figure: number for figure, number in
            re.findall(r'data-figure="([^"]+)">\s*<a href="[^"]+">([^<]+)</a>', html)}


def test_the_page_shows_the_same_figures_as_the_api_each_linking_to_its_cases(staff_as, api, known):
    page = staff_as("supervisor").get(f"/stats?{MARCH}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    shown = figure_cells(html)
    counts = api.get("/statistics", as_="supervisor", query_string={"from": "2026-03-01", "to": "2026-03-31"}
                     ).json["counts"]
    for key, value in counts.items():
        assert shown[key] == str(value), key
    assert shown["stage.intake.late"] == "1" and shown["department.center.finished"] == "19"
    assert re.search(r'data-testid="success-rate">.*?<strong>75.00%</strong>', html, re.S)
    assert 'class="rate-box below-target" data-testid="success-rate"' in html  # 75% against 96%
    assert 'data-testid="trend-chart"' in html and 'data-month="2026-03" data-registered="8" data-success="3"' in html
    assert "调解成功 ÷ 调解结案" in html  # the definitions are on the page
    link = re.search(r'data-figure="closed_success">\s*<a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    cases = staff_as("supervisor").get(link).get_data(as_text=True)
    assert re.findall(r'<tr data-case-no="([^"]+)"', cases) == statistics_cases_numbers(known, "BCE")


def statistics_cases_numbers(known, names):
    return sorted(known[n] for n in names)


def test_a_table_exports_as_a_workbook_with_the_rows_of_the_page(staff_as, known):
    response = staff_as("supervisor").get(f"/stats/export.xlsx?table=departments&{MARCH}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="stats-departments-2026-03-01-2026-03-31.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "2026-03-01 – 2026-03-31"
    assert rows[1][:5] == ("部门", "有期限的办结事项", "按期", "超期", "按期办结率")
    assert [r[:5] for r in rows[2:]] == [("矛调中心", 19, 18, 1, 0.9474), ("人民调解委员会", 13, 13, 0, 1.0),
                                         ("司法所", 2, 2, 0, 1.0)]
    assert staff_as("supervisor").get(f"/stats/export.xlsx?table=nonsense&{MARCH}").status_code == 400


def test_a_department_head_sees_their_department_and_a_clerk_is_refused(staff_as, known):
    head = staff_as("justice_office_head").get(f"/stats?{MARCH}").get_data(as_text=True)
    assert figure_cells(head)["registered"] == "1" and 'data-testid="forced-department"' in head
    assert 'data-testid="nav-stats"' in head
    other = staff_as("justice_office_head").get(f"/stats?{MARCH}&department=court")
    assert other.status_code == 403
    clerk = staff_as("center_clerk")
    assert clerk.get(f"/stats?{MARCH}").status_code == 403
    assert 'data-testid="nav-stats"' not in clerk.get("/inbox").get_data(as_text=True)
    assert clerk.get(f"/stats/cases?figure=registered&{MARCH}").status_code == 403
    assert staff_as("justice_office_head").get("/stats/reports").status_code == 403


def test_the_administrator_sets_the_targets_and_the_page_compares_with_them(staff_as, known):
    assert staff_as("supervisor").post("/stats/targets", data={"success_rate": "70",
                                                               "fulfilment_rate": "30"}).status_code == 403
    admin = staff_as("admin")
    assert admin.post("/stats/targets", data={"success_rate": "70", "fulfilment_rate": "30"}).status_code == 302
    html = admin.get(f"/stats?{MARCH}").get_data(as_text=True)
    assert 'class="rate-box" data-testid="success-rate"' in html and "目标 70.00%" in html
    refused = admin.post("/stats/targets", data={"success_rate": "abc", "fulfilment_rate": "30"},
                         follow_redirects=True)
    assert "0 至 100" in refused.get_data(as_text=True)


def test_a_report_is_generated_from_the_page_and_listed_with_its_time(staff_as, known):
    supervisor = staff_as("supervisor")
    assert supervisor.post("/stats/reports", data={"kind": "monthly", "period": "2026-03"}).status_code == 302
    page = supervisor.get("/stats/reports").get_data(as_text=True)
    assert "矛盾纠纷调处工作月报（2026年3月）" in page and "supervisor" in page
    link = re.search(r'href="(/stats/reports/\d+)"', page).group(1)
    document = Document(io.BytesIO(supervisor.get(link).data))
    assert document.tables[0].rows[1].cells[1].text == "8"
    refused = supervisor.post("/stats/reports", data={"kind": "monthly", "period": "March"}, follow_redirects=True)
    assert "报表期间有误" in refused.get_data(as_text=True)
