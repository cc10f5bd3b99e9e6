"""The kinds of document a case gives, each with its Chinese title and the fields its template may use."""
from __future__ import annotations

from dataclasses import dataclass

PARTY_FIELDS = ("name", "id_number", "phone", "address", "role")
SCHEDULE_FIELDS = ("due_on", "amount", "amount_upper", "content")

# Every template may use these; the list of parties is a list of dicts with PARTY_FIELDS.
COMMON_FIELDS = {
    "case_no": "案件编号", "title": "纠纷概要", "dispute_type": "纠纷类型", "channel": "来源渠道",
    "description": "纠纷事实", "place": "发生地点", "amount": "涉及金额（小写）",
    "amount_upper": "涉及金额（大写）", "registered_on": "登记日期",
    "today": "出具日期",
    "parties": "全部当事人（列表，每人有姓名、身份证号、电话、住址、身份）",
    "applicants": "申请人（列表，字段同上）", "respondents": "被申请人（列表，字段同上）",
    "centre": "矛调中心名称", "department": "承办部门名称", "generated_by": "出具人",
}


@dataclass(frozen=True)
class Kind:
    key: str
    title: str  # the document's name, in Chinese as printed
    fields: dict[str, str]  # the fields of this kind beside COMMON_FIELDS, with what each holds
    needs: str  # what the case must have for it, said to whoever asks too early

    def all_fields(self) -> dict[str, str]:
        return {**COMMON_FIELDS, **self.fields}


KINDS: dict[str, Kind] = {kind.key: kind for kind in (
    Kind("acceptance_notice", "受理通知书", {
        "accepted_on": "受理日期", "remarks": "受理审查备注"}, "案件尚未决定受理，不能出具受理通知书"),
    Kind("rejection_notice", "不予受理告知书", {
        "reviewed_on": "审查日期", "reason": "不予受理理由", "advised_channel": "告知的渠道"},
        "案件未被决定不予受理，不能出具不予受理告知书"),
    Kind("agreement", "调解协议书", {
        "agreement_no": "协议编号", "signed_on": "签订日期", "facts": "纠纷事实", "terms": "协议内容",
        "agreed_amount": "协议金额（小写）", "agreed_amount_upper": "协议金额（大写）",
        "schedule": "履行安排（列表，每项有履行日期、金额小写、金额大写、内容）",
        "performance_deadline": "履行期限", "mediator": "调解员", "mediation_organisation": "调解组织",
        "mediation_summary": "调解经过"}, "案件尚未签订调解协议，不能出具调解协议书"),
    Kind("confirmation_application", "司法确认申请书", {
        "court": "受理法院", "applied_on": "申请日期", "agreement_no": "协议编号", "signed_on": "协议签订日期",
        "terms": "协议内容", "agreed_amount": "协议金额（小写）", "agreed_amount_upper": "协议金额（大写）",
        "mediation_organisation": "调解组织", "mediator": "调解员", "request": "请求事项"},
        "案件尚未签订调解协议，不能出具司法确认申请书"),
    Kind("supervision_notice", "督办通知书", {
        "notice_no": "督办编号", "issued_on": "督办日期", "supervised_task": "被督办事项",
        "supervised_department": "承办部门", "task_due": "原办理期限", "reply_due": "回复期限",
        "reason": "督办事由"}, "案件没有督办件，不能出具督办通知书"),
    Kind("follow_up_record", "回访记录", {
        "visited_on": "回访日期", "performance": "履行情况", "notes": "回访情况", "visitor": "回访人",
        "agreement_no": "协议编号"}, "案件尚无回访，不能出具回访记录"),
)}
