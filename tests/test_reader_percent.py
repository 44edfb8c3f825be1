"""A percentage written as a fraction (0.123 under a % heading), as a percent (12.3) or with its sign
("12.3%") reads the same whatever the table's shape and whichever way the reader goes: the row-by-row
reader of a small sheet, or the columnar reader of a big one (every cell as text; see
tests/test_big_register_path.py). One rule, units.percent_factor: the plain numbers one table gives for
a percent indicator are on one scale, fractions only when every one of them lies between -1 and 1.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from loaders import workbook
from loaders.ingest import ParseOutcome, parse_upload
from loaders.units import in_percent, percent_factor

RATE = "tech_firm_loan_access_rate"  # 科技型企业获贷率, unit %
REGIONS = [("江岸区", "420102"), ("江汉区", "420103"), ("东湖高新区", "WH_DHGX")]
MONTHS = [("2026年9月", dt.date(2026, 9, 30)), ("2026年10月", dt.date(2026, 10, 31))]

# cells written for the three regions → the rates read, in %
VALUES = {
    "fractions": ([0.123, 0.2, 0.05], [12.3, 20.0, 5.0]),  # as Excel stores a cell formatted as %
    "fraction-text": (["0.123", "0.2", "0.05"], [12.3, 20.0, 5.0]),
    "percent-text": (["12.3%", "20%", "5%"], [12.3, 20.0, 5.0]),
    "fractions-and-percent-text": ([0.123, "20%", 0.05], [12.3, 20.0, 5.0]),
    "percent-numbers": ([12.3, 20, 5], [12.3, 20.0, 5.0]),
    # 0.5 beside 12.3 and 20 is 0.5%, not 50%: the table is in percent (a rule cell by cell said 50)
    "small-percent-among-percents": ([12.3, 20, 0.5], [12.3, 20.0, 0.5]),
    "zero-among-fractions": ([0.123, 0, 0.2], [12.3, 0.0, 20.0]),
}


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def wide(cells: list) -> bytes:
    """Regions down, one column per indicator, one month (October)."""
    return _xlsx([["武汉市科技型企业获贷率（2026年10月）", None], ["地区", "科技型企业获贷率"],
                  *[[name, v] for (name, _), v in zip(REGIONS, cells, strict=True)]])


def regions_across(cells: list) -> bytes:
    """One indicator: regions as columns, months down (both months carry the same rates)."""
    return _xlsx([["武汉市各区科技型企业获贷率（%）"], ["月份", *[name for name, _ in REGIONS]],
                  *[[label, *cells] for label, _ in MONTHS]])


def months_across(cells: list) -> bytes:
    """One indicator: months as columns, regions down (both months carry the same rates)."""
    return _xlsx([["武汉市各区科技型企业获贷率（%）"], ["地区", *[label for label, _ in MONTHS]],
                  *[[name, v, v] for (name, _), v in zip(REGIONS, cells, strict=True)]])


LAYOUTS = {"wide": (wide, MONTHS[1:]), "regions-across": (regions_across, MONTHS),
           "months-across": (months_across, MONTHS)}


def both_paths(content: bytes, registry, monkeypatch) -> tuple[ParseOutcome, ParseOutcome]:
    small = parse_upload(content, "获贷率.xlsx", registry)
    with monkeypatch.context() as m:
        m.setattr(workbook, "BIG_SHEET_XML_BYTES", 0)  # every sheet counts as big: read as text, by columns
        big = parse_upload(content, "获贷率.xlsx", registry)
    return small, big


def rates(outcome: ParseOutcome) -> dict[tuple[str, dt.date], float]:
    rows = outcome.observations.filter(outcome.observations["indicator_code"] == RATE)
    return {(r["region_code"], r["period"]): r["value"] for r in rows.iter_rows(named=True)}


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("case", list(VALUES))
def test_a_percentage_reads_the_same_on_both_paths(case, layout, registry, monkeypatch):
    cells, expected = VALUES[case]
    build, months = LAYOUTS[layout]
    small, big = both_paths(build(cells), registry, monkeypatch)
    assert small.problems == [] and big.problems == []
    assert big.observations.sort("region_code", "period").equals(small.observations.sort("region_code", "period"))
    want = {(code, day): value for (_, code), value in zip(REGIONS, expected, strict=True) for _, day in months}
    got = rates(small)
    assert set(got) == set(want)
    for k, value in want.items():
        assert got[k] == pytest.approx(value, rel=1e-12, abs=1e-12), k


def test_the_big_path_really_reads_text(monkeypatch):
    monkeypatch.setattr(workbook, "BIG_SHEET_XML_BYTES", 0)
    sheet = workbook.read_sheets(wide(VALUES["fractions"][0]), "获贷率.xlsx")[0]
    assert sheet.frame is not None and sheet.frame.row(2) == ("江岸区", "0.123")


@pytest.mark.parametrize("case", list(VALUES))
def test_every_table_shape_gives_the_same_rates(case, registry, monkeypatch):
    october = {}
    for layout, (build, _) in LAYOUTS.items():
        small, _ = both_paths(build(VALUES[case][0]), registry, monkeypatch)
        october[layout] = {k: v for k, v in rates(small).items() if k[1] == MONTHS[1][1]}
    assert october["wide"] == october["regions-across"] == october["months-across"]


@pytest.mark.parametrize(
    ("cells", "factor"),
    [
        ([(0.123, False), (0.2, False)], 100.0),
        ([(12.3, False), (0.5, False)], 1.0),
        ([(0.123, False), (20.0, True)], 100.0),  # a number written with % does not count
        ([(12.3, True), (20.0, True)], 1.0),
        ([(None, False), (0.5, False)], 100.0),  # blanks do not count
        ([(1.0, False), (-1.0, False)], 100.0),  # the bounds are fractions (100%, -100%)
        ([(0.0, False)], 100.0),
        ([], 1.0),
    ],
)
def test_percent_factor(cells, factor):
    assert percent_factor(cells) == factor
    assert percent_factor(iter(cells)) == factor  # any iterable, read once


def test_in_percent():
    assert in_percent(0.123, False, 100.0) == pytest.approx(12.3)
    assert in_percent(12.3, True, 100.0) == 12.3
    assert in_percent(12.3, False, 1.0) == 12.3


def test_a_negative_rate_is_read_on_its_tables_scale_and_refused(registry, monkeypatch):
    # -0.05 among fractions is -5% (the scale rule counts it as a fraction), and a rate below 0 cannot be: the
    # data contract refuses it at its cell, on both paths (loaders/contracts.py).
    for outcome in both_paths(wide([-0.05, 0.1, 0.2]), registry, monkeypatch):
        assert [(p.cell, "-5%" in p.message) for p in outcome.errors] == [("B3", True)]
