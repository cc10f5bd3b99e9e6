"""The shipped templates, built with python-docx when first asked for, so no binary file is kept in the
repository. Each is an ordinary .docx with docxtpl fields ({{ case_no }}, {%p for p in parties %}), the same
kind of file an administrator uploads to replace it."""
from __future__ import annotations

import functools
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

FONT = "宋体"
_PARTY = "{{ p.role }}：{{ p.name }}，身份证号：{{ p.id_number }}，联系电话：{{ p.phone }}，住址：{{ p.address }}"
_APPLICANT = "申请人：{{ p.name }}，身份证号：{{ p.id_number }}，联系电话：{{ p.phone }}，住址：{{ p.address }}"
_LOOP = "{%p for p in parties %}"
_END = "{%p endfor %}"

# (style, text): title, number (centred under the title), body, right (aligned right), blank.
_LAYOUTS: dict[str, list[tuple[str, str]]] = {
    "acceptance_notice": [
        ("title", "受理通知书"), ("number", "案号：{{ case_no }}"),
        ("body", "{% for p in applicants %}{{ p.name }}{% if not loop.last %}、{% endif %}{% endfor %}："),
        ("body", "你（们）于{{ registered_on }}申请调解的“{{ title }}”（{{ dispute_type }}）纠纷，"
                 "经审查，符合受理条件，"
                 "本中心决定自{{ accepted_on }}起受理，并将依法组织调解。"),
        ("body", "请保持联系方式畅通，按通知时间参加调解。{{ remarks }}"),
        ("blank", ""), ("right", "{{ centre }}（盖章）"), ("right", "{{ today }}")],
    "rejection_notice": [
        ("title", "不予受理告知书"), ("number", "案号：{{ case_no }}"),
        ("body", "{% for p in applicants %}{{ p.name }}{% if not loop.last %}、{% endif %}{% endfor %}："),
        ("body", "你（们）于{{ registered_on }}申请调解的“{{ title }}”纠纷，"
                 "经{{ reviewed_on }}审查，本中心决定不予受理。"),
        ("body", "理由：{{ reason }}"),
        ("body", "你（们）可以通过以下渠道解决：{{ advised_channel }}。"),
        ("blank", ""), ("right", "{{ centre }}（盖章）"), ("right", "{{ today }}")],
    "agreement": [
        ("title", "人民调解协议书"), ("number", "{{ agreement_no }}　　案号：{{ case_no }}"),
        ("heading", "当事人"), ("body", _LOOP), ("body", _PARTY), ("body", _END),
        ("heading", "纠纷简要情况"), ("body", "{{ facts }}"),
        ("body", "涉及金额：{{ amount }}（{{ amount_upper }}）"),
        ("body", "{%p if mediation_summary %}"), ("body", "调解经过：{{ mediation_summary }}"),
        ("body", "{%p endif %}"),
        ("heading", "经调解，双方当事人自愿达成如下协议"), ("body", "{{ terms }}"),
        ("body", "{%p if agreed_amount %}"),
        ("body", "协议金额：{{ agreed_amount_upper }}（{{ agreed_amount }}）。"),
        ("body", "{%p endif %}"),
        ("heading", "履行方式、时限"),
        ("body", "{%p for s in schedule %}"),
        ("body", "{{ loop.index }}. {{ s.due_on }}前：{{ s.content }} {{ s.amount_upper }}（{{ s.amount }}）"),
        ("body", "{%p endfor %}"),
        ("body", "全部义务于{{ performance_deadline }}前履行完毕。"),
        ("body", "本协议自各方当事人签名（盖章或按指印）、调解员签名并加盖调解组织印章之日起生效。本协议一式三份，"
                 "双方当事人、调解组织各持一份。"),
        ("blank", ""), ("body", _LOOP), ("body", "{{ p.role }}（签名、按指印）：______________"), ("body", _END),
        ("body", "调解员（签名）：{{ mediator }}　　______________"),
        ("right", "{{ mediation_organisation }}（印章）"), ("right", "{{ signed_on }}")],
    "confirmation_application": [
        ("title", "司法确认申请书"),
        ("heading", "申请人"), ("body", _LOOP), ("body", _APPLICANT), ("body", _END),
        ("heading", "请求事项"), ("body", "{{ request }}"),
        ("heading", "事实与理由"),
        ("body", "申请人因“{{ title }}”纠纷，于{{ signed_on }}经{{ mediation_organisation }}主持调解"
                 "（调解员：{{ mediator }}），"
                 "达成调解协议（{{ agreement_no }}），协议内容如下："),
        ("body", "{{ terms }}"), ("body", "{%p if agreed_amount %}"),
        ("body", "协议金额：{{ agreed_amount_upper }}（{{ agreed_amount }}）。"), ("body", "{%p endif %}"),
        ("body", "申请人出于解决纠纷的目的自愿达成协议，没有恶意串通、规避法律的行为；"
                 "如果因为该协议内容而给他人造成损害的，"
                 "愿意承担相应的民事责任和其他法律责任。"),
        ("body", "此致"), ("body", "{{ court }}"),
        ("body", "附：调解协议书一份；申请人身份证明材料。"),
        ("blank", ""), ("body", _LOOP), ("body", "申请人（签名）：{{ p.name }}　　______________"), ("body", _END),
        ("right", "{{ applied_on or today }}")],
    "supervision_notice": [
        ("title", "督办通知书"), ("number", "{{ notice_no }}"),
        ("body", "{{ supervised_department }}："),
        ("body", "案件{{ case_no }}（{{ title }}）的“{{ supervised_task }}”事项，"
                 "办理期限为{{ task_due }}。{{ reason }}，"
                 "现予督办。"),
        ("body", "请于{{ reply_due }}前办结并书面回复办理情况及承诺办结日期。"),
        ("blank", ""), ("right", "{{ centre }}（盖章）"), ("right", "{{ issued_on }}")],
    "follow_up_record": [
        ("title", "回访记录"), ("number", "案号：{{ case_no }}　　协议编号：{{ agreement_no }}"),
        ("body", "纠纷概要：{{ title }}"), ("body", "回访日期：{{ visited_on }}　　回访人：{{ visitor }}"),
        ("heading", "回访对象"), ("body", _LOOP), ("body", "{{ p.role }}：{{ p.name }}，联系电话：{{ p.phone }}"),
        ("body", _END),
        ("body", "履行情况：{{ performance }}"), ("heading", "回访情况"), ("body", "{{ notes }}"),
        ("blank", ""), ("body", "回访人（签名）：______________"), ("body", "被回访人（签名）：______________"),
        ("right", "{{ department }}"), ("right", "{{ today }}")],
}


def _font(run, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    properties = run._element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    # marked as Chinese (mainland), so a converter without 宋体 falls back on a Simplified Chinese face
    language = OxmlElement("w:lang")
    language.set(qn("w:eastAsia"), "zh-CN")
    properties.append(language)


def build(kind: str) -> bytes:
    """The shipped template of `kind` as .docx bytes."""
    document = Document()
    for style, text in _LAYOUTS[kind]:
        paragraph = document.add_paragraph()
        if style in ("title", "number"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif style == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if text:
            _font(paragraph.add_run(text), {"title": 22, "heading": 14}.get(style, 12),
                  bold=style in ("title", "heading"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def default_template(kind: str) -> bytes:
    return build(kind)
