"""The documents on the case file page and the templates page: generate, list, download, replace, in both
languages; strangers refused."""
from __future__ import annotations

import io
import zipfile

from docx import Document

from tests.api.pipeline import complete, register


def _accepted(api) -> str:
    case_no = register(api)["case_no"]
    complete(api, case_no, "review_acceptance", "center_clerk", {"accepted": True})
    return case_no


def _docx(*lines: str) -> bytes:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_clerk_generates_a_document_from_the_case_page_and_sees_it_listed(staff_as, api):
    case_no = _accepted(api)
    clerk = staff_as("center_clerk")
    page = clerk.get(f"/cases/{case_no}").get_data(as_text=True)
    assert 'data-testid="generate-document"' in page and 'value="acceptance_notice"' in page
    assert 'value="agreement"' not in page  # no agreement signed yet
    answer = clerk.post(f"/cases/{case_no}/documents", data={"kind": "acceptance_notice"})
    assert answer.status_code == 302
    page = clerk.get(f"/cases/{case_no}").get_data(as_text=True)
    assert "受理通知书" in page and "center_clerk" in page
    link = f"/cases/{case_no}/documents/"
    document_id = page.split(link, 1)[1].split('"', 1)[0]
    download = clerk.get(link + document_id)
    assert download.status_code == 200 and "filename*=UTF-8''" in download.headers["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(download.data)).paragraphs)
    assert f"案号：{case_no}" in text

    bundle = clerk.get(f"/cases/{case_no}/case-file.zip")
    assert bundle.status_code == 200 and bundle.mimetype == "application/zip"
    assert "时间线.html" in zipfile.ZipFile(io.BytesIO(bundle.data)).namelist()


def test_a_document_the_case_has_not_reached_is_refused_with_a_message(staff_as, api):
    case_no = _accepted(api)
    clerk = staff_as("center_clerk")
    clerk.post(f"/cases/{case_no}/documents", data={"kind": "agreement"})
    assert "尚未签订调解协议" in clerk.get(f"/cases/{case_no}").get_data(as_text=True)


def test_strangers_cannot_generate_or_download_documents(staff_as, api):
    case_no = _accepted(api)
    staff_as("center_clerk").post(f"/cases/{case_no}/documents", data={"kind": "acceptance_notice"})
    stranger = staff_as("housing_clerk")
    assert stranger.post(f"/cases/{case_no}/documents", data={"kind": "acceptance_notice"}).status_code == 403
    assert stranger.get(f"/cases/{case_no}/case-file.zip").status_code == 403
    assert stranger.get(f"/cases/{case_no}/documents/1").status_code == 403


def test_the_templates_page_lists_fields_and_refuses_an_unknown_one_by_name(staff_as, api):
    admin = staff_as("admin")
    page = admin.get("/admin/templates").get_data(as_text=True)
    assert "调解协议书" in page and "agreed_amount_upper" in page
    answer = admin.post("/admin/templates/agreement", data={
        "file": (io.BytesIO(_docx("{{ case_no }} {{ bogus_field }}")), "mine.docx")},
        content_type="multipart/form-data")
    assert answer.status_code == 302
    page = admin.get("/admin/templates").get_data(as_text=True)
    assert "模板使用了未知字段：bogus_field" in page
    assert "mine.docx" not in page

    admin.post("/admin/templates/agreement", data={"file": (io.BytesIO(_docx("本中心 {{ case_no }}")), "mine.docx")},
               content_type="multipart/form-data")
    page = admin.get("/admin/templates").get_data(as_text=True)
    assert "mine.docx" in page
    current = admin.get("/admin/templates/agreement/template.docx")
    assert "本中心 {{ case_no }}" in "\n".join(p.text for p in Document(io.BytesIO(current.data)).paragraphs)
    admin.post("/admin/templates/agreement/revert")
    assert "mine.docx" not in admin.get("/admin/templates").get_data(as_text=True)


def test_only_administrators_open_the_templates_page(staff_as):
    assert staff_as("center_head").get("/admin/templates").status_code == 403
    assert staff_as("supervisor").get("/admin/templates").status_code == 403


def test_the_document_pages_speak_english_too(staff_as, api):
    case_no = _accepted(api)
    clerk = staff_as("center_clerk", language="en")
    clerk.post(f"/cases/{case_no}/documents", data={"kind": "acceptance_notice"})
    page = clerk.get(f"/cases/{case_no}").get_data(as_text=True)
    assert "Generate a document" in page and "Acceptance notice" in page
    page = staff_as("admin", language="en").get("/admin/templates").get_data(as_text=True)
    assert "Document templates" in page and "Mediation agreement" in page


def test_the_agreement_signed_on_its_task_page_gives_its_amount_and_schedule_to_the_document(staff_as, api):
    from tests.api.pipeline import accept_and_assess, item, report, through_referral
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no, cooperating=())
    through_referral(api, case_no, cooperating=())
    complete(api, case_no, "resolve", "people_mediation_clerk", report())
    signing = item(api, case_no, "sign_agreement", "people_mediation_clerk")
    clerk = staff_as("people_mediation_clerk")
    page = clerk.get(f"/tasks/{signing['id']}").get_data(as_text=True)
    assert 'id="f-agreed_amount"' in page and 'data-rows="performance_schedule"' in page
    done = clerk.post(f"/tasks/{signing['id']}", data={
        "action": "complete", "agreement_no": "调字〔2026〕第16号", "terms": "赔偿修缮费用", "signed_on": "2026-03-10",
        "agreed_amount": "8000", "performance_schedule-0-due_on": "2026-03-31",
        "performance_schedule-0-amount": "8000", "performance_schedule-0-content": "一次性支付修缮费用",
        "apply_judicial_confirmation": ""})
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    clerk.post(f"/cases/{case_no}/documents", data={"kind": "agreement"})
    listed = clerk.get(f"/cases/{case_no}").get_data(as_text=True)
    link = f"/cases/{case_no}/documents/"
    document = clerk.get(link + listed.split(link, 1)[1].split('"', 1)[0])
    text = "\n".join(p.text for p in Document(io.BytesIO(document.data)).paragraphs)
    assert "协议金额：人民币捌仟元整（8,000.00元）" in text
    assert "2026年3月31日前：一次性支付修缮费用 人民币捌仟元整（8,000.00元）" in text
