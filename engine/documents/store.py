"""Generating a case's documents, keeping each as issued, listing and downloading them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..cases import get_case
from ..clock import local
from ..errors import Conflict, Invalid, NotFound
from ..models import Case, CaseDocument, User
from ..permissions import allowed, check_can_generate_documents, check_can_view_case, may_read_id_numbers
from ..runtime import Runtime
from ..users import Actor
from .context import document_context, kind_fields
from .kinds import KINDS
from .pdf import to_pdf
from .render import render
from .templates import kind_of, template_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class DocumentView:
    id: int
    kind: str
    title: str
    filename: str
    number: str | None
    size: int
    has_pdf: bool
    generated_by: str  # the display name
    generated_at: datetime


@dataclass(frozen=True)
class DocumentFile:
    filename: str
    content_type: str
    content: bytes


def _views(session: Session, rows: list[CaseDocument]) -> list[DocumentView]:
    names = dict(session.execute(select(User.username, User.display_name)
                                 .where(User.username.in_({r.generated_by for r in rows}))).all()) if rows else {}
    return [DocumentView(r.id, r.kind, KINDS[r.kind].title if r.kind in KINDS else r.kind, r.filename, r.number,
                         r.size, r.has_pdf, names.get(r.generated_by, r.generated_by), r.generated_at)
            for r in rows]


def documents_of(session: Session, case_id: int) -> list[DocumentView]:
    rows = session.scalars(select(CaseDocument).where(CaseDocument.case_id == case_id)
                           .order_by(CaseDocument.generated_at, CaseDocument.id)).all()
    return _views(session, list(rows))


def available_kinds(session: Session, rt: Runtime, case: Case) -> list[str]:
    """The kinds of document the case has got far enough for."""
    forms = rt.forms_of(session, case.definition_id)
    ready = []
    for kind in KINDS:
        try:
            kind_fields(session, forms, case, kind)
        except Conflict:  # not yet; generate() says why
            continue
        ready.append(kind)
    return ready


@dataclass(frozen=True)
class CaseDocuments:
    documents: list[DocumentView]
    available: list[str]  # kinds that may be generated now
    may_generate: bool


def list_documents(rt: Runtime, case_no: str, by: Actor) -> CaseDocuments:
    """The documents generated on a case, and which ones may be generated now, for someone who may see it."""
    with rt.unit_of_work(write=False) as session:
        case = get_case(session, case_no)
        check_can_view_case(session, by, case)
        may = allowed(lambda: check_can_generate_documents(session, by, case))
        return CaseDocuments(documents_of(session, case.id), available_kinds(session, rt, case) if may else [], may)


def generate(rt: Runtime, case_no: str, kind: str, by: Actor) -> DocumentView:
    """Fill the template of `kind` from the case as it stands, keep the document and audit it."""
    if kind not in KINDS:
        raise Invalid("请选择要出具的文书", {"kind": [f"只能是 {'、'.join(KINDS)} 之一"]})
    found = kind_of(kind)
    now = rt.clock.now()
    # Read and fill in one read-only transaction; convert to PDF outside any (it may take a while); then keep it.
    # Nothing shared is written: completed forms never change, and the document is a new row of its own.
    with rt.unit_of_work(write=False) as session:
        case = get_case(session, case_no)
        check_can_generate_documents(session, by, case)
        context, number = document_context(session, rt.forms_of(session, case.definition_id), case, kind, now,
                                           by.display_name, may_read_id_numbers(by, case))
        content = render(template_bytes(session, kind), context)
        case_id = case.id
    pdf = to_pdf(content)
    filename = f"{found.title}-{case_no}-{local(now):%Y%m%d%H%M%S}.docx"
    with rt.unit_of_work() as session:
        row = CaseDocument(case_id=case_id, kind=kind, filename=filename, number=number, content=content,
                           size=len(content), pdf=pdf, has_pdf=pdf is not None, generated_by=by.username,
                           generated_at=now)
        session.add(row)
        audit.record(session, at=now, actor=by.username, kind="document_generated", case_id=case_id,
                     summary=f"出具{found.title}" + (f"（{number}）" if number else ""),
                     data={"kind": kind, "filename": filename, "number": number, "pdf": pdf is not None})
        session.flush()
        return _views(session, [row])[0]


def download(rt: Runtime, case_no: str, document_id: int, by: Actor, as_pdf: bool = False) -> DocumentFile:
    """A generated document's bytes (.docx, or its PDF copy), for someone who may see the case; audited."""
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case = get_case(session, case_no)
        check_can_view_case(session, by, case)
        row = session.get(CaseDocument, document_id)
        if row is None or row.case_id != case.id:
            raise NotFound(f"文书 {document_id} 不存在")
        if as_pdf and not row.has_pdf:
            raise NotFound(f"文书 {document_id} 没有 PDF 版本")
        audit.record(session, at=now, actor=by.username, kind="document_downloaded", case_id=case.id,
                     summary=f"下载{row.filename}" + ("（PDF）" if as_pdf else ""),
                     data={"document_id": row.id, "pdf": as_pdf})
        if as_pdf:
            return DocumentFile(row.filename.removesuffix(".docx") + ".pdf", "application/pdf", row.pdf)
        return DocumentFile(row.filename, DOCX, row.content)
