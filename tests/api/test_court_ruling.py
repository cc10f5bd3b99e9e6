"""The court records its ruling on judicial confirmation in Yizhan: acceptance within 3 days, the ruling
within 15 days of accepting (10 more once, with the court president's approval); a connected court's
`judicial_decision` message still works, and whichever arrives first wins."""
from __future__ import annotations

from datetime import datetime, timedelta

from engine import notifications, timer_firing
from engine.clock import SHANGHAI

from .contract import check
from .pipeline import (
    accept_and_assess,
    agreement,
    case,
    complete,
    item,
    items_of,
    open_elements,
    register,
    report,
    through_referral,
    visit,
)

APPLICATION = {"applied_on": "2026-03-02", "court_name": "县人民法院", "applicants": "王建国、李秀英"}
ACCEPTED = {"court_acceptance": "accepted", "court_decided_on": "2026-03-03", "court_case_no": "（2026）0102民特12号",
            "court_judge": "刘法官"}
CONFIRMED = {"court_ruling": "confirmed", "ruling_no": "（2026）0102民特12号", "ruled_on": "2026-03-12"}
EXTENDED = {"court_ruling": "extend", "extension_approved_by": "张院长", "extension_approved_on": "2026-03-15",
            "extension_reason": "需补充调查当事人身份"}
WAITING = "等待法院裁定"


def _applied(api) -> str:
    """A resolved case whose parties applied to the court for judicial confirmation."""
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no, cooperating=())
    through_referral(api, case_no, cooperating=())
    complete(api, case_no, "resolve", "people_mediation_clerk", report())
    complete(api, case_no, "sign_agreement", "people_mediation_clerk", agreement(apply=True))
    complete(api, case_no, "submit_confirmation", "people_mediation_clerk", APPLICATION)
    return case_no


def _local_date(iso: str):
    return datetime.fromisoformat(iso).astimezone(SHANGHAI).date()


def _decision(api, case_no, confirmed=True, as_="court_clerk"):
    return api.post(f"/cases/{case_no}/messages", as_=as_,
                    json={"message": "judicial_decision",
                          "payload": {"confirmed": confirmed, "ruling_no": "（2026）确字第8号", "reason": ""}})


def test_after_the_application_the_court_has_an_acceptance_item_due_in_3_calendar_days(api, clock):
    case_no = _applied(api)
    assert open_elements(api, case_no) == {("court", "court_acceptance")}
    waiting = case(api, case_no)
    assert waiting["stage"] == "agreement_confirmation" and waiting["stage_name"] == WAITING
    acceptance = item(api, case_no, "court_acceptance", "court_clerk")
    assert acceptance["stage_name"] == WAITING and acceptance["title"] == "司法确认受理审查"
    assert _local_date(acceptance["due_at"]) == (clock.now() + timedelta(days=3)).date()
    assert items_of(api, case_no, "people_mediation_clerk") == []


def test_court_staff_accept_and_confirm_and_the_case_goes_on_to_enforcement_follow_up(api, clock):
    case_no = _applied(api)
    clock.advance(timedelta(days=1))
    complete(api, case_no, "court_acceptance", "court_clerk", ACCEPTED)
    ruling = item(api, case_no, "court_ruling", "court_clerk")
    assert _local_date(ruling["due_at"]) == (clock.now() + timedelta(days=15)).date()
    assert case(api, case_no)["stage_name"] == WAITING

    done = complete(api, case_no, "court_ruling", "court_head", CONFIRMED)
    assert done["stage"] == "enforcement_followup"
    assert open_elements(api, case_no) == {("people_mediation", "follow_up_visit")}
    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("refused"))
    # a confirmed agreement that is not honoured goes to the court for enforcement
    assert open_elements(api, case_no) == {("people_mediation", "apply_enforcement")}


