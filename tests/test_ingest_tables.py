"""Agency workbooks → observations and register rows, through `parse_upload` (loaders/ingest.py, tables.py).

Every workbook here is real .xlsx bytes written with openpyxl (or CSV bytes in UTF-8 / GBK), shaped
like the files agencies send: a merged title with the period, a 单位 line, a header, a 合计 row,
region names spelt several ways, notes under the table. Expected numbers are worked out by hand in
each test (万元 ÷ 10000 = 亿元).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import random
import re
import struct
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook

from domain.model import Registry
from domain.registry import load_registry
from loaders.ingest import ParseOutcome, parse_upload

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OCT = dt.date(2026, 10, 31)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


# -- helpers ---------------------------------------------------------------------------------------


def xlsx(rows: list[list], merges: tuple[str, ...] = (), sheet: str = "Sheet1") -> bytes:
    """Real .xlsx bytes: rows appended from A1, then the merged ranges."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pad(row: list, width: int) -> list:
    return row + [None] * (width - len(row))


def values(outcome: ParseOutcome) -> dict[tuple[str, str], float]:
    """(indicator, region) → value, checking no pair appears twice."""
    rows = outcome.observations.select("indicator_code", "region_code", "value").rows()
    out = {(code, region): value for code, region, value in rows}
    assert len(out) == len(rows), "an (indicator, region) pair appears twice"
    return out


def origins(outcome: ParseOutcome) -> dict[tuple[str, str], str]:
    rows = outcome.observations.select("indicator_code", "region_code", "origin").rows()
    return {(code, region): origin for code, region, origin in rows}


def assert_values(outcome: ParseOutcome, expected: dict[tuple[str, str], float]) -> None:
    got = values(outcome)
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-12, abs=1e-9), key


LOANS_TITLE = "武汉市科技型企业贷款情况表（2026年10月）"
LOANS_HEADER = ["地区", "科技型企业贷款余额", "科技型企业获贷家数（家）"]
LOANS_NOTES = ["注：1.科技型企业包括高新技术企业、科技型中小企业等；2.贷款余额为月末数。", "数据来源：人行武汉分行营管部"]


def loans_rows(total_loans: str = "1,000,000", title: str = LOANS_TITLE) -> list[list]:
    """PBOC style. Row 1 title, row 2 单位 line, row 3 header, row 4 合计, rows 5-7 units, rows 8-9 notes.

    Units in 万元: 612,345 + 237,655 + 150,000 = 1,000,000; borrowers 300 + 180 + 120 = 600.
    """
    return [
        [title, None, None],
        [None, None, "单位：万元"],
        LOANS_HEADER,
        ["合计", total_loans, 600],
        ["光谷", "612,345", "300"],
        ["江岸", "237,655", 180],
        ["武汉经济技术开发区", "150,000", "120"],
        [LOANS_NOTES[0], None, None],
        [LOANS_NOTES[1], None, None],
    ]


LOANS_MERGES = ("A1:C1", "A8:C8", "A9:C9")


# -- 4a. PBOC style -----------------------------------------------------------------------------------


def test_pboc_table_values_regions_origins(reg):
    out = parse_upload(xlsx(loans_rows(), LOANS_MERGES), "人行_科技型企业贷款.xlsx", reg)
    assert out.errors == []
    assert out.warnings == []
    assert out.ok
    assert_values(out, {
        # 万元 → 亿元: ÷ 10000
        ("tech_loan_balance", "420100"): 100.0,
        ("tech_loan_balance", "WH_DHGX"): 61.2345,
        ("tech_loan_balance", "420102"): 23.7655,
        ("tech_loan_balance", "WH_JKQ"): 15.0,
        # 家: the 单位：万元 line must not touch a count column
        ("tech_firm_borrowers", "420100"): 600.0,
        ("tech_firm_borrowers", "WH_DHGX"): 300.0,
        ("tech_firm_borrowers", "420102"): 180.0,
        ("tech_firm_borrowers", "WH_JKQ"): 120.0,
    })
    assert origins(out) == {
        ("tech_loan_balance", "420100"): "Sheet1!B4", ("tech_firm_borrowers", "420100"): "Sheet1!C4",
        ("tech_loan_balance", "WH_DHGX"): "Sheet1!B5", ("tech_firm_borrowers", "WH_DHGX"): "Sheet1!C5",
        ("tech_loan_balance", "420102"): "Sheet1!B6", ("tech_firm_borrowers", "420102"): "Sheet1!C6",
        ("tech_loan_balance", "WH_JKQ"): "Sheet1!B7", ("tech_firm_borrowers", "WH_JKQ"): "Sheet1!C7",
    }
    assert out.observations["period"].to_list() == [OCT] * 8
    assert out.observations["is_computed"].to_list() == [False] * 8
    assert out.period == OCT
    assert out.agency == "人行武汉分行营管部"
    assert out.registers == {}


