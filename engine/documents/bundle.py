"""卷宗: the whole case file as one .zip — every generated document, the timeline, the attachments and
their list — for someone who may see the case; every export audited."""
from __future__ import annotations

import html
import io
import zipfile

from sqlalchemy import select

from .. import audit
from ..cases import get_case
from ..clock import local
from ..models import Attachment, AuditEvent, CaseDocument, User
from ..permissions import check_can_view_case
from ..runtime import Runtime
from ..users import Actor
from .store import DocumentFile

TIMELINE = "时间线.html"
ATTACHMENT_LIST = "附件清单.txt"


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}({n}).{ext}" if dot else f"{name}({n})"
    taken.add(candidate)
    return candidate


def _timeline_html(case, events, names) -> str:
    rows = "".join(
        f"<tr><td>{local(e.at):%Y-%m-%d %H:%M}</td><td>{html.escape(names.get(e.actor, e.actor))}</td>"
        f"<td>{html.escape(e.summary)}</td></tr>" for e in events)
    return (f"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{case.case_no} 时间线</title>"
            "</head><body>"
            f"<h1>案件 {html.escape(case.case_no)}：{html.escape(case.title)}</h1>"
            "<table border=\"1\" cellpadding=\"4\">"
            f"<thead><tr><th>时间</th><th>经办人</th><th>事项</th></tr></thead><tbody>{rows}</tbody></table>"
            "</body></html>")


def case_file_zip(rt: Runtime, case_no: str, by: Actor) -> DocumentFile:
    """The case file of `case_no` as one .zip."""
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case = get_case(session, case_no)
        check_can_view_case(session, by, case)
        events = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)
                                 .order_by(AuditEvent.at, AuditEvent.id)).all()
        names = dict(session.execute(select(User.username, User.display_name)).all())
        documents = session.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id)
                                    .order_by(CaseDocument.id)).all()
        attachments = session.scalars(select(Attachment).where(Attachment.case_id == case.id)
                                      .order_by(Attachment.id)).all()
        uploader = dict(session.execute(select(User.id, User.display_name)).all())
        out, taken = io.BytesIO(), set()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for doc in documents:
                archive.writestr(_unique(f"文书/{doc.filename}", taken), doc.content)
                if doc.has_pdf:
                    archive.writestr(_unique(f"文书/{doc.filename.removesuffix('.docx')}.pdf", taken), doc.pdf)
            archive.writestr(TIMELINE, _timeline_html(case, events, names))
            lines = [f"案件 {case.case_no} 附件清单", ""]
            for number, a in enumerate(attachments, 1):
                stored = _unique(f"附件/{a.filename}", taken)
                archive.writestr(stored, a.content)
                lines.append(f"{number}. {a.filename}　{a.size} 字节　{uploader.get(a.uploaded_by_id, '')}　"
                             f"{local(a.uploaded_at):%Y-%m-%d %H:%M}　SHA-256 {a.sha256}")
            if not attachments:
                lines.append("（无附件）")
            archive.writestr(ATTACHMENT_LIST, "\n".join(lines) + "\n")
        audit.record(session, at=now, actor=by.username, kind="case_file_exported", case_id=case.id,
                     summary=f"下载卷宗（文书 {len(documents)} 份、附件 {len(attachments)} 个）")
        return DocumentFile(f"卷宗-{case.case_no}.zip", "application/zip", out.getvalue())
