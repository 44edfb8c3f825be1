"""Uploads that cannot mislead: exact figures with last month's beside them, every problem in one pass, a
probable unit mistake said loudly, a 10⁴ / 10⁸ jump held until the analyst confirms the unit, and the store
never receiving an unconfirmed figure."""

from __future__ import annotations

import json

import polars as pl
import pytest

from loaders.ingest import commit, ingest, prepare
from presentation.upload_tables import change_text, changes_table, exact, problems_table
from store import Store
from store.access import Actor, operator
from tests.agency_files import loans_file

CITY_UNITS = {"江岸区": 100.0, "江汉区": 200.0, "硚口区": 50.0}


@pytest.fixture
def store(tmp_path, registry) -> Store:
    """September's loans for three units (亿元), as an agency files them."""
    s = Store(tmp_path / "t.duckdb")
    assert ingest(s, loans_file(9, CITY_UNITS), "202609.xlsx", registry, uploader="甲").status == "ok"
    return s


def loans(store: Store, region: str, month: int) -> list[float]:
    v = store.current_values()
    return v.filter((pl.col("region_code") == region) & (pl.col("period").dt.month() == month))["value"].to_list()


# -- figures as the file has them ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "shown"), [
    (4649.6, "4,649.6"), (14170.0, "14,170"), (464185273800.0, "464,185,273,800"), (1e-7, "0.0000001"),
    (4649.599999999999, "4,649.6"), (-5.0, "−5"), (None, "—"), (float("nan"), "—"), (123456789.123, "123,456,789.123"),
])
def test_exact_shows_every_digit_with_separators_and_no_exponent(value, shown):
    assert exact(value) == shown


def test_change_against_last_month_is_exact_and_says_a_unit_mistake():
    assert change_text(4649.6, 4595.93, "亿元") == "+53.67（+1.2%）"
    assert change_text(4500.0, 4595.93, "亿元") == "−95.93（−2.1%）"
    assert change_text(52.3, 51.1, "%") == "+1.2个百分点"
    assert change_text(5.0, 5.0, "家") == "0"
    assert change_text(459593.0, 4595.93, "亿元") == "⚠ 上月的100倍，疑似单位错误"
    assert change_text(464185273800.0, 4595.93, "亿元") == "⚠ 上月的约1.0亿倍，疑似单位错误"
    assert change_text(0.4, 4595.93, "亿元") == "⚠ 上月的约1.1万分之一，疑似单位错误"
    assert change_text(10.0, None, "亿元") == change_text(None, 10.0, "亿元") == "—"


def test_the_preview_shows_the_files_figures_last_month_and_the_change(store, registry):
    report = prepare(store, loans_file(10, {"江岸区": 4649.6, "江汉区": 14170.0, "硚口区": 50.0}), "202610.xlsx",
                     registry)
    assert report.status == "ok"
    table = changes_table(report, registry)
    assert table.schema == dict.fromkeys(table.columns, pl.String)  # text, shown as is: no column format rounds it
    rows = {r["地区"]: r for r in table.iter_rows(named=True)}
    assert rows["江岸区"]["新值"] == "4,649.6" and rows["江岸区"]["上月值"] == "100"
    assert rows["江汉区"]["新值"] == "14,170" and rows["江汉区"]["较上月"] == "+13,970（+6985.0%）"
    assert rows["硚口区"]["较上月"] == "0" and rows["硚口区"]["原值"] == "—" and rows["硚口区"]["单元格"] == "B6"
    assert not any("None" in v or "e+" in v for r in table.iter_rows() for v in r)


def test_a_correction_shows_the_figure_it_replaces(store, registry):
    report = prepare(store, loans_file(9, {"江岸区": 110.5, "江汉区": 200.0, "硚口区": 50.0}, note="（更正）"),
                     "202609_更正.xlsx", registry)
    rows = {r["地区"]: r for r in changes_table(report, registry).iter_rows(named=True)}
    assert (rows["江岸区"]["变化"], rows["江岸区"]["原值"], rows["江岸区"]["新值"]) == ("修改", "100", "110.5")