def test_pboc_total_differing_by_more_than_half_a_percent_warns(reg):
    # 1,006,000 vs 1,000,000: 6,000 / 1,006,000 = 0.596% > 0.5%
    out = parse_upload(xlsx(loans_rows("1,006,000"), LOANS_MERGES), "loans.xlsx", reg)
    assert out.errors == []
    assert len(out.warnings) == 1
    message = out.warnings[0].message
    assert "合计" in message
    assert "科技型企业贷款余额" in message
    assert "Sheet1!B4" in message
    # The reported total is kept, not replaced by the sum.
    assert values(out)[("tech_loan_balance", "420100")] == pytest.approx(100.6)


def test_pboc_total_within_half_a_percent_is_quiet(reg):
    # 1,004,000 vs 1,000,000: 4,000 / 1,004,000 = 0.398% ≤ 0.5%
    out = parse_upload(xlsx(loans_rows("1,004,000"), LOANS_MERGES), "loans.xlsx", reg)
    assert out.problems == []
    assert values(out)[("tech_loan_balance", "420100")] == pytest.approx(100.4)


def test_total_of_zero_against_nonzero_units_is_refused_without_crashing(reg):
    # A unit above its 合计 cannot be (the data contract: parts ≤ whole); the 合计 ≠ sum warning still comes, and
    # its percentage gap of a 0 total does not divide by zero.
    rows = [["武汉市科技型企业获贷情况（2026年10月）", None], ["地区", "科技型企业获贷家数"],
            ["合计", 0], ["江岸区", 5], ["江汉区", 7]]
    out = parse_upload(xlsx(rows), "x.xlsx", reg)
    assert [(p.cell, p.value) for p in out.errors] == [("B4", "5"), ("B5", "7")]
    assert all("武汉市的合计" in p.message and "B3" in p.message for p in out.errors)
    assert len(out.warnings) == 1
    assert "合计" in out.warnings[0].message
    assert out.observations.is_empty()


def test_total_row_named_全市_at_the_bottom(reg):
    rows = [["武汉市科技型企业获贷情况（2026年10月）", None], ["地区", "科技型企业获贷家数"],
            ["江岸区", 5], ["江汉区", 7], ["全市", 12]]
    out = parse_upload(xlsx(rows), "x.xlsx", reg)
    assert out.problems == []
    assert values(out)[("tech_firm_borrowers", "420100")] == 12.0
    assert origins(out)[("tech_firm_borrowers", "420100")] == "Sheet1!B5"


@pytest.mark.parametrize(("label", "region"), [("全市", "420100"), ("武汉市合计", "420100"), ("全省合计", "420000"),
                                               ("湖北省合计", "420000")])
def test_total_row_alone_names_its_region(reg, label, region):
    # No unit rows to take the level from: the label itself says which region the total is.
    rows = [["科技型企业获贷家数（2026年10月）", None], ["地区", "科技型企业获贷家数"], [label, 321]]
    out = parse_upload(xlsx(rows), "x.xlsx", reg)
    assert out.problems == []
    assert values(out) == {("tech_firm_borrowers", region): 321.0}


def test_bare_合计_without_units_is_an_error(reg):
    rows = [["科技型企业获贷家数（2026年10月）", None], ["地区", "科技型企业获贷家数"], ["合计", 321]]
    out = parse_upload(xlsx(rows), "x.xlsx", reg)
    assert [(p.cell, p.value) for p in out.errors] == [("A3", "合计")]


def test_values_without_a_region_name_are_an_error(reg):
    rows = loans_rows()
    rows[6][0] = None  # A7: 150,000 and 120 with no region
    out = parse_upload(xlsx(rows, LOANS_MERGES), "loans.xlsx", reg)
    assert [p.cell for p in out.errors] == ["A7"]


