"""The case file shows every decision: completed forms read-only with who and when, the essentials of
each stage, the dispatch instructions on the receiving department's page; ID numbers masked for strangers."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from engine.models import User
from tests.api.pipeline import ACCEPT, ACCEPT_DISPATCH, accept_and_assess, agreement, cooperation, dispatch, report
from tests.api.pipeline import complete as api_complete
from tests.api.pipeline import item as api_item


@pytest.fixture
def mediator_named(rt):
    """people_mediation_clerk shown by a name that is not the login, for the length of one test."""
    def _rename(username: str, name: str):
        with rt.unit_of_work() as session:
            session.execute(update(User).where(User.username == username).values(display_name=name))
        renamed.append(username)
    renamed: list[str] = []
    yield _rename
    with rt.unit_of_work() as session:
        for username in renamed:
            session.execute(update(User).where(User.username == username).values(display_name=username))


def dispatched(api, case_no: str) -> None:
    accept_and_assess(api, case_no)
    api_complete(api, case_no, "dispatch", "center_head",
                 {**dispatch(), "instructions": "请先联系双方当事人，三日内报告进展"})


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}".*?</(section|article|details)>', html, re.S)
    assert found, f"no {testid} on the page"
    return found.group(0)


def test_a_completed_task_shows_its_fields_with_labels_and_who_when(staff_as, register, api, mediator_named):
    mediator_named("people_mediation_clerk", "调解员张明")
    case = register()
    dispatched(api, case.case_no)
    mediator = staff_as("people_mediation_clerk")
    target = api_item(api, case.case_no, "accept_dispatch", "people_mediation_clerk")
    done = mediator.post(f"/tasks/{target['id']}", data={"action": "complete", "decision": "accept",
                                                          "contact_person": "赵调解", "contact_phone": "13900000000"})
    assert done.status_code == 302
    page = mediator.get(f"/tasks/{target['id']}").get_data(as_text=True)
    shown = text_of(section(page, "completed-form"))
    assert "处理意见 接单" in shown and "承办人 赵调解" in shown and "联系电话 13900000000" in shown
    assert "退回理由" not in shown  # left empty, so not shown
    assert "调解员张明" in page and "people_mediation_clerk" not in text_of(page)
    assert "2026-03-02 09:00" in page  # Asia/Shanghai, as the clock reads


def test_the_receiving_department_sees_the_dispatch_instructions_and_the_others_reports(staff_as, register, api):
    case = register()
    dispatched(api, case.case_no)
    api_complete(api, case.case_no, "accept_dispatch", "justice_office_clerk", ACCEPT_DISPATCH)
    target = api_item(api, case.case_no, "accept_dispatch", "people_mediation_clerk")
    page = staff_as("people_mediation_clerk").get(f"/tasks/{target['id']}").get_data(as_text=True)
    instructions = text_of(section(page, "dispatch-instructions"))
    assert "派单要求 请先联系双方当事人，三日内报告进展" in instructions and "center_head" in instructions
    others = text_of(section(page, "other-reports"))
    assert "司法所" in others and "处理意见 接单" in others


def test_the_case_file_shows_the_essentials_and_each_earlier_decision(staff_as, register, api):
    case = register()
    dispatched(api, case.case_no)
    for department in ("people_mediation", "justice_office"):
        api_complete(api, case.case_no, "accept_dispatch", f"{department}_clerk", ACCEPT_DISPATCH)
    api_complete(api, case.case_no, "resolve", "people_mediation_clerk", report())
    html = staff_as("center_clerk").get(f"/cases/{case.case_no}").get_data(as_text=True)
    essentials = html[html.index('data-testid="essentials"'):html.index('data-testid="decisions"')]
    stages = {stage: state for state, stage
              in re.findall(r'class="essentials-stage stage-(\w+)" data-stage="(\w+)"', essentials)}
    assert list(stages) == ["intake", "joint_assessment", "referral", "coordinated_resolution",
                            "agreement_confirmation", "enforcement_followup"]
    assert stages["intake"] == stages["referral"] == "done"
    assert stages["coordinated_resolution"] == "current"  # the justice office has yet to report its part
    assert stages["agreement_confirmation"] == stages["enforcement_followup"] == "future"
    points = text_of(essentials)
    assert "是否受理 受理" in points
    assert "风险等级 蓝色（一般风险）" in points and "研判意见 由人民调解委员会牵头调处" in points
    assert "牵头部门 人民调解委员会" in points and "配合部门 司法所" in points
    assert "派单要求 请先联系双方当事人，三日内报告进展" in points
    assert "化解结果 化解成功" in points and "双方当面协商" in points  # the mediation record's rows
    assert "承办人" not in points  # not an essential of 接单
    record = html[html.index('data-testid="decisions"'):]
    titles = re.findall(r'class="decision-title">([^<]+)<', record)
    assert titles[:4] == ["受理审查", "联席研判", "派单", "接单"] and "联动化解" in titles
    assert re.search(r"<th>调解日期</th>.*<td><span class=\"user-content\">2026-03-05</span></td>", record, re.S)
    assert "承办人" in text_of(record) and "赵调解" in record


def test_a_confirmed_agreement_shows_its_number_terms_and_the_courts_decision(staff_as, register, api):
    case = register()
    dispatched(api, case.case_no)
    for department in ("people_mediation", "justice_office"):
        api_complete(api, case.case_no, "accept_dispatch", f"{department}_clerk", ACCEPT_DISPATCH)
    api_complete(api, case.case_no, "cooperate", "justice_office_clerk", cooperation())
    api_complete(api, case.case_no, "resolve", "people_mediation_clerk", report())
    api_complete(api, case.case_no, "sign_agreement", "people_mediation_clerk", agreement(apply=True))
    api_complete(api, case.case_no, "submit_confirmation", "people_mediation_clerk",
                 {"applied_on": "2026-03-11", "court_name": "县人民法院", "applicants": "王建国、李秀英"})
    decided = api.post(f"/cases/{case.case_no}/messages", as_="court_clerk",
                       json={"message": "judicial_decision",
                             "payload": {"confirmed": True, "ruling_no": "（2026）确字第8号"}})
    assert decided.status_code == 200, decided.json
    html = staff_as("people_mediation_clerk").get(f"/cases/{case.case_no}").get_data(as_text=True)
    essentials = html[html.index('data-testid="essentials"'):html.index('data-testid="decisions"')]
    agreement_stage = text_of(essentials[essentials.index('data-stage="agreement_confirmation"'):])
    assert "协议编号 调字〔2026〕第15号" in agreement_stage and "楼上住户赔偿修缮费用6000元" in agreement_stage
    assert "申请司法确认 是" in agreement_stage and "受理法院 县人民法院" in agreement_stage
    assert "法院司法确认决定" in agreement_stage and "是否确认 是" in agreement_stage
    assert "裁定书编号 （2026）确字第8号" in agreement_stage and "人民法院" in agreement_stage


def test_id_numbers_are_masked_for_a_stranger_but_not_for_the_handling_department(staff_as, register, api):
    case = register()
    full, masked = "110101198001060018", "1101**********0018"
    centre_before = staff_as("center_clerk").get(f"/cases/{case.case_no}").get_data(as_text=True)
    assert full in centre_before  # the centre handles the case until a lead department is named
    dispatched(api, case.case_no)
    lead = staff_as("people_mediation_clerk").get(f"/cases/{case.case_no}").get_data(as_text=True)
    assert full in lead and masked not in lead
    for stranger in ("justice_office_clerk", "supervisor", "center_clerk"):
        html = staff_as(stranger).get(f"/cases/{case.case_no}").get_data(as_text=True)
        assert full not in html and masked in html, stranger
        assert 'data-testid="ids-masked"' in html
    assert api.get(f"/cases/{case.case_no}", as_="supervisor").json["parties"][0]["id_number"] == masked


def test_the_case_file_names_people_by_display_name(staff_as, register, api, mediator_named):
    mediator_named("center_clerk", "窗口李敏")
    case = register()
    api_complete(api, case.case_no, "review_acceptance", "center_clerk", ACCEPT)
    html = staff_as("center_head").get(f"/cases/{case.case_no}").get_data(as_text=True)
    visible = text_of(html)
    assert "窗口李敏" in visible and "center_clerk" not in visible


def test_the_head_dispatching_sees_the_assessment_it_builds_on_and_the_court_the_agreement(staff_as, register, api):
    case = register()
    accept_and_assess(api, case.case_no)
    dispatch_item = api_item(api, case.case_no, "dispatch", "center_head")
    page = staff_as("center_head").get(f"/tasks/{dispatch_item['id']}").get_data(as_text=True)
    earlier = text_of(re.search(r'data-testid="earlier-decisions".*?</details>', page, re.S).group(0))
    assert "联席研判" in earlier and "由人民调解委员会牵头调处" in earlier  # the assessment's notes
    assert "受理审查" in earlier
    waiting = api_item(api, case.case_no, "dispatch", "center_head")
    api_complete(api, case.case_no, "dispatch", "center_head", dispatch())
    done = staff_as("center_head").get(f"/tasks/{waiting['id']}").get_data(as_text=True)
    assert 'data-testid="earlier-decisions"' not in done  # a completed task shows only its own record
