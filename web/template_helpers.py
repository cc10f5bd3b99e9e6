"""Filters and globals the templates use: local times, countdowns, labels, the signed-in actor."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, g, request
from flask_babel import format_datetime, format_percent, get_locale, ngettext
from flask_babel import gettext as _

from engine import notifications
from engine.calendar import SHANGHAI
from engine.countdown import Countdown, countdown
from engine.permissions import (
    allowed,
    check_can_manage_users,
    check_can_read_definitions,
    check_can_see_board,
    check_can_start,
)
from engine.users import Actor

from . import labels
from .form_fields import value_at
from .i18n import LANGUAGES


def local_time(value: datetime | None, style: str = "yyyy-MM-dd HH:mm") -> str:
    """An instant as the centre's wall-clock time (Asia/Shanghai, Flask-Babel's configured zone)."""
    return format_datetime(value, style) if value else ""


def deadline_text(value: datetime | None, prefix: bool = True) -> str:
    """When a limit ends, with its weekday: “截止 10月14日（周二）18:00” / “Due Tue 14 Oct 18:00” (the year
    too when it is not this year's); without `prefix` only the date (under a “Deadline” heading)."""
    if not value:
        return ""
    this_year = current_app.extensions["yizhan"].clock.now().year == local_year(value)
    if str(get_locale()).startswith("zh"):
        pattern = "M月d日（EEE）HH:mm" if this_year else "y年M月d日（EEE）HH:mm"
    else:
        pattern = "EEE d MMM HH:mm" if this_year else "EEE d MMM y HH:mm"
    when = format_datetime(value, pattern)
    return _("Due %(when)s", when=when) if prefix else when


def local_year(value: datetime) -> int:
    return value.astimezone(SHANGHAI).year


def _days(n: int) -> str:
    return ngettext("%(num)d day", "%(num)d days", n)


def _working_days(n: int) -> str:
    return ngettext("%(num)d working day", "%(num)d working days", n)


def _hours(n: int) -> str:
    return ngettext("%(num)d hour", "%(num)d hours", n)


def _minutes(n: int) -> str:
    return ngettext("%(num)d minute", "%(num)d minutes", n)


def countdown_text(cd: Countdown | None) -> str:
    """“剩余 1 个工作日 3 小时” / “已超期 2 天”, or “1 working day 3 hours left” / “2 days overdue”."""
    if cd is None:
        return _("No deadline")
    if cd.overdue:
        if cd.days:
            return _("%(time)s overdue", time=_days(cd.days))
        if cd.hours:
            return _("%(time)s overdue", time=_hours(cd.hours))
        return _("%(time)s overdue", time=_minutes(cd.minutes))
    if cd.days:
        return _("%(time)s left", time=f"{_working_days(cd.days)} {_hours(cd.hours)}")
    if cd.hours:
        return _("%(time)s left", time=f"{_hours(cd.hours)} {_minutes(cd.minutes)}")
    return _("%(time)s left", time=_minutes(cd.minutes))


def rate_text(value: float | None) -> str:
    """A share as a percentage with one decimal (“85.7%”), or a dash when there was nothing to count."""
    return "—" if value is None else format_percent(value, "#,##0.0%")


def may_see_board(me: Actor | None) -> bool:
    """Whether the overdue board is shown (and linked) to this member of staff."""
    return me is not None and allowed(check_can_see_board, me)


_PAGE_CHECKS = {"start": check_can_start, "read_definitions": check_can_read_definitions,
                "manage_users": check_can_manage_users, "see_board": check_can_see_board}


def may(what: str) -> bool:
    """Whether the signed-in member of staff may open a part of the workbench (the header offers only those)."""
    me = getattr(g, "actor", None)
    return me is not None and allowed(_PAGE_CHECKS[what], me)


def init_template_helpers(app: Flask) -> None:
    app.add_template_filter(local_time, "localtime")
    app.add_template_filter(deadline_text, "deadline")
    app.add_template_filter(countdown_text, "countdown")
    app.add_template_filter(labels.content, "content")
    app.add_template_filter(labels.content_html, "content_html")
    app.add_template_filter(labels.notice_html, "notice")
    app.add_template_filter(labels.department_name, "department")
    app.add_template_filter(rate_text, "rate")

    app.add_template_global(value_at, "values_at")
    app.add_template_global(may_see_board, "may_see_board")
    app.add_template_global(may, "may")
    app.add_template_global(labels.escalation_label, "escalation_label")
    calendar = app.extensions["yizhan"].calendar
    clock = app.extensions["yizhan"].clock
    app.add_template_global(lambda item: countdown(calendar, clock.now(), item.due_at), "countdown_of")

    def _unread_count() -> int:
        me = getattr(g, "actor", None)
        return notifications.unread_count(current_app.extensions["yizhan"], me) if me is not None else 0

    @app.context_processor
    def _globals():
        return {"actor": getattr(g, "actor", None), "languages": LANGUAGES, "locale": str(get_locale()),
                "role_label": lambda code: labels.label(labels.ROLES, code),
                "risk_label": lambda code: labels.label(labels.RISKS, code),
                "status_label": lambda code: labels.label(labels.CASE_STATUS, code),
                "item_state_label": lambda code: labels.label(labels.ITEM_STATES, code),
                "timer_kind_label": lambda code: labels.label(labels.TIMER_KINDS, code),
                "stage_state_label": lambda code: labels.label(labels.STAGE_STATES, code),
                "audit_label": lambda code: labels.label(labels.AUDIT_KINDS, code),
                "notice_kind_label": lambda code: labels.label(labels.NOTICE_KINDS, code),
                "unread_count": _unread_count,  # called by the templates that show it, not on every render
                "current_path": request.full_path.rstrip("?") if request else "/"}