def test_second_column_for_the_same_indicator_is_ignored_with_a_warning(reg):
    rows = [["武汉市科技型企业贷款情况表（2026年10月）", None, None],
            ["地区", "科技型企业贷款余额（亿元）", "科技企业贷款余额（亿元）"], ["江岸区", 23.5, 99.9]]
    out = parse_upload(xlsx(rows), "x.xlsx", reg)
    assert out.errors == []
    assert [p.cell for p in out.warnings] == ["C2"]
    assert values(out) == {("tech_loan_balance", "420102"): 23.5}


# -- 4b. unknown region --------------------------------------------------------------------------------


def test_unknown_region_is_a_question_at_its_cell_with_a_suggestion(reg):
    # Issue 10 item 3: it was an error refusing the file; now the analyst is asked which region it is.
    rows = loans_rows()
    rows[5][0] = "江岸去"  # row 6, column A
    out = parse_upload(xlsx(rows, LOANS_MERGES), "loans.xlsx", reg)
    assert not out.ok and out.errors == []
    assert [(q.kind, q.sheet, q.cell, q.value) for q in out.questions] == [("region", "Sheet1", "A6", "江岸去")]
    assert out.questions[0].suggestions[0].label == "江岸区"
    assert "420102" not in set(out.observations["region_code"])  # the row gives nothing until answered


# -- 4c. unknown column ---------------------------------------------------------------------------------


def test_column_matching_no_indicator_warns_and_others_are_read(reg):
    rows = [pad(r, 4) for r in loans_rows()]
    rows[2][3] = "同比增速（%）"
    for r, growth in zip(range(3, 7), ["12.5", 20.1, -3.2, "8.0"], strict=True):
        rows[r][3] = growth
    out = parse_upload(xlsx(rows, ("A1:D1", "A8:D8", "A9:D9")), "loans.xlsx", reg)
    assert out.errors == []
    assert len(out.warnings) == 1
    assert "同比增速" in out.warnings[0].message
    assert "跳过" in out.warnings[0].message
    got = values(out)
    assert len(got) == 8
    assert got[("tech_loan_balance", "WH_DHGX")] == pytest.approx(61.2345)
    assert got[("tech_firm_borrowers", "WH_JKQ")] == 120.0
    assert {code for code, _ in got} == {"tech_loan_balance", "tech_firm_borrowers"}


# -- 4d. unrecognised sheets, text in number cells, dashes ---------------------------------------------


def test_sheet_without_any_known_column_is_an_error(reg):
    rows = [["武汉市存款情况（2026年10月）", None, None], ["地区", "存款余额", "网点数"], ["江岸区", 100, 5]]
    out = parse_upload(xlsx(rows, sheet="存款"), "deposits.xlsx", reg)
    assert not out.ok
    assert len(out.errors) == 1
    assert out.errors[0].sheet == "存款"
    assert "没有找到可识别" in out.errors[0].message
    assert out.observations.is_empty()


def test_text_in_a_number_cell_is_an_error_at_that_cell(reg):
    rows = loans_rows()
    rows[5][1] = "待统计"  # B6
    out = parse_upload(xlsx(rows, LOANS_MERGES), "loans.xlsx", reg)
    assert not out.ok
    assert [(p.cell, p.value) for p in out.errors] == [("B6", "待统计")]
    assert "数值" in out.errors[0].message


def test_dash_in_a_number_cell_means_no_value(reg):
    rows = loans_rows("762,345")  # 合计 = 612,345 + 150,000: 江岸 has no figure
    rows[5][1] = "—"
    out = parse_upload(xlsx(rows, LOANS_MERGES), "loans.xlsx", reg)
    assert out.problems == []
    got = values(out)
    assert ("tech_loan_balance", "420102") not in got
    assert got[("tech_firm_borrowers", "420102")] == 180.0
    assert got[("tech_loan_balance", "420100")] == pytest.approx(76.2345)
    assert len(got) == 7


def test_sheets_named_说明_are_skipped(reg):
    wb = Workbook()
    wb.active.title = "填报说明"
    wb.active.append(["科技型企业贷款余额：填月末余额"])
    ws = wb.create_sheet("Sheet1")
    for row in loans_rows():
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    out = parse_upload(buf.getvalue(), "loans.xlsx", reg)
    assert out.problems == []
    assert len(values(out)) == 8


# -- 4e. period -----------------------------------------------------------------------------------------