def test_an_application_not_accepted_leads_where_a_refused_confirmation_does(api):
    case_no = _applied(api)
    missing = api.post(f"/work-items/{item(api, case_no, 'court_acceptance', 'court_clerk')['id']}/complete",
                       as_="court_clerk", json={"data": {"court_acceptance": "not_accepted",
                                                         "court_decided_on": "2026-03-03"}})
    assert missing.status_code == 400 and "court_not_accepted_reason" in missing.json["fields"]
    assert open_elements(api, case_no) == {("court", "court_acceptance")}  # nothing half-saved
    complete(api, case_no, "court_acceptance", "court_clerk",
             {"court_acceptance": "not_accepted", "court_decided_on": "2026-03-03",
              "court_not_accepted_reason": "协议内容涉及身份关系，不属于司法确认范围"})
    assert case(api, case_no)["stage"] == "enforcement_followup"
    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("refused"))
    assert open_elements(api, case_no) == {("people_mediation", "advise_litigation")}


def test_a_ruling_refusing_confirmation_needs_its_reason_and_leads_to_advice_to_sue(api):
    case_no = _applied(api)
    complete(api, case_no, "court_acceptance", "court_clerk", ACCEPTED)
    ruling = item(api, case_no, "court_ruling", "court_clerk")
    refused = api.post(f"/work-items/{ruling['id']}/complete", as_="court_clerk",
                       json={"data": {"court_ruling": "not_confirmed", "ruled_on": "2026-03-12"}})
    assert refused.status_code == 400
    assert {"ruling_no", "court_ruling_reason"} <= set(refused.json["fields"])
    complete(api, case_no, "court_ruling", "court_clerk",
             {"court_ruling": "not_confirmed", "ruling_no": "（2026）0102民特13号", "ruled_on": "2026-03-12",
              "court_ruling_reason": "协议内容违反法律强制性规定"})
    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("refused"))
    assert open_elements(api, case_no) == {("people_mediation", "advise_litigation")}


def test_an_extension_approved_by_the_president_moves_the_deadline_by_10_days_once(api, clock):
    case_no = _applied(api)
    complete(api, case_no, "court_acceptance", "court_clerk", ACCEPTED)
    first = item(api, case_no, "court_ruling", "court_clerk")
    unapproved = api.post(f"/work-items/{first['id']}/complete", as_="court_clerk",
                          json={"data": {"court_ruling": "extend"}})
    assert unapproved.status_code == 400
    assert {"extension_approved_by", "extension_approved_on"} <= set(unapproved.json["fields"])

    complete(api, case_no, "court_ruling", "court_head", EXTENDED)
    extended = item(api, case_no, "court_ruling_extended", "court_clerk")
    moved = datetime.fromisoformat(extended["due_at"]) - datetime.fromisoformat(first["due_at"])
    assert moved == timedelta(days=10)
    assert _local_date(extended["due_at"]) == (clock.now() + timedelta(days=25)).date()
    history = case(api, case_no)["history"]
    approval = [h for h in history if h["kind"] == "task_completed" and h["element_id"] == "court_ruling"]
    assert approval[0]["data"]["extension_approved_by"] == "张院长"
    assert approval[0]["data"]["extension_approved_on"] == "2026-03-15"

    # only once: the extended ruling offers no second extension
    detail = api.get(f"/work-items/{extended['id']}", as_="court_clerk").json
    assert "extend" not in detail["form"]["properties"]["court_ruling"]["enum"]
    again = api.post(f"/work-items/{extended['id']}/complete", as_="court_clerk", json={"data": EXTENDED})
    assert again.status_code == 400
    complete(api, case_no, "court_ruling_extended", "court_clerk", CONFIRMED)
    assert case(api, case_no)["stage"] == "enforcement_followup"


def test_a_stranger_to_the_court_may_not_open_or_complete_the_court_item(api):
    case_no = _applied(api)
    acceptance = item(api, case_no, "court_acceptance", "court_clerk")
    assert api.get(f"/work-items/{acceptance['id']}", as_="police_clerk").status_code == 403
    refused = api.post(f"/work-items/{acceptance['id']}/complete", as_="people_mediation_clerk",
                       json={"data": ACCEPTED})
    assert refused.status_code == 403
    check(api, refused, "/work-items/{item_id}/complete", "post")
    assert open_elements(api, case_no) == {("court", "court_acceptance")}


