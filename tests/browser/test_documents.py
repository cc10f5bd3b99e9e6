"""A case's documents in a real browser: a clerk generates one from the case page, sees it listed with who
generated it, and downloads it."""
from __future__ import annotations

import io

from docx import Document

from tests.api.pipeline import ACCEPT
from tests.browser.test_case_file import finish


def test_a_clerk_generates_a_document_from_the_case_page_and_sees_it_listed(desk, rt, who, register):
    case = register()
    finish(rt, who, case.case_no, "review_acceptance", "center_clerk", ACCEPT)
    clerk = desk("center_clerk")
    page = clerk.open(f"/cases/{case.case_no}#documents")
    section = page.locator("[data-testid=documents]")
    assert "尚未出具文书" in section.inner_text()
    page.select_option("[data-testid=generate-document] select[name=kind]", "acceptance_notice")
    page.click("[data-testid=generate-document] button[type=submit]")
    page.wait_for_selector("[data-testid=documents] tr[data-kind=acceptance_notice]")
    row = page.locator("[data-testid=documents] tr[data-kind=acceptance_notice]")
    assert "受理通知书" in row.inner_text() and "center_clerk" in row.inner_text()
    assert "文书已生成" in page.locator("body").inner_text()
    row.scroll_into_view_if_needed()
    clerk.screenshot("documents")

    with page.expect_download() as downloading:
        row.locator("a").first.click()
    download = downloading.value
    assert download.suggested_filename.startswith("受理通知书-") and download.suggested_filename.endswith(".docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(open(download.path(), "rb").read())).paragraphs)
    assert f"案号：{case.case_no}" in text
