"""The monthly and quarterly reports: made by the scheduler on the 1st (the manual clock moved there), kept and
listed, opened with python-docx, and their headline figures those of the statistics API for the same month."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from docx import Document
from sqlalchemy import select

from engine import statistics
from engine.clock import SHANGHAI, ManualClock
from engine.models import AuditEvent
from engine.scheduler import TimerScheduler
from tests import statistics_cases
from tests.api.conftest import Api

FIRST_OF_APRIL = datetime(2026, 4, 1, 0, 30, tzinfo=SHANGHAI)


@pytest.fixture
def api(app, staff) -> Api:
    return Api(app.test_client(), staff)


def headline(document) -> dict[str, tuple[str, str, str]]:
    """指标 -> (本期, 上期, 较上期) from the report's first table."""
    rows = document.tables[0].rows
    assert [c.text for c in rows[0].cells] == ["指标", "本期", "上期", "较上期"]
    return {row.cells[0].text: tuple(c.text for c in row.cells[1:]) for row in rows[1:]}


def opened(rt, who, report_id: int):
    _, body = statistics.report_file(rt, who("supervisor"), report_id)
    return Document(io.BytesIO(body))


def test_the_scheduler_makes_last_months_and_last_quarters_report_on_the_1st(rt, who, clock, api):
    statistics_cases.build(rt, who, clock)
    clock.set(FIRST_OF_APRIL)
    scheduler = TimerScheduler(rt, wall_clock=ManualClock())
    scheduler.beat()
    reports = statistics.list_reports(rt, who("supervisor"))
    assert sorted((r.kind, r.period_start.isoformat(), r.period_end.isoformat(), r.generated_by) for r in reports) == [
        ("monthly", "2026-03-01", "2026-03-31", "system"), ("quarterly", "2026-01-01", "2026-03-31", "system")]
    assert {r.generated_at for r in reports} == {FIRST_OF_APRIL}
    scheduler.beat()  # made once: a later beat leaves them
    assert len(statistics.list_reports(rt, who("supervisor"))) == 2
    with rt.unit_of_work(write=False) as session:  # the scheduler is not a person: nothing in the audit log
        assert session.scalars(select(AuditEvent).where(AuditEvent.kind == "report_generated")).all() == []

    monthly = next(r for r in reports if r.kind == "monthly")
    assert monthly.title == "矛盾纠纷调处工作月报（2026年3月）"
    document = opened(rt, who, monthly.id)
    figures = headline(document)
    answer = api.get("/statistics", as_="supervisor", query_string={"from": "2026-03-01", "to": "2026-03-31"}).json
    counts, rates = answer["counts"], answer["rates"]
    for label, key in (("登记案件", "registered"), ("受理", "accepted"), ("不予受理", "not_accepted"),
                       ("调解结案", "mediated_closed"), ("调解成功", "closed_success"),
                       ("引导分流（诉讼、仲裁、复议）", "referred"), ("撤回", "withdrawn"),
                       ("签订调解协议", "agreements"), ("申请司法确认", "confirmation_applied"),
                       ("司法确认", "confirmation_granted"), ("应履行协议", "performance_due"),
                       ("自动履行", "fulfilled")):
        assert figures[label][0] == str(counts[key]), label
        assert figures[label][1] == "0", label  # nothing in February
    assert figures["登记案件"] == ("8", "0", "增加 8")
    assert figures["调解成功率"][0] == f"{rates['success_rate']:.2f}%" == "75.00%"
    assert figures["履行率"][0] == f"{rates['fulfilment_rate']:.2f}%" == "33.33%"
    assert figures["涉及金额（元）"][0] == f"{answer['amount_total']:,.0f}" == "387,500"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "调解成功率不低于 96%" in text and "履行期限届满的调解协议 3 件，自动履行 1 件，申请强制执行 1 件" in text
    cells = [c.text for t in document.tables[1:] for row in t.rows for c in row.cells]
    assert "人民调解委员会" in cells and "司法所" in cells and "邻里纠纷" in cells  # by department, by type
    assert "案件H" in cells  # the red case, with how it stands


def test_a_report_is_generated_on_demand_through_the_api_and_downloaded(rt, who, clock, api):
    statistics_cases.build(rt, who, clock)
    made = api.post("/statistics/reports", as_="center_head", json={"kind": "quarterly", "period": "2026-Q1"})
    assert made.status_code == 201, made.json
    assert made.json["title"] == "矛盾纠纷调处工作季度分析报告（2026年第一季度）"
    assert made.json["generated_by"] == "center_head"
    with rt.unit_of_work(write=False) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.kind == "report_generated")).one()
    assert (event.actor, event.data["period"], event.data["report_id"]) == ("center_head", "2026-Q1", made.json["id"])
    listed = api.get("/statistics/reports", as_="supervisor").json["reports"]
    assert [r["id"] for r in listed] == [made.json["id"]]
    download = api.get(f"/statistics/reports/{made.json['id']}", as_="supervisor")
    assert download.status_code == 200
    figures = headline(Document(io.BytesIO(download.data)))
    assert figures["登记案件"][0] == "8" and figures["调解成功率"][0] == "75.00%"
    for refused in ("police_clerk", "justice_office_head", "designer"):
        assert api.post("/statistics/reports", as_=refused,
                        json={"kind": "monthly", "period": "2026-03"}).status_code == 403
    bad = api.post("/statistics/reports", as_="supervisor", json={"kind": "monthly", "period": "2026-13"})
    assert bad.status_code == 400
    bad_kind = api.post("/statistics/reports", as_="supervisor", json={"kind": "weekly", "period": "2026-03"})
    assert bad_kind.status_code == 400
    assert api.get("/statistics/reports/999999", as_="supervisor").status_code == 404


def test_the_report_lists_the_supervision_notices_issued_and_the_items_still_overdue(rt, who, clock, register):
    from engine import timer_firing
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI))
    late = register(title="久拖未审")  # its acceptance review is due Tue 3 March 18:00
    clock.set(datetime(2026, 3, 5, 10, 0, tzinfo=SHANGHAI))
    timer_firing.fire_due(rt)  # past the deadline: a supervision notice (督办件) to the centre
    clock.set(FIRST_OF_APRIL)
    made = statistics.generate(rt, who("supervisor"), statistics.periods.parse("monthly", "2026-03"))
    document = opened(rt, who, made.id)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "截至期末仍超期未办 1 件；发出督办件 1 件" in text
    notices = [t for t in document.tables if t.rows[0].cells[0].text == "督办件编号"]
    assert len(notices) == 1 and notices[0].rows[1].cells[1].text == late.case_no
    assert notices[0].rows[1].cells[3].text == "矛调中心"
    assert notices[0].rows[1].cells[0].text.startswith("督办〔2026〕")
