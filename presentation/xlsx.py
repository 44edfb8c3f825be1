"""Excel downloads: every table a page offers as .xlsx is written here."""

from __future__ import annotations

import io
from typing import Any

import polars as pl

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text cell starting with one of these is a formula (or becomes one when edited) in Excel and WPS.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: Any) -> None:
    """Text from an upload (a register name, a heading) stays text: never a live formula in a download."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def workbook_bytes(sheets: dict[str, tuple[pl.DataFrame, dict[str, str]]]) -> bytes:
    """An .xlsx with one sheet per register: sheet name → (rows, field → Chinese heading)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, (frame, headings) in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        fields = [f for f in headings if f in frame.columns]
        ws.append([headings[f] for f in fields])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in frame.select(fields).iter_rows():
            ws.append(list(row))
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                inert(cell)
        for i, field in enumerate(fields, start=1):
            letter = ws.cell(row=1, column=i).column_letter
            ws.column_dimensions[letter].width = 44 if field in ("name", "manager", "parent_org") else 16
            if frame.schema[field] == pl.Date:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
