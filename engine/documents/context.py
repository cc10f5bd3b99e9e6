"""What a document says, gathered from the case: its registration, parties and the forms completed on it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import FormRegistry

from ..casefile.parties import mask_id_number
from ..clock import local
from ..errors import Conflict
from ..models import AuditEvent, Case, CaseParty, Department, User, WorkItem
from ..permissions import CENTRE
from .amounts import chinese_date, rmb_upper, yuan_figures
from .kinds import KINDS

# The fields the 受理通知书 and the others read, as the forms give them.
_REVIEW, _AGREEMENT, _CONFIRMATION, _VISIT, _REPORT = (
    "intake_review", "agreement", "confirmation_application", "follow_up_visit", "resolution_report")


def _label(forms: FormRegistry, form_key: str, field_path: str, value) -> str:
    try:
        prop = forms.get(form_key)
        for name in field_path.split("."):
            prop = prop["properties"][name]
            if prop.get("type") == "array":
                prop = prop["items"]
    except (KeyError, LookupError):
        return str(value or "")
    return prop.get("x-enum-labels", {}).get(value, str(value or ""))


def _latest(session: Session, case_id: int, form_key: str) -> tuple[WorkItem | None, dict]:
    item = session.scalar(select(WorkItem).where(WorkItem.case_id == case_id, WorkItem.form_key == form_key,
                                                 WorkItem.state == "completed")
                          .order_by(WorkItem.completed_at.desc(), WorkItem.id.desc()).limit(1))
    return item, dict(item.submitted or {}) if item is not None else {}


def _name_of(session: Session, user_id: int | None) -> str:
    return session.scalar(select(User.display_name).where(User.id == user_id)) or "" if user_id else ""


def _money(amount) -> tuple[str, str]:
    if amount in (None, ""):
        return "", ""
    return yuan_figures(amount), rmb_upper(amount)


def _common(session: Session, forms: FormRegistry, case: Case, now, generated_by: str, full_ids: bool) -> dict:
    started = session.scalar(select(AuditEvent.data).where(AuditEvent.case_id == case.id,
                                                           AuditEvent.kind == "case_started").limit(1)) or {}
    parties = []
    for row in session.scalars(select(CaseParty).where(CaseParty.case_id == case.id).order_by(CaseParty.id)):
        parties.append({"name": row.name, "id_number": (row.id_number if full_ids else mask_id_number(row.id_number))
                        or "", "phone": row.phone or "", "address": row.address or "",
                        "role": _label(forms, "intake_registration", "parties.role", row.role), "_role": row.role})
    departments = dict(session.execute(select(Department.id, Department.name)).all())
    amount, amount_upper = _money(started.get("amount"))
    return {
        "case_no": case.case_no, "title": case.title, "description": started.get("description", ""),
        "dispute_type": _label(forms, "intake_registration", "dispute_type", case.dispute_type),
        "channel": _label(forms, "intake_registration", "channel", case.channel),
        "place": started.get("place", "") or "", "amount": amount, "amount_upper": amount_upper,
        "registered_on": chinese_date(local(case.created_at)), "today": chinese_date(local(now)),
        "parties": [{k: v for k, v in p.items() if k != "_role"} for p in parties],
        "applicants": [{k: v for k, v in p.items() if k != "_role"} for p in parties if p["_role"] == "applicant"],
        "respondents": [{k: v for k, v in p.items() if k != "_role"} for p in parties if p["_role"] == "respondent"],
        "centre": departments.get(CENTRE, "矛盾纠纷调处中心"),
        "department": departments.get(case.lead_department_id or CENTRE, ""), "generated_by": generated_by,
    }


def _agreement(session: Session, case: Case, forms: FormRegistry) -> dict:
    item, data = _latest(session, case.id, _AGREEMENT)
    if item is None:
        return {}
    agreed, agreed_upper = _money(data.get("agreed_amount"))
    schedule = []
    for step in data.get("performance_schedule") or []:
        figures, upper = _money(step.get("amount"))
        schedule.append({"due_on": chinese_date(step.get("due_on")), "amount": figures, "amount_upper": upper,
                         "content": step.get("content", "")})
    _, report = _latest(session, case.id, _REPORT)
    departments = dict(session.execute(select(Department.id, Department.name)).all())
    return {"agreement_no": data.get("agreement_no", ""), "signed_on": chinese_date(data.get("signed_on")),
            "terms": data.get("terms", ""), "agreed_amount": agreed, "agreed_amount_upper": agreed_upper,
            "schedule": schedule, "performance_deadline": chinese_date(data.get("performance_deadline")),
            "mediator": _name_of(session, item.completed_by_id),
            "mediation_organisation": departments.get(item.department_id, ""),
            "mediation_summary": report.get("summary", "")}


def kind_fields(session: Session, forms: FormRegistry, case: Case, kind: str) -> tuple[dict, str | None]:
    """The fields of one kind of document for `case`, and the document's number if it has one;
    Conflict naming what is missing when the case has not got that far."""
    needs = KINDS[kind].needs
    if kind in ("acceptance_notice", "rejection_notice"):
        item, data = _latest(session, case.id, _REVIEW)
        if item is None or bool(data.get("accepted")) != (kind == "acceptance_notice"):
            raise Conflict(needs)
        on = chinese_date(local(item.completed_at))
        if kind == "acceptance_notice":
            return {"accepted_on": on, "remarks": data.get("remarks", "")}, None
        return {"reviewed_on": on, "reason": data.get("not_accepted_reason", ""),
                "advised_channel": _label(forms, _REVIEW, "advised_channel", data.get("advised_channel"))}, None
    if kind == "agreement":
        fields = _agreement(session, case, forms)
        if not fields:
            raise Conflict(needs)
        return {**fields, "facts": ""}, fields["agreement_no"] or None
    if kind == "confirmation_application":
        fields = _agreement(session, case, forms)
        if not fields:
            raise Conflict(needs)
        _, applied = _latest(session, case.id, _CONFIRMATION)
        request = ("请求人民法院依法确认申请人于{signed}在{org}主持下达成的调解协议（{no}）有效。"
                   .format(signed=fields["signed_on"], org=fields["mediation_organisation"],
                           no=fields["agreement_no"]))
        keep = ("agreement_no", "signed_on", "terms", "agreed_amount", "agreed_amount_upper",
                "mediation_organisation", "mediator")
        return {**{k: fields[k] for k in keep}, "court": applied.get("court_name") or "＿＿＿＿＿＿人民法院",
                "applied_on": chinese_date(applied.get("applied_on")), "request": request}, None
    if kind == "supervision_notice":
        notice = session.scalar(select(WorkItem).where(WorkItem.case_id == case.id, WorkItem.notice_no.is_not(None))
                                .order_by(WorkItem.created_at.desc(), WorkItem.id.desc()).limit(1))
        if notice is None:
            raise Conflict(needs)
        subject = session.get(WorkItem, notice.subject_item_id) if notice.subject_item_id else None
        departments = dict(session.execute(select(Department.id, Department.name)).all())
        supervised = subject or notice
        return {"notice_no": notice.notice_no, "issued_on": chinese_date(local(notice.created_at)),
                "supervised_task": supervised.title.removeprefix("督办件："),
                "supervised_department": departments.get(supervised.department_id, supervised.department_id),
                "task_due": chinese_date(local(subject.due_at)) if subject and subject.due_at else "",
                "reply_due": chinese_date(local(notice.due_at)) if notice.due_at else "",
                "reason": f"“{supervised.title.removeprefix('督办件：')}”已超过办理期限未办结"}, notice.notice_no
    if kind == "follow_up_record":
        item, data = _latest(session, case.id, _VISIT)
        if item is None:
            raise Conflict(needs)
        _, agreed = _latest(session, case.id, _AGREEMENT)
        return {"visited_on": chinese_date(data.get("visited_on")),
                "performance": _label(forms, _VISIT, "performance", data.get("performance")),
                "notes": data.get("notes", ""), "visitor": _name_of(session, item.completed_by_id),
                "agreement_no": agreed.get("agreement_no", "")}, None
    raise Conflict(needs)


def document_context(session: Session, forms: FormRegistry, case: Case, kind: str, now, generated_by: str,
                     full_ids: bool) -> tuple[dict, str | None]:
    """Every field a template of `kind` may use, filled from the case; and the document's number."""
    common = _common(session, forms, case, now, generated_by, full_ids)
    fields, number = kind_fields(session, forms, case, kind)
    if "facts" in fields:
        fields["facts"] = common["description"]
    return {**common, **fields}, number
