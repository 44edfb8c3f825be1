"""Raw cell grids from .xlsx/.xlsm/.xls/.csv bytes, whatever shape the table inside has.

calamine (Rust) reads every Excel format quickly and returns plain Python values; merged header
cells come back as their top-left value, which `fill_merged` spreads over the merged area.
Government systems hide rows, columns and sheets that hold codes and markers (VALID#, internal ids, an old
year): hidden cells are blanked before any table is looked for, and the sheet says which held content.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import fastexcel
import polars as pl
import python_calamine as calamine

from loaders import messages as msg
from loaders.guards import _REL, _SHEET, MAX_ROWS, OLE_MAGIC, ZIP_MAGIC, UnreadableFile, check_container, sheet_parts

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
    hidden: bool = False  # the sheet itself is hidden: not read (its cells are still here, for the note)
    hidden_rows: list[int] = field(default_factory=list)  # zero-based hidden rows / columns that held content,
    hidden_cols: list[int] = field(default_factory=list)  # blanked here

    def has_content(self) -> bool:
        return self.frame is not None or any(v is not None for row in self.rows for v in row)

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
            scan = pool.submit(scan_sheet_xml, content, file_name)
            try:
                sheets = _read_book(content, file_name, parts)
            finally:
                scan_error = scan.exception()
        if scan_error is not None:
            raise scan_error
        return _blank_hidden(sheets, scan.result())
    hidden = scan_sheet_xml(content, file_name) if content.startswith(ZIP_MAGIC) else xls_hidden(content)
    return _blank_hidden(_read_book(content, file_name, parts), hidden)


# A formula cell and what is saved after it: <c r="B5"><f>SUM(B2:B4)</f></c>, …<f t="shared" si="0"/></c>,
# …</f><v></v></c>. An empty <v> is a cached empty string only in a text cell (t="str": =IFERROR(B5/C5,"") as
# Excel, WPS and LibreOffice save it); openpyxl writes an empty <v> for every formula it could not compute.
_FORMULA = re.compile(
    rb'<c r="([A-Z]+\d+)"([^>]*)>\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(<v\s*/>|<v></v>)?\s*</c>')
_TEXT_TYPE = re.compile(rb'\st="str"')
_ROW_TAG = re.compile(rb"<row\b([^>]*)>")
_COL_TAG = re.compile(rb"<col\b([^>]*)>")
_HIDDEN = re.compile(rb'\shidden="(?:1|true)"')
_R = re.compile(rb'\sr="(\d+)"')
_MIN = re.compile(rb'\smin="(\d+)"')
_MAX = re.compile(rb'\smax="(\d+)"')


@dataclass(frozen=True)
class Hidden:
    rows: frozenset[int] = frozenset()  # zero-based
    cols: frozenset[int] = frozenset()


def scan_sheet_xml(content: bytes, file_name: str) -> dict[str, Hidden]:
    """Refuse formula cells saved without their values (readers would see them empty); return each sheet's
    hidden rows and columns. Unpacks every sheet part, so it runs after check_container; for big sheets it
    runs in a thread beside the reading itself (zlib releases the GIL)."""
    if not content.startswith(ZIP_MAGIC):
        return {}
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = _sheet_names(archive)
    out: dict[str, Hidden] = {}
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        try:
            body = archive.read(info)
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as e:
            raise UnreadableFile(msg.truncated(file_name, e)) from e
        if b"<f" in body:
            missing = [ref.decode() for ref, attrs, empty in _FORMULA.findall(body)
                       if not (empty and _TEXT_TYPE.search(attrs))]
            if missing:
                raise UnreadableFile(msg.formulas_without_values(file_name, missing))
        if b"hidden=" in body and info.filename in names:
            out[names[info.filename]] = _hidden_in(body)
    return out


def _hidden_in(body: bytes) -> Hidden:
    rows, cols = set(), set()
    previous = 0
    for attrs in _ROW_TAG.findall(body):
        m = _R.search(attrs)
        previous = int(m[1]) if m else previous + 1  # r may be left out: rows then follow each other
        if _HIDDEN.search(attrs):
            rows.add(previous - 1)
    head = body.split(b"<sheetData", 1)[0]  # <cols> comes before the cells
    for attrs in _COL_TAG.findall(head):
        low, high = _MIN.search(attrs), _MAX.search(attrs)
        if low and high and _HIDDEN.search(attrs):
            cols.update(range(int(low[1]) - 1, min(int(high[1]), 16384)))
    return Hidden(frozenset(rows), frozenset(cols))


def xls_hidden(content: bytes) -> dict[str, Hidden]:
    """Each sheet's hidden rows and columns in an .xls (BIFF8): calamine reads the cells but not these flags.
    Anything this small reader cannot follow (an old BIFF5 file, a damaged container) gives no flags."""
    try:
        stream = _ole_stream(content, ("Workbook", "Book"))
        return _biff_hidden(stream) if stream else {}
    except (struct.error, IndexError, UnicodeDecodeError, ValueError):
        return {}


_END = 0xFFFFFFFA  # sector numbers from here up mark the end of a chain (and free or FAT sectors)


def _ole_stream(content: bytes, names: tuple[str, ...]) -> bytes | None:
    """One stream of an OLE compound file (the container of .xls): header, FAT, directory, mini stream."""
    if not content.startswith(OLE_MAGIC):
        return None
    size = 1 << struct.unpack_from("<H", content, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", content, 0x20)[0]
    n_fat, first_dir, _, cutoff, first_minifat, _, first_difat, n_difat = struct.unpack_from("<8I", content, 0x2C)

    def sector(i: int) -> bytes:
        return content[(i + 1) * size:(i + 2) * size]

    difat = list(struct.unpack_from("<109I", content, 0x4C))
    d = first_difat
    for _ in range(n_difat):
        if d >= _END:
            break
        ids = struct.unpack(f"<{size // 4}I", sector(d))
        difat += ids[:-1]
        d = ids[-1]
    fat: list[int] = []
    for i in difat[:n_fat]:
        fat += struct.unpack(f"<{size // 4}I", sector(i))

    def chain(start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        while start < min(_END, len(table)) and len(out) <= len(table):  # a looping chain stops
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(i) for i in chain(first_dir, fat))
    entries, root = {}, (0, 0)
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at:at + 128]
        name = entry[:max(struct.unpack_from("<H", entry, 64)[0] - 2, 0)].decode("utf-16-le")
        start, length = struct.unpack_from("<II", entry, 116)
        if entry[66] == 5:
            root = (start, length)
        elif entry[66] == 2:
            entries[name] = (start, length)
    name = next((n for n in names if n in entries), None)
    if name is None:
        return None
    start, length = entries[name]
    if length >= cutoff:
        return b"".join(sector(i) for i in chain(start, fat))[:length]
    mini_stream = b"".join(sector(i) for i in chain(root[0], fat))
    minifat_bytes = b"".join(sector(i) for i in chain(first_minifat, fat))
    minifat = list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes))
    return b"".join(mini_stream[i * mini_size:(i + 1) * mini_size] for i in chain(start, minifat))[:length]


def _biff_hidden(stream: bytes) -> dict[str, Hidden]:
    """BOUNDSHEET records name the sheets and where each starts; in a sheet, ROW records carry the hidden flag
    (0x20 of their options) and COLINFO records the hidden columns (0x01)."""
    def records(pos: int):
        while pos + 4 <= len(stream):
            kind, length = struct.unpack_from("<HH", stream, pos)
            yield kind, stream[pos + 4:pos + 4 + length]
            if kind == 0x000A:  # EOF of the globals or of a sheet
                return
            pos += 4 + length

    sheets = []
    for kind, data in records(0):
        if kind == 0x0085:  # BOUNDSHEET
            cch, flags = data[6], data[7]
            name = data[8:8 + 2 * cch].decode("utf-16-le") if flags & 1 else data[8:8 + cch].decode("latin-1")
            sheets.append((struct.unpack_from("<I", data)[0], name))
    out = {}
    for offset, name in sheets:
        rows, cols = set(), set()
        for kind, data in records(offset):
            if kind == 0x0208 and len(data) >= 16 and struct.unpack_from("<H", data, 12)[0] & 0x20:
                rows.add(struct.unpack_from("<H", data)[0])
            elif kind == 0x007D and len(data) >= 10 and struct.unpack_from("<H", data, 8)[0] & 0x01:
                first, last = struct.unpack_from("<HH", data)
                cols.update(range(first, min(last, 255) + 1))
        if rows or cols:
            out[name] = Hidden(frozenset(rows), frozenset(cols))
    return out


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part path (xl/worksheets/sheet1.xml) → the sheet's name."""
    import html

    names = set(archive.namelist())
    if not {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= names:
        return {}  # not an Excel workbook (an .ods is a zip too)
    rels = {}
    for m in _REL.finditer(archive.read("xl/_rels/workbook.xml.rels")):
        target, rid = (m[1], m[2]) if m[1] else (m[4], m[3])
        path = target.decode().lstrip("/")
        rels[rid.decode()] = path if path.startswith("xl/") else f"xl/{path}"
    return {rels[m[2].decode()]: html.unescape(m[1].decode())
            for m in _SHEET.finditer(archive.read("xl/workbook.xml")) if m[2].decode() in rels}


def _blank_hidden(sheets: list[Sheet], hidden: dict[str, Hidden]) -> list[Sheet]:
    """Blank the cells of hidden rows and columns (after merged areas are filled, so a title merged over a
    hidden column keeps its visible part), and keep which of them held content."""
    for sheet in sheets:
        h = hidden.get(sheet.name)
        if h is None or not (h.rows or h.cols):
            continue
        if sheet.frame is not None:
            _blank_frame(sheet, h)
            continue
        rows_seen, cols_seen = set(), set()
        for r, row in enumerate(sheet.rows):
            for c, v in enumerate(row):
                if v is not None and (r in h.rows or c in h.cols):
                    if r in h.rows:
                        rows_seen.add(r)
                    else:
                        cols_seen.add(c)
                    row[c] = None
        sheet.hidden_rows, sheet.hidden_cols = sorted(rows_seen), sorted(cols_seen)
    return sheets


def _blank_frame(sheet: Sheet, h: Hidden) -> None:
    """The same for a big sheet read as text: frame row i is sheet row row_offset + i."""
    frame = sheet.frame
    assert frame is not None
    cols = {f"c{c - sheet.col_offset}" for c in h.cols} & set(frame.columns)
    rows = sorted(r - sheet.row_offset for r in h.rows if 0 <= r - sheet.row_offset < frame.height)
    sheet.hidden_cols = sorted(c for c in h.cols if f"c{c - sheet.col_offset}" in cols
                               and frame[f"c{c - sheet.col_offset}"].is_not_null().any())
    in_rows = pl.int_range(pl.len()).is_in(rows)
    sheet.hidden_rows = sorted(r + sheet.row_offset for r in
                               frame.with_row_index("_r").filter(pl.col("_r").is_in(rows))
                               .filter(pl.any_horizontal(pl.exclude("_r").is_not_null()))["_r"].to_list())
    sheet.frame = frame.with_columns(
        [pl.lit(None, pl.String).alias(c) if c in cols else pl.when(in_rows).then(None).otherwise(pl.col(c)).alias(c)
         for c in frame.columns])
    head = [[None if v in (None, "") else v for v in row] for row in sheet.frame.head(HEAD_ROWS).rows()]
    sheet.rows = head


def _read_book(content: bytes, file_name: str, parts: dict) -> list[Sheet]:
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except calamine.PasswordError as e:  # an encrypted .xls or .ods (an encrypted .xlsx is refused by the guards)
        raise UnreadableFile(msg.encrypted(file_name)) from e
    except Exception as e:  # calamine raises several error types for a damaged or foreign file
        raise UnreadableFile(msg.unreadable_book(file_name, e)) from e
    sheets = []
    hidden_sheets = {m.name for m in book.sheets_metadata if m.visible != calamine.SheetVisibleEnum.Visible}
    for name in book.sheet_names:
        part = parts.get(name)
        if part is not None and part.xml_bytes > BIG_SHEET_XML_BYTES:
            sheets.append(_big_sheet(content, file_name, name, part.first_row, part.first_col))
            sheets[-1].hidden = name in hidden_sheets
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
        sheet = Sheet(name=name, rows=[[None if v == "" else v for v in r] for r in rows], merged=merged,
                      hidden=name in hidden_sheets)
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
