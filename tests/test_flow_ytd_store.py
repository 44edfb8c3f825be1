"""A flow reported year to date alone (1-9月累计, the usual monthly file of 科创债): the month's own amount is the
figure less the months of that year the database already holds (loaders/ingest, a real DuckDB file); without them
the figure is left out with a warning at its cell, never stored as if it were the month's own."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from domain.months import month_end
from loaders.ingest import ingest, parse_upload, prepare
from store import Store

BONDS, WH, JA = "sci_tech_bond_issuance", "420100", "420102"


def ytd_file(month: int, figures: dict[str, float]) -> bytes:
    """Districts down, one 1-N月累计 column, as the bond issuance comes from the agency each month."""
    wb = Workbook()
    ws = wb.active
    ws.append([f"武汉市各区科创债发行规模（2026年1-{month}月累计，亿元）"])
    ws.append(["地区", f"1-{month}月累计"])
    for name, value in figures.items():
        ws.append([name, value])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def month_file(month: int, value: float) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([f"武汉市各区科创债发行规模（2026年{month}月当月，亿元）"])
    ws.append(["地区", "当月"])
    ws.append(["江岸区", value])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def stored(store: Store, region: str, month: int) -> float | None:
    values = store.current_values()
    row = values.filter((values["indicator_code"] == BONDS) & (values["region_code"] == region)
                        & (values["period"] == month_end(2026, month)))
    return row["value"][0] if row.height else None


@pytest.fixture
def store_with_jan_to_aug(tmp_path, registry) -> Store:
    store = Store(tmp_path / "flows.duckdb")
    for m in range(1, 9):
        assert ingest(store, month_file(m, float(m)), f"2026{m:02d}_科创债.xlsx", registry).status == "ok"
    return store


def test_the_year_so_far_less_the_stored_months_is_the_months_own(store_with_jan_to_aug, registry):
    store = store_with_jan_to_aug  # 江岸区 January … August: 1 + 2 + … + 8 = 36
    report = prepare(store, ytd_file(9, {"江岸区": 45.5}), "202609_科创债.xlsx", registry)
    assert report.status == "ok", [p.message for p in report.outcome.problems]
    rows = report.outcome.observations.filter(report.outcome.observations["region_code"] == JA)
    assert rows["period"].to_list() == [dt.date(2026, 9, 30)] and rows["value"].to_list() == [pytest.approx(9.5)]
    said = [p.message for p in report.outcome.warnings]
    assert any("已减去数据库中2026年1-8月的当月数" in m for m in said), said
    ingest(store, ytd_file(9, {"江岸区": 45.5}), "202609_科创债.xlsx", registry)
    assert stored(store, JA, 9) == pytest.approx(9.5)


def test_a_month_missing_from_the_database_leaves_the_figure_out_at_its_cell(tmp_path, registry):
    store = Store(tmp_path / "gap.duckdb")
    for m in (1, 2, 3, 5, 6, 7, 8):  # April never came
        ingest(store, month_file(m, 1.0), f"2026{m:02d}_科创债.xlsx", registry)
    report = prepare(store, ytd_file(9, {"江岸区": 20.0}), "202609_科创债.xlsx", registry)
    assert report.outcome.observations.filter(report.outcome.observations["region_code"] == JA).is_empty()
    [warning] = [p for p in report.outcome.warnings if p.cell == "B3"]
    assert "1-9月的累计数" in warning.message and "未导入" in warning.message


def test_without_a_database_the_figure_is_left_out_as_before(registry):
    out = parse_upload(ytd_file(9, {"江岸区": 45.5}), "202609_科创债.xlsx", registry)
    assert out.observations.is_empty() or JA not in out.observations["region_code"].to_list()
    assert [p.cell for p in out.warnings] == ["B3"]


def test_a_source_that_switches_from_the_months_own_to_the_year_so_far_is_flagged(store_with_jan_to_aug, registry):
    store = store_with_jan_to_aug  # January … August came as 当月
    report = prepare(store, ytd_file(9, {"江岸区": 45.5}), "202609_科创债.xlsx", registry)
    [switch] = [p.message for p in report.outcome.warnings if "报送口径改变" in p.message]
    assert "本文件按年初以来累计数报送" in switch and "2026年8月的文件（202608_科创债.xlsx" in switch
    ingest(store, ytd_file(9, {"江岸区": 45.5}), "202609_科创债.xlsx", registry)
    # October again year to date, like September: no switch.
    report = prepare(store, ytd_file(10, {"江岸区": 56.0}), "202610_科创债.xlsx", registry)
    assert report.status == "ok" and not [p for p in report.outcome.warnings if "报送口径改变" in p.message]
    rows = report.outcome.observations.filter(report.outcome.observations["region_code"] == JA)
    assert rows["value"].to_list() == [pytest.approx(10.5)]  # 56 − (36 + 9.5)


def test_a_file_that_says_neither_tells_nothing_of_the_convention(tmp_path, registry):
    store = Store(tmp_path / "plain.duckdb")
    wb = Workbook()
    ws = wb.active
    ws.append(["武汉市各区科创债发行规模（2026年8月，亿元）"])
    ws.append(["地区", "科创债发行规模"])
    ws.append(["江岸区", 3.0])
    buf = io.BytesIO()
    wb.save(buf)
    assert ingest(store, buf.getvalue(), "202608_科创债.xlsx", registry).status == "ok"
    assert store.flow_conventions_before(month_end(2026, 9)) == {}
    assert ingest(store, month_file(9, 2.0), "202609_科创债.xlsx", registry).status == "ok"
    assert store.flow_conventions_before(month_end(2026, 10))[BONDS]["convention"] == "monthly"
