"""On the task page, a prefilled field the page no longer sends keeps its value; one the clerk empties is
cleared."""
from __future__ import annotations

from tests.api.pipeline import ACCEPT, case, item, register
from tests.api.pipeline import complete as api_complete

ASSESSMENT_FORM = {"action": "complete", "risk": "blue", "handling_level": "township",
                   "lead_department": "people_mediation", "cooperating_departments": "justice_office",
                   "assessment_notes": "由人民调解委员会牵头调处"}


def _assessing(api) -> tuple[str, dict, dict]:
    case_no = register(api)["case_no"]
    api_complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)
    target = item(api, case_no, "assess_case", "center_clerk")
    initial = api.get(f"/work-items/{target['id']}", as_="center_clerk").json["initial"]
    assert initial["risk_reason"]
    return case_no, target, initial


def test_the_graded_reason_is_kept_when_the_page_does_not_send_it(staff_as, api):
    case_no, target, initial = _assessing(api)
    done = staff_as("center_clerk").post(f"/tasks/{target['id']}", data=ASSESSMENT_FORM)
    assert done.status_code == 302, done.get_data(as_text=True)[:500]
    assert case(api, case_no)["risk_reason"] == initial["risk_reason"]


def test_a_reason_the_clerk_empties_is_cleared(staff_as, api):
    case_no, target, _ = _assessing(api)
    done = staff_as("center_clerk").post(f"/tasks/{target['id']}", data={**ASSESSMENT_FORM, "risk_reason": ""})
    assert done.status_code == 302, done.get_data(as_text=True)[:500]
    assert case(api, case_no)["risk_reason"] == ""
