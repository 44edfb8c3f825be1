"""Workbooks as agency systems save them (issue 10, workbook level), through `read_sheets` and `parse_upload`.

- a formula whose saved result is an empty string (=IFERROR(B4/C4,"") saved by Excel, WPS, LibreOffice) is a
  blank cell; a formula saved without any result is still refused;
- hidden rows, columns and sheets (system codes, VALID# markers, internal ids, an old year) are not read and
  never give the period; the analyst is told which held content;
- a sheet of words only (instructions, whatever its name) beside tables is a note, not a refusal;
- CSV in GBK, UTF-8 and UTF-8 with BOM.
Expected numbers are the ones written into each file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from domain.model import Registry
from domain.registry import load_registry
from loaders import messages as msg
from loaders import workbook
from loaders.ingest import ParseOutcome, parse_upload
from loaders.workbook import Hidden, read_sheets, scan_sheet_xml, xls_hidden

CORPUS = Path(__file__).resolve().parent / "corpus"
OCT = dt.date(2026, 10, 31)


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


def save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def book(rows: list[list], sheet: str = "Sheet1") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    return wb


def with_sheet_xml(content: bytes, old: bytes, new: bytes) -> bytes:
    """Replace one cell's XML in sheet1.xml, as another program would have saved it."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            dst.writestr(info.filename, data)
    return out.getvalue()


def values(out: ParseOutcome) -> dict[tuple[str, str], float]:
    rows = out.observations.select("indicator_code", "region_code", "value").rows()
    got = {(code, region): value for code, region, value in rows}
    assert len(got) == len(rows)
    return got


def problems(out: ParseOutcome) -> list[tuple[str, str, str, str]]:
    return [(p.severity, p.sheet, p.cell, p.message) for p in out.problems]


# -- A.1 a formula whose saved result is an empty string --------------------------------------------------

RATE_ROWS = [["武汉市科技型企业获贷情况（2026年10月）"], ["地区", "科技型企业获贷家数（家）", "科技型企业获贷率（%）"],
             ["江岸区", 50, 25], ["江汉区", 40, 0]]
C4_WRITTEN = b'<c r="C4" t="n"><v>0</v></c>'


def rate_book(c4: bytes) -> bytes:
    return with_sheet_xml(save(book(RATE_ROWS)), C4_WRITTEN, c4)


def test_iferror_saved_as_an_empty_string_is_a_blank_cell(reg):
    # How Excel and WPS save =IFERROR(…,"") when the division fails: a text cell with an empty cached value.
    content = rate_book(b'<c r="C4" s="0" t="str"><f>IFERROR(B4/D4*100,"")</f><v></v></c>')
    assert read_sheets(content, "x.xlsx")[0].rows[3] == ["江汉区", 40, None]
    out = parse_upload(content, "获贷率.xlsx", reg)
    assert out.problems == []
    assert values(out) == {("tech_firm_borrowers", "420102"): 50.0, ("tech_firm_borrowers", "420103"): 40.0,
                           ("tech_firm_loan_access_rate", "420102"): 25.0}


def test_iferror_with_a_saved_number_reads_the_number(reg):
    content = rate_book(b'<c r="C4"><f>IFERROR(B4/D4*100,"")</f><v>12.5</v></c>')
    assert values(parse_upload(content, "获贷率.xlsx", reg))[("tech_firm_loan_access_rate", "420103")] == 12.5


@pytest.mark.parametrize("c4", [
    b'<c r="C4"><f>IFERROR(B4/D4*100,"")</f></c>',  # no <v> at all
    b'<c r="C4"><f>IFERROR(B4/D4*100,"")</f><v/></c>',
    b'<c r="C4"><f>IFERROR(B4/D4*100,"")</f><v></v></c>',  # openpyxl: an empty <v> in a number cell
    b'<c r="C4" t="n"><f t="shared" ref="C4:C5" si="0"/><v></v></c>',
], ids=["no-v", "v-self-closed", "empty-v-number-cell", "shared-formula"])
def test_a_formula_saved_without_its_result_is_still_refused(reg, c4):
    out = parse_upload(rate_book(c4), "获贷率.xlsx", reg)
    assert [p.message for p in out.errors] == [msg.formulas_without_values("获贷率.xlsx", ["C4"])]
    assert out.observations.is_empty()


# -- A.2 hidden system rows, columns and sheets -------------------------------------------------------------


def system_book() -> Workbook:
    """A government system's export: row 1 (hidden) a VALID# marker with an old period, column A (hidden)
    区划代码, column D (hidden) an internal id, column E (hidden) last year's 获贷家数, row 6 (hidden) a
    checksum row; the visible title has no period (the file name gives 2026年10月)."""
    wb = book([
        ["VALID#2019年12月#420100#v3"],
        [None, "武汉市科技型企业贷款情况表"],
        ["区划代码", "地区", "科技型企业贷款余额（亿元）", "内部ID", "科技型企业获贷家数（家）"],
        [420102, "江岸区", 12.5, "ID-0001", 300],
        [420103, "江汉区", 13.5, "ID-0002", 310],
        ["CHECKSUM", "江汉区", 999, "#", 999],
    ], sheet="贷款")
    ws = wb.active
    for r in (1, 6):
        ws.row_dimensions[r].hidden = True
    for c in "ADE":
        ws.column_dimensions[c].hidden = True
    return wb


