"""The overdue board through real HTTP: departments late first, drill-downs, on-time rates, the XLSX export, rights."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from engine import timer_firing
from engine.clock import SHANGHAI
from engine.models import WorkItem
from tests.api.pipeline import NOT_ACCEPTED, accept_and_assess, dispatch
from tests.api.pipeline import complete as api_complete

LATE, DUE_SOON, CALM = "center", "housing", "labour"
CHINESE_HEADERS = ["案件编号", "案件标题", "部门", "事项", "办理时限", "超期天数", "督办级别", "督办件编号"]


def at(day: int, hour: int) -> datetime:
    """An instant in March 2026, Shanghai time (2 March is a Monday)."""
    return datetime(2026, 3, day, hour, 0, tzinfo=SHANGHAI)


def dispatched_to(api, register, department: str, title: str):
    """A case taken through acceptance, assessment and dispatch to `department` alone."""
    case = register(title=title)
    accept_and_assess(api, case.case_no, lead=department, cooperating=())
    api_complete(api, case.case_no, "dispatch", "center_head", dispatch())
    return case


@pytest.fixture
def late_centre(register, api, rt, clock):
    """The centre has two overdue acceptance reviews (the older one escalated by its supervision timer),
    housing one acceptance of a dispatch due within the hour, labour one due tomorrow. Now: Wed 4 March 17:30."""
    clock.set(datetime(2026, 2, 28, 10, 0, tzinfo=SHANGHAI))  # a make-up working Saturday
    escalated = register(title="超期且已督办的纠纷")  # due Monday 2 March at 18:00
    clock.set(at(2, 11))
    overdue = register(title="超期未督办的纠纷")  # due Tuesday at 18:00
    clock.set(at(3, 10))
    timer_firing.fire_due(rt)  # the first review's deadline (Mon 18:00) has passed: supervision notice
    soon = dispatched_to(api, register, DUE_SOON, "即将到期的纠纷")  # accept within 1 working day: Wed 18:00
    clock.set(at(4, 17) + timedelta(minutes=30))
    calm = dispatched_to(api, register, CALM, "按期办理中的纠纷")  # due Thu 18:00
    return {"escalated": escalated, "overdue": overdue, "soon": soon, "calm": calm}


def board_rows(html: str) -> dict[str, dict[str, int]]:
    """{department: {column: count}} of the board table, in the order shown (dicts keep it)."""
    body = html.split('id="board-table"', 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for department, cells in re.findall(r'<tr data-department="(\w+)"[^>]*>(.*?)</tr>', body, re.S):
        rows[department] = {column: int(n) for column, n in
                            re.findall(r'data-column="(\w+)">\s*(?:<a [^>]*>)?(\d+)', cells)}
        level = re.search(r'data-column="max_level" data-level="(\d+)">([^<]*)<', cells)
        rows[department]["max_level"] = int(level.group(1))  # shown as a word: 督办, 中心督办, 报告领导
        assert level.group(2) == {"0": "—", "1": "督办", "2": "中心督办", "3": "报告领导"}[level.group(1)]
    return rows


def listed_cases(html: str) -> list[str]:
    return re.findall(r'<tr class="deadline-[a-z_]+" data-item-id="\d+" data-case-no="([^"]+)"', html)


def test_the_late_department_comes_first_with_its_counts(staff_as, late_centre):
    page = staff_as("supervisor").get("/board")
    assert page.status_code == 200
    rows = board_rows(page.get_data(as_text=True))
    assert list(rows)[:2] == [LATE, DUE_SOON]
    assert rows[LATE]["overdue"] == 2 and rows[LATE]["escalated"] == 1 and rows[LATE]["max_level"] == 1
    assert rows[DUE_SOON] == {"all": 1, "due_today": 1, "due_soon": 1, "overdue": 0, "escalated": 0, "max_level": 0}
    assert rows[CALM] == {"all": 1, "due_today": 0, "due_soon": 0, "overdue": 0, "escalated": 0, "max_level": 0}
    assert rows["police"] == {"all": 0, "due_today": 0, "due_soon": 0, "overdue": 0, "escalated": 0, "max_level": 0}
    assert len(rows) == 10, "every department is listed, with or without open work"


def test_late_cells_are_highlighted_and_link_to_the_drill_down(staff_as, late_centre):
    html = staff_as("supervisor").get("/board").get_data(as_text=True)
    centre = re.search(r'<tr data-department="center".*?</tr>', html, re.S).group(0)
    assert 'class="count cell-overdue" data-column="overdue"' in centre
    assert 'class="count cell-escalated" data-column="escalated"' in centre
    assert 'href="/board/departments/center?show=overdue"' in centre
    assert "督办看板" in html and "导出超期清单" in html and 'href="/board/overdue.xlsx"' in html


def test_the_chart_draws_a_bar_per_department_with_hover_titles(staff_as, late_centre):
    html = staff_as("supervisor").get("/board").get_data(as_text=True)
    chart = html.split('data-testid="board-chart"', 1)[1].split("</svg>", 1)[0]
    assert len(re.findall(r'<g class="bar" data-department=', chart)) == 10
    assert re.search(r'data-part="overdue" data-count="2"><title>矛调中心 · 已超期: 2</title>', chart)
    assert re.search(r'data-part="due_soon" data-count="1"><title>住建局 · 即将到期: 1</title>', chart)
    assert "待办事项数" in chart and "其他在办" in chart, "axis title and legend"
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_drill_down_lists_the_departments_overdue_items_most_overdue_first(staff_as, late_centre):
    supervisor = staff_as("supervisor")
    html = supervisor.get("/board/departments/center?show=overdue").get_data(as_text=True)
    assert listed_cases(html) == [late_centre["escalated"].case_no, late_centre["overdue"].case_no]
    assert late_centre["soon"].case_no not in html
    assert "已超期 1 天" in html and 'data-level="1">督办<' in html
    item = late_centre["escalated"].open_items[0].id
    assert f'href="/tasks/{item}"' in html and f'href="/cases/{late_centre["escalated"].case_no}"' in html
    escalated = supervisor.get("/board/departments/center?show=escalated").get_data(as_text=True)
    assert late_centre["escalated"].case_no in listed_cases(escalated)
    assert late_centre["overdue"].case_no not in listed_cases(escalated)
    housing = supervisor.get("/board/departments/housing?show=due_soon").get_data(as_text=True)
    assert listed_cases(housing) == [late_centre["soon"].case_no]
    assert listed_cases(supervisor.get("/board/departments/housing?show=overdue").get_data(as_text=True)) == []


def test_the_drill_down_shows_who_claimed_an_item(staff_as, late_centre):
    item = late_centre["overdue"].open_items[0].id
    assert staff_as("center_clerk").post(f"/inbox/items/{item}/claim").status_code == 302
    html = staff_as("supervisor").get("/board/departments/center?show=overdue").get_data(as_text=True)
    row = re.search(rf'data-item-id="{item}".*?</tr>', html, re.S).group(0)
    assert '<span class="user-content">center_clerk</span>' in row


def test_bad_drill_down_parameters_are_answered_without_a_server_error(staff_as, late_centre):
    supervisor = staff_as("supervisor")
    assert supervisor.get("/board/departments/nowhere").status_code == 404
    assert supervisor.get("/board/departments/center?show=everything").status_code == 400
    assert supervisor.get("/board/departments/center?page=abc").status_code == 200
    assert supervisor.get("/board/departments/center?page=99999999").status_code == 200
    assert supervisor.get("/board/overdue.xlsx?department=nowhere").status_code == 404


def test_the_export_holds_the_header_and_exactly_the_overdue_items(staff_as, late_centre):
    response = staff_as("supervisor").get("/board/overdue.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == 'attachment; filename="overdue-2026-03-04.xlsx"'
    sheet = load_workbook(BytesIO(response.data)).active
    assert sheet.title == "超期事项"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == CHINESE_HEADERS
    assert [r[0] for r in rows[1:]] == [late_centre["escalated"].case_no, late_centre["overdue"].case_no]
    first, second = rows[1], rows[2]
    assert first[1] == "超期且已督办的纠纷" and first[2] == "矛调中心" and first[3] == "受理审查"
    assert first[4] == datetime(2026, 3, 2, 18, 0) and first[5] == 2.0 and first[6] == 1  # 47.5 hours late
    assert second[4] == datetime(2026, 3, 3, 18, 0) and second[5] == 1.0 and second[6] == 0  # 23.5 hours
    assert first[7] and first[7].startswith("督办") and not second[7], "the supervision notice's number"
    assert sheet["E2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.column_dimensions["B"].width == 36 and sheet.column_dimensions["E"].width == 18


def test_the_export_of_one_department(staff_as, late_centre):
    supervisor = staff_as("supervisor")
    housing = supervisor.get("/board/overdue.xlsx?department=housing")
    assert housing.headers["Content-Disposition"] == 'attachment; filename="overdue-housing-2026-03-04.xlsx"'
    assert len(list(load_workbook(BytesIO(housing.data)).active.iter_rows())) == 1, "the header alone"
    centre = load_workbook(BytesIO(supervisor.get("/board/overdue.xlsx?department=center").data)).active
    assert centre.max_row == 3


def test_the_export_speaks_the_chosen_language(staff_as, late_centre):
    sheet = load_workbook(BytesIO(staff_as("supervisor", "en").get("/board/overdue.xlsx").data)).active
    assert sheet.title == "Overdue items"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Case no.", "Case title", "Department"] and header[4] == "Deadline"
    assert sheet["C2"].value == "Mediation centre" and sheet["D2"].value == "Acceptance review"


@pytest.fixture
def completions(register, api, clock):
    """Three acceptance reviews due Tue 3 March 18:00: one done on Monday, one late on Tuesday evening, one
    late on Wednesday. Now: Wed 4 March 10:00."""
    cases = [register(title=f"第{n}件") for n in (1, 2, 3)]
    for case, when in zip(cases, (at(2, 10), at(3, 19), at(4, 10))):
        clock.set(when)
        api_complete(api, case.case_no, "review_acceptance", "center_clerk", NOT_ACCEPTED)
    return cases


def rates(html: str) -> dict[str, tuple[int, int, str]]:
    body = html.split('id="rates-table"', 1)[1].split("</tbody>", 1)[0]
    return {d: (int(done), int(on_time), rate) for d, done, on_time, rate in re.findall(
        r'<tr data-department="(\w+)">.*?<td class="count">(\d+)</td><td class="count">(\d+)</td>'
        r'\s*<td class="count rate[^"]*">([^<]+)</td>', body, re.S)}


def overall(html: str) -> str:
    return re.search(r'<strong class="rate">([^<]+)</strong>', html).group(1)


def test_the_on_time_rate_counts_items_completed_in_the_period(staff_as, completions):
    supervisor = staff_as("supervisor")
    two_days = supervisor.get("/board?from=2026-03-02&to=2026-03-03").get_data(as_text=True)
    assert rates(two_days)["center"] == (2, 1, "50.0%") and overall(two_days) == "50.0%"
    assert rates(two_days)["housing"] == (0, 0, "—")
    three_days = supervisor.get("/board?from=2026-03-02&to=2026-03-04").get_data(as_text=True)
    assert rates(three_days)["center"] == (3, 1, "33.3%") and "1 / 3" not in three_days
    assert overall(supervisor.get("/board?from=2026-03-04&to=2026-03-04").get_data(as_text=True)) == "0.0%"
    assert overall(supervisor.get("/board?from=2026-02-01&to=2026-02-28").get_data(as_text=True)) == "—"


def test_items_without_a_deadline_are_left_out_of_the_rate(staff_as, completions, rt):
    with rt.unit_of_work() as session:
        session.execute(update(WorkItem).where(WorkItem.case_id == completions[2].id).values(due_at=None))
    html = staff_as("supervisor").get("/board?from=2026-03-02&to=2026-03-04").get_data(as_text=True)
    assert rates(html)["center"] == (2, 1, "50.0%")


def test_the_period_defaults_to_this_month_so_far(staff_as, completions):
    html = staff_as("supervisor").get("/board").get_data(as_text=True)
    assert 'name="from" value="2026-03-01"' in html and 'name="to" value="2026-03-04"' in html
    assert rates(html)["center"] == (3, 1, "33.3%")
    assert 'data-testid="period-refused"' not in html


@pytest.mark.parametrize("query", ["from=2026-13-01&to=2026-03-04", "from=yesterday", "from=2026-03-04&to=2026-03-01",
                                   "from=0001-01-01&to=9999-12-31", "to=2026-02-30"])
def test_dates_that_cannot_be_used_fall_back_to_this_month_with_a_message(staff_as, completions, query):
    response = staff_as("supervisor").get(f"/board?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-testid="period-refused"' in html and "无法使用所填日期" in html
    assert 'name="from" value="2026-03-01"' in html and 'name="to" value="2026-03-04"' in html


@pytest.mark.parametrize("user", ["supervisor", "admin", "center_head"])
def test_supervisors_admins_and_the_centres_head_see_the_board(staff_as, user, register):
    register()
    someone = staff_as(user)
    assert 'data-testid="nav-board"' in someone.get("/inbox").get_data(as_text=True)
    for path in ("/board", "/board/departments/center", "/board/overdue.xlsx"):
        assert someone.get(path).status_code == 200, path


@pytest.mark.parametrize("user", ["center_clerk", "housing_head", "labour_clerk", "designer"])
def test_clerks_other_heads_and_designers_are_refused(staff_as, user, register):
    register()
    someone = staff_as(user)
    assert 'data-testid="nav-board"' not in someone.get("/notifications").get_data(as_text=True)
    for path in ("/board", "/board/departments/center", "/board/departments/x", "/board/overdue.xlsx",
                 "/board/overdue.xlsx?department=center"):
        assert someone.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_sign_in(staff_as):
    anonymous = staff_as(None)
    for path in ("/board", "/board/departments/center", "/board/overdue.xlsx"):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_english_mode_shows_english_headings_and_department_names(staff_as, late_centre):
    supervisor = staff_as("supervisor", "en")
    html = supervisor.get("/board").get_data(as_text=True)
    assert "<h1>Overdue board</h1>" in html and "On-time completion rate" in html
    assert "Export overdue list (XLSX)" in html and "Mediation centre" in html and "Due soon" in html
    drill = supervisor.get("/board/departments/center?show=overdue").get_data(as_text=True)
    assert "<h1>Mediation centre</h1>" in drill and "1 day overdue" in drill


def test_the_board_reads_the_runtime_clock(staff_as, late_centre, clock):
    clock.advance(timedelta(days=2))  # Friday 09:00: housing's and labour's acceptances are overdue too
    rows = board_rows(staff_as("supervisor").get("/board").get_data(as_text=True))
    assert rows[DUE_SOON]["overdue"] == 1 and rows[CALM]["overdue"] == 1


def test_the_chart_scales_bars_to_the_busiest_department_with_round_ticks():
    from engine.board import DepartmentRow
    from web.board_chart import bar_chart, nice_step
    assert [nice_step(n) for n in (1, 6, 7, 13, 31, 250)] == [1, 1, 2, 5, 10, 50]
    chart = bar_chart([DepartmentRow("center", "矛调中心", open=7, due_soon=2, overdue=3),
                       DepartmentRow("police", "派出所")])
    assert [t.value for t in chart.ticks] == [0, 2, 4, 6, 8]
    busy, idle = chart.bars
    assert [(s.part, s.count) for s in busy.segments] == [("overdue", 3), ("due_soon", 2), ("other_open", 2)]
    assert busy.segments[0].x == chart.plot_left and idle.segments == [] and idle.y > busy.y
    assert abs(sum(s.width for s in busy.segments) - (chart.plot_right - chart.plot_left) * 7 / 8) < 0.01
