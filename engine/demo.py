"""Demo data: one account per department and role, API tokens, and cases at different stages.

Every case is driven through the real services, exactly as staff would over the API.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlalchemy import func, select

from . import cases, settings, users, work
from .clock import ManualClock
from .errors import Conflict
from .models import Case, User, WorkItem
from .runtime import Runtime
from .schema import reference_data

DEMO_PASSWORD = "demo1234"

_PARTIES = [
    [{"name": "王建国", "id_number": "110101198001060018", "phone": "13800000001", "role": "applicant"},
     {"name": "李秀英", "id_number": "110101198502030028", "phone": "13800000002", "role": "respondent"}],
    [{"name": "陈志强", "id_number": "110101199003030036", "phone": "13800000003", "role": "applicant"},
     {"name": "宏达建筑劳务有限公司", "phone": "010-66000000", "role": "respondent"}],
    [{"name": "赵丽", "id_number": "110101197804040040", "phone": "13800000004", "role": "applicant"},
     {"name": "锦绣物业服务有限公司", "phone": "010-66000001", "role": "respondent"}],
    [{"name": "孙家村村民代表张福", "id_number": "110101196505090051", "phone": "13800000005",
      "role": "applicant"}, {"name": "城关镇人民政府", "role": "respondent"}],
    [{"name": "周敏", "id_number": "110101198806090062", "phone": "13800000006", "role": "applicant"},
     {"name": "吴刚", "id_number": "110101198707060079", "phone": "13800000007", "role": "respondent"}],
    [{"name": "郑华", "id_number": "110101199208100085", "phone": "13800000008", "role": "applicant"}],
]

_CASES = [
    ("walk_in", "neighbour", "楼上漏水致楼下受损", "楼上住户水管破裂，楼下天花板受损，赔偿协商未果。", 8000, {}),
    ("hotline_12348", "labour", "工地拖欠农民工工资", "12名工人被拖欠三个月工资。", 156000, {}),
    ("online", "property_management", "物业费与服务质量纠纷", "业主以服务不到位为由拒交物业费。", 4200, {}),
    ("grid", "land", "征地补偿款分配争议", "村民对征地补偿款分配方案有异议，多户聚集。", 2300000,
     {"mass_incident_risk": True}),
    ("walk_in", "family", "离婚后子女抚养费纠纷", "前夫未按约定支付抚养费。", 36000, {}),
    ("walk_in", "labour", "劳动合同解除补偿", "公司单方解除合同，未支付经济补偿。", 50000, {}),
]


# Cases registered some days ago and left lying, so the supervision ladder and the overdue board have
# something to show: the scheduler fires their due timers as soon as it starts.
_DAYS_AGO = {0: 10, 3: 4}


@dataclass
class DemoReport:
    cases: list[str] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)


def _ensure_users(rt: Runtime) -> list[tuple[str, str, str]]:
    """(username, role, department) of every demo account, creating the missing ones."""
    accounts = [(f"{d['id']}_{role}", role, d["id"], f"{d['name']}{'负责人' if role == 'head' else '经办人'}")
                for d in reference_data()["departments"] for role in ("clerk", "head")]
    accounts += [("supervisor", "supervisor", "center", "中心督办员"), ("designer", "designer", "center", "流程设计员"),
                 ("admin", "admin", "center", "系统管理员")]
    with rt.unit_of_work(write=False) as session:
        existing = set(session.scalars(select(User.username)))
    for username, role, department, name in accounts:
        if username not in existing:
            try:
                users.create_user(rt, username=username, display_name=name, role=role,
                                  department_id=department, password=DEMO_PASSWORD)
            except Conflict:
                pass
    return [(u, r, d) for u, r, d, _ in accounts]


def _complete(rt: Runtime, case_no: str, element: str, username: str, data: dict) -> None:
    actor = _actor(rt, username)
    with rt.unit_of_work(write=False) as session:
        item_id = session.scalar(select(WorkItem.id).join(Case, Case.id == WorkItem.case_id).where(
            Case.case_no == case_no, WorkItem.element_id == element, WorkItem.state == "open",
            WorkItem.department_id == actor.department_id).limit(1))
    work.complete(rt, item_id, data, actor)


def _actor(rt: Runtime, username: str) -> users.Actor:
    with rt.unit_of_work(write=False) as session:
        return users.Actor.of(session.scalar(select(User).where(User.username == username)))


def _assessment(risk, lead, cooperating):
    return {"risk": risk, "risk_reason": "联席研判确认", "handling_level": "township", "lead_department": lead,
            "cooperating_departments": cooperating, "assessment_notes": "按职责分流"}


_DISPATCH = {"instructions": "请按时接单，及时联系双方当事人开展调解"}


_ACCEPT = {"decision": "accept", "contact_person": "值班调解员", "contact_phone": "13900000000"}


def _advance(rt: Runtime, index: int, case_no: str) -> None:
    """Move the index-th demo case to a different stage each (the last one waits for the court)."""
    if index == 0:
        return  # waits at the intake window
    _complete(rt, case_no, "review_acceptance", "center_clerk", {"accepted": True})
    if index == 1:
        return  # waits for joint assessment
    plans = {2: ("yellow", "housing", ["people_mediation"]), 3: ("red", "people_mediation", ["petition"]),
             4: ("blue", "womens_federation", []), 5: ("blue", "labour", [])}
    risk, lead, cooperating = plans[index]
    _complete(rt, case_no, "assess_case", "center_clerk", _assessment(risk, lead, cooperating))
    _complete(rt, case_no, "dispatch", "center_head", _DISPATCH)
    if index == 2:
        return  # waits for the departments to accept
    for department in [lead, *cooperating]:
        _complete(rt, case_no, "accept_dispatch", f"{department}_clerk", _ACCEPT)
    if index == 3:
        return  # being resolved and stabilised
    if index == 5:
        _to_the_court(rt, case_no, lead)
        return  # the parties applied for judicial confirmation: waits for the court's acceptance
    _complete(rt, case_no, "resolve", f"{lead}_clerk", {
        "sessions": [{"date": "2026-03-05", "place": "妇联调解室", "summary": "双方当面协商"}],
        "outcome": "resolved", "summary": "约定每月支付抚养费1500元", "obstacles": ""})
    _complete(rt, case_no, "sign_agreement", f"{lead}_clerk", {
        "agreement_no": "调字〔2026〕第1号", "terms": "每月5日前支付抚养费1500元", "signed_on": "2026-03-10",
        "performance_deadline": "2026-12-31", "apply_judicial_confirmation": False})


def _to_the_court(rt: Runtime, case_no: str, lead: str) -> None:
    """Resolved and signed, and the parties apply to the court for judicial confirmation."""
    _complete(rt, case_no, "resolve", f"{lead}_clerk", {
        "sessions": [{"date": "2026-03-05", "place": "劳动争议调解室", "summary": "双方就经济补偿数额协商"}],
        "outcome": "resolved", "summary": "公司支付经济补偿4万元", "obstacles": ""})
    _complete(rt, case_no, "sign_agreement", f"{lead}_clerk", {
        "agreement_no": "劳调字〔2026〕第3号", "terms": "公司于30日内一次性支付经济补偿4万元",
        "signed_on": "2026-03-10", "performance_deadline": "2026-04-10", "apply_judicial_confirmation": True})
    _complete(rt, case_no, "submit_confirmation", f"{lead}_clerk", {
        "applied_on": "2026-03-11", "court_name": "县人民法院", "applicants": "郑华及用人单位"})


DEMO_CASES = "demo_cases"  # setting: the case numbers the demo registered, as a JSON list
DEMO_TOKEN = "demo"  # the name of the demo accounts' API tokens


def _demo_cases(rt: Runtime) -> list[str]:
    try:
        numbers = json.loads(settings.get(rt, DEMO_CASES, "[]") or "[]")
    except ValueError:
        return []
    return [n for n in numbers if isinstance(n, str)] if isinstance(numbers, list) else []


def load_demo(rt: Runtime) -> DemoReport:
    """Create the demo accounts and, on an empty database, the demo cases; print-ready logins. Run again, it
    adds nothing: the cases it reports are the ones it registered (not whatever else the database holds), and an
    account that still has a valid demo token keeps it rather than getting a new one each start."""
    report = DemoReport()
    accounts = _ensure_users(rt)
    with rt.unit_of_work(write=False) as session:
        has_cases = session.scalar(select(func.count()).select_from(Case)) > 0
    if not has_cases:
        clerk = _actor(rt, "center_clerk")
        for index, (channel, dispute_type, title, description, amount, flags) in enumerate(_CASES):
            case_rt = rt
            if index in _DAYS_AGO:
                case_rt = replace(rt, clock=ManualClock(rt.clock.now() - timedelta(days=_DAYS_AGO[index])))
            started = cases.start(case_rt, {
                "channel": channel, "dispute_type": dispute_type, "title": title, "description": description,
                "place": "城关镇", "amount": amount, "parties": _PARTIES[index],
                "flags": {"mass_incident_risk": False, "petition_risk": False, "criminal_risk": False, **flags},
            }, clerk)
            _advance(case_rt, index, started.case_no)
            report.cases.append(started.case_no)
        settings.put(rt, DEMO_CASES, json.dumps(report.cases))
    else:
        report.cases = _demo_cases(rt)
    for username, role, department in accounts:
        if DEMO_TOKEN in users.valid_token_names(rt, username):
            shown = "API token: issued earlier (a new one: yizhan token create " + username + " --name ...)"
        else:
            shown = f"API token: {users.issue_token(rt, username, DEMO_TOKEN)}"
        report.logins.append(f"{username:<26} {role:<10} {department:<18} {shown}")
    return report
