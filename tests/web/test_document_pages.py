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
