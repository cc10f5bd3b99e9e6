"""The documents of a case: generated from its data as .docx, kept with who and when, templates replaced by an
administrator (and refused when they name a field the kind has not got), the whole case file as one .zip."""
from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from sqlalchemy import select

from engine import documents
from engine.casefile import records
from engine.errors import Conflict, Forbidden, Invalid, NotFound
from engine.models import AuditEvent
from tests.api.conftest import Api
from tests.api.pipeline import (
    INTAKE,
    accept_and_assess,
    agreement,
    complete,
    register,
    report,
    through_referral,
)

PARTIES = [
    {"name": "王建国", "id_number": "110101198001060018", "phone": "13800000001", "role": "applicant",
     "address": "城关镇幸福小区3栋501室"},
    {"name": "李秀英", "id_number": "110101198502030028", "phone": "13800000002", "role": "respondent",
     "address": "城关镇幸福小区3栋601室"},
]
AGREEMENT = {**agreement(apply=False), "agreed_amount": 12345.67,
             "performance_schedule": [{"due_on": "2026-03-20", "amount": 6000, "content": "支付第一期修缮费用"},
                          {"due_on": "2026-04-10", "amount": 6345.67, "content": "支付第二期修缮费用"}]}


@pytest.fixture
def api(app, staff) -> Api:
    return Api(app.test_client(), staff)


def _signed_case(api) -> str:
    case_no = register(api, parties=PARTIES)["case_no"]
    accept_and_assess(api, case_no, cooperating=())
    through_referral(api, case_no, cooperating=())
    complete(api, case_no, "resolve", "people_mediation_clerk", report())
    complete(api, case_no, "sign_agreement", "people_mediation_clerk", AGREEMENT)
    return case_no


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _template(*lines: str) -> bytes:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_mediation_agreement_names_the_parties_terms_and_the_amount_in_capitals(rt, api, who):
    case_no = _signed_case(api)
    clerk = who("people_mediation_clerk")
    made = documents.generate(rt, case_no, "agreement", clerk)
    assert made.title == "调解协议书" and made.number == "调字〔2026〕第15号" and made.generated_by

    text = _text(documents.download(rt, case_no, made.id, clerk).content)
    assert "王建国" in text and "李秀英" in text
    assert "110101198001060018" in text and "13800000002" in text and "城关镇幸福小区3栋601室" in text
    assert "楼上住户赔偿修缮费用6000元，分两期支付" in text
    assert "人民币壹万贰仟叁佰肆拾伍元陆角柒分" in text and "12,345.67元" in text
    assert "2026年3月20日前：支付第一期修缮费用 人民币陆仟元整" in text
    assert "2026年4月10日" in text and "2026年3月10日" in text  # the schedule's end and the signing, as written
    assert "人民币捌仟元整" in text  # the amount at stake registered at intake
    assert "调解员（签名）：people_mediation_clerk" in text and "人民调解委员会（印章）" in text


def test_each_generated_document_is_listed_with_who_and_when_and_audited(rt, api, who, clock):
    case_no = _signed_case(api)
    clerk = who("people_mediation_clerk")
    documents.generate(rt, case_no, "acceptance_notice", clerk)
    documents.generate(rt, case_no, "agreement", clerk)
    listed = documents.list_documents(rt, case_no, who("supervisor"))
    assert [d.title for d in listed.documents] == ["受理通知书", "调解协议书"]
    assert {d.generated_by for d in listed.documents} == {"people_mediation_clerk"}
    assert listed.documents[0].generated_at == clock.now()
    with rt.unit_of_work(write=False) as session:
        kinds = session.scalars(select(AuditEvent.summary).where(AuditEvent.kind == "document_generated")).all()
    assert kinds == ["出具受理通知书", "出具调解协议书（调字〔2026〕第15号）"]


