"""Values that cannot be true are refused (errors, not warnings), each at its sheet and cell, through the real
upload path: real .xlsx and .csv bytes written here, read by `parse_upload` and written (or not) by `ingest`.

A negative balance or count, NaN and infinity (typed as text or stored as a number cell), a number of 10,000
digits, a period after the current month (domain.clock), a CSV field over the csv module's 131,072
characters. A message quotes at most a short excerpt of a long value.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from domain import clock
from loaders import workbook
from loaders.ingest import ingest, parse_upload
from store import Store
from tests.agency_files import loans_file

NOW = dt.datetime(2026, 10, 15, 9, 30)  # the clock of most tests: October 2026 is the current month


def xlsx(rows: list[list], sheet: str = "Sheet1") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    return "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows).encode(encoding)


def loans(values: list[object], title: str = "武汉市科技型企业贷款情况表（2026年10月）") -> list[list]:
    """Title, unit line, header, then 江岸区 / 江汉区 / 硚口区 with `values` in column B (rows 4–6)."""
    names = ["江岸区", "江汉区", "硚口区"]
    return [[title], ["单位：亿元"], ["地区", "科技型企业贷款余额"], *[[n, v] for n, v in zip(names, values, strict=True)]]


def with_number_cells(content: bytes, replacements: dict[bytes, bytes]) -> bytes:
    """Rewrite number cells' stored text in sheet1.xml (<v>1.5</v> → <v>NaN</v>): what a program that
    writes a float NaN or infinity into a workbook leaves there (Excel itself never does)."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                for old, new in replacements.items():
                    assert old in data
                    data = data.replace(old, new)
            dst.writestr(info.filename, data)
    return out.getvalue()


def where(problems) -> list[tuple[str, str]]:
    return [(p.sheet, p.cell) for p in problems]


@pytest.fixture(autouse=True)
def october_2026():
    with clock.frozen(NOW):
        yield


# -- negative balances and counts ------------------------------------------------------------------------


def test_a_negative_balance_is_refused_at_its_cell_and_nothing_is_written(registry, tmp_path):
    store = Store(tmp_path / "t.duckdb")
    before = store.counts()
    report = ingest(store, xlsx(loans([120.5, "-35.2", 88.0]), sheet="贷款"), "loans.xlsx", registry)
    assert report.status == "rejected"
    errors = report.outcome.errors
    assert where(errors) == [("贷款", "B5")]
    assert errors[0].value == "-35.2"
    assert "科技型企业贷款余额不能为负数" in errors[0].message and "-35.2亿元" in errors[0].message
    assert report.outcome.warnings == []  # refused, not warned about
    assert store.counts() == before


def test_an_accounting_negative_count_is_refused_too(registry):
    rows = [["武汉市科技型企业获贷情况（2026年10月）"], ["地区", "科技型企业获贷家数"], ["江岸区", 12], ["江汉区", "(3)"]]
    out = parse_upload(xlsx(rows), "x.xlsx", registry)
    assert where(out.errors) == [("Sheet1", "B4")]
    assert "不能为负数" in out.errors[0].message and "-3家" in out.errors[0].message


def test_zero_is_a_true_value(registry):
    out = parse_upload(xlsx(loans([0, 0.0, "0"])), "x.xlsx", registry)
    assert out.ok and out.observations["value"].to_list() == [0.0, 0.0, 0.0]


# -- NaN and infinity --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["NaN", "nan", "inf", "-Infinity", "#NUM!"])
def test_nan_and_infinity_typed_in_a_csv_are_refused(registry, text):
    out = parse_upload(csv_bytes(loans([120.5, text, 88.0])), "贷款202610.csv", registry)
    assert where(out.errors) == [("贷款202610", "B5")]
    assert "不是有效数值" in out.errors[0].message
    assert out.observations.is_empty()


def test_nan_and_infinity_stored_as_number_cells_are_refused(registry):
    # The three cells hold numbers calamine reads as float NaN, +inf and -inf; each is one error, and -inf is
    # said to be no number (not also "negative").
    content = with_number_cells(xlsx(loans([1.5, 2.5, 3.5])),
                                {b"<v>1.5</v>": b"<v>NaN</v>", b"<v>2.5</v>": b"<v>INF</v>", b"<v>3.5</v>": b"<v>-inf</v>"})
    out = parse_upload(content, "x.xlsx", registry)
    assert where(out.errors) == [("Sheet1", "B4"), ("Sheet1", "B5"), ("Sheet1", "B6")]
    assert all("不是有效数值" in p.message for p in out.errors)


def test_nan_in_a_big_register_read_column_by_column_is_caught_by_the_contract(registry, monkeypatch):
    # The columnar reader of big registers (fastexcel → Polars) reads "NaN" as a float NaN itself: the data
    # contract after the load refuses it, at the row of the fund.
    monkeypatch.setattr(workbook, "BIG_SHEET_XML_BYTES", 0)  # every sheet counts as big
    rows = [["武汉市股权投资基金名录（截至2026年10月末）"], ["单位：亿元"],
            ["序号", "基金名称", "基金类型", "基金管理人", "注册地", "认缴规模", "备案日期"],
            [1, "武汉甲基金", "创业投资基金", "甲资本", "江岸区", 12.5, "2025-03-01"],
            [2, "武汉乙基金", "天使基金", "乙资本", "江汉区", "NaN", "2025-04-01"],
            [3, "武汉丙基金", "种子基金", "丙资本", "硚口区", -4, "2025-05-01"]]
    out = parse_upload(xlsx(rows, sheet="基金"), "funds.xlsx", registry)
    assert where(out.errors) == [("基金", "B5"), ("基金", "B6")]
    assert "第5行的认缴规模为 nan" in out.errors[0].message
    assert "第6行的认缴规模为 -4" in out.errors[1].message
    # The fund total computed from those rows is not reported a second time.
    assert len(out.errors) == 2


