"""Early warning: a party who comes back, a place that keeps registering, a surge of one type, a red case
nobody has stabilised, a party whose earlier case ended in enforcement. Each warning reaches the
supervisors once; later cases join it without a second notice."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from engine import early_warning, notifications
from engine.models import Case
from tests.api import pipeline
from tests.api.pipeline import INTAKE

STRANGERS = iter(range(1000, 9999))


def stranger(**changes) -> dict:
    """An intake whose parties and place no earlier case shares (so only what a test sets up can match)."""
    n = next(STRANGERS)
    return {**INTAKE, "place": f"幸福小区{n}栋", "dispute_type": "consumer",
            "parties": [{"name": f"路人{n}", "phone": f"139{n:08d}", "role": "applicant"}], **changes}


def warnings_to(rt, who, username="supervisor") -> list[str]:
    return [n.text for n in notifications.for_user(rt, who(username), kind="warning")]


def listed(rt, who, kind=None):
    return early_warning.recent_warnings(rt, who("supervisor"), kind=kind).warnings


def test_a_party_registering_again_is_a_repeat_dispute_notified_once(register, rt, who, clock):
    first = register(**stranger(parties=[{"name": "赵六", "id_number": "110101199003070038", "role": "applicant"}]))
    assert listed(rt, who, "repeat") == []
    clock.advance(timedelta(days=30))
    second = register(**stranger(parties=[{"name": "赵六", "id_number": "110101199003070038", "role": "applicant"}]))
    clock.advance(timedelta(days=30))
    third = register(**stranger(parties=[{"name": "赵六", "id_number": "110101199003070038", "role": "applicant"}]))

    [warning] = listed(rt, who, "repeat")
    assert warning.case_count == 3 and "赵六" in warning.title and second.case_no in warning.title
    assert [c.case_no for c in early_warning.warning_detail(rt, who("supervisor"), warning.id).cases] == [
        first.case_no, second.case_no, third.case_no]
    assert len([t for t in warnings_to(rt, who) if "赵六" in t]) == 1  # the third case joined, unnotified
    assert warnings_to(rt, who, "police_clerk") == []  # supervisors hear of it, not the departments


def test_a_repeat_outside_the_window_is_not_one_and_the_window_is_the_centres(register, rt, who, clock):
    party = [{"name": "钱七", "phone": "010-66001234", "role": "applicant"}]
    register(**stranger(parties=party))
    clock.advance(timedelta(days=200))
    register(**stranger(parties=[{"name": "钱七", "phone": "01066001234", "role": "applicant"}]))
    assert listed(rt, who, "repeat") == []  # 200 days later: outside the 180-day window
    with rt.unit_of_work() as session:
        early_warning.save_rules(session, repeat_days="365")
    register(**stranger(parties=party))
    [warning] = listed(rt, who, "repeat")
    assert warning.case_count == 3  # the same phone, typed with and without the dash


def test_the_same_place_typed_differently_is_a_repeat(register, rt, who):
    register(**stranger(place="城关镇 幸福村 3组"))
    register(**stranger(place="城关镇幸福村3组，"))
    [warning] = listed(rt, who, "repeat")
    assert warning.details["by"] == "place" and warning.case_count == 2


def test_a_surge_of_one_dispute_type_is_raised_once_over_its_usual_week(register, rt, who, clock):
    # the usual: six labour disputes over the twelve weeks before this one (half a case a week: counted as one)
    for _ in range(6):
        register(**stranger(dispute_type="labour"))
        clock.advance(timedelta(days=14))
    clock.advance(timedelta(days=7))  # the baseline now lies 8 to 91 days back
    assert listed(rt, who, "surge") == []
    register(**stranger(dispute_type="labour"))
    register(**stranger(dispute_type="labour"))
    assert listed(rt, who, "surge") == []  # two in a week: below the minimum of three
    register(**stranger(dispute_type="labour"))
    [surge] = listed(rt, who, "surge")
    assert surge.details == {"by": "type", "value": "labour", "recent": 3, "usual": 0.5, "days": 7}
    register(**stranger(dispute_type="labour"))
    [surge] = listed(rt, who, "surge")
    assert surge.case_count == 4
    assert len([t for t in warnings_to(rt, who) if "激增" in t and "labour" in t]) == 1


def test_a_surge_needs_twice_the_usual_rate(rt, who, register, clock):
    for _ in range(24):  # two debt cases a week for twelve weeks: a usual week of 2
        register(**stranger(dispute_type="debt"))
        clock.advance(timedelta(days=3, hours=12))
    clock.advance(timedelta(days=7))
    since = clock.now()  # (the first weeks, over no usual at all, were a surge of their own)

    def surges():
        return [w for w in listed(rt, who, "surge") if w.raised_at >= since]
    for _ in range(3):
        register(**stranger(dispute_type="debt"))
    assert surges() == []  # three is less than twice two
    register(**stranger(dispute_type="debt"))
    [surge] = surges()
    assert surge.details["recent"] == 4 and surge.details["usual"] == 2.0


def test_a_red_case_is_on_the_board_until_the_police_report_it_stable(api, rt, who):
    case_no = pipeline.register(api, **stranger(flags={"mass_incident_risk": True, "petition_risk": False,
                                                        "criminal_risk": False}))["case_no"]
    pipeline.complete(api, case_no, "review_acceptance", "center_clerk", pipeline.ACCEPT)  # graded red here
    [warning] = listed(rt, who, "red_unstable")
    assert case_no in warning.title and warning.ended_at is None
    pipeline.complete(api, case_no, "assess_case", "center_clerk", pipeline.assessment(risk="red", cooperating=()))
    pipeline.complete(api, case_no, "dispatch", "center_head", pipeline.dispatch())
    pipeline.complete(api, case_no, "accept_dispatch", "people_mediation_clerk", pipeline.ACCEPT_DISPATCH)
    pipeline.complete(api, case_no, "resolve", "people_mediation_clerk", pipeline.report())
    assert early_warning.recent_warnings(rt, who("supervisor")).counts["red_unstable"] == 1  # many commands, one
    assert len([t for t in warnings_to(rt, who) if case_no in t]) == 1
    stable = {"measures": "每日走访，专人盯守", "responsible_person": "刘警官", "status": "stable", "notes": ""}
    pipeline.complete(api, case_no, "stabilise", "police_clerk", stable)
    [warning] = listed(rt, who, "red_unstable")
    assert warning.ended_at is not None
    assert early_warning.recent_warnings(rt, who("supervisor")).counts["red_unstable"] == 0


def test_a_party_whose_earlier_case_ended_in_enforcement_is_flagged(register, rt, who):
    party = [{"name": "孙八", "id_number": "11010119750505002X", "role": "respondent"}]
    earlier = register(**stranger(parties=party))
    with rt.unit_of_work() as session:
        session.execute(update(Case).where(Case.case_no == earlier.case_no)
                        .values(outcome="enforcement_applied", status="closed"))
    later = register(**stranger(parties=[{**party[0], "id_number": "11010119750505002x"}]))
    [warning] = listed(rt, who, "enforcement")
    assert earlier.case_no in warning.title and later.case_no in warning.title and "孙八" in warning.title


def test_only_the_board_s_readers_see_the_warnings(rt, who):
    import pytest

    from engine.errors import Forbidden, Invalid
    with pytest.raises(Forbidden):
        early_warning.recent_warnings(rt, who("police_clerk"))
    with pytest.raises(Invalid):
        early_warning.recent_warnings(rt, who("supervisor"), kind="weather")
    with rt.unit_of_work() as session, pytest.raises(Invalid) as refused:
        early_warning.save_rules(session, repeat_days="0", surge_factor="lots")
    assert set(refused.value.fields) == {"repeat_days", "surge_factor"}


def test_the_api_lists_warnings_and_opens_one(api, register):
    party = [{"name": "吴十", "phone": "13912345678", "role": "applicant"}]
    first, second = register(**stranger(parties=party)), register(**stranger(parties=party))
    listed = api.get("/warnings?kind=repeat", as_="supervisor")
    assert listed.status_code == 200
    [warning] = listed.json["warnings"]
    assert warning["kind"] == "repeat" and warning["case_count"] == 2 and listed.json["counts"]["repeat"] == 1
    opened = api.get(f"/warnings/{warning['id']}", as_="supervisor").json
    assert [c["case_no"] for c in opened["cases"]] == [first.case_no, second.case_no]
    assert api.get("/warnings", as_="police_clerk").status_code == 403
    assert api.get("/warnings?kind=weather", as_="supervisor").status_code == 400
    assert api.get("/warnings/999999", as_="supervisor").status_code == 404
