"""The administrators' incidents and repair pages, in Chinese and in English."""
from __future__ import annotations

from datetime import timedelta

from engine import cases, timer_firing


def _stuck(rt, clock, probe) -> str:
    case_no = probe.start(amount=0)
    probe.complete(case_no, "review")
    clock.advance(timedelta(days=2))
    timer_firing.fire_due(rt)
    return case_no


def test_an_administrator_repairs_a_stuck_case_from_the_incidents_page(staff_as, rt, clock, probe, who):
    case_no = _stuck(rt, clock, probe)
    admin = staff_as("admin")
    listing = admin.get("/admin/incidents").get_data(as_text=True)
    assert f'data-case-no="{case_no}"' in listing and "compute_share" in listing and "除数为零" in listing
    page = admin.get(f"/admin/cases/{case_no}/repair").get_data(as_text=True)
    assert "修复案件" in page and 'data-action="retry"' in page and '&#34;amount&#34;: 0' in page

    no_reason = admin.post(f"/admin/cases/{case_no}/repair/retry", data={"reason": ""}, follow_redirects=True)
    assert "请填写修复理由" in no_reason.get_data(as_text=True)
    bad = admin.post(f"/admin/cases/{case_no}/repair/data", data={"data": "{amount: 1", "reason": "更正"},
                     follow_redirects=True)
    assert "JSON" in bad.get_data(as_text=True)
    admin.post(f"/admin/cases/{case_no}/repair/data", data={"data": '{"amount": 8000}', "reason": "金额漏填"})
    done = admin.post(f"/admin/cases/{case_no}/repair/retry", data={"reason": "金额已更正"}, follow_redirects=True)
    assert done.status_code == 200
    assert [i.element_id for i in probe.open_items(case_no)] == ["settle"]
    assert 'data-testid="no-incidents"' in admin.get("/admin/incidents").get_data(as_text=True)
    kinds = [h["kind"] for h in cases.case_file(rt, case_no, who("admin")).history]
    assert "case_data_edited" in kinds and "incident_retried" in kinds

    english = staff_as("admin", "en")
    resolved = english.get("/admin/incidents?state=resolved").get_data(as_text=True)
    assert "Incidents" in resolved and "Resolved by" in resolved and case_no in resolved
    suspended = english.post(f"/admin/cases/{case_no}/repair/suspend", data={"reason": "暂缓"}, follow_redirects=True)
    assert "The case was suspended." in suspended.get_data(as_text=True)
    case_file = english.get(f"/cases/{case_no}").get_data(as_text=True)
    assert 'class="status status-suspended">Suspended<' in case_file and 'data-testid="repair-case"' in case_file
    inbox = staff_as("center_clerk").get("/inbox").get_data(as_text=True)
    assert 'data-testid="case-paused"' in inbox
    settle = probe.open_items(case_no)[0]
    task_page = staff_as("center_clerk").get(f"/tasks/{settle.id}").get_data(as_text=True)
    assert 'data-action="complete"' not in task_page  # a suspended case's item is not offered for completion
    twice = english.post(f"/admin/cases/{case_no}/repair/suspend", data={"reason": "再暂停"}, follow_redirects=True)
    assert "不能暂停" in twice.get_data(as_text=True)


def test_only_administrators_open_the_repair_pages(staff_as, probe):
    case_no = probe.start(amount=0)
    for username in ("center_head", "supervisor", "designer", "police_clerk"):
        member = staff_as(username)
        assert member.get("/admin/incidents").status_code == 403
        assert member.get(f"/admin/cases/{case_no}/repair").status_code == 403
        assert member.post(f"/admin/cases/{case_no}/repair/cancel", data={"reason": "x"}).status_code == 403
    assert staff_as("admin").get("/admin/cases/2099-999999/repair").status_code == 404
