"""The case file: facts, items, timeline, comments, evidence with type and size limits, the diagram's marks."""
from __future__ import annotations

import io
import json
import re

from engine.casefile.records import MAX_ATTACHMENT_BYTES
from tests.api.pipeline import ACCEPT
from tests.api.pipeline import complete as api_complete

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(client, case_no: str, name: str, content: bytes):
    return client.post(f"/cases/{case_no}/attachments", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_case_file_shows_parties_items_timeline_and_diagram_marks(staff_as, register, api):
    case = register()
    api_complete(api, case.case_no, "review_acceptance", "center_clerk", ACCEPT)
    html = staff_as("center_clerk").get(f"/cases/{case.case_no}").get_data(as_text=True)
    assert "王建国" in html and "110101198001060018" in html and "楼上住户水管破裂" in html
    assert html.count('class="item-completed"') == 1 and html.count('class="item-open"') == 1
    assert 'data-kind="task_completed"' in html and 'data-kind="case_started"' in html
    marks = {m[0]: (json.loads(m[1].replace("&#34;", '"')), json.loads(m[2].replace("&#34;", '"')))
             for m in re.findall(r'class="case-diagram" data-process="(\w+)".*?data-completed="([^"]*)" '
                                 r'data-current="([^"]*)"', html, re.S)}
    assert "call_intake" in marks["dispute_resolution"][0]
    assert marks["dispute_resolution"][1] == ["call_joint_assessment"]
    assert "review_acceptance" in marks["intake"][0]
    assert "assess_case" in marks["joint_assessment"][1]  # with its waiting deadline timers
    xml = staff_as("center_clerk").get(f"/cases/{case.case_no}/diagrams/joint_assessment.bpmn")
    assert xml.status_code == 200 and b'id="assess_case"' in xml.data and b"bpmndi:BPMNDiagram" in xml.data


def test_comments_are_added_and_listed(staff_as, register):
    case = register()
    clerk = staff_as("center_clerk")
    clerk.post(f"/cases/{case.case_no}/comments", data={"text": "当事人下午来电补充材料"})
    clerk.post(f"/cases/{case.case_no}/comments", data={"text": "   "})
    html = clerk.get(f"/cases/{case.case_no}").get_data(as_text=True)
    assert html.count('class="comment"') == 1 and "当事人下午来电补充材料" in html
    assert "备注内容不能为空" in html


def test_evidence_upload_checks_type_and_size_and_downloads_safely(staff_as, register):
    case = register()
    clerk = staff_as("center_clerk")
    assert upload(clerk, case.case_no, "../../现场照片.png", PNG).status_code == 302
    upload(clerk, case.case_no, "合同.pdf", b"MZ\x90\x00 this is an executable")
    upload(clerk, case.case_no, "脚本.html", b"<script>alert(1)</script>")
    upload(clerk, case.case_no, "大文件.pdf", b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES)
    html = clerk.get(f"/cases/{case.case_no}").get_data(as_text=True)
    assert "文件内容与扩展名不符" in html
    links = re.findall(r'/cases/[\d-]+/attachments/(\d+)" class="user-content">([^<]+)<', html)
    assert [name for _id, name in links] == ["现场照片.png"]
    download = clerk.get(f"/cases/{case.case_no}/attachments/{links[0][0]}")
    assert download.data == PNG and download.mimetype == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_an_oversized_request_is_refused_with_a_page_not_a_crash(staff_as, register):
    case = register()
    response = upload(staff_as("center_clerk"), case.case_no, "巨大.pdf", b"%PDF-" + b"0" * (13 * 1024 * 1024))
    assert response.status_code == 413
    assert "上传的文件过大" in response.get_data(as_text=True)
