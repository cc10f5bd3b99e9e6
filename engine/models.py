"""Tables: reference data, definitions, cases with their stored state, and the projections read by lists."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base, UTCDateTime


class Department(Base):
    __tablename__ = "department"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    sort: Mapped[int] = mapped_column(Integer, default=0)


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[str] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # at most once a minute
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Definition(Base):
    """One deployed version of a process bundle (main process plus the processes it calls)."""

    __tablename__ = "definition"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200), default="")
    files: Mapped[dict] = mapped_column(JSON)
    process_ids: Mapped[list] = mapped_column(JSON)
    meta: Mapped[dict] = mapped_column(JSON)
    checksum: Mapped[str] = mapped_column(String(64))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deployed_by: Mapped[str] = mapped_column(String(80), default="")
    # What the engine parses: `files` as drawn, with dialects translated and deadlines expanded.
    executable: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # The forms its tasks use, as they were when it was published (a running case keeps them).
    forms: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # elements added/removed/changed


class ProcessDraft(Base):
    """A designer's unpublished edits of a process bundle: no case ever sees a draft."""

    __tablename__ = "process_draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    files: Mapped[dict] = mapped_column(JSON)            # file name -> BPMN/DMN text
    forms: Mapped[dict] = mapped_column(JSON)            # form key -> JSON Schema edited in this draft
    base_definition_id: Mapped[int | None] = mapped_column(ForeignKey("definition.id"), nullable=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)  # guards every save against a lost update
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FormVersion(Base):
    """A published version of a task form; the newest one is what new definitions pick up."""

    __tablename__ = "form_version"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    schema: Mapped[dict] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by: Mapped[str] = mapped_column(String(80))


class GroupMapping(Base):
    """Another modeler's candidate group (Camunda, Activiti) and the department it stands for."""

    __tablename__ = "group_mapping"

    group_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    department_id: Mapped[str] = mapped_column(ForeignKey("department.id"))
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CaseCounter(Base):
    __tablename__ = "case_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    """The case summary: a projection refreshed by every command on the case."""

    __tablename__ = "dispute_case"
    __table_args__ = (Index("ix_dispute_case_stage", "status", "stage", "stage_name"),)  # the inbox's stage filter

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(20), unique=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("definition.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    stage: Mapped[str] = mapped_column(String(100), default="")
    stage_name: Mapped[str] = mapped_column(String(100), default="")
    risk: Mapped[str | None] = mapped_column(String(10), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(40), nullable=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    dispute_type: Mapped[str] = mapped_column(String(40), default="")
    channel: Mapped[str] = mapped_column(String(40), default="")
    party_names: Mapped[str] = mapped_column(String(500), default="")
    lead_department_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    place_key: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)  # its place, normalised
    township: Mapped[str | None] = mapped_column(String(60), nullable=True, index=True)  # its 乡镇（街道）
    created_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # statistics count by period
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # while status is suspended


class CaseParty(Base):
    __tablename__ = "case_party"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    id_number: Mapped[str | None] = mapped_column(String(18), nullable=True, index=True)
    phone: Mapped[str | None] = mapped_column(String(30), nullable=True, index=True)
    role: Mapped[str] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)  # as the documents of a case give it


class InstanceState(Base):
    """SpiffWorkflow's serialized state of a case, without the spec; `version` guards every save."""

    __tablename__ = "instance_state"

    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(Text)