def test_period_from_file_name_when_title_has_none(reg):
    rows = loans_rows(title="武汉市科技型企业贷款情况表")
    out = parse_upload(xlsx(rows, LOANS_MERGES), "202610_人行_科技贷款.xlsx", reg)
    assert out.errors == []
    assert out.period == OCT
    assert set(out.observations["period"].to_list()) == {OCT}


def test_title_period_wins_over_file_name(reg):
    rows = loans_rows(title="武汉市科技型企业贷款情况表（2026年9月）")
    out = parse_upload(xlsx(rows, LOANS_MERGES), "202610_人行_科技贷款.xlsx", reg)
    assert out.period == dt.date(2026, 9, 30)


def test_period_from_sheet_name(reg):
    rows = loans_rows(title="武汉市科技型企业贷款情况表")
    out = parse_upload(xlsx(rows, LOANS_MERGES, sheet="2026年8月"), "科技贷款.xlsx", reg)
    assert out.errors == []
    assert out.period == dt.date(2026, 8, 31)


def test_no_period_anywhere_is_a_question(reg):
    # Issue 10 item 3: it was an error refusing the file; now the analyst is asked which month it is.
    rows = loans_rows(title="武汉市科技型企业贷款情况表")
    out = parse_upload(xlsx(rows, LOANS_MERGES), "科技贷款.xlsx", reg)
    assert not out.ok and out.errors == []
    assert [(q.kind, q.sheet, q.cell) for q in out.questions] == [("period", "Sheet1", "")]
    months = [s.code for s in out.questions[0].suggestions]
    assert months == sorted(months, reverse=True) and len(months) == 3  # recent months, latest first
    assert out.observations.is_empty()
    assert out.period is None


# -- 4f. Hubei by 市州 ---------------------------------------------------------------------------------


def test_hubei_table_by_city(reg):
    rows = [["湖北省科技金融主要指标（分市州）2026年9月", None, None], [None, None, "单位：亿元、家"],
            ["市州", "科技型中小企业获贷家数（家）", "科技型中小企业贷款余额（亿元）"],
            ["武汉市", 5000, 1200.5], ["恩施州", 300, 40.25], ["宜昌", 700, "99.25"], ["神农架林区", 0, 0],
            ["全省合计", 6000, 1340]]
    out = parse_upload(xlsx(rows, ("A1:C1",)), "hubei.xlsx", reg)
    assert out.problems == []
    assert out.period == dt.date(2026, 9, 30)
    assert_values(out, {
        ("tech_sme_borrowers", "420100"): 5000, ("tech_sme_loan_balance", "420100"): 1200.5,
        ("tech_sme_borrowers", "422800"): 300, ("tech_sme_loan_balance", "422800"): 40.25,
        ("tech_sme_borrowers", "420500"): 700, ("tech_sme_loan_balance", "420500"): 99.25,
        ("tech_sme_borrowers", "429021"): 0, ("tech_sme_loan_balance", "429021"): 0,
        # 全省合计 → 湖北省; 1200.5 + 40.25 + 99.25 + 0 = 1340
        ("tech_sme_borrowers", "420000"): 6000, ("tech_sme_loan_balance", "420000"): 1340,
    })
    assert origins(out)[("tech_sme_loan_balance", "420000")] == "Sheet1!C8"


# -- 4g. registers ------------------------------------------------------------------------------------


SEED_HEADER = ["序号", "企业名称", "类别", "梯队层级", "所属行业", "所在区", "入库日期"]


def seed_rows(extra_notes: list[list] | None = None) -> tuple[list[list], tuple[str, ...]]:
    rows = [
        pad(["武汉市“金种子”“银种子”企业名录（截至2026年10月末）"], 7),
        SEED_HEADER,
        [1, "武汉甲科技有限公司", "金种子", "冲刺层", "光电子信息", "东湖高新区", dt.date(2021, 5, 6)],
        [2, "武汉乙科技有限公司", "银种子", "孵化层", "生物医药", "光谷", "2025-03-01"],
        [3, "武汉丙科技有限公司", "银种子", "加速层", "人工智能", "江岸区", "2025年3月1日"],
        [4, "武汉丁科技有限公司", "金种子", "加速层", "新材料", "武汉经开区", None],
        [5, "武汉戊科技有限公司", "银种子", "孵化层", "新材料", "江岸", dt.datetime(2026, 10, 9, 0, 0)],
        pad(["注："], 7),
        pad(["1.梯队层级分为孵化层、加速层、冲刺层；已上市企业出库。"], 7),
        pad(["2.按入库日期排序。"], 7),
        pad(["填报单位：市委金融办"], 7),
    ]
    merges = ("A1:G1", "A8:G8", "A9:G9", "A10:G10", "A11:G11")
    return rows + (extra_notes or []), merges


