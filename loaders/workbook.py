"""Raw cell grids from .xlsx/.xlsm/.xls/.csv bytes, whatever shape the table inside has.

calamine (Rust) reads every Excel format quickly and returns plain Python values; merged header
cells come back as their top-left value, which `fill_merged` spreads over the merged area.
"""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import fastexcel
import polars as pl
import python_calamine as calamine

from loaders import messages as msg
from loaders.guards import MAX_ROWS, UnreadableFile, check_container, check_formulas, sheet_parts

# A sheet whose XML unpacks to more than this (~20,000 rows) is read in one columnar pass as text
# (fastexcel → Arrow → Polars) instead of cell by cell into Python objects.
BIG_SHEET_XML_BYTES = 3 * 1024 * 1024
HEAD_ROWS = 40  # rows of a big sheet kept as Python lists, for finding its table

__all__ = ["Sheet", "UnreadableFile", "fill_merged", "read_sheets"]


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r0, c0, r1, c1) inclusive
    frame: pl.DataFrame | None = None  # big sheets: every cell as text; `rows` then holds its head only
    row_offset: int = 0  # sheet row (zero-based) of rows[0]: a big sheet may not start at A1
    col_offset: int = 0

    def cell(self, r: int, c: int) -> Any:
        row = self.rows[r] if r < len(self.rows) else []
        return row[c] if c < len(row) else None


EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def read_sheets(content: bytes, file_name: str) -> list[Sheet]:
    lower = file_name.lower()
    if lower.endswith(".csv"):
        return [Sheet(name=file_name.rsplit(".", 1)[0], rows=_read_csv(content))]
    if not lower.endswith(EXCEL_SUFFIXES):
        raise UnreadableFile(msg.unsupported_type(file_name))
    check_container(content, file_name)
    parts = sheet_parts(content) if lower.endswith((".xlsx", ".xlsm")) else {}
    if any(p.xml_bytes > BIG_SHEET_XML_BYTES for p in parts.values()):
        # Scanning a big sheet's XML for unsaved formulas takes a third of reading it: do it alongside.
        with ThreadPoolExecutor(max_workers=1) as pool:
            scan = pool.submit(check_formulas, content, file_name)
            try:
                sheets = _read_book(content, file_name, parts)
            finally:
                scan_error = scan.exception()
        if scan_error is not None:
            raise scan_error
        return sheets
    check_formulas(content, file_name)
    return _read_book(content, file_name, parts)


def _read_book(content: bytes, file_name: str, parts: dict) -> list[Sheet]:
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except calamine.PasswordError as e:  # an encrypted .xls or .ods (an encrypted .xlsx is refused by the guards)
        raise UnreadableFile(msg.encrypted(file_name)) from e
    except Exception as e:  # calamine raises several error types for a damaged or foreign file
        raise UnreadableFile(msg.unreadable_book(file_name, e)) from e
    sheets = []
    for name in book.sheet_names:
        part = parts.get(name)
        if part is not None and part.xml_bytes > BIG_SHEET_XML_BYTES:
            sheets.append(_big_sheet(content, file_name, name, part.first_row, part.first_col))
            continue
        try:
            sh = book.get_sheet_by_name(name)
        except Exception as e:
            raise UnreadableFile(msg.unreadable_sheet(file_name, name, e)) from e
        if sh.total_height > MAX_ROWS:
            raise UnreadableFile(msg.too_many_rows(file_name, sh.total_height, MAX_ROWS, name))
        rows = [list(r) for r in sh.to_python(skip_empty_area=False)]
        merged = []
        for rng in sh.merged_cell_ranges or []:
            (r0, c0), (r1, c1) = rng
            merged.append((r0, c0, r1, c1))
        sheet = Sheet(name=name, rows=[[None if v == "" else v for v in r] for r in rows], merged=merged)
        fill_merged(sheet)
        sheets.append(sheet)
    return sheets


def _big_sheet(content: bytes, file_name: str, name: str, first_row: int, first_col: int) -> Sheet:
    try:
        sheet = fastexcel.read_excel(content).load_sheet(name, header_row=None, dtypes="string")
        frame = sheet.to_polars()
    except Exception as e:  # fastexcel raises its own error types for damaged parts
        raise UnreadableFile(msg.unreadable_sheet(file_name, name, e)) from e
    if frame.height > MAX_ROWS:
        raise UnreadableFile(msg.too_many_rows(file_name, frame.height, MAX_ROWS, name))
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    head = [[None if v in (None, "") else v for v in row] for row in frame.head(HEAD_ROWS).rows()]
    return Sheet(name=name, rows=head, frame=frame, row_offset=first_row, col_offset=first_col)


def fill_merged(sheet: Sheet) -> None:
    """Give every cell of a merged area the area's value (headings merged over several columns)."""
    for r0, c0, r1, c1 in sheet.merged:
        value = sheet.cell(r0, c0)
        for r in range(r0, min(r1, len(sheet.rows) - 1) + 1):
            row = sheet.rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value


def _read_csv(content: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(msg.CSV_ENCODING)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[None if c.strip() == "" else c for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as e:
        # The csv module refuses a field over its limit (131,072 characters: a stray quote swallowing the
        # rest of the file, or no table at all) and a few other malformed lines.
        if "field larger than field limit" in str(e):
            raise UnreadableFile(msg.csv_field_too_long(csv.field_size_limit())) from e
        raise UnreadableFile(msg.csv_unreadable(e)) from e
