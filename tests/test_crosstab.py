"""Tables as cross-tabs (issue 10 items 1 and 5): loaders/crosstab.py through `parse_upload`.

Every table crosses two of {region, month, indicator}, the third from its context. Each workbook here is real
.xlsx bytes written with openpyxl; each test lists every observation the file must give, worked out by hand
(万元 ÷ 10000 = 亿元; 户 = 家), and nothing else. Flows (科创债发行规模, 科技保险保费收入) are stored as each month's
own amount (metrics.changes adds them up to the year so far): a year-to-date figure becomes its month's amount by
difference with the month before.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from domain.model import Registry
from domain.months import month_end
from domain.registry import load_registry
from loaders.crosstab import context_region, label_kind
from loaders.ingest import ParseOutcome, parse_upload
from loaders.names import Matcher
from loaders.periods import flow_convention, month_label_period
from loaders.units import strip_unit, unit_cell, unit_in_heading

WH, HB, JA, JH, DHGX = "420100", "420000", "420102", "420103", "WH_DHGX"


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


def book(rows: list[list], sheet: str = "Sheet1") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(reg: Registry, rows: list[list], name: str = "表.xlsx", sheet: str = "Sheet1") -> ParseOutcome:
    return parse_upload(book(rows, sheet), name, reg)


def M(month: int, year: int = 2026) -> dt.date:
    return month_end(year, month)


def observed(out: ParseOutcome) -> set[tuple]:
    rows = [(o["indicator_code"], o["region_code"], o["period"], round(o["value"], 6))
            for o in out.observations.iter_rows(named=True)]
    assert len(rows) == len(set(rows)), "an observation given twice"
    return set(rows)


def messages(out: ParseOutcome) -> list[str]:
    return [f"{p.severity} {p.cell} {p.message}" for p in out.problems]


# -- 1. months down, indicators across, no region anywhere: the city (or the province, a district) ---------


def test_a_city_monthly_table_is_the_city_month_by_month(reg):
    out = read(reg, [["武汉市科技金融主要指标月度表（2026年）"], ["单位：亿元、家"],
                     ["月份", "科技型企业贷款余额", "科技型企业获贷家数"],
                     ["2026年1月", 1000, 5000], ["2026年2月", 1010.5, 5100], ["2026年3月", 1020, 5150],
                     ["注：数据来源于人行武汉分行营管部。"]])
    assert out.ok and not out.warnings, messages(out)
    assert out.period == M(3)
    assert observed(out) == {
        ("tech_loan_balance", WH, M(1), 1000.0), ("tech_firm_borrowers", WH, M(1), 5000.0),
        ("tech_loan_balance", WH, M(2), 1010.5), ("tech_firm_borrowers", WH, M(2), 5100.0),
        ("tech_loan_balance", WH, M(3), 1020.0), ("tech_firm_borrowers", WH, M(3), 5150.0)}


@pytest.mark.parametrize("labels", [
    ["1月", "2月", "3月"],  # the year from the title
    ["2026-01", "2026-02", "2026-03"],
    ["2026.1", "2026.2", "2026.3"],
    ["202601", "202602", "202603"],
    [dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1), dt.datetime(2026, 3, 1)],
    ["1月末", "2月末", "3月末"],
])
def test_months_down_in_any_spelling(reg, labels):
    rows = [["武汉市科技型企业贷款余额月报（2026年）"], ["月份", "科技型企业贷款余额（万元）"]]
    rows += [[label, value] for label, value in zip(labels, (10_000_000, 10_150_000, 10_300_000), strict=True)]
    out = read(reg, rows)
    assert out.ok and not out.warnings, messages(out)
    assert observed(out) == {("tech_loan_balance", WH, M(1), 1000.0), ("tech_loan_balance", WH, M(2), 1015.0),
                             ("tech_loan_balance", WH, M(3), 1030.0)}


def test_a_province_monthly_table_is_the_province(reg):
    out = read(reg, [["湖北省科技金融主要指标（2026年）"], ["月份", "科技型中小企业贷款余额（万元）", "科技型中小企业获贷户数"],
                     ["1月", 12_000_000, 9000], ["2月", 12_345_000, 9100]])
    assert out.ok and not out.warnings, messages(out)
    assert observed(out) == {("tech_sme_loan_balance", HB, M(1), 1200.0), ("tech_sme_borrowers", HB, M(1), 9000.0),
                             ("tech_sme_loan_balance", HB, M(2), 1234.5), ("tech_sme_borrowers", HB, M(2), 9100.0)}


def test_a_district_named_in_the_title_and_the_year_in_the_file_name(reg):
    # 合计 under the months is no month: left out without a word.
    out = read(reg, [["东湖高新区科技金融月报"], ["月份", "科技型企业贷款余额"], ["1月", 500], ["2月", 520.25],
                     ["合计", 1020.25]], name="光谷月报_2026.xlsx")
    assert out.ok and not out.warnings, messages(out)
    assert observed(out) == {("tech_loan_balance", DHGX, M(1), 500.0), ("tech_loan_balance", DHGX, M(2), 520.25)}


def test_an_unknown_month_label_with_figures_is_refused_at_its_cell(reg):
    out = read(reg, [["武汉市科技金融月报（2026年）"], ["月份", "科技型企业贷款余额"], ["1月", 500], ["2月", 510],
                     ["第三月", 520]])
    assert not out.ok
    assert [(p.cell, p.value) for p in out.errors] == [("A5", "第三月")]


def test_a_month_after_this_one_is_refused(reg):
    out = read(reg, [["武汉市科技金融月报"], ["月份", "科技型企业贷款余额"], ["2026年1月", 500], ["2099年2月", 510]])
    assert [p.cell for p in out.errors] == ["A4"]


# -- 2. indicators down, regions across, a 计量单位 column; the month from the title ------------------------


def test_indicators_down_regions_across_with_a_unit_column(reg):
    out = read(reg, [["2026年10月武汉市各区科技金融指标"],
                     ["指标", "计量单位", "江岸区", "江汉区", "合计"],
                     ["科技型企业贷款余额", "万元", 1_200_000, 800_000, 2_000_000],
                     ["科技型企业获贷家数", "户", 300, 200, 500],
                     ["科技型中小企业贷款余额", "亿元", 40.5, 30, 70.5],
                     ["填报人：张三"]])
    assert out.ok and not out.warnings, messages(out)
    assert out.period == M(10)
    assert observed(out) == {
        ("tech_loan_balance", JA, M(10), 120.0), ("tech_loan_balance", JH, M(10), 80.0),
        ("tech_loan_balance", WH, M(10), 200.0),
        ("tech_firm_borrowers", JA, M(10), 300.0), ("tech_firm_borrowers", JH, M(10), 200.0),
        ("tech_firm_borrowers", WH, M(10), 500.0),
        ("tech_sme_loan_balance", JA, M(10), 40.5), ("tech_sme_loan_balance", JH, M(10), 30.0),
        ("tech_sme_loan_balance", WH, M(10), 70.5)}


def test_indicators_down_a_total_that_differs_is_a_warning(reg):
    out = read(reg, [["2026年9月武汉市各区科技金融指标"], ["指标名称", "单位", "江岸区", "江汉区", "全市"],
                     ["科技型企业贷款余额", "亿元", 120, 80, 250]])
    assert out.ok
    assert len(out.warnings) == 1 and "相差" in out.warnings[0].message
    assert ("tech_loan_balance", WH, M(9), 250.0) in observed(out)


def test_indicators_down_a_unit_of_another_kind_is_refused_at_its_cell(reg):
    out = read(reg, [["2026年10月武汉市各区科技金融指标"], ["指标", "计量单位", "江岸区", "江汉区"],
                     ["科技型企业贷款余额", "家", 12, 8]])
    assert [p.cell for p in out.errors] == ["B3"]


def test_indicators_down_unknown_rows_are_named_in_one_warning(reg):
    out = read(reg, [["2026年10月武汉市各区科技金融指标"], ["指标", "计量单位", "江岸区", "江汉区"],
                     ["科技型企业贷款余额", "亿元", 12, 8], ["各项存款余额", "亿元", 1200, 800]])
    assert out.ok
    assert len(out.warnings) == 1 and "各项存款余额" in out.warnings[0].message
    assert observed(out) == {("tech_loan_balance", JA, M(10), 12.0), ("tech_loan_balance", JH, M(10), 8.0)}


def test_indicators_down_without_a_month_anywhere_is_refused(reg):
    out = read(reg, [["武汉市各区科技金融指标"], ["指标", "江岸区", "江汉区"], ["科技型企业贷款余额", 12, 8]])
    assert not out.ok and "报告期" in out.errors[0].message


# -- 3. indicators down, months across, the year only in the title ------------------------------------------


def test_indicators_down_months_across(reg):
    out = read(reg, [["2026年武汉市科技金融指标月度情况"], ["单位：亿元"],
                     ["指标名称", "1月", "2月", "3月"],
                     ["科技型企业贷款余额", 100, 110, 120.5], ["科技型企业获贷家数", 5000, 5100, 5200]])
    assert out.ok and not out.warnings, messages(out)
    assert out.period == M(3)
    assert observed(out) == {
        ("tech_loan_balance", WH, M(1), 100.0), ("tech_loan_balance", WH, M(2), 110.0),
        ("tech_loan_balance", WH, M(3), 120.5), ("tech_firm_borrowers", WH, M(1), 5000.0),
        ("tech_firm_borrowers", WH, M(2), 5100.0), ("tech_firm_borrowers", WH, M(3), 5200.0)}


def test_indicators_down_months_across_for_the_province(reg):
    out = read(reg, [["全省科技型中小企业贷款情况（2026年）"], ["指标", "计量单位", "7月", "8月"],
                     ["科技型中小企业贷款余额", "万元", 13_000_000, 13_100_000]])
    assert out.ok and not out.warnings, messages(out)
    assert observed(out) == {("tech_sme_loan_balance", HB, M(7), 1300.0),
                             ("tech_sme_loan_balance", HB, M(8), 1310.0)}


def test_this_month_and_the_year_so_far_across_the_month_from_the_title(reg):
    # 本月 | 本年累计 | 同比: the flow's month from 本月 (its 本年累计 is no second October; side by side with 本月 it
    # is the usual form, and without September their agreement cannot be checked: nothing said); the stock's
    # from 本月 (its 本年累计 blank); 同比增长 is no month: named in a warning.
    out = read(reg, [["2026年10月武汉市科技金融主要指标"], ["指标", "计量单位", "本月", "本年累计", "同比增长（%）"],
                     ["科创债发行规模", "亿元", 10, 66, 12.5], ["科技型企业贷款余额", "万元", 31_900_000, None, 8.1]])
    assert out.ok
    assert observed(out) == {("sci_tech_bond_issuance", WH, M(10), 10.0), ("tech_loan_balance", WH, M(10), 3190.0)}
    assert [p.message[:7] for p in out.warnings] == ["以下列未对应任"]


def test_one_indicator_at_this_months_end(reg):
    out = read(reg, [["2026年9月武汉市科技型企业贷款"], ["指标", "单位", "本月末", "比年初增加"],
                     ["科技型企业贷款余额", "亿元", 3150, 90]])
    assert out.ok
    assert observed(out) == {("tech_loan_balance", WH, M(9), 3150.0)}
    assert len(out.warnings) == 1 and "比年初增加" in out.warnings[0].message


def test_a_stocks_second_column_for_one_month_is_read_once(reg):
    # 3月 and 1-3月 are both March for a stock: the first is read; a different figure is a warning at its cell.
    out = read(reg, [["2026年武汉市科技金融指标"], ["指标", "1月", "3月", "1-3月"],
                     ["科技型企业贷款余额", 100, 120, 120], ["科技型企业获贷家数", 5000, 5200, 5300]])
    assert observed(out) == {("tech_loan_balance", WH, M(1), 100.0), ("tech_loan_balance", WH, M(3), 120.0),
                             ("tech_firm_borrowers", WH, M(1), 5000.0), ("tech_firm_borrowers", WH, M(3), 5200.0)}
    assert [p.cell for p in out.warnings] == ["D4"]


# -- regions down, the month across in words, one indicator from the title -----------------------------------


def test_regions_down_this_month_and_the_year_so_far(reg):
    # 本月 is October's own (万元 in the title: 500 万元 = 0.05 亿元); 本年累计 is no second October, and beside
    # 本月 no mix of conventions: nothing to say.
    out = read(reg, [["2026年10月武汉市各区科技保险保费收入（万元）"], ["地区", "本月", "本年累计"], ["江岸区", 500, 4000],
                     ["江汉区", 300, 2500], ["合计", 800, 6500]])
    assert out.ok
    assert observed(out) == {("tech_insurance_premium", JA, M(10), 0.05), ("tech_insurance_premium", JH, M(10), 0.03),
                             ("tech_insurance_premium", WH, M(10), 0.08)}
    assert not out.warnings, messages(out)


def test_regions_down_year_to_date_columns_by_difference(reg):
    # 1-10月 − 1-9月: 7.5 − 5 = 2.5, 3 − 3 = 0; 1-9月 alone has no 1-8月 beside it: a warning at each cell.
    out = read(reg, [["武汉市各区科创债发行规模（亿元）"], ["地区", "1-9月累计", "1-10月累计"], ["江岸区", 5, 7.5],
                     ["江汉区", 3, 3]], name="科创债_2026.xlsx")
    assert observed(out) == {("sci_tech_bond_issuance", JA, M(10), 2.5), ("sci_tech_bond_issuance", JH, M(10), 0.0)}
    assert [p.cell for p in out.warnings] == ["B3", "B4"]


def test_regions_down_at_this_months_end(reg):
    out = read(reg, [["2026年9月武汉市各区科技型企业贷款余额（亿元）"], ["地区", "本月末", "比年初增加"], ["江岸区", 500, 40],
                     ["江汉区", 300, 25]])
    assert observed(out) == {("tech_loan_balance", JA, M(9), 500.0), ("tech_loan_balance", JH, M(9), 300.0)}
    assert len(out.warnings) == 1 and "比年初增加" in out.warnings[0].message


# -- 4. the orientation that explains the most labels; nothing else taken for one ---------------------------


def test_a_month_column_beside_a_region_column_stays_a_region_table(reg):
    out = read(reg, [["2026年10月武汉市分区科技型企业贷款余额"], ["统计月份", "地区", "科技型企业贷款余额"],
                     ["2026年10月", "江岸区", 100], ["2026年10月", "江汉区", 200]], name="分区_202610.xlsx")
    assert out.ok
    assert observed(out) == {("tech_loan_balance", JA, M(10), 100.0), ("tech_loan_balance", JH, M(10), 200.0)}


def test_a_region_table_months_down_is_not_a_city_table(reg):
    # Regions down and months across (one indicator from the title): read as before, never as the city.
    out = read(reg, [["2026年武汉市分区科技型企业贷款余额（亿元）"], ["地区", "1月", "2月"], ["江岸区", 10, 11],
                     ["江汉区", 20, 21]])
    assert out.ok
    assert observed(out) == {("tech_loan_balance", JA, M(1), 10.0), ("tech_loan_balance", JA, M(2), 11.0),
                             ("tech_loan_balance", JH, M(1), 20.0), ("tech_loan_balance", JH, M(2), 21.0)}


@pytest.mark.parametrize("rows", [
    # regions over months: two axes across
    [["2026年武汉市科技金融指标"], ["指标", "江岸区", None, "江汉区", None], [None, "1月", "2月", "1月", "2月"],
     ["科技型企业贷款余额", 1, 2, 3, 4]],
    # 余额 | 比年初增加 under each region: two figures a region
    [["2026年10月武汉市各区科技金融指标"], ["指标", "江岸区", "江岸区", "江汉区", "江汉区"],
     [None, "余额", "比年初增加", "余额", "比年初增加"], ["科技型企业贷款余额", 100, 5, 200, 7]],
    # regions and months side by side in one header row
    [["2026年武汉市科技金融指标"], ["指标", "江岸区", "江汉区", "1月", "2月"], ["科技型企业贷款余额", 1, 2, 3, 4]],
])
def test_two_axes_across_are_not_mistaken(reg, rows):
    out = read(reg, rows)
    assert out.observations.is_empty()
    assert not out.ok


def test_label_kinds(reg):
    m = Matcher(reg)
    kinds = [label_kind(v, m, 2026) for v in ("江岸区", "全市", "1月", "2026年1-10月累计", "科技型企业贷款余额",
                                              "万元", "市本级", "备注", "各项存款", None, 12.5)]
    assert kinds == ["region", "total", "period", "period", "indicator", "unit", "note", "note", "other", None,
                     "number"]


def test_the_region_of_a_context(reg):
    m = Matcher(reg)
    assert context_region(["湖北省武汉市科技金融指标"], m) == WH  # the most local one
    assert context_region(["全省科技金融指标"], m) == HB
    assert context_region(["科技金融指标", "Sheet1", "江岸区_2026.xlsx"], m) == JA
    assert context_region(["科技金融指标"], m) == WH


# -- 5. flows: year to date or the month's own --------------------------------------------------------------


@pytest.mark.parametrize(("text", "convention"), [
    ("1-10月累计", "ytd"), ("本年累计", "ytd"), ("2026年1-10月", "ytd"), ("年初至今", "ytd"),
    ("10月当月", "monthly"), ("本月", "monthly"), ("本月末", None), ("10月", None), ("7-9月", "span"),
])
def test_flow_words(text, convention):
    assert flow_convention(text) == convention


@pytest.mark.parametrize(("label", "month"), [("1-10月累计", 10), ("10月（当月）", 10), ("1至3月", 3),
                                              ("2026年1-10月", 10), ("2026年10月科技贷款余额", None), ("合计", None)])
def test_month_labels(label, month):
    found = month_label_period(label, 2026)
    assert (found.month if found else None) == month


def test_units_in_a_unit_column_and_a_flow_bracket():
    assert [unit_cell(v) for v in ("万元", "（亿元）", "户", "江岸区", None)] == ["万元", "亿元", "户", None, None]
    assert unit_in_heading("科技保险保费收入（1-9月累计，万元）") == "万元"
    assert strip_unit("科创债发行规模（累计）") == "科创债发行规模"


def test_a_year_to_date_flow_becomes_each_months_amount(reg):
    # 10, 25, 45 so far this year → 10, 15, 20 in each month.
    out = read(reg, [["2026年武汉市科创债发行情况（累计）"], ["单位：亿元"], ["指标", "1月", "2月", "3月"],
                     ["科创债发行规模", 10, 25, 45], ["科技型企业贷款余额", 100, 110, 120]])
    assert out.ok and not out.warnings, messages(out)
    assert observed(out) == {
        ("sci_tech_bond_issuance", WH, M(1), 10.0), ("sci_tech_bond_issuance", WH, M(2), 15.0),
        ("sci_tech_bond_issuance", WH, M(3), 20.0), ("tech_loan_balance", WH, M(1), 100.0),
        ("tech_loan_balance", WH, M(2), 110.0), ("tech_loan_balance", WH, M(3), 120.0)}


def test_a_monthly_flow_is_kept_as_written(reg):
    out = read(reg, [["2026年武汉市科创债发行情况"], ["月份", "科创债发行规模（当月，亿元）"], ["1月", 10], ["2月", 15]])
    assert out.ok and not out.warnings, messages(out)
    assert observed(out) == {("sci_tech_bond_issuance", WH, M(1), 10.0), ("sci_tech_bond_issuance", WH, M(2), 15.0)}


def test_year_to_date_months_down_from_range_labels(reg):
    # 1-1月 … 1-3月 so far (万元): 100000, 250000, 450000 → 10, 15, 20 亿元.
    out = read(reg, [["湖北省科技保险保费收入（2026年）"], ["期间", "科技保险保费收入（万元）"],
                     ["1月", 100_000], ["1-2月累计", 250_000], ["1-3月累计", 450_000]])
    # 1月 says neither: the month's own; 1-2月, 1-3月 so far: 25 − 10 … but the mix is flagged.
    assert out.ok
    assert observed(out) == {("tech_insurance_premium", HB, M(1), 10.0), ("tech_insurance_premium", HB, M(2), 15.0),
                             ("tech_insurance_premium", HB, M(3), 20.0)}
    assert len(out.warnings) == 1 and "混用" in out.warnings[0].message
    assert "B4、B5" in out.warnings[0].message and "B3" in out.warnings[0].message


def test_a_year_to_date_figure_without_the_month_before_is_left_out_at_its_cell(reg):
    out = read(reg, [["武汉市科创债发行情况"], ["月份", "科创债发行规模（累计）"], ["2026年2月", 25], ["2026年3月", 45]])
    assert out.ok
    assert observed(out) == {("sci_tech_bond_issuance", WH, M(3), 20.0)}
    assert [(p.cell, p.severity) for p in out.problems] == [("B3", "warning")]
    assert "2026年1-2月的累计数" in out.warnings[0].message and "2026年1月的数" in out.warnings[0].message


def test_a_single_month_year_to_date_region_table_says_what_is_missing(reg):
    out = read(reg, [["湖北省科技保险保费收入（分市州）2026年9月"], ["市州", "科技保险保费收入（1-9月累计，亿元）"],
                     ["武汉市", 3.6], ["宜昌市", 0.45]])
    assert out.observations.is_empty()
    assert [p.cell for p in out.warnings] == ["B3", "B4"]
    assert all("1-8月的累计数" in p.message for p in out.warnings)


def test_a_month_column_beside_its_year_to_date_column_is_read_once_and_checked(reg):
    out = read(reg, [["2026年武汉市科创债发行情况"], ["指标", "1月", "2月", "1-2月累计"], ["科创债发行规模", 10, 15, 25]])
    assert observed(out) == {("sci_tech_bond_issuance", WH, M(1), 10.0), ("sci_tech_bond_issuance", WH, M(2), 15.0)}
    assert not out.warnings, messages(out)  # 25 = 10 + 15: they agree
    # A year so far that does not add up is said at its cell; the month's own figure is what goes in.
    out = read(reg, [["2026年武汉市科创债发行情况"], ["指标", "1月", "2月", "1-2月累计"], ["科创债发行规模", 10, 15, 28]])
    assert observed(out) == {("sci_tech_bond_issuance", WH, M(1), 10.0), ("sci_tech_bond_issuance", WH, M(2), 15.0)}
    assert [p.cell for p in out.warnings] == ["D3"] and "18.00" in out.warnings[0].message


def test_months_only_so_far_beside_months_only_own_is_a_switch_of_convention(reg):
    # January and February as the month's own, March only as 1-3月累计: a switch, flagged (March by difference).
    out = read(reg, [["2026年武汉市科创债发行情况"], ["指标", "1月", "2月", "1-3月累计"], ["科创债发行规模", 10, 15, 40]])
    assert ("sci_tech_bond_issuance", WH, M(3), 15.0) in observed(out)
    assert len(out.warnings) == 1 and "两种口径混用" in out.warnings[0].message


def test_a_quarter_of_a_flow_is_not_a_month(reg):
    out = read(reg, [["2026年武汉市科创债发行情况"], ["指标", "1-6月累计", "7-9月"], ["科创债发行规模", 60, 30]])
    assert observed(out) == set()  # 1-6月 alone: no May to subtract; 7-9月: a quarter
    assert sorted(p.cell for p in out.warnings) == ["B3", "C3"]


def test_indicators_down_regions_across_year_to_date_in_the_label(reg):
    # Two months side by side would be two files; here the label says 1-1月 (January): its own amount.
    out = read(reg, [["2026年1月武汉市各区科技金融指标"], ["指标", "计量单位", "江岸区", "江汉区"],
                     ["科技保险保费收入（本年累计）", "万元", 5_000, 7_500]])
    assert out.ok and not out.warnings, messages(out)
    assert observed(out) == {("tech_insurance_premium", JA, M(1), 0.5), ("tech_insurance_premium", JH, M(1), 0.75)}


# -- the corpus cases' JSON is what their generator writes ---------------------------------------------------


def test_orient_cases_match_their_generator():
    """tests/corpus/orient_* are written by tests/corpus/make_orient.py (the hand-worked numbers live there); the
    LibreOffice ones are left out here (converting takes seconds), their numbers are the same functions'."""
    import importlib.util
    import json
    from pathlib import Path

    corpus = Path(__file__).resolve().parent / "corpus"
    spec = importlib.util.spec_from_file_location("make_orient", corpus / "make_orient.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert sorted(module.CASES) == sorted(p.name for p in corpus.iterdir()
                                          if p.name.startswith("orient_") and not p.name.endswith(".json"))
    for name, build in module.CASES.items():
        if "_lo_" in name:
            continue
        content, data = build()
        assert content == (corpus / name).read_bytes() or name.endswith(".xlsx"), name  # openpyxl stamps a time
        committed = json.loads((corpus / f"{name}.expected.json").read_text(encoding="utf-8"))
        assert committed == data, f"{name}: re-run tests/corpus/make_orient.py and commit the outputs"
