"""A known month of cases for the statistics tests, built through the engine's own services (the same calls the
API and the pages make), with the figures worked out by hand beside them.

Registered Mon 2 March 2026 from 09:00, one a minute (amount at stake, type, channel, township):
  A  1,000  labour     12348 hotline  城关镇   not accepted — reviewed late, on Mon 9 March 09:00
  B  8,000  neighbour  walk-in        城关镇   blue, people's mediation: resolved, agreement due 5 March, fulfilled
  C 20,000  debt       walk-in        东城街道 blue, people's mediation: resolved, agreement due 6 March, judicial
                                              confirmation applied for and granted, refused to perform: enforcement
  D  5,000  property   online         东城街道 blue, justice office: not resolved, referred to arbitration
  E  3,000  family     walk-in        城关镇   blue, people's mediation: resolved, agreement due 4 March, refused,
                                              advised to sue
  F    500  neighbour  grid           城关镇   accepted, not yet assessed
  G 100,000 land       walk-in        城关镇   yellow, assessed, waiting for dispatch
  H 250,000 demolition petition       东城街道 red, assessed, waiting for dispatch
Every step but A's review is done on 2 March; the follow-up visits on Mon 9 March at 09:00.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from engine import cases, messages, work
from engine.clock import SHANGHAI
from engine.models import Case, WorkItem
from tests.api.pipeline import ACCEPT, ACCEPT_DISPATCH, INTAKE, NOT_ACCEPTED, agreement, assessment, report, visit

REGISTERED = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
VISITS = datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI)
CASES = {  # name: (amount, dispute type, channel, place)
    "A": (1000, "labour", "hotline_12348", "城关镇幸福村3组"),
    "B": (8000, "neighbour", "walk_in", "城关镇幸福小区3栋"),
    "C": (20000, "debt", "walk_in", "和平县东城街道和平社区"),
    "D": (5000, "property_management", "online", "和平县东城街道光明小区"),
    "E": (3000, "family", "walk_in", "城关镇新华路12号"),
    "F": (500, "neighbour", "grid", "城关镇东风村"),
    "G": (100000, "land", "walk_in", "城关镇红旗村"),
    "H": (250000, "demolition", "referral_petition", "和平县东城街道拆迁片区"),
}


def _party(n: int) -> list[dict]:
    """Parties of their own for each case (no duplicate or repeat warnings between them)."""
    return [{"name": f"申请人{n}", "phone": f"1380000{n:04d}", "role": "applicant"},
            {"name": f"被申请人{n}", "phone": f"1390000{n:04d}", "role": "respondent"}]


class Builder:
    def __init__(self, rt, who):
        self.rt, self.who = rt, who

    def item(self, case_no: str, element: str) -> int:
        with self.rt.unit_of_work(write=False) as session:
            found = session.scalar(select(WorkItem.id).join(Case, Case.id == WorkItem.case_id).where(
                Case.case_no == case_no, WorkItem.element_id == element, WorkItem.state == "open"))
        assert found is not None, f"{element} is not open on {case_no}"
        return found

    def do(self, case_no: str, element: str, as_: str, data: dict) -> None:
        work.complete(self.rt, self.item(case_no, element), data, self.who(as_))


def build(rt, who, clock) -> dict[str, str]:
    """The cases above; returns name -> case number."""
    b, numbers = Builder(rt, who), {}
    clock.set(REGISTERED)
    for n, (name, (amount, kind, channel, place)) in enumerate(CASES.items(), start=1):
        intake = {**INTAKE, "amount": amount, "dispute_type": kind, "channel": channel, "place": place,
                  "title": f"案件{name}", "parties": _party(n)}
        numbers[name] = cases.start(rt, intake, who("center_clerk")).case_no
        clock.advance(timedelta(minutes=1))
    for name in "BCDEFGH":
        b.do(numbers[name], "review_acceptance", "center_clerk", ACCEPT)
    risks = {"G": "yellow", "H": "red"}
    for name in "BCDEGH":
        lead = "justice_office" if name == "D" else "people_mediation"
        b.do(numbers[name], "assess_case", "center_clerk", assessment(risk=risks.get(name, "blue"), lead=lead,
                                                                       cooperating=()))
    for name in "BCDE":
        lead = "justice_office" if name == "D" else "people_mediation"
        b.do(numbers[name], "dispatch", "center_head", {"instructions": "请于1个工作日内接单"})
        b.do(numbers[name], "accept_dispatch", f"{lead}_clerk", ACCEPT_DISPATCH)
    for name in "BCE":
        b.do(numbers[name], "resolve", "people_mediation_clerk", report("resolved"))
    b.do(numbers["D"], "resolve", "justice_office_clerk", report("not_resolved"))
    b.do(numbers["D"], "refer_onward", "center_clerk",
         {"route": "arbitration", "receiving_body": "县劳动人事争议仲裁委员会", "explanation": "引导申请仲裁",
          "notified_parties": True})
    deadlines = {"B": "2026-03-05", "C": "2026-03-06", "E": "2026-03-04"}
    for name in "BCE":
        b.do(numbers[name], "sign_agreement", "people_mediation_clerk",
             {**agreement(apply=name == "C"), "performance_deadline": deadlines[name]})
    b.do(numbers["C"], "submit_confirmation", "people_mediation_clerk",
         {"applied_on": "2026-03-02", "court_name": "县人民法院", "applicants": "申请人3、被申请人3"})
    messages.send(rt, numbers["C"], "judicial_decision", {"confirmed": True, "ruling_no": "（2026）确字第8号"},
                  who("court_clerk"))
    clock.set(VISITS)
    b.do(numbers["A"], "review_acceptance", "center_clerk", NOT_ACCEPTED)
    b.do(numbers["B"], "follow_up_visit", "people_mediation_clerk", visit("fulfilled"))
    b.do(numbers["C"], "follow_up_visit", "people_mediation_clerk", visit("refused"))
    b.do(numbers["C"], "apply_enforcement", "people_mediation_clerk",
         {"applied_on": "2026-03-09", "court_name": "县人民法院", "enforcement_case_no": "（2026）执字第3号"})
    b.do(numbers["E"], "follow_up_visit", "people_mediation_clerk", visit("refused"))
    b.do(numbers["E"], "advise_litigation", "people_mediation_clerk",
         {"advised_on": "2026-03-09", "advice": "告知申请人可向人民法院起诉"})
    return numbers