def test_hidden_rows_and_columns_are_not_read_and_do_not_give_the_period(reg):
    out = parse_upload(save(system_book()), "202610_科技贷款.xlsx", reg)
    assert out.ok
    assert out.period == OCT  # not 2019年12月 from the hidden marker
    assert values(out) == {("tech_loan_balance", "420102"): 12.5, ("tech_loan_balance", "420103"): 13.5}
    assert problems(out) == [("warning", "贷款", "", msg.hidden_cells_ignored([1, 6], ["A", "D", "E"]))]
    assert msg.hidden_cells_ignored([1, 6], ["A", "D", "E"]).startswith("第1、6行和A、D、E列是隐藏的")


def test_hidden_flags_as_written_by_excel(reg):
    # Excel writes min/max first and hidden="1"; LibreOffice writes hidden="true"; both count.
    xml = (b'<worksheet><cols><col min="2" max="3" width="0" hidden="1" customWidth="1"/>'
           b'<col min="5" max="5" hidden="true"/></cols><sheetData><row r="4" spans="1:3" hidden="true">'
           b'<c r="A4"><v>1</v></c></row><row r="7" hidden="1"/></sheetData></worksheet>')
    assert workbook._hidden_in(xml) == Hidden(frozenset({3, 6}), frozenset({1, 2, 4}))


def test_hidden_rows_on_the_big_sheet_path(reg, monkeypatch):
    wb = book([["武汉市“金种子”“银种子”企业名录（截至2026年10月末）"],
               ["序号", "企业名称", "类别", "所在区", "系统编码"],
               [1, "武汉甲科技有限公司", "金种子", "江岸区", "S-01"],
               [2, "武汉乙科技有限公司", "银种子", "江汉区", "S-02"],
               [3, "武汉丙科技有限公司（已出库）", "银种子", "江汉区", "S-03"],
               [4, "武汉丁科技有限公司", "金种子", "江汉区", "S-04"]], sheet="名录")
    wb.active.row_dimensions[5].hidden = True
    wb.active.column_dimensions["E"].hidden = True
    content = save(wb)
    slow = parse_upload(content, "金种子.xlsx", reg)
    monkeypatch.setattr(workbook, "BIG_SHEET_XML_BYTES", 0)
    assert read_sheets(content, "金种子.xlsx")[0].frame is not None
    fast = parse_upload(content, "金种子.xlsx", reg)
    for out in (slow, fast):
        assert problems(out) == [("warning", "名录", "", msg.hidden_cells_ignored([5], ["E"]))]
        assert out.registers["seed_firms"]["name"].to_list() == ["武汉甲科技有限公司", "武汉乙科技有限公司",
                                                                "武汉丁科技有限公司"]
        assert values(out) == {("seed_firms", "420100"): 3.0, ("seed_firms", "420102"): 1.0,
                               ("seed_firms", "420103"): 2.0}


def test_hidden_sheet_is_not_read_and_said(reg):
    wb = book([["武汉市科技型企业贷款情况表（2026年10月）"], ["地区", "科技型企业贷款余额（亿元）"], ["江岸区", 12.5]])
    codes = wb.create_sheet("代码表")
    codes.append(["420102", "江岸区", 1])
    codes.sheet_state = "hidden"
    wb.create_sheet("空白").sheet_state = "veryHidden"  # an empty hidden sheet: nothing to say
    out = parse_upload(save(wb), "贷款.xlsx", reg)
    assert problems(out) == [("warning", "代码表", "", msg.HIDDEN_SHEET_SKIPPED)]
    assert values(out) == {("tech_loan_balance", "420102"): 12.5}


