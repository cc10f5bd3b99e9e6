"""The supervision ladder the diagrams model: reminder, 督办件 at the deadline, escalation to the centre,
then the leadership; each rung at its working-day instant across National Day 2025 (1–8 Oct off, Sun 28 Sep
and Sat 11 Oct worked), shorter for red cases, and what is left of it cancelled once the task is done."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from engine import timer_firing
from engine.clock import SHANGHAI
from engine.models import Notification, User, WorkItem

from .pipeline import ACCEPT, assessment, case, complete, item, open_elements, register

NOTICE_REPLY = {"notice_delay_reason": "研判材料未齐", "notice_measures": "今日补齐材料并召开联席会议",
                "notice_promised_date": "2025-10-20", "notice_responsible_person": "中心主任"}
RED_FLAGS = {"mass_incident_risk": True, "petition_risk": False, "criminal_risk": False}


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=SHANGHAI)


def ladder(api, case_no: str, element: str) -> dict[str, tuple[datetime, str]]:
    """The case's timers on `element`: rung -> (due, state)."""
    rungs = {}
    for timer in case(api, case_no)["timers"]:
        if timer["element_id"].startswith(element + "_"):
            rung = timer["element_id"][len(element) + 1:]
            rungs[rung] = (datetime.fromisoformat(timer["due_at"]).astimezone(SHANGHAI), timer["state"])
    return rungs


def heard(rt, about: str = "") -> list[tuple[str, str]]:
    """(kind, username) of every notification other than new work whose text mentions `about`, in order."""
    with rt.unit_of_work(write=False) as session:
        rows = session.execute(select(Notification.kind, User.username).join(User, User.id == Notification.user_id)
                               .where(Notification.kind != "assignment", Notification.text.contains(about))
                               .order_by(Notification.id)).all()
    return [(kind, username) for kind, username in rows]


def fire_at(rt, clock, instant: datetime) -> int:
    clock.set(instant)
    return timer_firing.fire_due(rt)


def level_of(api, case_no: str, element: str) -> int:
    return item(api, case_no, element, "supervisor")["escalation_level"]


