"""The documents of a case over the API: list, generate, download, the case file as .zip; every answer checked
against the OpenAPI document."""
from __future__ import annotations

import io
import zipfile

from docx import Document

from engine.documents.pdf import converter

from .pipeline import accept_and_assess, agreement, complete, register, report, through_referral


def _signed(api) -> str:
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no, cooperating=())
    through_referral(api, case_no, cooperating=())
    complete(api, case_no, "resolve", "people_mediation_clerk", report())
    complete(api, case_no, "sign_agreement", "people_mediation_clerk", {**agreement(), "agreed_amount": 8000})
    return case_no


def test_a_document_is_generated_listed_and_downloaded(api):
    case_no = _signed(api)
    listed = api.get(f"/cases/{case_no}/documents", as_="people_mediation_clerk").json
    assert listed["documents"] == [] and {"acceptance_notice", "agreement", "confirmation_application"} <= set(
        listed["available"])
    assert "rejection_notice" not in listed["available"]

    made = api.post(f"/cases/{case_no}/documents", as_="people_mediation_clerk", json={"kind": "agreement"})
    assert made.status_code == 201, made.json
    assert made.json["title"] == "调解协议书" and made.json["number"] == "调字〔2026〕第15号"
    assert made.json["generated_by"] == "people_mediation_clerk"

    listed = api.get(f"/cases/{case_no}/documents", as_="supervisor").json
    assert [d["id"] for d in listed["documents"]] == [made.json["id"]]

    download = api.get(f"/cases/{case_no}/documents/{made.json['id']}", as_="supervisor")
    assert download.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(download.data)).paragraphs)
    assert "协议金额：人民币捌仟元整（8,000.00元）" in text

    application = api.post(f"/cases/{case_no}/documents", as_="people_mediation_clerk",
                           json={"kind": "confirmation_application"})
    text = "\n".join(p.text for p in Document(io.BytesIO(api.get(
        f"/cases/{case_no}/documents/{application.json['id']}", as_="people_mediation_clerk").data)).paragraphs)
    assert "司法确认申请书" in text and "请求人民法院依法确认" in text and "王建国" in text

    bundle = api.get(f"/cases/{case_no}/case-file.zip", as_="people_mediation_clerk")
    names = zipfile.ZipFile(io.BytesIO(bundle.data)).namelist()
    issued = [n for n in names if n.startswith("文书/")]
    assert len([n for n in issued if n.endswith(".docx")]) == 2 and "时间线.html" in names
    # each with its PDF copy where LibreOffice is installed on the server
    assert len([n for n in issued if n.endswith(".pdf")]) == (2 if converter() is not None else 0)


def test_a_document_not_reached_or_unknown_is_refused(api):
    case_no = register(api)["case_no"]
    early = api.post(f"/cases/{case_no}/documents", as_="center_clerk", json={"kind": "agreement"})
    assert early.status_code == 409 and "尚未签订调解协议" in early.json["message"]
    unknown = api.post(f"/cases/{case_no}/documents", as_="center_clerk", json={"kind": "poem"})
    assert unknown.status_code == 400 and "kind" in unknown.json["fields"]
    assert api.get(f"/cases/{case_no}/documents/999", as_="center_clerk").status_code == 404


def test_strangers_get_403_on_every_document_route(api):
    case_no = _signed(api)
    made = api.post(f"/cases/{case_no}/documents", as_="people_mediation_clerk", json={"kind": "agreement"}).json
    for call in (lambda: api.get(f"/cases/{case_no}/documents", as_="housing_clerk"),
                 lambda: api.post(f"/cases/{case_no}/documents", as_="housing_clerk", json={"kind": "agreement"}),
                 lambda: api.get(f"/cases/{case_no}/documents/{made['id']}", as_="housing_clerk"),
                 lambda: api.get(f"/cases/{case_no}/case-file.zip", as_="housing_clerk")):
        assert call().status_code == 403