def test_seed_firm_register_rows_and_counts(reg):
    rows, merges = seed_rows()
    out = parse_upload(xlsx(rows, merges), "金种子银种子企业名录.xlsx", reg)
    assert out.problems == []
    assert out.period == OCT
    assert out.agency == "市委金融办"
    assert list(out.registers) == ["seed_firms"]
    frame = out.registers["seed_firms"]
    assert frame.columns == ["row_no", "origin", "name", "category", "tier", "industry", "region_code", "selected_on"]
    assert frame.rows() == [
        (3, "Sheet1!B3", "武汉甲科技有限公司", "金种子", "冲刺层", "光电子信息", "WH_DHGX", dt.date(2021, 5, 6)),
        (4, "Sheet1!B4", "武汉乙科技有限公司", "银种子", "孵化层", "生物医药", "WH_DHGX", dt.date(2025, 3, 1)),
        (5, "Sheet1!B5", "武汉丙科技有限公司", "银种子", "加速层", "人工智能", "420102", dt.date(2025, 3, 1)),
        (6, "Sheet1!B6", "武汉丁科技有限公司", "金种子", "加速层", "新材料", "WH_JKQ", None),
        (7, "Sheet1!B7", "武汉戊科技有限公司", "银种子", "孵化层", "新材料", "420102", dt.date(2026, 10, 9)),
    ]
    # Counted by hand: 东湖高新区 2 (东湖高新区, 光谷), 江岸区 2, 经开区 1; 5 for the city.
    assert values(out) == {("seed_firms", "WH_DHGX"): 2.0, ("seed_firms", "420102"): 2.0,
                           ("seed_firms", "WH_JKQ"): 1.0, ("seed_firms", "420100"): 5.0}
    assert out.observations["is_computed"].all()
    assert set(out.observations["period"].to_list()) == {OCT}


def test_register_row_without_district_counts_for_the_city_only(reg):
    rows, merges = seed_rows()
    rows[6][5] = None  # 武汉戊 (江岸) loses its 所在区: F7
    out = parse_upload(xlsx(rows, merges), "金种子.xlsx", reg)
    assert out.errors == []
    assert [(p.cell, "全市" in p.message) for p in out.warnings] == [("F7", True)]
    assert values(out) == {("seed_firms", "WH_DHGX"): 2.0, ("seed_firms", "420102"): 1.0,
                           ("seed_firms", "WH_JKQ"): 1.0, ("seed_firms", "420100"): 5.0}


def test_register_unknown_district_is_asked_with_a_wuhan_district_first(reg):
    # An unknown 所在区 is a question (issue 10: asked once per spelling, at its first cell), not a refusal.
    rows, merges = seed_rows()
    rows[4][5] = "江岸去"  # F5
    out = parse_upload(xlsx(rows, merges), "金种子.xlsx", reg)
    assert out.errors == [] and not out.ok
    [q] = out.questions
    assert (q.kind, q.cell, q.value) == ("region", "F5", "江岸去") and q.suggestions[0].code == "420102"


def test_register_duplicate_name_warns(reg):
    rows, merges = seed_rows()
    rows[6][1] = "武汉甲科技有限公司"  # B7 repeats B3
    out = parse_upload(xlsx(rows, merges), "金种子.xlsx", reg)
    assert out.errors == []
    assert [(p.cell, "第3行" in p.message) for p in out.warnings] == [("B7", True)]


