"""Steps of the pipeline spoken over the JSON API, shared by the path tests."""
from __future__ import annotations

INTAKE = {
    "channel": "walk_in",
    "dispute_type": "neighbour",
    "title": "楼上漏水致楼下受损",
    "description": "楼上住户水管破裂，楼下天花板受损，双方就赔偿协商未果。",
    "place": "城关镇幸福小区3栋",
    "amount": 8000,
    "parties": [
        {"name": "王建国", "id_number": "110101198001060018", "phone": "13800000001", "role": "applicant"},
        {"name": "李秀英", "id_number": "110101198502030028", "phone": "13800000002", "role": "respondent"},
    ],
    "flags": {"mass_incident_risk": False, "petition_risk": False, "criminal_risk": False},
}


def register(api, as_: str = "center_clerk", **changes) -> dict:
    body = {**INTAKE, **changes}
    response = api.post("/cases", as_=as_, json=body)
    assert response.status_code == 201, response.json
    return response.json


def case(api, case_no: str, as_: str = "supervisor") -> dict:
    response = api.get(f"/cases/{case_no}", as_=as_)
    assert response.status_code == 200, response.json
    return response.json


def inbox(api, as_: str, **filters) -> list[dict]:
    response = api.get("/work-items", as_=as_, query_string=filters)
    assert response.status_code == 200, response.json
    return response.json["items"]


def items_of(api, case_no: str, as_: str) -> list[dict]:
    """The open items of one case in `as_`'s department inbox."""
    return [item for item in inbox(api, as_, limit=200) if item["case_no"] == case_no]


def item(api, case_no: str, element: str, as_: str) -> dict:
    found = [i for i in items_of(api, case_no, as_) if i["element_id"] == element]
    assert found, f"{element} not in {as_}'s inbox: {[i['element_id'] for i in items_of(api, case_no, as_)]}"
    return found[0]


def complete(api, case_no: str, element: str, as_: str, data: dict) -> dict:
    target = item(api, case_no, element, as_)
    response = api.post(f"/work-items/{target['id']}/complete", as_=as_, json={"data": data})
    assert response.status_code == 200, response.json
    return response.json


def open_elements(api, case_no: str) -> set[tuple[str, str]]:
    """(department, element) of every open item of the case."""
    return {(i["department_id"], i["element_id"]) for i in case(api, case_no)["open_items"]}


ACCEPT = {"accepted": True}
NOT_ACCEPTED = {"accepted": False, "not_accepted_reason": "属于劳动争议，应申请劳动仲裁",
                "advised_channel": "labour_arbitration"}


def assessment(risk="blue", lead="people_mediation", cooperating=("justice_office",)) -> dict:
    return {"risk": risk, "risk_reason": "联席研判意见", "handling_level": "township", "lead_department": lead,
            "cooperating_departments": list(cooperating), "assessment_notes": "由人民调解委员会牵头调处"}


def dispatch(instructions="请于1个工作日内接单") -> dict:
    """The centre's dispatch: its instructions only; the departments were decided by the assessment."""
    return {"instructions": instructions}


ACCEPT_DISPATCH = {"decision": "accept", "contact_person": "赵调解", "contact_phone": "13900000000"}


def returned(reason="不属于本部门职责") -> dict:
    return {"decision": "return", "return_reason": reason}


def report(outcome="resolved") -> dict:
    return {"sessions": [{"date": "2026-03-05", "place": "调解室", "summary": "双方当面协商"}],
            "outcome": outcome, "summary": "双方达成一致" if outcome == "resolved" else "分歧较大", "obstacles": ""}


def redispatch(lead="people_mediation", cooperating=("justice_office",)) -> dict:
    """The centre deciding the departments again after a return."""
    return {"lead_department": lead, "cooperating_departments": list(cooperating),
            "instructions": "请于1个工作日内接单"}


def cooperation(work_done="派员参与调解，提供法律意见") -> dict:
    """A cooperating department's report of its own part (the lead reports the outcome)."""
    return {"work_done": work_done, "opinion": "建议双方各让一步"}


def agreement(apply=False) -> dict:
    return {"agreement_no": "调字〔2026〕第15号", "terms": "楼上住户赔偿修缮费用6000元，分两期支付",
            "signed_on": "2026-03-10", "performance_deadline": "2026-04-10", "apply_judicial_confirmation": apply}


def visit(performance="fulfilled") -> dict:
    return {"visited_on": "2026-04-12", "performance": performance, "notes": "回访记录"}


def accept_and_assess(api, case_no, **assess) -> None:
    complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)
    complete(api, case_no, "assess_case", "center_clerk", assessment(**assess))


def through_referral(api, case_no, lead="people_mediation", cooperating=("justice_office",)) -> None:
    complete(api, case_no, "dispatch", "center_head", dispatch())
    for department in (lead, *cooperating):
        complete(api, case_no, "accept_dispatch", f"{department}_clerk", ACCEPT_DISPATCH)
