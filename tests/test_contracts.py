"""The data contracts after every load (loaders/contracts.py): keys unique, values in range, parts ≤ whole,
declared as dataframely schemas and run inside `parse_upload`, so a breach is an error in the same report as
the load, at its sheet and cell. Files are real .xlsx written here and read through the real upload path."""

from __future__ import annotations

import datetime as dt
import io
import random

import dataframely as dy
import polars as pl
import pytest
from openpyxl import Workbook

from domain import clock
from domain.months import month_end
from loaders import contracts
from loaders.demo import SEED, DemoWorld, write_month
from loaders.ingest import ingest, parse_upload
from store import Store

NOW = dt.datetime(2026, 11, 20, 10, 0)
TITLE = "武汉市科技型企业贷款情况表（2026年10月）"


def book(*sheets: tuple[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def loans(*rows: list) -> list[list]:
    """Title, unit line, header (地区, 科技型企业贷款余额, 科技型企业获贷家数), then `rows` from row 4."""
    return [[TITLE], ["单位：亿元、家"], ["地区", "科技型企业贷款余额", "科技型企业获贷家数"], *rows]


def hubei(*rows: list) -> list[list]:
    """The province's table by 市州: 上市公司数 and 科创板、创业板、北交所上市公司数 (the share's two parts)."""
    return [["湖北省科技金融主要指标（分市州）2026年10月"], ["市州", "上市公司数", "科创板、创业板、北交所上市公司数"], *rows]


def places(problems) -> list[tuple[str, str]]:
    return [(p.sheet, p.cell) for p in problems]


@pytest.fixture(autouse=True)
def november_2026():
    with clock.frozen(NOW):
        yield


# -- what passes ------------------------------------------------------------------------------------------


def test_a_consistent_file_passes_every_contract(registry):
    content = book(("贷款", loans(["全市", 300.0, 900], ["江岸区", 120.5, 400], ["江汉区", 179.5, 500])),
                   ("上市", hubei(["全省", 150, 70], ["武汉市", 90, 50], ["宜昌市", 60, 20])))
    out = parse_upload(content, "x.xlsx", registry)
    assert out.problems == []
    assert out.observations.height == 12


def test_the_rules_read_the_parents_and_wholes_figures_from_the_same_file(registry):
    content = book(("上市", hubei(["全省", 150, 70], ["武汉市", 90, 50], ["宜昌市", 60, 20])))
    out = parse_upload(content, "x.xlsx", registry)
    frame = contracts.observation_frame(out.observations, registry).sort("indicator_code", "region_code")
    got = {(r["indicator_code"], r["region_code"]): (r["total"], r["whole"]) for r in frame.iter_rows(named=True)}
    assert got == {("listed_companies", "420000"): (None, None), ("listed_companies", "420100"): (150.0, None),
                   ("listed_companies", "420500"): (150.0, None),
                   ("listed_star_chinext_bse", "420000"): (None, 150.0),
                   ("listed_star_chinext_bse", "420100"): (70.0, 90.0),
                   ("listed_star_chinext_bse", "420500"): (70.0, 60.0)}
    assert isinstance(contracts.ObservationContract.validate(frame), pl.DataFrame)  # a dataframely schema


def test_the_contracts_are_dataframely_schemas_that_refuse_a_bad_frame(registry):
    good = pl.DataFrame({"indicator_code": ["tech_loan_balance"], "region_code": ["420102"],
                         "period": [dt.date(2026, 10, 31)], "value": [1.0], "origin": ["S!B4"], "is_computed": [False],
                         "sheet": ["S"], "cell": ["B4"]})
    assert issubclass(contracts.ObservationContract, dy.Schema)
    assert contracts.ObservationContract.is_valid(contracts.observation_frame(good, registry))
    bad = good.with_columns(value=pl.lit(-1.0))
    assert not contracts.ObservationContract.is_valid(contracts.observation_frame(bad, registry))
    assert contracts.check(good, {}, registry, "x.xlsx") == []
    assert [p.cell for p in contracts.check(bad, {}, registry, "x.xlsx")] == ["B4"]


def test_a_rate_of_a_district_may_exceed_the_citys_rate(registry):
    # Rates are not amounts: a district's 获贷率 above the city's is no breach of parts ≤ whole.
    rows = [[TITLE], ["地区", "科技型企业获贷率"], ["全市", "40%"], ["江岸区", "55%"], ["江汉区", "30%"]]
    out = parse_upload(book(("率", rows)), "x.xlsx", registry)
    assert out.problems == []


# -- keys unique -----------------------------------------------------------------------------------------------


def test_the_same_figure_given_twice_is_refused_at_both_places(registry, tmp_path):
    content = book(("贷款", loans(["江岸区", 120.5, 400], ["江汉区", 179.5, 500])),
                   ("补充", loans(["江岸区", 121.0, None])))
    store = Store(tmp_path / "t.duckdb")
    report = ingest(store, content, "x.xlsx", registry)
    assert report.status == "rejected"
    errors = report.outcome.errors
    assert places(errors) == [("贷款", "B4"), ("补充", "B4")]
    assert "江岸区2026年10月的科技型企业贷款余额在文件中出现了不止一次" in errors[0].message
    assert "另见工作表“补充”B4" in errors[0].message and "另见工作表“贷款”B4" in errors[1].message
    assert store.counts()["observations"] == 0


# -- values in range -------------------------------------------------------------------------------------------


def test_a_share_above_100_percent_is_refused(registry):
    rows = [["湖北省科技金融主要指标（2026年10月）"], ["地区", "科创板、创业板、北交所上市公司占上市公司比重（%）"],
            ["湖北省", 48.0], ["武汉市", 120.0]]
    out = parse_upload(book(("比重", rows)), "x.xlsx", registry)
    assert places(out.errors) == [("比重", "B4")]
    assert "应在 0–100% 之间" in out.errors[0].message and "120%" in out.errors[0].message


def test_a_share_of_exactly_100_percent_is_a_true_value(registry):
    rows = [["湖北省科技金融主要指标（2026年10月）"], ["地区", "科技型企业获贷率"], ["武汉市", "100%"], ["江岸区", "0%"]]
    assert parse_upload(book(("率", rows)), "x.xlsx", registry).problems == []


def test_a_count_with_a_fraction_is_refused_a_whole_one_is_not(registry):
    content = book(("贷款", loans(["江岸区", 120.5, 400.0], ["江汉区", 179.5, "12.5"], ["硚口区", 88.25, "1,234"])))
    out = parse_upload(content, "x.xlsx", registry)
    assert places(out.errors) == [("贷款", "C5")]
    assert "科技型企业获贷家数是计数，应为整数，本格为 12.5家" in out.errors[0].message


# -- parts ≤ whole ------------------------------------------------------------------------------------------------


def test_a_district_above_its_city_total_is_refused_naming_the_total(registry):
    content = book(("贷款", loans(["江岸区", 120.5, 400], ["江汉区", 350.0, 500], ["全市", 300.0, 900])))
    out = parse_upload(content, "x.xlsx", registry)
    assert places(out.errors) == [("贷款", "B5")]
    err = out.errors[0]
    assert err.value == "350"
    assert "江汉区的科技型企业贷款余额（350亿元）大于武汉市的合计（300亿元，工作表“贷款”B6）" in err.message
    # the 合计 ≠ sum warning still comes in the same report
    assert any("合计" in p.message for p in out.warnings)


def test_a_city_above_the_province_is_refused(registry):
    out = parse_upload(book(("上市", hubei(["全省", 150, 70], ["武汉市", 160, 50]))), "x.xlsx", registry)
    assert places(out.errors) == [("上市", "B4")]
    assert "湖北省的合计（150家" in out.errors[0].message


def test_a_part_of_a_share_above_its_whole_is_refused(registry):
    # 科创板、创业板、北交所上市公司数 is the numerator of the share whose denominator is 上市公司数
    # (data/indicators.toml): for the same region and month it cannot be larger.
    out = parse_upload(book(("上市", hubei(["全省", 150, 70], ["武汉市", 40, 50]))), "x.xlsx", registry)
    assert places(out.errors) == [("上市", "C4")]
    assert "武汉市的科创板、创业板、北交所上市公司数（50家）大于上市公司数（40家，工作表“上市”B4）" in out.errors[0].message


# -- one pass ---------------------------------------------------------------------------------------------------


def test_every_problem_of_a_file_is_reported_in_one_pass(registry):
    # An unknown region on one sheet (a question now, issue 10) does not hide what the contracts find on the other
    # sheets.
    content = book(("贷款", loans(["江安区", 10.0, 5], ["江岸区", -2.0, 40], ["江汉区", 400.0, 30], ["全市", 300.0, 100])),
                   ("上市", hubei(["武汉市", 40, 50])))
    out = parse_upload(content, "x.xlsx", registry)
    # the contracts' errors in the order the figures were read; the unknown name asked, 江岸区 suggested first
    assert places(out.errors) == [("贷款", "B5"), ("贷款", "B6"), ("上市", "C3")]
    negative, above, part = out.errors
    [unknown] = out.questions
    assert (unknown.sheet, unknown.cell, unknown.suggestions[0].code) == ("贷款", "A4", "420102")
    assert "不能为负数" in negative.message
    assert "大于武汉市的合计" in above.message
    assert "大于上市公司数" in part.message
    assert out.observations.is_empty() and out.registers == {}  # all or nothing


# -- the demo -----------------------------------------------------------------------------------------------


def test_the_demos_own_workbooks_pass_the_contracts(registry, tmp_path):
    world = DemoWorld(random.Random(SEED))
    for day in (month_end(2024, 1), month_end(2026, 10)):
        for path in write_month(world, day, tmp_path):
            out = parse_upload(path.read_bytes(), path.name, registry)
            assert out.errors == [], (path.name, out.errors[:3])
            assert contracts.check(out.observations, out.registers, registry, path.name) == []


def test_thousands_of_breaches_are_listed_up_to_a_limit_and_counted(registry):
    # A register whose every fund has a negative size: the first LISTED are listed at their rows, the rest
    # counted in one line.
    n = contracts.LISTED + 50
    rows = [["武汉市股权投资基金名录（截至2026年10月末）"], ["单位：亿元"], ["序号", "基金名称", "基金类型", "注册地", "认缴规模"],
            *[[i, f"武汉第{i}号基金", "创业投资基金", "江岸区", -1.5] for i in range(1, n + 1)]]
    out = parse_upload(book(("基金", rows)), "funds.xlsx", registry)
    assert len(out.errors) == contracts.LISTED + 1
    assert [p.cell for p in out.errors[:3]] == ["B4", "B5", "B6"]
    assert out.errors[contracts.LISTED - 1].cell == f"B{contracts.LISTED + 3}"
    assert f"同类问题共 {n:,} 处，以上只列出前 {contracts.LISTED} 处" in out.errors[-1].message