def test_fund_register_converts_万元_and_sums_by_type(reg):
    rows = [
        pad(["武汉市股权投资基金名录（截至2026年10月末）"], 7),
        ["序号", "基金名称", "基金类型", "基金管理人", "注册地", "认缴规模（万元）", "备案日期"],
        [1, "A种子基金", "种子基金", "光谷金控", "东湖高新区", "12,345", dt.date(2021, 5, 6)],
        [2, "B天使基金", "天使基金", "长江资本", "光谷", 50000, dt.date(2022, 1, 1)],
        [3, "C创投基金", "创业投资基金", "湖北高投", "江岸区", 20000.5, dt.date(2023, 1, 1)],
        [4, "D产业基金", "产业基金", "武汉投控集团", "江岸区", 100000, dt.date(2024, 1, 1)],
        [5, "E并购基金", "并购基金", "武汉金控集团", "洪山区", "30,000", dt.date(2025, 1, 1)],
        pad(["数据来源：市财政局"], 7),
    ]
    out = parse_upload(xlsx(rows, ("A1:G1", "A8:G8")), "基金名录.xlsx", reg)
    assert out.problems == []
    assert out.agency == "市财政局"
    sizes = out.registers["funds"].select("name", "size_yi_yuan").rows()
    # 12,345万元 = 1.2345亿元; 50,000 = 5; 20,000.5 = 2.00005; 100,000 = 10; 30,000 = 3
    assert [n for n, _ in sizes] == ["A种子基金", "B天使基金", "C创投基金", "D产业基金", "E并购基金"]
    assert [s for _, s in sizes] == pytest.approx([1.2345, 5.0, 2.00005, 10.0, 3.0])
    assert_values(out, {
        # equity_fund_size: every fund. 1.2345 + 5 + 2.00005 + 10 + 3 = 21.23455
        ("equity_fund_size", "420100"): 21.23455,
        ("equity_fund_size", "WH_DHGX"): 6.2345,  # 1.2345 + 5
        ("equity_fund_size", "420102"): 12.00005,  # 2.00005 + 10
        ("equity_fund_size", "420111"): 3.0,
        # venture_capital_size: 种子基金、天使基金、创业投资基金 only. 1.2345 + 5 + 2.00005 = 8.23455
        ("venture_capital_size", "420100"): 8.23455,
        ("venture_capital_size", "WH_DHGX"): 6.2345,
        ("venture_capital_size", "420102"): 2.00005,
    })
    assert out.observations["is_computed"].all()


# -- 4h. CSV encodings ----------------------------------------------------------------------------------


CSV_TEXT = (
    "武汉市科技型企业贷款情况表（2026年10月）,,\r\n"
    ",,单位：万元\r\n"
    "地区,科技型企业贷款余额,科技型企业获贷家数（家）\r\n"
    '合计,"1,000,000",600\r\n'
    '光谷,"612,345",300\r\n'
    '江岸,"237,655",180\r\n'
    '武汉经济技术开发区,"150,000",120\r\n'
    "数据来源：人行武汉分行营管部,,\r\n"
)
CSV_VALUES = {
    ("tech_loan_balance", "420100"): 100.0, ("tech_loan_balance", "WH_DHGX"): 61.2345,
    ("tech_loan_balance", "420102"): 23.7655, ("tech_loan_balance", "WH_JKQ"): 15.0,
    ("tech_firm_borrowers", "420100"): 600.0, ("tech_firm_borrowers", "WH_DHGX"): 300.0,
    ("tech_firm_borrowers", "420102"): 180.0, ("tech_firm_borrowers", "WH_JKQ"): 120.0,
}


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_each_encoding_gives_the_same_observations(reg, encoding):
    content = CSV_TEXT.encode(encoding)
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            content.decode("utf-8")  # the test really exercises the GBK fallback
    out = parse_upload(content, "loans.csv", reg)
    assert out.problems == []
    assert out.period == OCT
    assert out.agency == "人行武汉分行营管部"
    assert_values(out, CSV_VALUES)
    assert origins(out)[("tech_loan_balance", "WH_DHGX")] == "loans!B5"


def test_csv_gbk_and_utf8_bom_frames_are_identical(reg):
    gbk = parse_upload(CSV_TEXT.encode("gbk"), "loans.csv", reg)
    bom = parse_upload(CSV_TEXT.encode("utf-8-sig"), "loans.csv", reg)
    assert not gbk.observations.is_empty()
    assert gbk.observations.equals(bom.observations)


def test_csv_matches_the_same_table_as_xlsx(reg):
    book = parse_upload(xlsx(loans_rows(), LOANS_MERGES), "loans.xlsx", reg)
    text = parse_upload(CSV_TEXT.encode("gbk"), "loans.csv", reg)
    assert values(book) == values(text)


# -- 4i. files that are not spreadsheets ----------------------------------------------------------------


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