def test_each_rung_fires_at_its_working_day_instant_across_national_day(api, rt, clock):
    clock.set(at(9, 30))
    case_no = register(api)["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)
    # A blue assessment: 3 working days from Tue 30 Sep: Thu 9, Fri 10, Sat 11 Oct (make-up day), at its close.
    assert ladder(api, case_no, "assess_case") == {
        "reminder": (at(10, 10, 18, 0), "waiting"),     # one working day before the deadline
        "overdue": (at(10, 11, 18, 0), "waiting"),      # the deadline: the make-up Saturday
        "escalate": (at(10, 14, 18, 0), "waiting"),     # two working days' grace: Mon 13, Tue 14
        "leadership": (at(10, 16, 18, 0), "waiting"),   # two more: Wed 15, Thu 16
    }
    assert fire_at(rt, clock, at(10, 10, 17, 59)) == 0
    assert fire_at(rt, clock, at(10, 10, 18, 0)) == 1
    assert heard(rt) == [("reminder", "center_clerk"), ("reminder", "center_head")]
    assert level_of(api, case_no, "assess_case") == 0

    assert fire_at(rt, clock, at(10, 11, 17, 59)) == 0
    assert fire_at(rt, clock, at(10, 11, 18, 0)) == 1
    assert level_of(api, case_no, "assess_case") == 1
    assert heard(rt)[2:] == [("supervision", "center_head")]
    # The 督办件 is a work item of its own, numbered, for the centre's head, about the late assessment.
    assert open_elements(api, case_no) == {("center", "assess_case"), ("center", "assess_case_notice")}
    notice = item(api, case_no, "assess_case_notice", "center_head")
    assert notice["notice_no"] == "督办〔2025〕第0001号"
    assert notice["required_role"] == "head" and notice["title"] == "督办件：联席研判"
    assert notice["subject_item_id"] == item(api, case_no, "assess_case", "center_clerk")["id"]

    # Sun 12 and Mon 13 pass; the escalation waits for Tuesday's working day.
    assert fire_at(rt, clock, at(10, 14, 17, 59)) == 0
    late = item(api, case_no, "assess_case", "center_clerk")
    assert late["overdue"] is True and late["due_at"] == "2025-10-11T10:00:00+00:00"  # the deadline it missed
    assert fire_at(rt, clock, at(10, 14, 18, 0)) == 1
    assert level_of(api, case_no, "assess_case") == 2
    escalated = {username for kind, username in heard(rt) if kind == "escalation"}
    assert escalated == {"center_head", "supervisor"}

    assert fire_at(rt, clock, at(10, 16, 17, 59)) == 0
    assert fire_at(rt, clock, at(10, 16, 18, 0)) == 1
    assert level_of(api, case_no, "assess_case") == 3
    assert [kind for kind, _ in heard(rt)][-1] == "leadership"
    assert {username for kind, username in heard(rt) if kind == "leadership"} == {"supervisor"}

    # The head answers the notice; the assessment itself is still open and still late.
    complete(api, case_no, "assess_case_notice", "center_head", NOTICE_REPLY)
    assert open_elements(api, case_no) == {("center", "assess_case")}
    assert fire_at(rt, clock, at(10, 31)) == 0  # nothing is left of the ladder but the task


def test_a_red_case_climbs_faster_and_finishing_withdraws_the_notice_and_the_rest(api, rt, clock):
    clock.set(at(9, 30))
    case_no = register(api, flags=RED_FLAGS)["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)
    rungs = ladder(api, case_no, "assess_case")
    # Red: assessed the same working day, one working day's grace per rung, the holiday skipped.
    assert rungs["overdue"][0] == at(9, 30, 18, 0)
    assert rungs["escalate"] == (at(10, 9, 18, 0), "waiting")
    assert rungs["leadership"] == (at(10, 10, 18, 0), "waiting")

    assert fire_at(rt, clock, at(10, 1)) == 2  # the reminder and the supervision notice, held over the holiday
    notice = item(api, case_no, "assess_case_notice", "center_head")
    assert notice["notice_no"].startswith("督办〔2025〕")

    clock.set(at(10, 9, 9, 0))
    complete(api, case_no, "assess_case", "center_clerk", assessment(risk="red"))
    # The assessment is done: its notice is withdrawn, the escalation and leadership rungs are cancelled,
    # and the case goes on to dispatch with its data intact.
    assert open_elements(api, case_no) == {("center", "dispatch")}
    assert {rung: state for rung, (_, state) in ladder(api, case_no, "assess_case").items()} == {
        "reminder": "fired", "overdue": "fired", "escalate": "cancelled", "leadership": "cancelled"}
    with rt.unit_of_work(write=False) as session:
        notice_row = session.get(WorkItem, notice["id"])
        assert notice_row.state == "cancelled" and notice_row.notice_no == notice["notice_no"]
    assert case(api, case_no)["risk"] == "red"
    about_assessment = heard(rt, "联席研判")
    assert fire_at(rt, clock, at(10, 20)) >= 1  # the dispatch's own ladder fires...
    assert heard(rt, "联席研判") == about_assessment  # ...but nothing more about the finished assessment
    assert ("escalation", "supervisor") in heard(rt, "派单")


def test_finishing_before_the_deadline_cancels_the_whole_ladder(api, rt, clock):
    clock.set(at(9, 30))
    case_no = register(api)["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", ACCEPT)
    assert fire_at(rt, clock, at(10, 10, 18, 0)) == 1  # the reminder, at Friday's close
    clock.set(at(10, 10, 18, 30))
    complete(api, case_no, "assess_case", "center_clerk", assessment())
    assert {rung: state for rung, (_, state) in ladder(api, case_no, "assess_case").items()} == {
        "reminder": "fired", "overdue": "cancelled", "escalate": "cancelled", "leadership": "cancelled"}
    with rt.unit_of_work(write=False) as session:
        assert session.scalar(select(WorkItem).where(WorkItem.notice_no.is_not(None))) is None
    clock.advance(timedelta(days=30))
    assert timer_firing.fire_due(rt) >= 1  # the dispatch's ladder
    assert {kind for kind, _ in heard(rt, "联席研判")} == {"reminder"}
    assert open_elements(api, case_no) == {("center", "dispatch"), ("center", "dispatch_notice")}
