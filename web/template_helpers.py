"""Filters and globals the templates use: local times, countdowns, labels, the signed-in actor."""
from __future__ import annotations

import functools
from datetime import datetime
from urllib.parse import quote

from babel.dates import get_day_names, get_month_names
from flask import Flask, current_app, g, request, url_for
from flask_babel import format_datetime, format_percent, get_locale, ngettext
from flask_babel import gettext as _

from engine import notifications
from engine.calendar import SHANGHAI
from engine.countdown import Countdown, countdown
from engine.permissions import (
    allowed,
    check_can_generate_reports,
    check_can_manage_templates,
    check_can_manage_users,
    check_can_read_definitions,
    check_can_repair,
    check_can_see_board,
    check_can_set_targets,
    check_can_start,
    statistics_department,
)
from engine.users import Actor

from . import labels, stats_tables
from .form_fields import value_at
from .i18n import LANGUAGES


def local_time(value: datetime | None, style: str = "yyyy-MM-dd HH:mm") -> str:
    """An instant as the centre's wall-clock time (Asia/Shanghai, Flask-Babel's configured zone)."""
    return format_datetime(value, style) if value else ""


@functools.lru_cache(maxsize=8)
def _date_words(locale: str) -> tuple[dict, dict]:
    """The locale's abbreviated weekday and month names, as `format_datetime`'s EEE and MMM give them."""
    return get_day_names("abbreviated", locale=locale), get_month_names("abbreviated", locale=locale)


def _request_memo(name: str) -> dict:
    """A dictionary that lives for one request (texts a long list repeats are worked out once)."""
    memo = g.get(name)
    if memo is None:
        memo = {}
        setattr(g, name, memo)
    return memo


def deadline_text(value: datetime | None, prefix: bool = True) -> str:
    """When a limit ends, with its weekday: “截止 10月14日（周二）18:00” / “Due Tue 14 Oct 18:00” (the year
    too when it is not this year's); without `prefix` only the date (under a “Deadline” heading).

    Written out from the locale's own day and month names rather than through `format_datetime` for each
    row: an inbox page shows dozens of deadlines."""
    if not value:
        return ""
    memo = _request_memo("_deadline_texts")
    key = (value, prefix)
    found = memo.get(key)
    if found is not None:
        return found
    if "locale" not in memo:
        memo["locale"] = str(get_locale())
        memo["year"] = current_app.extensions["yizhan"].clock.now().astimezone(SHANGHAI).year
        memo["prefix"] = _("Due %(when)s", when="\0")
    days, months = _date_words(memo["locale"])
    at = value.astimezone(SHANGHAI)
    this_year = at.year == memo["year"]
    if memo["locale"].startswith("zh"):
        when = (f"{at.month}月{at.day}日" if this_year else f"{at.year}年{at.month}月{at.day}日") + \
            f"（{days[at.weekday()]}）{at:%H:%M}"
    else:
        when = f"{days[at.weekday()]} {at.day} {months[at.month]}" + ("" if this_year else f" {at.year}") + \
            f" {at:%H:%M}"
    found = memo["prefix"].replace("\0", when) if prefix else when
    memo[key] = found
    return found


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
    memo = _request_memo("_countdown_texts")
    found = memo.get(cd)
    if found is None:
        found = memo[cd] = _countdown_words(cd)
    return found


def _countdown_words(cd: Countdown | None) -> str:
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


class UrlPattern:
    """`url_for(endpoint, key=value)` for the many values of a long list, built once: the URL is made with a
    sample value and each value takes the sample's place (quoted as a path segment)."""

    def __init__(self, endpoint: str, **sample):
        (key, value), = sample.items()
        self._head, self._tail = url_for(endpoint, **{key: value}).split(str(value), 1)

    def __call__(self, value) -> str:
        return f"{self._head}{quote(str(value), safe='')}{self._tail}"


def rate_text(value: float | None) -> str:
    """A share as a percentage with one decimal (“85.7%”), or a dash when there was nothing to count."""
    return "—" if value is None else format_percent(value, "#,##0.0%")


def may_see_board(me: Actor | None) -> bool:
    """Whether the overdue board is shown (and linked) to this member of staff."""
    return me is not None and allowed(check_can_see_board, me)


_PAGE_CHECKS = {"start": check_can_start, "read_definitions": check_can_read_definitions,
                "manage_users": check_can_manage_users, "see_board": check_can_see_board,
                "manage_templates": check_can_manage_templates,
                "see_stats": statistics_department, "set_targets": check_can_set_targets,
                "generate_reports": check_can_generate_reports,
                "repair": check_can_repair}


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
    app.add_template_filter(stats_tables.percent, "stats_percent")
    app.add_template_global(stats_tables.cell_text, "cell_text")

    app.add_template_global(value_at, "values_at")
    app.add_template_global(may_see_board, "may_see_board")
    app.add_template_global(may, "may")
    app.add_template_global(UrlPattern, "url_pattern")
    app.add_template_global(labels.escalation_label, "escalation_label")
    app.add_template_global(labels.warning_html, "warning_html")
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
                "timer_state_label": lambda code: labels.label(labels.TIMER_STATES, code),
                "timer_kind_label": lambda code: labels.label(labels.TIMER_KINDS, code),
                "stage_state_label": lambda code: labels.label(labels.STAGE_STATES, code),
                "audit_label": lambda code: labels.label(labels.AUDIT_KINDS, code),
                "notice_kind_label": lambda code: labels.label(labels.NOTICE_KINDS, code),
                "unread_count": _unread_count,  # called by the templates that show it, not on every render
                "current_path": request.full_path.rstrip("?") if request else "/"}