RANDOM = b"\xff\xfe" + random.Random(20261031).randbytes(4096)  # 0xFF: invalid in UTF-8 and in GB18030


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (_png(), "科技贷款.xlsx", "不是有效的 Excel 文件"),
        (b"", "科技贷款.xlsx", "0 字节"),
        (b"", "科技贷款.csv", "0 字节"),
        (RANDOM, "科技贷款.xlsx", "不是有效的 Excel 文件"),
        (RANDOM, "科技贷款.xls", "不是有效的 .xls 文件"),
        (RANDOM, "科技贷款.csv", "编码无法识别"),
        (b"PK\x03\x04" + RANDOM, "科技贷款.xlsx", "不完整或已损坏"),  # a broken zip
        (b"%PDF-1.7\n", "科技贷款.pdf", "不是支持的文件类型"),
    ],
    ids=["png-as-xlsx", "empty-xlsx", "empty-csv", "random-xlsx", "random-xls", "random-csv", "broken-zip", "pdf"],
)
def test_unreadable_files_are_rejected_with_a_chinese_message(reg, content, name, fragment):
    out = parse_upload(content, name, reg)
    assert not out.ok
    assert len(out.errors) == 1
    message = out.errors[0].message
    assert fragment in message
    assert CHINESE.search(message)
    assert out.errors[0].file == name
    assert out.observations.is_empty()
    assert out.registers == {}
    assert out.period is None


def test_workbook_with_only_empty_sheets_is_rejected(reg):
    out = parse_upload(xlsx([]), "空表.xlsx", reg)
    assert not out.ok
    assert "没有任何数据" in out.errors[0].message


# -- 4j. percentages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([0.123, 0.2], [12.3, 20.0]),  # fractions, as Excel stores a cell formatted as %
        (["12.3%", "20%"], [12.3, 20.0]),  # text with a percent sign
        ([0.123, "20%"], [12.3, 20.0]),  # both in one column
        ([12.3, 20], [12.3, 20.0]),  # already in percent: untouched
    ],
    ids=["fractions", "percent-text", "mixed", "percent-numbers"],
)
def test_percent_column(reg, cells, expected):
    rows = [["武汉市科技型企业获贷率（2026年10月）", None], ["地区", "科技型企业获贷率"],
            ["江岸区", cells[0]], ["江汉区", cells[1]]]
    out = parse_upload(xlsx(rows), "rate.xlsx", reg)
    assert out.problems == []
    assert_values(out, {("tech_firm_loan_access_rate", "420102"): expected[0],
                        ("tech_firm_loan_access_rate", "420103"): expected[1]})


def test_percent_total_is_not_reconciled_as_a_sum(reg):
    # A rate's 合计 (15%) is no sum of the units' rates (12.3% + 20%): no warning.
    rows = [["武汉市科技型企业获贷率（2026年10月）", None], ["地区", "科技型企业获贷率（%）"],
            ["合计", 15], ["江岸区", 12.3], ["江汉区", "20%"]]
    out = parse_upload(xlsx(rows), "rate.xlsx", reg)
    assert out.problems == []
    assert values(out)[("tech_firm_loan_access_rate", "420100")] == 15.0


# -- units in headings --------------------------------------------------------------------------------


def test_unit_in_heading_overrides_the_unit_line(reg):
    rows = [["武汉市科技型企业贷款情况表（2026年10月）", None], [None, "单位：万元"],
            ["地区", "科技型企业贷款余额(亿元)"], ["江岸区", 23.5], ["江汉区", "1,234.5"]]
    out = parse_upload(xlsx(rows), "x.xlsx", reg)
    assert out.problems == []
    assert values(out) == {("tech_loan_balance", "420102"): 23.5, ("tech_loan_balance", "420103"): 1234.5}


def test_heading_unit_of_the_wrong_kind_is_an_error(reg):
    rows = [["武汉市科技型企业贷款情况表（2026年10月）", None], ["地区", "科技型企业贷款余额（家）"],
            ["江岸区", 23.5]]
    out = parse_upload(xlsx(rows), "x.xlsx", reg)
    assert [p.cell for p in out.errors] == ["B2"]
    assert "单位" in out.errors[0].message


# -- notes and signature lines under a table -------------------------------------------------------------


def test_signature_line_spread_over_cells_is_a_note(reg):
    # 填报人 / 审核人 / 联系电话 / 填报日期 typed in separate cells, one of them in a number column.
    rows = [*loans_rows(), ["填报人：张三", "审核人：李四", "联系电话：027-85000000"],
            [None, "填报日期：2026年11月5日", None]]
    out = parse_upload(xlsx(rows, LOANS_MERGES), "loans.xlsx", reg)
    assert out.problems == []
    assert len(values(out)) == 8


