"""Checks on an uploaded file's bytes before anything unpacks or parses it.

A workbook is a zip of XML parts (.xlsx/.xlsm) or an OLE compound file (.xls, and any encrypted
Office file). These checks look only at the container's directory and the first bytes of parts,
so a hostile file is refused before it costs memory: a decompression bomb (tiny file, gigabytes
unpacked), a sheet declaring a million rows, an encrypted or truncated workbook, formulas saved
without their values. Every refusal is an UnreadableFile with a Chinese message saying what to do.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from loaders import messages as msg

MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # all parts together, unpacked
MAX_PART_RATIO = 200  # unpacked / packed for one part; real sheets compress ~10×
MAX_ROWS = 500_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


class UnreadableFile(ValueError):
    """The file cannot be read as a spreadsheet; str(self) is the Chinese message for the analyst."""


def check_container(content: bytes, file_name: str) -> None:
    """Refuse what must not be unpacked; returns quietly for a plausible workbook."""
    lower = file_name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        if content.startswith(OLE_MAGIC):
            # Excel stores a password-protected .xlsx inside an OLE container.
            raise UnreadableFile(msg.encrypted_xlsx(file_name))
        if not content.startswith(ZIP_MAGIC):
            raise UnreadableFile(msg.not_xlsx(file_name))
        _check_zip(content, file_name)
    elif lower.endswith(".xls") and not content.startswith(OLE_MAGIC):
        if content.startswith(ZIP_MAGIC):
            return  # an .xlsx saved with the wrong extension; calamine detects the format itself
        raise UnreadableFile(msg.not_xls(file_name))


_SHEET = re.compile(rb'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"')
_REL = re.compile(rb'<Relationship [^>]*?(?:Target="([^"]+)"[^>]*?Id="([^"]+)"|Id="([^"]+)"[^>]*?Target="([^"]+)")')
# A cell with content (styled empty cells, e.g. under a merged title, do not count)
_VALUE_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>/]*>\s*<(?:v|is|f)\b')


@dataclass(frozen=True)
class SheetPart:
    xml_bytes: int  # unpacked size of the sheet's XML: a cheap measure of how big it is
    first_row: int  # zero-based sheet row and column where its cells start
    first_col: int


def sheet_parts(content: bytes) -> dict[str, SheetPart]:
    """Sheet name → size and start of its XML part, for an .xlsx already passed by check_container."""
    import html

    from loaders.cells import col_index

    archive = zipfile.ZipFile(io.BytesIO(content))
    names = {i.filename: i for i in archive.infolist()}
    rels = {}
    for m in _REL.finditer(archive.read("xl/_rels/workbook.xml.rels")):
        target, rid = (m[1], m[2]) if m[1] else (m[4], m[3])
        path = target.decode().lstrip("/")
        rels[rid.decode()] = path if path.startswith("xl/") else f"xl/{path}"
    out = {}
    for m in _SHEET.finditer(archive.read("xl/workbook.xml")):
        part = rels.get(m[2].decode())
        if part not in names:
            continue
        with archive.open(part) as f:
            head = f.read(16384)
        # Where the cells start (readers drop leading empty rows and columns): the first row with
        # content, and the leftmost column used near the top.
        cells = _VALUE_CELL.findall(head)
        row = int(cells[0][1]) - 1 if cells else 0
        col = min((col_index(c.decode()) for c, _ in cells), default=0)
        out[html.unescape(m[1].decode())] = SheetPart(names[part].file_size, row, col)
    return out


def _check_zip(content: bytes, file_name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as e:
        raise UnreadableFile(msg.truncated(file_name, e, on_opening=True)) from e
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES or any(
            i.compress_size and i.file_size / i.compress_size > MAX_PART_RATIO and i.file_size > 10_000_000
            for i in infos):
        raise UnreadableFile(msg.decompression_bomb(file_name, total, len(content)))
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(msg.not_a_workbook(file_name))
    for info in _sheet_infos(infos):
        try:
            with archive.open(info) as part:
                m = _DIMENSION.search(part.read(4096))
        except (zipfile.BadZipFile, EOFError, OSError) as e:
            raise UnreadableFile(msg.truncated(file_name, e)) from e
        if m and int(m[1]) > MAX_ROWS:
            raise UnreadableFile(msg.too_many_rows(file_name, int(m[1]), MAX_ROWS))


def _sheet_infos(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    return [i for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