def test_the_acceptance_notice_and_its_refusal_follow_the_review(rt, api, who):
    accepted = register(api)["case_no"]
    complete(api, accepted, "review_acceptance", "center_clerk", {"accepted": True})
    clerk = who("center_clerk")
    text = _text(documents.download(rt, accepted, documents.generate(rt, accepted, "acceptance_notice", clerk).id,
                                    clerk).content)
    assert f"案号：{accepted}" in text and "2026年3月2日起受理" in text
    with pytest.raises(Conflict, match="不予受理"):
        documents.generate(rt, accepted, "rejection_notice", clerk)

    refused = register(api)["case_no"]
    complete(api, refused, "review_acceptance", "center_clerk",
             {"accepted": False, "not_accepted_reason": "属于劳动争议", "advised_channel": "labour_arbitration"})
    text = _text(documents.download(rt, refused, documents.generate(rt, refused, "rejection_notice", clerk).id,
                                    clerk).content)
    assert "属于劳动争议" in text and "申请劳动仲裁" in text


def test_a_document_the_case_has_not_reached_is_refused_saying_why(rt, api, who):
    case_no = register(api)["case_no"]
    with pytest.raises(Conflict, match="尚未签订调解协议"):
        documents.generate(rt, case_no, "agreement", who("center_clerk"))
    assert documents.list_documents(rt, case_no, who("center_clerk")).available == []


def test_a_replaced_template_is_used_for_the_next_document(rt, api, who):
    case_no = _signed_case(api)
    admin, clerk = who("admin"), who("people_mediation_clerk")
    first = documents.generate(rt, case_no, "agreement", clerk)
    documents.replace_template(rt, "agreement", "本中心协议书.docx",
                               _template("本中心调解协议 {{ case_no }}", "金额：{{ agreed_amount_upper }}",
                                         "{%p for p in parties %}", "当事人 {{ p.name }}", "{%p endfor %}"), admin)
    second = documents.generate(rt, case_no, "agreement", clerk)
    text = _text(documents.download(rt, case_no, second.id, clerk).content)
    assert text.splitlines() == [f"本中心调解协议 {case_no}", "金额：人民币壹万贰仟叁佰肆拾伍元陆角柒分",
                                 "当事人 王建国", "当事人 李秀英"]
    assert "人民调解协议书" in _text(documents.download(rt, case_no, first.id, clerk).content)  # kept as issued
    assert [t.replaced for t in documents.list_templates(rt, admin) if t.kind == "agreement"] == [True]

    documents.revert_template(rt, "agreement", admin)
    third = documents.generate(rt, case_no, "agreement", clerk)
    assert "人民调解协议书" in _text(documents.download(rt, case_no, third.id, clerk).content)


def test_a_template_with_an_unknown_field_is_refused_naming_the_field(rt, who):
    admin = who("admin")
    with pytest.raises(Invalid, match="bogus_field") as refused:
        documents.replace_template(rt, "agreement", "x.docx", _template("{{ case_no }} {{ bogus_field }}"), admin)
    assert refused.value.details["unknown_fields"] == ["bogus_field"]
    assert not any(t.replaced for t in documents.list_templates(rt, admin))
    with pytest.raises(Invalid, match="字段写法有误"):
        documents.replace_template(rt, "agreement", "x.docx", _template("{{ case_no "), admin)
    with pytest.raises(Invalid, match=r"\.docx"):
        documents.replace_template(rt, "agreement", "x.docx", b"not a docx", admin)


def test_a_template_cannot_reach_into_python(rt, api, who):
    admin = who("admin")
    with pytest.raises(Invalid):
        documents.replace_template(rt, "agreement", "x.docx",
                                   _template("{{ case_no.__class__.__mro__[1].__subclasses__() }}"), admin)


def test_only_administrators_replace_templates_and_strangers_get_no_documents(rt, api, who):
    case_no = _signed_case(api)
    with pytest.raises(Forbidden):
        documents.replace_template(rt, "agreement", "x.docx", _template("{{ case_no }}"), who("center_head"))
    with pytest.raises(Forbidden):
        documents.generate(rt, case_no, "agreement", who("housing_clerk"))
    made = documents.generate(rt, case_no, "agreement", who("people_mediation_clerk"))
    with pytest.raises(Forbidden):
        documents.download(rt, case_no, made.id, who("housing_clerk"))
    with pytest.raises(Forbidden):
        documents.case_file_zip(rt, case_no, who("housing_clerk"))
    with pytest.raises(Forbidden):
        documents.generate(rt, case_no, "agreement", who("designer"))