def test_short_numbered_notes_under_a_register_are_notes(reg):
    rows, merges = seed_rows([pad(["3.无。"], 7), pad(["（4）市级认定。"], 7),
                              ["填报人：张三", None, "审核人：李四", None, "联系电话：027-85000000", None, None]])
    out = parse_upload(xlsx(rows, (*merges, "A12:G12", "A13:G13")), "金种子.xlsx", reg)
    assert out.problems == []
    assert out.registers["seed_firms"].height == 5
    assert values(out)[("seed_firms", "420100")] == 5.0


# -- 5. committed fixtures shaped like real agency files ------------------------------------------------


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BASIC_FIXTURES = ["pboc_loans_202610.xlsx", "hubei_cities_202609.xlsx", "seed_firms_202610.xlsx",
                  "funds_202610.xlsx", "products_202610.csv"]
# other shapes (make_layout_fixtures.py): two header rows, regions across, months across, .xls
LAYOUT_FIXTURES = ["hubei_two_row_header_202608.xlsx", "loans_regions_across_2026.xlsx",
                   "borrowers_months_across_2026.xlsx", "pboc_loans_202609.xls"]
FIXTURE_NAMES = BASIC_FIXTURES + LAYOUT_FIXTURES


def _as_expected(out: ParseOutcome, name: str) -> dict:
    obs = sorted(({"indicator_code": r["indicator_code"], "region_code": r["region_code"],
                   "period": f"{r['period']:%Y-%m}", "value": round(r["value"], 6)}
                  for r in out.observations.iter_rows(named=True)),
                 key=lambda o: (o["indicator_code"], o["region_code"]))
    return {"file": name, "period": f"{out.period:%Y-%m}" if out.period else None, "agency": out.agency,
            "warnings": len(out.warnings), "registers": {t: f.height for t, f in out.registers.items()},
            "observations": obs}


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_ingests_to_its_expected_observations(reg, name):
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    out = parse_upload((FIXTURES / name).read_bytes(), name, reg)
    assert out.errors == []
    assert _as_expected(out, name) == expected


def test_products_fixture_is_really_gbk():
    content = (FIXTURES / "products_202610.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert "汉融通" in content.decode("gbk")


def test_committed_expectations_match_the_generator():
    generator = _load_generator()
    assert sorted(generator.FIXTURES) == sorted(BASIC_FIXTURES)
    for name, build in generator.FIXTURES.items():
        _, expected = build()
        committed = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
        assert committed == expected, f"{name}: re-run tests/fixtures/make_fixtures.py and commit the outputs"


def test_layout_fixture_expectations_match_their_generator():
    spec = importlib.util.spec_from_file_location("make_layout_fixtures", FIXTURES / "make_layout_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert sorted(module.FIXTURES) == sorted(LAYOUT_FIXTURES)
    for name, build in module.FIXTURES.items():
        _, expected = build()
        assert json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8")) == expected, name


def test_xls_fixture_is_really_the_old_binary_format():
    assert (FIXTURES / "pboc_loans_202609.xls").read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")


def test_register_rows_in_a_district_reported_by_another_count_there(reg):
    rows, merges = seed_rows([])
    rows[2][5] = "汉南区"  # first firm: 汉南区 is reported inside 武汉经开区
    out = parse_upload(xlsx(rows, merges), "金种子.xlsx", reg)
    assert out.ok
    assert out.registers["seed_firms"]["region_code"][0] == "WH_JKQ"
    assert ("seed_firms", "420113") not in values(out)


def test_a_filled_in_date_line_does_not_set_the_period(reg):
    # 填报日期 above the table is the day the form was filled in; the file name gives the month.
    rows = [["填报日期：2026年11月5日"], ["地区", "科技型企业贷款余额（亿元）"], ["江岸区", 12.5]]
    out = parse_upload(xlsx(rows, ()), "202610_科技贷款.xlsx", reg)
    assert out.ok and out.period == OCT


def test_row_number_column_and_chinese_numbered_notes_are_quiet(reg):
    rows = [["武汉市科技型企业贷款情况（2026年10月）"], ["序号", "地区", "科技型企业贷款余额（亿元）"],
            [1, "江岸区", 12.5], [2, "江汉区", 13.5], ["一、本表为月末数。"]]
    out = parse_upload(xlsx(rows, ()), "loans.xlsx", reg)
    assert out.problems == []
    assert sorted(values(out).values()) == [12.5, 13.5]