class WorkItem(Base):
    """One ready or finished human task: the row every inbox reads."""

    __tablename__ = "work_item"
    __table_args__ = (
        Index("ix_work_item_inbox", "department_id", "state", "due_at"),
        Index("ix_work_item_tabs", "department_id", "state", "assignee_id", "required_role"),  # the inbox's tab counts
        Index("ix_work_item_assignee", "assignee_id", "state"),
        Index("ix_work_item_case", "case_id", "state"),
        Index("ix_work_item_completed", "state", "completed_at"),  # on-time rates over a period
        Index("ix_work_item_subject", "subject_item_id"),  # the notices issued on an item
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id"))
    task_id: Mapped[str] = mapped_column(String(36), unique=True)
    element_id: Mapped[str] = mapped_column(String(100))
    process_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    form_key: Mapped[str] = mapped_column(String(100), default="")
    department_id: Mapped[str] = mapped_column(String(40))
    required_role: Mapped[str | None] = mapped_column(String(20), nullable=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    state: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    draft: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    draft_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The form data handed in when the item was completed: the case file shows it read-only.
    submitted: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # A supervision notice (督办件) carries its number and the item it supervises.
    notice_no: Mapped[str | None] = mapped_column(String(40), nullable=True, unique=True)
    subject_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_item.id"), nullable=True)


class Timer(Base):
    """One waiting (or fired, or cancelled) timer of a case; the scheduler reads due rows."""

    __tablename__ = "timer"
    __table_args__ = (Index("ix_timer_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36), unique=True)
    element_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default="timer")
    attached_to: Mapped[str | None] = mapped_column(String(36), nullable=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20))
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Incident(Base):
    """A case whose engine step failed (a script when a timer fired): open until an administrator's retry
    gets the step through, or the case is moved on or cancelled."""

    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_state", "state", "occurred_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="timer")
    timer_id: Mapped[int | None] = mapped_column(ForeignKey("timer.id"), nullable=True)
    element_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    element_name: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[str] = mapped_column(String(1000))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(20), default="open")
    resolved_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(40), nullable=True)


class AuditEvent(Base):
    """Append-only: who did what to which case, when, with what data."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_case.id"), nullable=True, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    element_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    summary: Mapped[str] = mapped_column(String(500), default="")
    data: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class Notification(Base):
    """One notice for one member of staff: a new assignment, reminder, supervision notice or escalation."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user", "user_id", "read_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_case.id"), nullable=True, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(500))
    department_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    element_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_item.id"), nullable=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class EarlyWarning(Base):
    """One early warning (预警): a repeat dispute, a surge, a red case not yet stabilised, or a party whose
    earlier case ended in enforcement; its cases, when it was raised and last joined, and when it ended."""

    __tablename__ = "early_warning"
    __table_args__ = (Index("ix_early_warning_key", "kind", "key", "last_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(250))
    title: Mapped[str] = mapped_column(String(300))
    case_ids: Mapped[list] = mapped_column(JSON)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class WebhookDelivery(Base):
    """An event waiting to be (or already) posted to the centre's webhook; retried with backoff."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SchedulerLease(Base):
    """Who may fire timers now: one row per job, held by one scheduler until it stops renewing it."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Setting(Base):
    """Small pieces of operational state shared by every process (e.g. the demo clock's offset)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class NoticeCounter(Base):
    """The last supervision notice number given out in a year (督办〔2026〕第 N 号)."""

    __tablename__ = "notice_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class LoginAttempt(Base):
    """One browser sign-in attempt; recent failures block further tries for a while."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_user", "username", "at"),
                      Index("ix_login_attempt_address", "address", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class Comment(Base):
    """A note on a case file by a member of staff."""

    __tablename__ = "case_comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)


class Attachment(Base):
    """An evidence file on a case; the bytes live in the table so a backup of the database is complete."""

    __tablename__ = "case_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DocumentTemplate(Base):
    """An administrator's replacement for the shipped template of one kind of document (a .docx with fields)."""

    __tablename__ = "document_template"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CaseDocument(Base):
    """A document generated from a case (受理通知书, 调解协议书 …) as it was issued: its bytes, who, when."""

    __tablename__ = "case_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    number: Mapped[str | None] = mapped_column(String(60), nullable=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    has_pdf: Mapped[bool] = mapped_column(Boolean, default=False)
    generated_by: Mapped[str] = mapped_column(String(80))
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StatisticsReport(Base):
    """A monthly or quarterly report (月报、季报) as generated: its period, who generated it and when, the DOCX."""

    __tablename__ = "statistics_report"
    __table_args__ = (Index("ix_statistics_report_period", "kind", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # monthly | quarterly
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    generated_by: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