# -- every problem in one pass -------------------------------------------------------------------------------


def test_a_refused_file_still_shows_the_warnings_against_last_month(store, registry):
    # An analyst limited to 江岸区 uploads the citywide file: refused, and its jumps and gaps are still listed.
    jiang_an = Actor("江岸填报", "analyst", "420102")
    report = prepare(store, loans_file(10, {"江岸区": 160.0, "江汉区": 210.0}), "202610.xlsx", registry,
                     actor=jiang_an)
    assert report.status == "rejected"
    errors, warnings = report.outcome.errors, [w.message for w in report.outcome.warnings]
    assert len(errors) == 1 and "只能报送江岸区" in errors[0].message
    assert any("江岸区" in w and "+60.0%" in w for w in warnings)
    assert any("硚口区" in w and "漏报" in w for w in warnings)
    assert problems_table(report)["级别"].to_list() == ["错误", "提醒", "提醒"]  # errors first


def test_problems_shown_in_a_markdown_table_are_inert(store, registry):
    report = prepare(store, loans_file(10, {"江岸区": 160.0, "江汉区": 200.0, "硚口区": 50.0}), "202610.xlsx", registry)
    shown = problems_table(report, markdown=True)["发现的值"].to_list()
    assert shown == ["160"]
    report.outcome.problems[0] = report.outcome.problems[0].__class__(
        "warning", "x", "![x](http://evil/)", "B4", "**1**", "m")
    cells = problems_table(report, markdown=True).row(0, named=True)
    assert cells["工作表"] == r"\!\[x\]\(http://evil/\)" and cells["发现的值"] == r"\*\*1\*\*"


# -- units ---------------------------------------------------------------------------------------------------


def test_a_hundredfold_change_is_a_loud_warning_and_may_still_be_imported(store, registry):
    report = prepare(store, loans_file(10, {"江岸区": 10000.0, "江汉区": 200.0, "硚口区": 50.0}), "202610.xlsx",
                     registry)
    assert report.status == "ok" and not report.doubts
    assert [p.cell for p in report.suspects] == ["B4"]
    said = report.suspects[0].message
    assert said.startswith("【疑似单位错误】") and "10,000亿元" in said and "100亿元）的100倍" in said
    assert report.outcome.warnings == report.suspects  # said once: not again as a +9900% jump
    shrunk = prepare(store, loans_file(10, {"江岸区": 1.0, "江汉区": 200.0, "硚口区": 50.0}), "x.xlsx", registry)
    assert "1/100" in shrunk.suspects[0].message


def test_yuan_under_a_yi_yuan_heading_stops_the_file_until_the_unit_is_confirmed(store, registry):
    # The column typed in 元: 10⁸ times September's (硚口区's 0 is no sign either way).
    content = loans_file(10, {"江岸区": 10000000000.0, "江汉区": 20500000000.0, "硚口区": 0.0})
    before = store.counts()
    report = prepare(store, content, "202610.xlsx", registry)
    assert report.status == "rejected" and report.waits_for_units
    [doubt] = report.doubts
    assert (doubt.indicator_code, doubt.cells, doubt.suggested) == ("tech_loan_balance", ("B4", "B5"), 1e8)
    assert (doubt.example, doubt.example_cell) == ("20,500,000,000", "B5")  # the furthest off, where it is
    assert report.outcome.errors[0].cell == "B5" and "上月（2026年9月）200亿元的约1.0亿倍" in doubt.message
    assert "【单位待确认】" in report.outcome.errors[0].message and "“数据上传”页" in report.outcome.errors[0].message
    assert list(doubt.options) == [1.0, 1e8, 1e4]  # as typed, then the likely unit first
    assert "按元换算为亿元" in doubt.options[1e8]
    assert commit(store, report, actor=operator()).commit is None  # nothing written without a confirmation
    assert store.counts() == before

    converted = prepare(store, content, "202610.xlsx", registry, units={"tech_loan_balance": 1e8})
    assert converted.status == "ok" and converted.units == {"tech_loan_balance": 1e8}
    assert any("已由分析员确认" in w.message for w in converted.outcome.warnings)
    rows = {r["地区"]: r for r in changes_table(converted, registry).iter_rows(named=True)}
    assert rows["江岸区"]["新值"] == "100" and rows["江汉区"]["新值"] == "205" and rows["硚口区"]["新值"] == "0"
    assert rows["江汉区"]["较上月"] == "+5（+2.5%）"
    assert commit(store, converted, actor=operator()).status == "ok"
    assert loans(store, "420102", 10) == [100.0] and loans(store, "420103", 10) == [205.0]