def test_a_connected_courts_message_arriving_first_withdraws_the_court_item(api):
    case_no = _applied(api)
    complete(api, case_no, "court_acceptance", "court_clerk", ACCEPTED)
    ruling = item(api, case_no, "court_ruling", "court_clerk")
    assert _decision(api, case_no, as_="police_clerk").status_code == 403

    decided = _decision(api, case_no, confirmed=True)
    assert decided.status_code == 200, decided.json
    check(api, decided, "/cases/{case_no}/messages", "post")
    assert decided.json["stage"] == "enforcement_followup"
    file = case(api, case_no)
    withdrawn = [i for i in file["items"] if i["id"] == ruling["id"]]
    assert withdrawn[0]["state"] == "cancelled"
    assert items_of(api, case_no, "court_clerk") == []
    late = api.post(f"/work-items/{ruling['id']}/complete", as_="court_clerk", json={"data": CONFIRMED})
    assert late.status_code in (404, 409)

    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("refused"))
    assert open_elements(api, case_no) == {("people_mediation", "apply_enforcement")}


def test_a_decision_without_its_verdict_is_refused_naming_the_field_and_changes_nothing(api):
    case_no = _applied(api)
    before = case(api, case_no)
    for payload, field in (({"ruling_no": "（2026）确字第8号"}, "payload.confirmed"),
                           ({"confirmed": "yes"}, "payload.confirmed"),
                           ({"confirmed": True, "ruling_no": 8}, "payload.ruling_no")):
        refused = api.post(f"/cases/{case_no}/messages", as_="court_clerk",
                           json={"message": "judicial_decision", "payload": payload})
        assert refused.status_code == 400, refused.json
        check(api, refused, "/cases/{case_no}/messages", "post")
        assert list(refused.json["fields"]) == [field]
    after = case(api, case_no)
    assert after["version"] == before["version"] and after["open_items"] == before["open_items"]


def test_a_message_while_acceptance_is_open_withdraws_it_too(api):
    case_no = _applied(api)
    acceptance = item(api, case_no, "court_acceptance", "court_clerk")
    assert _decision(api, case_no, confirmed=False).status_code == 200
    assert [i["state"] for i in case(api, case_no)["items"] if i["id"] == acceptance["id"]] == ["cancelled"]
    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("refused"))
    assert open_elements(api, case_no) == {("people_mediation", "advise_litigation")}


def test_once_court_staff_recorded_the_ruling_a_later_message_is_refused_and_changes_nothing(api):
    case_no = _applied(api)
    complete(api, case_no, "court_acceptance", "court_clerk", ACCEPTED)
    complete(api, case_no, "court_ruling", "court_clerk", CONFIRMED)
    before = case(api, case_no)

    late = _decision(api, case_no, confirmed=False)
    assert late.status_code == 409
    check(api, late, "/cases/{case_no}/messages", "post")
    assert "judicial_decision" in late.json["message"]
    after = case(api, case_no)
    assert after["version"] == before["version"] and after["open_items"] == before["open_items"]
    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("refused"))
    assert open_elements(api, case_no) == {("people_mediation", "apply_enforcement")}  # still confirmed


def test_a_court_that_lets_a_limit_pass_is_reminded_and_the_centre_told(api, rt, clock, who):
    case_no = _applied(api)
    acceptance = item(api, case_no, "court_acceptance", "court_clerk")
    clock.advance(timedelta(days=2, hours=12))
    timer_firing.fire_due(rt)
    clerk_notes = [n.text for n in notifications.for_user(rt, who("court_clerk")) if n.kind == "reminder"]
    assert any("3日受理审查期限" in text for text in clerk_notes)

    clock.advance(timedelta(days=1))
    timer_firing.fire_due(rt)
    late = item(api, case_no, "court_acceptance", "court_clerk")
    assert late["id"] == acceptance["id"] and late["escalation_level"] == 1 and late["overdue"]
    assert any(n.kind == "supervision" for n in notifications.for_user(rt, who("court_head")))
    centre = [n.text for n in notifications.for_user(rt, who("center_head"))]
    assert any("请与法院沟通" in text for text in centre)
    # no 督办件 is issued to a court: its staff still only have the acceptance to do
    assert open_elements(api, case_no) == {("court", "court_acceptance")}


def test_the_openapi_document_describes_the_courts_decision_payload(api):
    document = api.get("/openapi.json").json
    payload = document["components"]["schemas"]["JudicialDecisionPayload"]
    assert payload["required"] == ["confirmed"] and payload["properties"]["confirmed"]["type"] == "boolean"
    assert {"ruling_no", "reason"} <= set(payload["properties"])
