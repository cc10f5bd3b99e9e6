"""Cases driven over the JSON API only, through every path of the pipeline; at each step we check
which department's inbox holds which task and which stage the case is in."""
from __future__ import annotations

from .pipeline import (
    ACCEPT,
    ACCEPT_DISPATCH,
    NOT_ACCEPTED,
    accept_and_assess,
    agreement,
    assessment,
    case,
    complete,
    cooperation,
    dispatch,
    inbox,
    item,
    items_of,
    open_elements,
    redispatch,
    register,
    report,
    returned,
    through_referral,
    visit,
)


def test_a_registered_dispute_waits_for_acceptance_at_the_centre(api):
    started = register(api)
    assert started["case_no"].startswith("2026-") and len(started["case_no"]) == 11
    assert started["stage"] == "intake" and started["stage_name"] == "一窗受理"
    assert open_elements(api, started["case_no"]) == {("center", "review_acceptance")}
    assert items_of(api, started["case_no"], "police_clerk") == []


def test_a_dispute_not_accepted_is_closed_with_the_channel_the_citizen_was_told(api):
    case_no = register(api)["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", NOT_ACCEPTED)
    closed = case(api, case_no)
    assert closed["status"] == "closed" and closed["outcome"] == "not_accepted"
    assert closed["open_items"] == []
    completed = [h for h in closed["history"] if h["kind"] == "task_completed"]
    assert completed[0]["data"]["advised_channel"] == "labour_arbitration"


def test_an_ordinary_dispute_goes_all_the_way_to_settled(api):
    case_no = register(api)["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)
    assert case(api, case_no)["stage"] == "joint_assessment"
    assessing = item(api, case_no, "assess_case", "center_clerk")
    assert case(api, case_no)["risk"] == "blue"
    detail = api.get(f"/work-items/{assessing['id']}", as_="center_clerk").json
    assert detail["initial"]["risk"] == "blue" and detail["form"]["title"]

    complete(api, case_no, "assess_case", "center_clerk", assessment())
    assert case(api, case_no)["stage"] == "referral"
    assert open_elements(api, case_no) == {("center", "dispatch")}

    complete(api, case_no, "dispatch", "center_head", dispatch())
    assert open_elements(api, case_no) == {("people_mediation", "accept_dispatch"),
                                           ("justice_office", "accept_dispatch")}
    complete(api, case_no, "accept_dispatch", "people_mediation_clerk", ACCEPT_DISPATCH)
    assert open_elements(api, case_no) == {("justice_office", "accept_dispatch")}
    complete(api, case_no, "accept_dispatch", "justice_office_clerk", ACCEPT_DISPATCH)

    assert case(api, case_no)["stage"] == "coordinated_resolution"
    # The lead reports the case's outcome; the cooperating department its own part.
    assert open_elements(api, case_no) == {("people_mediation", "resolve"), ("justice_office", "cooperate")}
    cooperating = api.get(f"/work-items/{item(api, case_no, 'cooperate', 'justice_office_clerk')['id']}",
                          as_="justice_office_clerk").json
    assert cooperating["form"]["title"] == "配合化解" and "outcome" not in cooperating["form"]["properties"]
    complete(api, case_no, "cooperate", "justice_office_clerk", cooperation())
    assert case(api, case_no)["stage"] == "coordinated_resolution"  # the lead has not reported yet
    complete(api, case_no, "resolve", "people_mediation_clerk", report())

    assert case(api, case_no)["stage"] == "agreement_confirmation"
    assert open_elements(api, case_no) == {("people_mediation", "sign_agreement")}
    complete(api, case_no, "sign_agreement", "people_mediation_clerk", agreement(apply=False))

    assert case(api, case_no)["stage"] == "enforcement_followup"
    assert open_elements(api, case_no) == {("people_mediation", "follow_up_visit")}
    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("fulfilled"))

    closed = case(api, case_no)
    assert closed["status"] == "closed" and closed["outcome"] == "settled" and closed["open_items"] == []
    assert [i["state"] for i in closed["items"]] == ["completed"] * len(closed["items"])


