"""The overdue list as an Excel workbook (openpyxl): one sheet, a header row in the page's language, one
row per overdue item with its deadline as a real Excel date-time in Asia/Shanghai."""
from __future__ import annotations

import re
from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from engine.board import BoardItem, OverdueList
from engine.clock import local
from engine.countdown import Countdown

from .labels import content, department_name

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = (14, 36, 22, 28, 18, 12, 12, 26)
DEADLINE_FORMAT = "yyyy-mm-dd hh:mm"
_NOT_IN_SHEET_TITLES = re.compile(r"[\[\]:*?/\\]")


def _headers() -> list[str]:
    return [_("Case no."), _("Case title"), _("Department"), _("Task"), _("Deadline"), _("Days overdue"),
            _("Escalation level"), _("Notice no.")]


def days_overdue(cd: Countdown | None) -> float:
    """How long the deadline has been missed, in days to one decimal (0 for an item not overdue)."""
    if cd is None or not cd.overdue:
        return 0.0
    return round(cd.days + cd.hours / 24 + cd.minutes / 1440, 1)


def sheet_title(text: str) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return _NOT_IN_SHEET_TITLES.sub(" ", text)[:31].strip() or "Sheet1"


def _row(sheet, item: BoardItem) -> list:
    deadline = WriteOnlyCell(sheet, local(item.due_at).replace(tzinfo=None) if item.due_at else None)
    deadline.number_format = DEADLINE_FORMAT
    days = WriteOnlyCell(sheet, days_overdue(item.countdown))
    days.number_format = "0.0"
    return [item.case_no, item.case_title, department_name(item.department_id), content(item.title), deadline,
            days, item.escalation_level, item.notice_no or ""]


def overdue_workbook(listing: OverdueList) -> bytes:
    """The .xlsx file of the overdue list, late first, with column widths, a frozen header and a filter."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(_("Overdue items")))
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(WIDTHS))}{len(listing.items) + 1}"
    header = []
    for text in _headers():
        cell = WriteOnlyCell(sheet, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDECEA")
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    sheet.append(header)
    for item in listing.items:
        sheet.append(_row(sheet, item))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
