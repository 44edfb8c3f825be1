"""Hypothesis: any well-formed agency table written to .xlsx reads back to the same values."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from domain import clock
from domain.registry import default_registry
from loaders.ingest import parse_upload

REG = default_registry()
UNITS = [r for r in REG.children("420100")]
MONEY = [i for i in REG.indicators.values() if i.unit == "亿元" and not i.numerator]
# A part of a share (科创板…上市公司数 of 上市公司数) is never above its whole: random counts would be (the data
# contracts refuse such a table), so the parts are left out.
PARTS = {i.numerator for i in REG.indicators.values() if i.numerator}
COUNTS = [i for i in REG.indicators.values() if i.unit in ("家", "个", "款") and not i.numerator and i.code not in PARTS]
SCALE = {"亿元": 1.0, "万元": 1e4}


@st.composite
def tables(draw):
    money = draw(st.lists(st.sampled_from(MONEY), min_size=1, max_size=3, unique_by=lambda i: i.code))
    counts = draw(st.lists(st.sampled_from(COUNTS), max_size=2, unique_by=lambda i: i.code))
    units = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=16, unique_by=lambda r: r.code))
    written_unit = draw(st.sampled_from(["亿元", "万元"]))
    month = draw(st.integers(1, 12))
    year = draw(st.integers(2024, 2027))
    money_values = draw(st.lists(st.lists(st.integers(0, 10**9).map(lambda v: v / 100), min_size=len(money),
                                          max_size=len(money)), min_size=len(units), max_size=len(units)))
    count_values = draw(st.lists(st.lists(st.integers(0, 100000), min_size=len(counts), max_size=len(counts)),
                                 min_size=len(units), max_size=len(units)))
    as_text = draw(st.booleans())  # numbers typed as text with thousands separators
    spelling = draw(st.sampled_from(["name", "short", "alias"]))
    title_rows = draw(st.integers(0, 3))
    return (money, counts, units, written_unit, (year, month), money_values, count_values, as_text, spelling,
            title_rows)


def spelled(region, how: str) -> str:
    if how == "short" and region.short:
        return region.short
    if how == "alias" and region.aliases:
        return region.aliases[0]
    return region.name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_random_well_formed_tables_round_trip(table):
    money, counts, units, written_unit, (year, month), money_values, count_values, as_text, spelling, title_rows = table
    wb = Workbook()
    ws = wb.active
    for i in range(title_rows):
        ws.append([f"说明行{i}"] if i else [f"{year}年{month}月科技金融数据"])
    if title_rows == 0:
        ws.title = f"{year}年{month}月"
    ws.append([f"单位：{written_unit}"])
    ws.append(["地区", *[i.aliases[-1] for i in money], *[f"{i.name_zh}（{i.unit}）" for i in counts]])
    for region, mv, cv in zip(units, money_values, count_values, strict=True):
        cells = [v * SCALE[written_unit] for v in mv] + list(cv)
        if as_text:
            cells = [f"{v:,.2f}" if isinstance(v, float) else f"{v:,}" for v in cells]
        ws.append([spelled(region, spelling), *cells])
    buf = io.BytesIO()
    wb.save(buf)
    with clock.frozen(dt.datetime(2027, 12, 31, 12, 0)):  # every month drawn has passed (a later one is refused)
        out = parse_upload(buf.getvalue(), "上传.xlsx", REG)
    assert out.ok, out.errors
    assert out.period is not None and (out.period.year, out.period.month) == (year, month)
    got = {(r["indicator_code"], r["region_code"]): r["value"] for r in out.observations.iter_rows(named=True)}
    assert len(got) == len(units) * (len(money) + len(counts))
    for region, mv, cv in zip(units, money_values, count_values, strict=True):
        for ind, v in zip(money, mv, strict=True):
            assert abs(got[(ind.code, region.code)] - v) <= 1e-6 * max(1.0, abs(v))
        for ind, v in zip(counts, cv, strict=True):
            assert got[(ind.code, region.code)] == v
    assert out.observations.filter(pl.col("is_computed")).is_empty()
