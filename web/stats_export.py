"""Any table of the statistics page as an Excel workbook: the same rows the page shows, numbers as numbers."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .board_export import sheet_title
from .stats_tables import Cell, Table

RED_TEXT = Font(color="C00000", bold=True)


def _value(cell: Cell):
    if cell.value is None:
        return None
    if cell.kind == "percent":
        return round(cell.value / 100, 4)
    return cell.value


def table_workbook(table: Table, heading: str) -> bytes:
    """One sheet: a heading line (period and filters), the header row, the rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(table.title)
    sheet.append([heading])
    sheet.append(table.columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F0FE")
    for row in table.rows:
        sheet.append([_value(c) for c in row])
        for written, cell in zip(sheet[sheet.max_row], row):
            if cell.kind == "percent":
                written.number_format = "0.00%"
            elif cell.kind in ("amount", "days"):
                written.number_format = "#,##0.00"
            if cell.alert:
                written.font = RED_TEXT
    sheet.column_dimensions["A"].width = 40
    for letter in "BCDEFG":
        sheet.column_dimensions[letter].width = 16
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