def test_a_department_returning_the_dispatch_sends_it_back_to_the_centre_to_redispatch(api):
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no)
    complete(api, case_no, "dispatch", "center_head", dispatch())
    complete(api, case_no, "accept_dispatch", "people_mediation_clerk", ACCEPT_DISPATCH)
    complete(api, case_no, "accept_dispatch", "justice_office_clerk", returned("本所不负责物业类纠纷"))

    assert open_elements(api, case_no) == {("center", "redispatch")}
    assert case(api, case_no)["stage"] == "referral"
    complete(api, case_no, "redispatch", "center_head", redispatch(cooperating=("housing",)))
    # Only the newly assigned department must accept; the lead already did.
    assert open_elements(api, case_no) == {("housing", "accept_dispatch")}
    complete(api, case_no, "accept_dispatch", "housing_clerk", ACCEPT_DISPATCH)
    assert open_elements(api, case_no) == {("people_mediation", "resolve"), ("housing", "cooperate")}


def test_a_red_case_notifies_leadership_and_is_stabilised_by_the_police_while_resolved(api):
    case_no = register(api, flags={"mass_incident_risk": True, "petition_risk": False,
                                   "criminal_risk": False}, title="征地补偿引发多户聚集")["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)
    red = case(api, case_no)
    assert red["risk"] == "red"
    assert any(h["kind"] == "notice_leadership" for h in red["history"])
    assessing = item(api, case_no, "assess_case", "center_clerk")
    # Red cases are assessed the same working day: due at 18:00 today (10:00 UTC).
    assert assessing["due_at"].startswith("2026-03-02T10:00")

    complete(api, case_no, "assess_case", "center_clerk", assessment(risk="red", cooperating=()))
    complete(api, case_no, "dispatch", "center_head", dispatch())
    complete(api, case_no, "accept_dispatch", "people_mediation_clerk", ACCEPT_DISPATCH)
    assert open_elements(api, case_no) == {("people_mediation", "resolve"), ("police", "stabilise")}
    complete(api, case_no, "resolve", "people_mediation_clerk", report())
    assert case(api, case_no)["stage"] == "coordinated_resolution"  # waits for stabilisation
    complete(api, case_no, "stabilise", "police_clerk",
              {"measures": "每日走访，专人盯守", "responsible_person": "刘警官", "status": "stable", "notes": ""})
    assert case(api, case_no)["stage"] == "agreement_confirmation"


def test_a_case_not_resolved_is_referred_onward_and_closed(api):
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no)
    through_referral(api, case_no)
    complete(api, case_no, "resolve", "people_mediation_clerk", report("not_resolved"))
    complete(api, case_no, "cooperate", "justice_office_clerk", cooperation())
    assert open_elements(api, case_no) == {("center", "refer_onward")}
    complete(api, case_no, "refer_onward", "center_clerk",
             {"route": "litigation", "receiving_body": "县人民法院", "explanation": "引导当事人起诉",
              "notified_parties": True})
    closed = case(api, case_no)
    assert closed["status"] == "closed" and closed["outcome"] == "referred_onward"


def _to_agreement(api, **register_changes) -> str:
    case_no = register(api, **register_changes)["case_no"]
    accept_and_assess(api, case_no, cooperating=())
    through_referral(api, case_no, cooperating=())
    complete(api, case_no, "resolve", "people_mediation_clerk", report())
    return case_no


