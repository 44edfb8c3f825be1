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
import zlib
from dataclasses import dataclass

MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # all parts together, unpacked
MAX_PART_RATIO = 200  # unpacked / packed for one part; real sheets compress ~10×
MAX_ROWS = 500_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')
# A formula cell without a value: <c r="B5"><f>SUM(B2:B4)</f></c>, …<f t="shared" si="0"/></c>, …</f><v /></c>
_FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]+\d+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>')


class UnreadableFile(ValueError):
    """The file cannot be read as a spreadsheet; str(self) is the Chinese message for the analyst."""


def check_container(content: bytes, file_name: str) -> None:
    """Refuse what must not be unpacked; returns quietly for a plausible workbook."""
    lower = file_name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        if content.startswith(OLE_MAGIC):
            # Excel stores a password-protected .xlsx inside an OLE container.
            raise UnreadableFile(f"「{file_name}」设置了打开密码（已加密），系统无法读取。"
                                 "请在 Excel 中取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后另存再上传。")
        if not content.startswith(ZIP_MAGIC):
            raise UnreadableFile(f"「{file_name}」不是有效的 Excel 文件（内容不是 .xlsx 格式，可能是改了扩展名的其他文件）。"
                                 "请用 Excel 打开后另存为 .xlsx 再上传。")
        _check_zip(content, file_name)
    elif lower.endswith(".xls") and not content.startswith(OLE_MAGIC):
        if content.startswith(ZIP_MAGIC):
            return  # an .xlsx saved with the wrong extension; calamine detects the format itself
        raise UnreadableFile(f"「{file_name}」不是有效的 .xls 文件（可能是改了扩展名的其他文件）。"
                             "请用 Excel 打开后另存为 .xlsx 再上传。")


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
        raise UnreadableFile(f"「{file_name}」文件不完整或已损坏（{e}），可能是下载或拷贝中断。请重新获取原文件后上传。") from e
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES or any(
            i.compress_size and i.file_size / i.compress_size > MAX_PART_RATIO and i.file_size > 10_000_000
            for i in infos):
        raise UnreadableFile(f"「{file_name}」解压后体积异常（{total / 1048576:,.0f} MB，而文件本身只有"
                             f"{len(content) / 1048576:.1f} MB），疑似压缩炸弹，系统拒绝读取。请确认文件来源后重新导出。")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(f"「{file_name}」是压缩文件但不是 Excel 工作簿。请上传 .xlsx 文件。")
    for info in _sheet_infos(infos):
        try:
            with archive.open(info) as part:
                m = _DIMENSION.search(part.read(4096))
        except (zipfile.BadZipFile, EOFError, OSError) as e:
            raise UnreadableFile(f"「{file_name}」文件不完整或已损坏（{e}）。请重新获取原文件后上传。") from e
        if m and int(m[1]) > MAX_ROWS:
            raise UnreadableFile(f"「{file_name}」有工作表约 {int(m[1]):,} 行，超过单表 {MAX_ROWS:,} 行的上限。"
                                 "请按月份或地区拆分后分别上传。")


def _sheet_infos(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    return [i for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]


def check_formulas(content: bytes, file_name: str) -> None:
    """Refuse formula cells saved without their values (readers would see them empty).

    Unpacks every sheet part, so it runs after check_container; for big sheets it runs in a thread
    beside the reading itself (zlib releases the GIL)."""
    if not content.startswith(ZIP_MAGIC):
        return
    archive = zipfile.ZipFile(io.BytesIO(content))
    for info in _sheet_infos(archive.infolist()):
        try:
            body = archive.read(info)
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as e:
            raise UnreadableFile(f"「{file_name}」文件不完整或已损坏（{e}）。请重新获取原文件后上传。") from e
        missing = _FORMULA_NO_VALUE.findall(body) if b"<f" in body else []
        if missing:
            cells = "、".join(c.decode() for c in missing[:5]) + ("等" if len(missing) > 5 else "")
            raise UnreadableFile(f"「{file_name}」中的公式单元格（{cells}）没有保存计算结果，系统无法读取其数值。"
                                 "请在 Excel 中打开该文件，确认公式已计算后保存，再重新上传。")