def test_the_case_file_zip_holds_documents_timeline_and_attachments(rt, api, who):
    case_no = _signed_case(api)
    clerk = who("people_mediation_clerk")
    documents.generate(rt, case_no, "acceptance_notice", clerk)
    made = documents.generate(rt, case_no, "agreement", clerk)
    records.add_attachment(rt, case_no, "现场照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, clerk)
    bundle = documents.case_file_zip(rt, case_no, who("supervisor"))
    assert bundle.filename == f"卷宗-{case_no}.zip"
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    names = set(archive.namelist())
    assert {f"文书/{made.filename}", "时间线.html", "附件清单.txt", "附件/现场照片.png"} <= names
    assert len([n for n in names if n.startswith("文书/") and n.endswith(".docx")]) == 2
    assert "签订调解协议" in archive.read("时间线.html").decode("utf-8")
    assert "现场照片.png" in archive.read("附件清单.txt").decode("utf-8")
    assert "人民币壹万贰仟叁佰肆拾伍元陆角柒分" in _text(archive.read(f"文书/{made.filename}"))


def test_the_intake_keeps_a_partys_address_for_the_documents(rt, register):
    case = register(parties=[{**INTAKE["parties"][0], "address": "城关镇幸福小区3栋501室"}])
    from engine.models import Case, CaseParty
    with rt.unit_of_work(write=False) as session:
        case_id = session.scalar(select(Case.id).where(Case.case_no == case.case_no))
        assert session.scalar(select(CaseParty.address).where(CaseParty.case_id == case_id)) == "城关镇幸福小区3栋501室"


def test_the_supervision_notice_carries_its_number_the_task_and_the_reply_deadline(rt, api, who, clock):
    from datetime import timedelta

    from engine import timer_firing
    from tests.api.pipeline import item
    case_no = register(api)["case_no"]
    clock.advance(timedelta(days=3))
    timer_firing.fire_due(rt)
    notice = item(api, case_no, "review_acceptance_notice", "center_head")
    made = documents.generate(rt, case_no, "supervision_notice", who("supervisor"))
    assert made.number == notice["notice_no"] and made.number.startswith("督办〔2026〕第")
    text = _text(documents.download(rt, case_no, made.id, who("supervisor")).content)
    assert notice["notice_no"] in text and "“受理审查”事项" in text and "矛调中心" in text
    assert "办理期限为2026年3月3日" in text  # the review was due at the close of the next working day


def test_the_follow_up_record_says_how_the_agreement_is_performed(rt, api, who):
    from tests.api.pipeline import visit
    case_no = _signed_case(api)
    complete(api, case_no, "follow_up_visit", "people_mediation_clerk", visit("in_progress"))
    clerk = who("people_mediation_clerk")
    text = _text(documents.download(rt, case_no, documents.generate(rt, case_no, "follow_up_record", clerk).id,
                                    clerk).content)
    assert "回访日期：2026年4月12日" in text and "履行情况：正在履行" in text and "调字〔2026〕第15号" in text


def test_a_pdf_copy_is_made_only_where_libreoffice_is_installed(rt, api, who):
    from engine.documents.pdf import converter
    case_no = _signed_case(api)
    clerk = who("people_mediation_clerk")
    made = documents.generate(rt, case_no, "agreement", clerk)
    assert made.has_pdf == (converter() is not None)
    if made.has_pdf:
        assert documents.download(rt, case_no, made.id, clerk, as_pdf=True).content.startswith(b"%PDF-")
    else:
        with pytest.raises(NotFound):
            documents.download(rt, case_no, made.id, clerk, as_pdf=True)
