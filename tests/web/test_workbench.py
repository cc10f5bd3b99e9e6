"""The department workbench through real HTTP: inbox, claiming, returning, task forms, drafts, the intake window."""
from __future__ import annotations

import re

from tests.api.pipeline import ACCEPT, INTAKE, assessment, dispatch
from tests.api.pipeline import complete as api_complete


def rows(html: str) -> list[str]:
    """The case numbers of the inbox rows, in the order shown."""
    return re.findall(r'<tr class="deadline-[a-z_]+" data-item-id="\d+" data-case-no="([^"]+)"', html)


def tab_counts(html: str) -> dict[str, int]:
    return {scope: int(n) for scope, n in
            re.findall(r'data-scope="(\w+)"[^>]*>[^<]*<span class="count">(\d+)</span>', html)}


def test_inbox_lists_overdue_first_with_countdowns(staff_as, register, clock):
    from datetime import timedelta
    first = register(title="较早登记的纠纷")
    clock.advance(timedelta(days=2))  # Wed 09:00: the first review, due Tuesday at 18:00, is overdue
    second = register(title="刚登记的纠纷")  # due Thursday at 18:00
    page = staff_as("center_clerk").get("/inbox").get_data(as_text=True)
    assert rows(page) == [first.case_no, second.case_no]
    assert "已超期 15 小时" in page
    assert "剩余 1 个工作日 9 小时" in page
    assert "截止 3月3日（周二）18:00" in page and "截止 3月5日（周四）18:00" in page
    assert 'class="badge deadline-overdue"' in page


def test_tabs_count_mine_unclaimed_and_department(staff_as, register):
    register()
    second = register(title="第二件")
    clerk = staff_as("center_clerk")
    assert tab_counts(clerk.get("/inbox").get_data(as_text=True)) == {"mine": 0, "unclaimed": 2, "department": 2}
    response = clerk.post(f"/inbox/items/{second.open_items[0].id}/claim", data={"next": "/inbox?scope=mine"})
    assert response.status_code == 302
    page = clerk.get("/inbox?scope=mine").get_data(as_text=True)
    assert tab_counts(page) == {"mine": 1, "unclaimed": 1, "department": 2}
    assert rows(page) == [second.case_no]
    assert "已认领该事项" in page
    assert rows(clerk.get("/inbox?scope=unclaimed").get_data(as_text=True)) != [second.case_no]


def test_a_claimed_item_cannot_be_claimed_by_a_colleague(staff_as, register):
    case = register()
    item = case.open_items[0].id
    assert staff_as("center_clerk").post(f"/inbox/items/{item}/claim").status_code == 302
    other = staff_as("center_head")
    other.post(f"/inbox/items/{item}/claim")
    assert "已被他人认领" in other.get("/inbox").get_data(as_text=True)


def test_filters_and_search_narrow_the_list(staff_as, register):
    neighbours = register(title="邻里漏水")
    debt = register(title="借款不还", dispute_type="debt",
                    parties=[{"name": "赵大海", "role": "applicant"}, {"name": "钱小川", "role": "respondent"}])
    clerk = staff_as("center_clerk")
    assert rows(clerk.get("/inbox?type=debt").get_data(as_text=True)) == [debt.case_no]
    assert rows(clerk.get("/inbox?q=钱小川").get_data(as_text=True)) == [debt.case_no]
    assert rows(clerk.get(f"/inbox?q={neighbours.case_no}").get_data(as_text=True)) == [neighbours.case_no]
    assert rows(clerk.get("/inbox?risk=red").get_data(as_text=True)) == []
    assert rows(clerk.get("/inbox?q=100%25").get_data(as_text=True)) == []
    assert clerk.get("/inbox?scope=everything").status_code == 400