def test_hidden_rows_and_columns_of_an_xls():
    # Written by LibreOffice (tests/corpus/make_corpus.py, system_book): rows 1 and 9 and columns A, D, E hidden.
    content = (CORPUS / "wb_system_hidden_lo_202610.xls").read_bytes()
    assert content[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    assert xls_hidden(content) == {"贷款": Hidden(frozenset({0, 8}), frozenset({0, 3, 4}))}
    sheet = read_sheets(content, "x.xls")[0]
    assert (sheet.hidden_rows, sheet.hidden_cols) == ([0, 8], [0, 3, 4])
    assert sheet.rows[4] == [None, "江岸区", 123400, None, None, 45600]
    assert sheet.rows[0] == sheet.rows[8] == [None] * 6


def test_no_hidden_flags_no_change():
    content = save(book(RATE_ROWS))
    assert scan_sheet_xml(content, "x.xlsx") == {}
    sheet = read_sheets(content, "x.xlsx")[0]
    assert (sheet.hidden_rows, sheet.hidden_cols, sheet.hidden) == ([], [], False)
    assert xls_hidden(b"not an ole file") == {}


# -- A.3 instructions first, one table per sheet -------------------------------------------------------------

INSTRUCTIONS = [["填报说明"], [1, "请于每月5日前报送上月数据。"], [2, "金额单位为亿元，保留两位小数。"],
                [3, "2019年版模板已停用。"]]


def multi_sheet_book(instructions_name: str) -> bytes:
    wb = book(INSTRUCTIONS, sheet=instructions_name)
    loans = wb.create_sheet("贷款余额")
    for row in [["武汉市科技型企业贷款余额（2026年10月）"], ["地区", "科技型企业贷款余额（亿元）"],
                ["江岸区", 12.5], ["江汉区", 13.5], ["合计", 26]]:
        loans.append(row)
    borrowers = wb.create_sheet("获贷家数")
    for row in [["武汉市科技型企业获贷家数（2026年10月）"], ["地区", "科技型企业获贷家数（家）"],
                ["江岸区", 300], ["江汉区", 310]]:
        borrowers.append(row)
    seeds = wb.create_sheet("金种子")
    for row in [["“金种子”企业名录（截至2026年10月末）"], ["序号", "企业名称", "类别", "所在区"],
                [1, "武汉甲科技有限公司", "金种子", "江岸区"]]:
        seeds.append(row)
    return save(wb)


MULTI_VALUES = {("tech_loan_balance", "420102"): 12.5, ("tech_loan_balance", "420103"): 13.5,
                ("tech_loan_balance", "420100"): 26.0, ("tech_firm_borrowers", "420102"): 300.0,
                ("tech_firm_borrowers", "420103"): 310.0, ("seed_firms", "420100"): 1.0,
                ("seed_firms", "420102"): 1.0}


def test_instructions_then_one_table_per_sheet(reg):
    out = parse_upload(multi_sheet_book("填报说明"), "报表.xlsx", reg)
    assert out.problems == []
    assert out.period == OCT
    assert values(out) == MULTI_VALUES
    assert out.registers["seed_firms"].height == 1


def test_instructions_under_another_name_are_a_note(reg):
    out = parse_upload(multi_sheet_book("说明（请先阅读）"), "报表.xlsx", reg)
    assert out.ok
    assert problems(out) == [("warning", "说明（请先阅读）", "", msg.NO_TABLE_IN_SHEET)]
    assert out.period == OCT  # 2019年版 in the instructions is no period
    assert values(out) == MULTI_VALUES


def test_a_sheet_of_words_alone_is_refused(reg):
    out = parse_upload(save(book(INSTRUCTIONS, sheet="封面")), "报表.xlsx", reg)
    assert problems(out) == [("error", "封面", "", msg.UNRECOGNISED_SHEET)]


def test_a_table_that_cannot_be_read_beside_read_sheets_is_still_refused(reg):
    wb = book([["武汉市科技型企业贷款余额（2026年10月）"], ["地区", "科技型企业贷款余额（亿元）"], ["江岸区", 12.5]])
    deposits = wb.create_sheet("存款")
    for row in [["武汉市存款情况（2026年10月）"], ["地区", "存款余额"], ["江岸区", 100]]:
        deposits.append(row)
    out = parse_upload(save(wb), "报表.xlsx", reg)
    assert problems(out) == [("error", "存款", "", msg.UNRECOGNISED_SHEET)]


# -- A.4 CSV encodings ----------------------------------------------------------------------------------------

FUNDS_CSV = ("武汉市股权投资基金名录（截至2026年10月末）,,,,\r\n"
             "序号,基金名称,基金类型,注册地,认缴规模（万元）\r\n"
             '1,光谷种子基金,种子基金,东湖高新区,"12,345"\r\n'
             "2,江岸产业基金,产业基金,江岸区,50000\r\n"
             "数据来源：市财政局,,,,\r\n")


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_csv_register_in_each_encoding(reg, encoding):
    content = FUNDS_CSV.encode(encoding)
    assert content.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    out = parse_upload(content, "基金名录.csv", reg)
    assert out.problems == []
    assert out.agency == "市财政局"
    assert out.registers["funds"]["name"].to_list() == ["光谷种子基金", "江岸产业基金"]
    # 12,345万元 = 1.2345亿元; 50,000万元 = 5亿元
    assert values(out) == pytest.approx({("equity_fund_size", "420100"): 6.2345, ("equity_fund_size", "WH_DHGX"): 1.2345,
                                         ("equity_fund_size", "420102"): 5.0, ("venture_capital_size", "420100"): 1.2345,
                                         ("venture_capital_size", "WH_DHGX"): 1.2345})