# -- numbers no true figure has ------------------------------------------------------------------------------


def test_a_number_of_ten_thousand_digits_is_refused_and_quoted_short(registry):
    huge = "9" * 10_000
    for content, name in ((csv_bytes(loans([120.5, huge, 88.0])), "贷款202610.csv"),
                          (xlsx(loans([120.5, huge, 88.0])), "贷款.xlsx")):
        out = parse_upload(content, name, registry)
        assert [p.cell for p in out.errors] == ["B5"]
        err = out.errors[0]
        assert "10,000 位整数" in err.message
        assert err.value == "9" * 30 + "…"
        assert huge[:31] not in err.message + err.value


def test_sixteen_digits_are_too_many_fifteen_are_not(registry):
    out = parse_upload(xlsx(loans([999_999_999_999_999, 1e15, 1])), "x.xlsx", registry)
    assert where(out.errors) == [("Sheet1", "B5")]  # 1e15 has 16 digits; the 15-digit one is a (silly) number
    assert "16 位整数" in out.errors[0].message


def test_a_long_text_in_a_number_cell_is_quoted_as_an_excerpt(registry):
    text = "请见附件说明" * 2000
    out = parse_upload(xlsx(loans([120.5, text, 88.0])), "x.xlsx", registry)
    assert [p.cell for p in out.errors] == ["B5"]
    assert out.errors[0].value == text[:30] + "…"


# -- periods after the current month -------------------------------------------------------------------------


def test_a_file_dated_2099_is_refused_at_its_title(registry, tmp_path):
    store = Store(tmp_path / "t.duckdb")
    report = ingest(store, xlsx(loans([1, 2, 3], title="武汉市科技型企业贷款情况表（2099年12月）")), "loans.xlsx",
                    registry)
    assert report.status == "rejected"
    errors = report.outcome.errors
    assert where(errors) == [("Sheet1", "A1")]
    assert "2099年12月" in errors[0].message and "当前月份（2026年10月）" in errors[0].message
    assert store.counts()["observations"] == 0


def test_next_month_is_refused_this_month_is_not(registry):
    assert parse_upload(loans_file(10, {"江岸区": 5.0}), "a.xlsx", registry).ok
    nov = parse_upload(loans_file(11, {"江岸区": 5.0}), "a.xlsx", registry)
    assert where(nov.errors) == [("Sheet", "A1")]
    with clock.frozen(dt.datetime(2026, 11, 1, 0, 0)):  # a month later, the same file is fine
        assert parse_upload(loans_file(11, {"江岸区": 5.0}), "a.xlsx", registry).ok


def test_a_future_period_in_the_file_name_is_refused_naming_the_file(registry):
    rows = loans([1, 2, 3], title="武汉市科技型企业贷款情况表")
    out = parse_upload(xlsx(rows), "科技贷款_202712.xlsx", registry)
    assert [(p.cell, p.value) for p in out.errors] == [("", "科技贷款_202712.xlsx")]
    assert "2027年12月" in out.errors[0].message


def test_a_future_month_heading_is_refused_at_its_cell_and_the_others_checked(registry):
    # Regions down, months across: the heading of a month to come is refused; the months before it are read
    # and still checked (the negative one too), all in one report.
    rows = [["武汉市科技型企业贷款余额（亿元）"], ["地区", "2026年9月", "2026年10月", "2026年11月"],
            ["江岸区", 100, -1, 102], ["江汉区", 90, 91, 92]]
    out = parse_upload(xlsx(rows), "x.xlsx", registry)
    assert sorted(where(out.errors)) == [("Sheet1", "C3"), ("Sheet1", "D2")]
    assert "2026年11月" in next(p.message for p in out.errors if p.cell == "D2")


def test_a_register_date_after_today_is_refused(registry):
    rows = [["武汉市科技金融专营机构名录（截至2026年10月末）"],
            ["序号", "机构名称", "机构类型", "所属法人机构", "所在区", "设立日期"],
            [1, "甲银行光谷科技支行", "科技支行", "甲银行", "东湖高新区", "2024-05-01"],
            [2, "乙银行江岸科技支行", "科技支行", "乙银行", "江岸区", "2099-01-01"]]
    out = parse_upload(xlsx(rows), "机构.xlsx", registry)
    assert where(out.errors) == [("Sheet1", "B4")]
    assert "第4行的设立日期为 2099-01-01，晚于今天（2026-10-15）" in out.errors[0].message


# -- CSV fields beyond the csv module's limit -------------------------------------------------------------------


def test_a_csv_field_over_131072_characters_gets_a_chinese_message(registry):
    rows = loans([120.5, 130.0, 88.0])
    rows[4][0] = "江汉区" + "很" * 140_000
    out = parse_upload(csv_bytes(rows), "贷款202610.csv", registry)
    assert len(out.errors) == 1
    message = out.errors[0].message
    assert "131,072 个字符" in message and "Traceback" not in message and "field limit" not in message


def test_a_long_field_under_the_limit_is_read_and_quoted_short(registry):
    rows = loans([120.5, 130.0, 88.0])
    rows[4][0] = "江汉区" + "很" * 100_000  # a region name no one knows, 100,003 characters long
    out = parse_upload(csv_bytes(rows), "贷款202610.csv", registry)
    # A name no one knows is a question (issue 10), quoted short, with no suggestion: nothing is near a text
    # that long.
    [q] = out.questions
    assert q.cell == "A5" and len(q.value) == 31 and q.suggestions == ()
    assert not out.errors and not out.ok