def test_the_list_refreshes_as_a_fragment_for_htmx(staff_as, register):
    case = register()
    response = staff_as("center_clerk").get("/inbox?scope=unclaimed", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="inbox-list"')
    assert "<html" not in html and rows(html) == [case.case_no]


def test_a_head_reassigns_within_the_department_only(staff_as, register, api):
    case = register()
    item = case.open_items[0].id
    head = staff_as("center_head")
    page = head.get("/inbox").get_data(as_text=True)
    assert 'name="assignee"' in page
    head.post(f"/inbox/items/{item}/reassign", data={"assignee": "center_clerk"})
    assert rows(staff_as("center_clerk").get("/inbox?scope=mine").get_data(as_text=True)) == [case.case_no]
    head.post(f"/inbox/items/{item}/reassign", data={"assignee": "police_clerk"})
    assert "只能改派给本部门人员" in head.get("/inbox").get_data(as_text=True)
    clerk = staff_as("center_clerk")
    assert 'name="assignee"' not in clerk.get("/inbox").get_data(as_text=True)
    assert clerk.post(f"/inbox/items/{item}/reassign", data={"assignee": "center_head"}).status_code == 403


def test_a_department_returns_a_dispatched_case_with_a_reason(staff_as, register, api):
    case = register()
    api_complete(api, case.case_no, "review_acceptance", "center_clerk", ACCEPT)
    api_complete(api, case.case_no, "assess_case", "center_clerk", assessment(lead="housing", cooperating=()))
    api_complete(api, case.case_no, "dispatch", "center_head", dispatch())
    housing = staff_as("housing_clerk")
    page = housing.get("/inbox").get_data(as_text=True)
    item = re.search(r'data-item-id="(\d+)"', page).group(1)
    assert 'data-action="return"' in page
    empty = housing.post(f"/inbox/items/{item}/return", data={"reason": "  "})
    assert empty.status_code == 302 and "请填写退回理由" in housing.get("/inbox").get_data(as_text=True)
    housing.post(f"/inbox/items/{item}/return", data={"reason": "属于物业服务合同纠纷，应由人民调解委员会办理"})
    assert rows(housing.get("/inbox").get_data(as_text=True)) == []
    centre = staff_as("center_head").get("/inbox").get_data(as_text=True)
    assert rows(centre) == [case.case_no] and 'class="task-link">重新派单</a>' in centre
    history = api.get(f"/cases/{case.case_no}", as_="supervisor").json["history"]
    returned = [h for h in history if h["kind"] == "task_completed" and h["data"].get("decision") == "return"]
    assert returned and returned[0]["data"]["return_reason"].startswith("属于物业")


def test_task_form_shows_server_errors_next_to_fields_and_keeps_input(staff_as, register):
    case = register()
    clerk = staff_as("center_clerk")
    item = case.open_items[0].id
    page = clerk.get(f"/tasks/{item}").get_data(as_text=True)
    assert 'name="accepted"' in page and "不予受理理由" in page
    # refusing without the reason the form demands
    response = clerk.post(f"/tasks/{item}", data={"action": "complete", "accepted": "false",
                                                  "advised_channel": "litigation"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="field-error" id="e-not_accepted_reason"' in html
    assert 'value="litigation" selected' in html  # what was chosen is still there
    assert 'value="false"\n      checked' in html
    # the banner names the field in error and links to it
    assert '<a href="#f-not_accepted_reason" data-field="not_accepted_reason">不予受理理由：必填</a>' in html
    assert clerk.get(f"/cases/{case.case_no}").get_data(as_text=True).count('class="item-open"') == 1


def test_a_draft_is_kept_and_comes_back_then_completion_lands_in_the_inbox(staff_as, register, api):
    case = register()
    clerk = staff_as("center_clerk")
    item = case.open_items[0].id
    saved = clerk.post(f"/tasks/{item}", data={"action": "draft", "not_accepted_reason": "尚在核实中"})
    assert saved.status_code == 302
    page = clerk.get(f"/tasks/{item}").get_data(as_text=True)
    assert "尚在核实中" in page and "草稿已于" in page
    done = clerk.post(f"/tasks/{item}", data={"action": "complete", "accepted": "true"})
    assert done.status_code == 302 and done.location.endswith("/inbox")
    inbox = clerk.get("/inbox").get_data(as_text=True)
    assert "已办结案件" in inbox and case.case_no in inbox
    assert {i["element_id"] for i in api.get(f"/cases/{case.case_no}", as_="supervisor").json["open_items"]} \
        == {"assess_case"}


def test_completing_an_item_someone_else_just_completed_says_so(staff_as, register):
    case = register()
    item = case.open_items[0].id
    first, second = staff_as("center_clerk"), staff_as("center_head")
    second.get(f"/tasks/{item}")
    assert first.post(f"/tasks/{item}", data={"action": "complete", "accepted": "true"}).status_code == 302
    late = second.post(f"/tasks/{item}", data={"action": "complete", "accepted": "true"})
    assert late.status_code == 302
    assert "已办结" in second.get("/inbox").get_data(as_text=True)


def intake_form(**changes) -> dict:
    data = {"channel": "walk_in", "dispute_type": "neighbour", "title": INTAKE["title"],
            "description": INTAKE["description"], "place": INTAKE["place"], "amount": "8000",
            "parties.present": "1", "flags.mass_incident_risk.present": "1"}
    for index, party in enumerate(INTAKE["parties"]):
        for key, value in party.items():
            data[f"parties-{index}-{key}"] = value
    data.update(changes)
    return data


def test_the_intake_window_registers_a_walk_in_dispute(staff_as, api):
    clerk = staff_as("center_clerk")
    form = clerk.get("/intake").get_data(as_text=True)
    assert 'name="parties-0-name"' in form and 'type="date"' not in form and "添加一行" in form
    response = clerk.post("/intake", data=intake_form())
    assert response.status_code == 302
    case_no = response.location.rsplit("/", 1)[-1]
    file = api.get(f"/cases/{case_no}", as_="supervisor").json
    assert [p["name"] for p in file["parties"]] == ["王建国", "李秀英"]
    assert file["amount"] == 8000 and file["stage"] == "intake"


def test_intake_errors_are_shown_beside_the_party_fields(staff_as):
    clerk = staff_as("center_clerk")
    response = clerk.post("/intake", data=intake_form(**{"parties-0-id_number": "12345", "title": ""}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="e-parties-0-id_number"' in html and 'id="e-title"' in html


def test_the_window_warns_when_a_party_already_has_an_open_case(staff_as):
    clerk = staff_as("center_clerk")
    first = clerk.post("/intake", data=intake_form())
    existing = first.location.rsplit("/", 1)[-1]
    warned = clerk.post("/intake", data=intake_form(title="同一当事人的另一件事"))
    html = warned.get_data(as_text=True)
    assert warned.status_code == 409
    assert "已有在办案件" in html and existing in html and 'name="confirm_duplicate"' in html
    assert 'value="同一当事人的另一件事"' in html
    confirmed = clerk.post("/intake", data=intake_form(title="同一当事人的另一件事", confirm_duplicate="yes"))
    assert confirmed.status_code == 302 and confirmed.location.rsplit("/", 1)[-1] != existing