def test_a_figure_still_far_off_after_the_conversion_is_said_loudly(store, registry):
    # 硚口区 was typed in 亿元 in a column of 元: converting the column leaves it a hundred-millionth of September's.
    content = loans_file(10, {"江岸区": 10000000000.0, "江汉区": 20500000000.0, "硚口区": 50.0})
    assert [p.cell for p in prepare(store, content, "x.xlsx", registry).suspects] == []  # said in the doubt
    converted = prepare(store, content, "x.xlsx", registry, units={"tech_loan_balance": 1e8})
    assert [p.cell for p in converted.suspects] == ["B6"] and "约1.0亿分之一" in converted.suspects[0].message


def test_a_confirmed_unit_as_typed_is_imported_as_typed(store, registry):
    content = loans_file(10, {"江岸区": 10000000000.0, "江汉区": 200.0, "硚口区": 50.0})
    kept = prepare(store, content, "202610.xlsx", registry, units={"tech_loan_balance": 1.0})
    assert kept.status == "ok"
    # an option the doubt does not offer is no confirmation
    assert prepare(store, content, "202610.xlsx", registry, units={"tech_loan_balance": 7.0}).status == "rejected"
    commit(store, kept, actor=operator())
    assert loans(store, "420102", 10) == [10000000000.0]


def test_without_history_a_figure_far_beyond_the_target_waits_for_its_unit(tmp_path, registry):
    empty = Store(tmp_path / "empty.duckdb")
    # the city's loans in 元: 464,185,273,800 亿元 would read as 92,837,055 times the 5,000亿元 target
    report = prepare(empty, loans_file(10, {"全市": 464185273800.0}), "202610.xlsx", registry)
    assert report.waits_for_units
    [doubt] = report.doubts
    assert doubt.suggested == 1e8 and "目标值5,000亿元" in doubt.message and "464,185,273,800" in doubt.message
    ok = prepare(empty, loans_file(10, {"全市": 4641.852738}), "202610.xlsx", registry)
    assert ok.status == "ok" and not ok.doubts  # a plausible figure passes


def test_a_small_units_figure_is_not_doubted_against_the_citys_range(store, registry):
    report = prepare(store, loans_file(10, {"江岸区": 101.0, "江汉区": 201.0, "硚口区": 51.0, "青山区": 0.02}),
                     "202610.xlsx", registry)
    assert report.status == "ok" and not report.doubts


def test_the_command_line_refuses_a_column_waiting_for_its_unit(store, tmp_path):
    from loaders.__main__ import main as loaders_main
    from tests.cli import run_main

    path = tmp_path / "202610.xlsx"
    path.write_bytes(loans_file(10, {"江岸区": 10000000000.0, "江汉区": 20000000000.0, "硚口区": 5000000000.0}))
    before = store.counts()
    ran = run_main(loaders_main, "ingest", str(path), "--db", str(store.path), "--json")
    assert ran.returncode == 1
    [result] = json.loads(ran.stdout)
    assert result["status"] == "rejected" and "命令行导入时请先改正文件" in result["errors"][0]["message"]
    assert store.counts() == before


def test_a_column_waiting_for_its_unit_still_shows_the_files_other_warnings(store, registry):
    report = prepare(store, loans_file(10, {"江岸区": 10000000000.0, "江汉区": 20000000000.0}), "x.xlsx", registry)
    assert report.waits_for_units
    assert any("硚口区" in w.message and "漏报" in w.message for w in report.outcome.warnings)
