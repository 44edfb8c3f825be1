"""The look of an agency's workbook, for the files this project writes: the demo's monthly files
(loaders/demo.py), the committed test fixtures (tests/fixtures/make_fixtures.py) and the templates
(loaders/templates.py).

A title merged over the table, the 单位 line in the table's last column, a bold header, and notes
merged across the table under it. Writing only: nothing here reads a file.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet


def merged_title(ws: Worksheet, title: str, width: int) -> None:
    """The title on the sheet's next row, merged over `width` columns, large, bold and centred."""
    ws.append([title])
    row = ws.max_row
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row, 1).font = Font(bold=True, size=14)
    ws.cell(row, 1).alignment = Alignment(horizontal="center")


def table_head(ws: Worksheet, title: str, unit_line: str | None, header: list[str]) -> int:
    """Title merged over the table, the 单位 line (if any) in its last column, the header in bold.

    Returns the header's row (1-based)."""
    width = len(header)
    merged_title(ws, title, width)
    if unit_line:
        ws.append([None] * (width - 1) + [unit_line])
    ws.append(header)
    row = ws.max_row
    for c in range(1, width + 1):
        ws.cell(row, c).font = Font(bold=True)
    return row


def merged_notes(ws: Worksheet, notes: list[str], width: int) -> None:
    """Each note on its own row, merged across the table's `width` columns."""
    for note in notes:
        ws.append([note])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
