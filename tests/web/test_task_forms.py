"""The forms a clerk fills, through real HTTP: choices in table rows, checked ID numbers and phones, errors
that name their field (beside it, in the banner and in the API), an explicit acceptance decision, the
departments chosen once."""
from __future__ import annotations

import re

from tests.api.contract import check
from tests.api.pipeline import ACCEPT, INTAKE, assessment
from tests.api.pipeline import complete as api_complete
from tests.web.test_workbench import intake_form

BAD_CHECK_DIGIT = "110101198502030027"  # the last character should be 8


def test_the_party_role_is_a_select_with_chinese_labels_in_each_row_and_in_a_new_one(staff_as):
    page = staff_as("center_clerk").get("/intake").get_data(as_text=True)
    assert 'name="parties-0-role" type="text"' not in page and 'type="text" name="parties-0-role"' not in page
    for name, chosen in (("parties-0-role", "applicant"), ("parties-1-role", "respondent")):
        select = re.search(rf'<select id="f-{name}" name="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select, name
        options = dict(re.findall(r'<option value="(\w*)"[^>]*>([^<]+)</option>', select.group(1)))
        assert {k: v for k, v in options.items() if k} == {"applicant": "申请人", "respondent": "被申请人",
                                                            "third_party": "第三人"}
        assert f'<option value="{chosen}" selected>' in select.group(1)
    # the row a clerk adds in the browser comes from the same control
    template = page[page.index('<template class="row-template">'):page.index("</template>")]
    assert re.search(r'<select id="f-parties-__i__-role" name="parties-__i__-role"', template)
    assert ">被申请人</option>" in template


def test_a_respondent_chosen_in_the_row_is_registered_as_such(staff_as, api):
    clerk = staff_as("center_clerk")
    response = clerk.post("/intake", data=intake_form(**{"parties-1-role": "respondent",
                                                         "parties-2-name": "物业公司",
                                                         "parties-2-role": "third_party"}))
    assert response.status_code == 302
    case_no = response.location.rsplit("/", 1)[-1]
    parties = api.get(f"/cases/{case_no}", as_="supervisor").json["parties"]
    assert [(p["name"], p["role"]) for p in parties] == [("王建国", "applicant"), ("李秀英", "respondent"),
                                                         ("物业公司", "third_party")]
    shown = clerk.get(f"/cases/{case_no}").get_data(as_text=True)
    assert "被申请人" in shown and "第三人" in shown


def test_a_wrong_check_digit_is_refused_naming_the_party_field_beside_it_in_the_banner_and_the_api(staff_as, api):
    clerk = staff_as("center_clerk")
    response = clerk.post("/intake", data=intake_form(**{"parties-1-id_number": BAD_CHECK_DIGIT,
                                                         "parties-1-phone": "12345", "title": ""}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    id_error = "当事人（第2行）身份证号：校验位不正确，请核对18位号码是否抄错"
    phone_error = "当事人（第2行）联系电话：应为11位手机号或带区号的固定电话（如 010-66000000）"
    assert f'<small class="field-error" id="e-parties-1-id_number">{id_error}</small>' in html
    assert f'<small class="field-error" id="e-parties-1-phone">{phone_error}</small>' in html
    assert 'aria-invalid="true" aria-describedby="e-parties-1-id_number"' in html
    banner = html[html.index('id="form-errors"'):]
    banner = banner[:banner.index("</div>")]
    links = dict(re.findall(r'<a href="#(f-[\w-]+)" data-field="[\w-]+">([^<]+)</a>', banner))
    assert links == {"f-title": "纠纷概要：必填", "f-parties-1-id_number": id_error,
                     "f-parties-1-phone": phone_error}
    assert f'value="{BAD_CHECK_DIGIT}"' in html  # what was typed is kept to be corrected

    body = {**INTAKE, "parties": [INTAKE["parties"][0], {**INTAKE["parties"][1], "id_number": BAD_CHECK_DIGIT}]}
    refused = api.post("/cases", as_="center_clerk", json=body)
    assert refused.status_code == 400 and refused.json["fields"] == {"parties.1.id_number": [id_error]}
    check(api, refused, "/cases", "post")


def test_errors_read_in_english_with_the_field_named(staff_as):
    clerk = staff_as(None, language="en")
    clerk.sign_in("center_clerk")
    html = clerk.post("/intake", data=intake_form(**{"parties-1-id_number": BAD_CHECK_DIGIT})).get_data(as_text=True)
    assert "Parties, row 2, ID number: The check digit is wrong" in html


def test_intake_review_asks_accept_or_not_with_nothing_chosen_beforehand(staff_as, register):
    case = register()
    clerk = staff_as("center_clerk")
    item = case.open_items[0].id
    page = clerk.get(f"/tasks/{item}").get_data(as_text=True)
    radios = re.findall(r'<input type="radio" name="accepted" value="(\w+)"\s*(checked)?\s*required>\s*([^<]+)</label>',
                        page)
    assert [(value, checked, label.strip()) for value, checked, label in radios] == [
        ("true", "", "受理"), ("false", "", "不予受理")]
    assert 'type="checkbox" id="f-accepted"' not in page
    undecided = clerk.post(f"/tasks/{item}", data={"action": "complete", "remarks": "材料齐全"})
    html = undecided.get_data(as_text=True)
    assert undecided.status_code == 400 and "是否受理：请选择受理或不予受理" in html
    assert 'href="#f-accepted"' in html
    accepted = clerk.post(f"/tasks/{item}", data={"action": "complete", "accepted": "true"})
    assert accepted.status_code == 302


def test_the_lead_department_cannot_be_ticked_as_cooperating(staff_as, register, api):
    case = register()
    api_complete(api, case.case_no, "review_acceptance", "center_clerk", ACCEPT)
    clerk = staff_as("center_clerk")
    item = next(i for i in api.get(f"/cases/{case.case_no}", as_="supervisor").json["open_items"]
                if i["element_id"] == "assess_case")["id"]
    page = clerk.get(f"/tasks/{item}").get_data(as_text=True)
    assert 'data-not-in="f-lead_department"' in page  # the page script hides the lead among the cooperating
    form = {"action": "complete", "risk": "blue", "handling_level": "township", "lead_department": "housing",
            "cooperating_departments": ["people_mediation", "housing"], "cooperating_departments.present": "1"}
    response = clerk.post(f"/tasks/{item}", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert ('<small class="field-error" id="e-cooperating_departments">配合部门：牵头部门不能同时作为配合部门</small>'
            in html)
    refused = api.post(f"/work-items/{item}/complete", as_="center_clerk",
                       json={"data": assessment(lead="housing", cooperating=("housing",))})
    assert refused.status_code == 400
    assert refused.json["fields"] == {"cooperating_departments": ["配合部门：牵头部门不能同时作为配合部门"]}
    check(api, refused, "/work-items/{item_id}/complete", "post")


def test_the_dispatch_asks_only_for_its_instructions(staff_as, register, api):
    case = register()
    api_complete(api, case.case_no, "review_acceptance", "center_clerk", ACCEPT)
    api_complete(api, case.case_no, "assess_case", "center_clerk", assessment(lead="housing", cooperating=()))
    item = next(i for i in api.get(f"/cases/{case.case_no}", as_="supervisor").json["open_items"]
                if i["element_id"] == "dispatch")["id"]
    head = staff_as("center_head")
    page = head.get(f"/tasks/{item}").get_data(as_text=True)
    assert 'name="instructions"' in page
    assert 'name="lead_department"' not in page and 'name="cooperating_departments"' not in page
    shown = re.search(r'<span class="field-label" id="f-lead_department">牵头部门</span>\s*'
                      r'<p class="readonly-value"[^>]*>([^<]+)</p>', page)
    assert shown and shown.group(1) == "住建局"  # who receives it, as the assessment decided
    twice = api.post(f"/work-items/{item}/complete", as_="center_head",
                     json={"data": {"lead_department": "police", "instructions": "请接单"}})
    assert twice.status_code == 400
    assert twice.json["fields"] == {"lead_department": ["牵头部门：已在联席研判中确定，派单时不能修改"]}
    # a page post cannot change them either: read-only fields are not read from the browser
    done = head.post(f"/tasks/{item}", data={"action": "complete", "lead_department": "police",
                                             "instructions": "请于1个工作日内接单"})
    assert done.status_code == 302
    open_items = api.get(f"/cases/{case.case_no}", as_="supervisor").json["open_items"]
    assert [(i["department_id"], i["element_id"]) for i in open_items] == [("housing", "accept_dispatch")]
