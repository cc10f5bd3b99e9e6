"""The board's early warnings: counted per kind, listed newest first, each opening the list of its cases;
the thresholds explained on the page and set by an administrator only."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.models import Setting
from tests.api.pipeline import INTAKE

PARTY = [{"name": "周九", "id_number": "110101199003070038", "role": "applicant"}]


def test_a_repeat_party_shows_on_the_board_and_opens_its_cases(staff_as, register):
    first = register(parties=PARTY, place="幸福小区1栋")
    second = register(parties=PARTY, place="幸福小区2栋")
    supervisor = staff_as("supervisor")
    board = supervisor.get("/board").get_data(as_text=True)
    assert re.search(r'data-kind="repeat" class="warning-count has-warnings">[^<]*<strong>1</strong>', board)
    row = re.search(r'<tr data-kind="repeat" data-warning-id="(\d+)"[^>]*>(.*?)</tr>', board, re.S)
    assert "周九" in row.group(2) and "180" in row.group(2) and second.case_no in row.group(2)
    detail = supervisor.get(f"/board/warnings/{row.group(1)}").get_data(as_text=True)
    assert re.findall(r'<tr data-case-no="([^"]+)"', detail) == [first.case_no, second.case_no]
    english = staff_as("supervisor", "en").get(f"/board/warnings/{row.group(1)}").get_data(as_text=True)
    assert "registered again within 180 days" in english and '<span class="user-content">周九</span>' in english


def test_the_list_filters_by_kind_and_explains_the_rules(staff_as, register):
    for _ in range(3):
        register(**{**INTAKE, "parties": [{"name": "无名", "role": "applicant"}], "place": "", "dispute_type": "land"})
    page = staff_as("supervisor").get("/board/warnings?kind=surge").get_data(as_text=True)
    kinds = set(re.findall(r'<tr data-kind="(\w+)"', page))
    assert kinds == {"surge"}
    assert "土地承包" in page and "近 7 日" in page or "7" in page
    assert "此前" in page or "通常" in page  # the usual rate is explained on the page
    english = staff_as("supervisor", "en").get("/board/warnings?kind=surge").get_data(as_text=True)
    assert "Dispute type" in english and "usually" in english and "mean per 7 days" in english


def test_only_an_administrator_sets_the_thresholds(staff_as, rt):
    supervisor = staff_as("supervisor")
    assert 'data-testid="warning-rules"' not in supervisor.get("/board/warnings").get_data(as_text=True)
    assert supervisor.post("/board/warnings/rules", data={"repeat_days": "90"}).status_code == 403
    admin = staff_as("admin")
    refused = admin.post("/board/warnings/rules", data={"repeat_days": "0", "surge_days": "7", "baseline_weeks": "12",
                                                       "surge_minimum": "3", "surge_factor": "2"},
                         follow_redirects=True).get_data(as_text=True)
    assert "预警规则有误" in refused
    saved = admin.post("/board/warnings/rules", data={"repeat_days": "90", "surge_days": "7", "baseline_weeks": "12",
                                                     "surge_minimum": "4", "surge_factor": "2.5"},
                       follow_redirects=True).get_data(as_text=True)
    assert 'name="repeat_days" min="1" max="3650" value="90"' in saved
    with rt.unit_of_work(write=False) as session:
        assert session.scalar(select(Setting.value).where(Setting.key == "warning.surge_factor")) == "2.5"
    assert staff_as("police_clerk").get("/board/warnings").status_code == 403
    assert staff_as("supervisor").get("/board/warnings/999999").status_code == 404