def test_judicial_confirmation_waits_in_the_court_lane_for_the_courts_message(api):
    case_no = _to_agreement(api)
    complete(api, case_no, "sign_agreement", "people_mediation_clerk", agreement(apply=True))
    complete(api, case_no, "submit_confirmation", "people_mediation_clerk",
             {"applied_on": "2026-03-11", "court_name": "县人民法院", "applicants": "王建国、李秀英"})
    waiting = case(api, case_no)
    assert waiting["stage"] == "agreement_confirmation" and waiting["stage_name"] == "等待法院裁定"
    assert open_elements(api, case_no) == {("court", "court_acceptance")}

    not_court = api.post(f"/cases/{case_no}/messages", as_="police_clerk",
                         json={"message": "judicial_decision", "payload": {"confirmed": True}})
    assert not_court.status_code == 403
    decided = api.post(f"/cases/{case_no}/messages", as_="court_clerk",
                       json={"message": "judicial_decision",
                             "payload": {"confirmed": True, "ruling_no": "（2026）确字第8号", "reason": ""}})
    assert decided.status_code == 200, decided.json
    assert decided.json["stage"] == "enforcement_followup"
    again = api.post(f"/cases/{case_no}/messages", as_="court_clerk",
                     json={"message": "judicial_decision", "payload": {"confirmed": True}})
    assert again.status_code == 409

    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("refused"))
    assert open_elements(api, case_no) == {("people_mediation", "apply_enforcement")}
    complete(api, case_no, "apply_enforcement", "people_mediation_clerk",
             {"applied_on": "2026-04-20", "court_name": "县人民法院", "enforcement_case_no": "（2026）执字第3号"})
    closed = case(api, case_no)
    assert closed["status"] == "closed" and closed["outcome"] == "enforcement_applied"


def test_follow_up_visits_repeat_until_the_agreement_is_fulfilled(api):
    case_no = _to_agreement(api)
    complete(api, case_no, "sign_agreement", "people_mediation_clerk", agreement(apply=False))
    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("in_progress"))
    assert open_elements(api, case_no) == {("people_mediation", "follow_up_visit")}
    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("fulfilled"))
    assert case(api, case_no)["outcome"] == "settled"


def test_an_unconfirmed_agreement_refused_by_a_party_ends_with_advice_to_sue(api):
    case_no = _to_agreement(api)
    complete(api, case_no, "sign_agreement", "people_mediation_clerk", agreement(apply=False))
    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("refused"))
    assert open_elements(api, case_no) == {("people_mediation", "advise_litigation")}
    complete(api, case_no, "advise_litigation", "people_mediation_clerk",
             {"advised_on": "2026-04-20", "advice": "告知申请人可向人民法院起诉"})
    closed = case(api, case_no)
    assert closed["status"] == "closed" and closed["outcome"] == "litigation_advised"


def test_a_second_case_of_the_same_party_is_flagged_as_a_possible_duplicate(api):
    first = register(api)["case_no"]
    second = register(api)
    assert second["possible_duplicates"] == [first]


def test_the_inbox_lists_only_the_departments_own_items_and_filters_by_assignee(api):
    case_no = register(api)["case_no"]
    mine = inbox(api, "center_clerk", assignee="me")
    assert mine == []
    target = item(api, case_no, "review_acceptance", "center_clerk")
    assert api.post(f"/work-items/{target['id']}/claim", as_="center_clerk").status_code == 200
    assert [i["id"] for i in inbox(api, "center_clerk", assignee="me")] == [target["id"]]
    assert inbox(api, "center_clerk", assignee="none") == []
    taken = api.post(f"/work-items/{target['id']}/claim", as_="center_head")
    assert taken.status_code == 409
    assert api.post(f"/work-items/{target['id']}/release", as_="center_clerk").status_code == 200
    assert inbox(api, "police_clerk") == []


def test_an_item_shows_the_stage_of_its_own_task_after_the_case_has_moved_on(api):
    case_no = register(api)["case_no"]
    review = item(api, case_no, "review_acceptance", "center_clerk")
    assert review["stage_name"] == "一窗受理"
    accept_and_assess(api, case_no)
    after = case(api, case_no)
    assert after["stage"] == "referral"
    done = api.get(f"/work-items/{review['id']}", as_="center_clerk").json
    assert done["state"] == "completed" and done["stage_name"] == "一窗受理"
    assessed = next(i for i in after["items"] if i["element_id"] == "assess_case")
    assert assessed["stage_name"] == "联席研判"
    assert item(api, case_no, "dispatch", "center_head")["stage_name"] == after["stage_name"] == "分流督办"
