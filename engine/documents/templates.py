"""The templates of the documents: shipped ones, and the replacements an administrator uploads (checked
field by field), kept in the database with who uploaded them and when, every change audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..casefile.records import clean_filename
from ..errors import Conflict, NotFound
from ..models import DocumentTemplate
from ..permissions import check_can_manage_templates
from ..runtime import Runtime
from ..users import Actor
from .default_templates import default_template
from .kinds import KINDS, PARTY_FIELDS, SCHEDULE_FIELDS, Kind
from .render import check_template


@dataclass(frozen=True)
class TemplateView:
    kind: str
    title: str
    fields: dict[str, str]
    replaced: bool
    filename: str
    uploaded_by: str | None
    uploaded_at: datetime | None


def kind_of(kind: str) -> Kind:
    if kind not in KINDS:
        raise NotFound(f"没有这种文书：{kind}")
    return KINDS[kind]


def sample_fields(kind: Kind) -> dict:
    """Every field of `kind` filled with a stand-in value: what an uploaded template is tried on."""
    sample = {name: f"（{label}）" for name, label in kind.all_fields().items()}
    party = {name: f"（{name}）" for name in PARTY_FIELDS}
    for name in ("parties", "applicants", "respondents"):
        sample[name] = [party]
    if "schedule" in sample:
        sample["schedule"] = [{name: f"（{name}）" for name in SCHEDULE_FIELDS}]
    return sample


def template_bytes(session: Session, kind: str) -> bytes:
    """What the next document of `kind` is filled from: the replacement if there is one, else the shipped one."""
    replaced = session.scalar(select(DocumentTemplate.content).where(DocumentTemplate.kind == kind))
    return replaced if replaced is not None else default_template(kind)


def list_templates(rt: Runtime, by: Actor) -> list[TemplateView]:
    """Every kind with its fields and whether an administrator replaced its template."""
    check_can_manage_templates(by)
    with rt.unit_of_work(write=False) as session:
        rows = {row.kind: row for row in session.scalars(select(DocumentTemplate))}
    views = []
    for key, kind in KINDS.items():
        row = rows.get(key)
        views.append(TemplateView(key, kind.title, kind.all_fields(), row is not None,
                                  row.filename if row else f"{kind.title}（默认）.docx",
                                  row.uploaded_by if row else None, row.uploaded_at if row else None))
    return views


def current_template(rt: Runtime, kind: str, by: Actor) -> tuple[str, bytes]:
    """The template in use for `kind`, to download and edit."""
    check_can_manage_templates(by)
    found = kind_of(kind)
    with rt.unit_of_work(write=False) as session:
        row = session.get(DocumentTemplate, kind)
        return (row.filename, row.content) if row else (f"{found.title}模板.docx", default_template(kind))


def replace_template(rt: Runtime, kind: str, filename: str, content: bytes, by: Actor) -> TemplateView:
    """Use an uploaded .docx for `kind` from now on, once every field it uses is one of the kind's."""
    check_can_manage_templates(by)
    found = kind_of(kind)
    check_template(content, found.all_fields(), sample_fields(found))
    name = clean_filename(filename)
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        session.execute(delete(DocumentTemplate).where(DocumentTemplate.kind == kind))
        session.add(DocumentTemplate(kind=kind, filename=name, content=content, uploaded_by=by.username,
                                     uploaded_at=now))
        try:
            session.flush()
        except IntegrityError as exc:  # another administrator replaced it at the same moment
            raise Conflict(f"{found.title}模板正由他人更换，请刷新后重试") from exc
        audit.record(session, at=now, actor=by.username, kind="document_template_replaced",
                     summary=f"更换{found.title}模板：{name}", data={"kind": kind, "filename": name,
                                                                   "size": len(content)})
    return TemplateView(kind, found.title, found.all_fields(), True, name, by.username, now)


def revert_template(rt: Runtime, kind: str, by: Actor) -> None:
    """Go back to the shipped template of `kind`."""
    check_can_manage_templates(by)
    found = kind_of(kind)
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        removed = session.execute(delete(DocumentTemplate).where(DocumentTemplate.kind == kind)).rowcount
        if removed:
            audit.record(session, at=now, actor=by.username, kind="document_template_reverted",
                         summary=f"{found.title}恢复默认模板", data={"kind": kind})
