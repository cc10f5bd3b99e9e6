"""What staff add to a case file beside the workflow: comments and evidence attachments."""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from sqlalchemy import select

from .. import audit
from ..cases import get_case
from ..errors import Invalid, NotFound, TooLarge
from ..models import Attachment, Comment, User
from ..permissions import check_can_add_to_case, check_can_view_case
from ..runtime import Runtime
from ..users import Actor

MAX_COMMENT_CHARS = 2000
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

# Accepted evidence: extension -> (content type, the leading bytes a genuine file of that kind has).
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
FILE_TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "doc": ("application/msword", (_OLE,)),
    "xls": ("application/vnd.ms-excel", (_OLE,)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    "mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    "txt": ("text/plain; charset=utf-8", ()),
}


@dataclass(frozen=True)
class CommentView:
    id: int
    author: str
    at: datetime
    text: str


@dataclass(frozen=True)
class AttachmentView:
    id: int
    filename: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    content: bytes


def add_comment(rt: Runtime, case_no: str, text: str, by: Actor) -> CommentView:
    """A note on the case by someone who may see it."""
    text = (text or "").strip()
    if not text:
        raise Invalid("备注内容不能为空", {"text": ["必填"]})
    if len(text) > MAX_COMMENT_CHARS:
        raise Invalid("备注太长", {"text": [f"不能超过 {MAX_COMMENT_CHARS} 字"]})
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case = get_case(session, case_no)
        check_can_add_to_case(session, by, case)
        comment = Comment(case_id=case.id, author_id=by.id, at=now, text=text)
        session.add(comment)
        audit.record(session, at=now, actor=by.username, kind="comment_added", case_id=case.id,
                     summary=f"添加备注：{text[:60]}")
        session.flush()
        return CommentView(comment.id, by.display_name, now, text)


def comments(session, case_id: int) -> list[CommentView]:
    rows = session.execute(select(Comment, User.display_name).join(User, User.id == Comment.author_id)
                           .where(Comment.case_id == case_id).order_by(Comment.at, Comment.id)).all()
    return [CommentView(c.id, name, c.at, c.text) for c, name in rows]


def attachments(session, case_id: int) -> list[AttachmentView]:
    rows = session.execute(select(Attachment, User.display_name).join(User, User.id == Attachment.uploaded_by_id)
                           .where(Attachment.case_id == case_id).order_by(Attachment.id)).all()
    return [AttachmentView(a.id, a.filename, a.content_type, a.size, name, a.uploaded_at) for a, name in rows]


def clean_filename(filename: str) -> str:
    """The last path component, without control characters, at most 255 characters; never empty."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".")
    return name[-255:] or "file"


def _check_content(extension: str, content: bytes) -> str:
    if extension not in FILE_TYPES:
        allowed = "、".join(sorted(FILE_TYPES))
        raise Invalid("不支持的文件类型", {"file": [f"只接受 {allowed} 文件"]})
    content_type, signatures = FILE_TYPES[extension]
    if signatures and not content.startswith(signatures):
        raise Invalid("文件内容与扩展名不符", {"file": [f"这不是一个有效的 .{extension} 文件"]})
    if extension == "txt":
        if b"\x00" in content:
            raise Invalid("文件内容与扩展名不符", {"file": ["文本文件不能含二进制内容"]})
        for encoding in ("utf-8", "gb18030"):
            try:
                content.decode(encoding)
                return "text/plain; charset=utf-8" if encoding == "utf-8" else "text/plain; charset=gb18030"
            except UnicodeDecodeError:
                continue
        raise Invalid("无法识别的文本编码", {"file": ["请使用 UTF-8 或 GB18030 编码"]})
    return content_type


def add_attachment(rt: Runtime, case_no: str, filename: str, content: bytes, by: Actor) -> AttachmentView:
    """Store an evidence file after checking its size, extension and leading bytes."""
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise TooLarge(f"文件过大：不能超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB")
    if not content:
        raise Invalid("文件为空", {"file": ["请选择一个非空文件"]})
    name = clean_filename(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = _check_content(extension, content)
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        case = get_case(session, case_no)
        check_can_add_to_case(session, by, case)
        row = Attachment(case_id=case.id, filename=name, content_type=content_type, size=len(content),
                         sha256=hashlib.sha256(content).hexdigest(), content=content, uploaded_by_id=by.id,
                         uploaded_at=now)
        session.add(row)
        audit.record(session, at=now, actor=by.username, kind="attachment_added", case_id=case.id,
                     summary=f"上传证据 {name}（{len(content)} 字节）", data={"sha256": row.sha256})
        session.flush()
        return AttachmentView(row.id, name, content_type, len(content), by.display_name, now)


def download(rt: Runtime, case_no: str, attachment_id: int, by: Actor) -> Download:
    """An attachment's bytes, for someone who may see its case."""
    with rt.unit_of_work(write=False) as session:
        case = get_case(session, case_no)
        check_can_view_case(session, by, case)
        row = session.get(Attachment, attachment_id)
        if row is None or row.case_id != case.id:
            raise NotFound(f"附件 {attachment_id} 不存在")
        return Download(row.filename, row.content_type, row.content)


def records(rt: Runtime, case_no: str, by: Actor) -> tuple[list[CommentView], list[AttachmentView]]:
    """A case's comments and attachment list, for someone who may see the case."""
    with rt.unit_of_work(write=False) as session:
        case = get_case(session, case_no)
        check_can_view_case(session, by, case)
        return comments(session, case.id), attachments(session, case.id)
