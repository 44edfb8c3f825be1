"""metrics/districts.py on hand-made series: every expected figure below is worked out by hand.

Also the committed map data (data/geo/) and its decoder, which the district views draw from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import io
import json

import polars as pl
import pytest
from openpyxl import load_workbook

from domain.months import add_months, month_end
from metrics import districts
from metrics.series import resolve
from presentation import registers
from presentation.xlsx import workbook_bytes
from tests.paths import ROOT

UPLOADED = dt.datetime(2026, 11, 5, 9, 0)
OCT26, OCT25, DEC25 = month_end(2026, 10), month_end(2025, 10), month_end(2025, 12)
WUHAN_UNITS = ["420102", "420103", "420104", "420105", "420106", "420107", "420111", "420112", "420114", "420115",
               "420116", "420117", "WH_DHGX", "WH_JKQ", "WH_CJXQ", "WH_DHFJ"]
SEED_LABEL = "“金种子”“银种子”企业名录"


def obs(rows: list[tuple[str, str, dt.date, float]], *, origin: str = "S!B2", submission: int = 1,
        counted: bool = False) -> pl.DataFrame:
    """`counted`: the rows were counted from a register at ingest (stored as computed)."""
    return pl.DataFrame([
        {"indicator_code": i, "region_code": r, "period": p, "value": v, "origin": origin, "is_computed": counted,
         "submission_id": submission, "file_name": f"f{submission}.xlsx", "agency": "人行", "uploader": "测试",
         "uploaded_at": UPLOADED, "is_demo": False}
        for i, r, p, v in rows
    ])


def loans(values: dict[str, dict[dt.date, float]], city: dict[dt.date, float] | None = None) -> list:
    rows = [("tech_loan_balance", code, day, v) for code, by_day in values.items() for day, v in by_day.items()]
    rows += [("tech_loan_balance", "420100", day, v) for day, v in (city or {}).items()]
    return rows


def row(table: pl.DataFrame, code: str) -> dict:
    return table.filter(pl.col("region_code") == code).row(0, named=True)


# -- district_table ----------------------------------------------------------------------------------------


def test_one_unit_by_hand(registry):
    # 江汉: 300 now, 250 a year ago, 280 last December; the city (its own 全市 row): 3000 now, 2800 in December.
    values = {code: {OCT26: 100.0, OCT25: 90.0, DEC25: 95.0} for code in WUHAN_UNITS}
    values["420103"] = {OCT26: 300.0, OCT25: 250.0, DEC25: 280.0}
    series = resolve(obs(loans(values, {OCT26: 3000.0, DEC25: 2800.0})), registry)
    t = districts.district_table(series, registry, "tech_loan_balance", OCT26, registry.city)
    assert t.columns[:13] == districts.TABLE_COLUMNS[:13]
    assert t["region_code"].to_list() == WUHAN_UNITS  # registry order, all 16 units
    jh = row(t, "420103")
    assert jh["region_name"] == "江汉区" and jh["value"] == 300.0 and jh["period"] == OCT26
    assert jh["share"] == pytest.approx(0.1)  # 300 / 3000
    assert jh["yoy"] == pytest.approx(0.2)  # 300 / 250 − 1
    assert jh["change_ytd"] == pytest.approx(20.0)  # 300 − 280
    assert jh["contribution"] == pytest.approx(0.1)  # 20 / (3000 − 2800)
    assert jh["rank"] == 1
    assert row(t, "420102")["rank"] == 2  # the fifteen at 100 share rank 2


def test_missing_unit_is_null_not_zero(registry):
    values = {code: {OCT26: 100.0 + i, OCT25: 90.0} for i, code in enumerate(WUHAN_UNITS) if code != "WH_DHFJ"}
    values["WH_DHFJ"] = {OCT25: 40.0}  # reported last year, not this month
    series = resolve(obs(loans(values)), registry)
    t = districts.district_table(series, registry, "tech_loan_balance", OCT26, registry.city)
    fj = row(t, "WH_DHFJ")
    assert fj["value"] is None and fj["period"] is None and fj["rank"] is None
    assert fj["yoy"] is None and fj["share"] is None and fj["note"] is None
    assert 0.0 not in t["value"].to_list()
    assert districts.reporting_count(t) == (15, 16)
    assert sorted(t["rank"].drop_nulls().to_list()) == list(range(1, 16))
    # The city is not the sum of 15 units: no parent value, so no shares rather than wrong ones.
    assert t["share"].is_null().all()
    # The average line averages the units that reported: 100 … 114 → 107.
    assert districts.unit_average(t) == pytest.approx(107.0)


def test_negative_growth_reads_as_a_fall(registry):
    values = {code: {OCT26: 100.0, OCT25: 100.0, DEC25: 100.0} for code in WUHAN_UNITS}
    values["420107"] = {OCT26: 90.0, OCT25: 100.0, DEC25: 95.0}  # 青山 fell
    series = resolve(obs(loans(values)), registry)  # the city is the sum of its units (computed)
    t = districts.district_table(series, registry, "tech_loan_balance", OCT26, registry.city)
    qs = row(t, "420107")
    assert qs["yoy"] == pytest.approx(-0.1)
    assert qs["change_ytd"] == pytest.approx(-5.0)
    assert qs["contribution"] == pytest.approx(1.0)  # the city's whole change (−5) is 青山's
    assert qs["rank"] == 16


def test_contributions_and_shares_sum_to_one_when_all_units_report(registry):
    values = {code: {OCT26: 100.0 + 10 * i, DEC25: 100.0 + 7 * i, OCT25: 80.0} for i, code in enumerate(WUHAN_UNITS)}
    series = resolve(obs(loans(values)), registry)
    t = districts.district_table(series, registry, "tech_loan_balance", OCT26, registry.city)
    assert t["contribution"].sum() == pytest.approx(1.0)
    assert t["share"].sum() == pytest.approx(1.0)
    # By hand for the last unit (i = 15): change 250 − 205 = 45 of the city's Σ3i·… = 3 × 120 = 360.
    assert row(t, "WH_DHFJ")["contribution"] == pytest.approx(45 / 360)


def test_ties_share_the_better_rank(registry):
    values = {code: {OCT26: 10.0} for code in WUHAN_UNITS}
    values["420102"] = {OCT26: 100.0}
    values["420103"] = {OCT26: 50.0}
    values["420104"] = {OCT26: 50.0}
    t = districts.district_table(resolve(obs(loans(values)), registry), registry, "tech_loan_balance", OCT26, "420100")
    assert [row(t, c)["rank"] for c in ("420102", "420103", "420104", "420105")] == [1, 2, 2, 4]


def test_units_are_compared_on_one_month(registry):
    # The latest month with any unit's value is 2026-09: a request for 2026-11 uses it.
    values = {code: {month_end(2026, 9): 100.0} for code in WUHAN_UNITS}
    values["420102"] = {month_end(2026, 8): 70.0}  # 江岸's latest is older: 未报送 for 2026-09
    series = resolve(obs(loans(values)), registry)
    assert districts.reference_month(series, registry, "tech_loan_balance", month_end(2026, 11), "420100") == month_end(2026, 9)
    t = districts.district_table(series, registry, "tech_loan_balance", month_end(2026, 11), "420100")
    assert row(t, "420102")["value"] is None
    assert row(t, "420103")["period"] == month_end(2026, 9)


def test_no_data_at_all_gives_every_unit_null(registry):
    t = districts.district_table(resolve(obs([("seed_firms", "420100", OCT26, 5.0)]), registry), registry,
                                 "tech_loan_balance", OCT26, "420100")
    assert t.height == 16 and t["value"].is_null().all()


# -- registers, sub-targets, ratios ----------------------------------------------------------------------


def test_a_complete_register_lists_zero_for_units_without_rows(registry):
    origin = f"{SEED_LABEL}（Sheet1，6行）"
    series = resolve(obs([
        ("seed_firms", "420100", OCT26, 6.0),
        ("seed_firms", "WH_DHGX", OCT26, 4.0),
        ("seed_firms", "WH_JKQ", OCT26, 1.0),
        ("seed_firms", "420113", OCT26, 1.0),  # a firm in 汉南区: 武汉经开区 reports it
    ], origin=origin, counted=True), registry)
    t = districts.district_table(series, registry, "seed_firms", OCT26, registry.city)
    assert row(t, "WH_JKQ")["value"] == 2.0
    jiangan = row(t, "420102")
    assert jiangan["value"] == 0.0 and jiangan["note"] == "名录中无该单位" and jiangan["rank"] == 3
    assert t["value"].sum() == 6.0  # the units add up to the register's total
    assert row(t, "WH_DHGX")["share"] == pytest.approx(4 / 6)


def test_an_agency_table_without_a_unit_is_still_missing(registry):
    # The same indicator from a table (not a register): a unit without a row did not report.
    series = resolve(obs([("seed_firms", "420100", OCT26, 6.0), ("seed_firms", "WH_DHGX", OCT26, 4.0)],
                         origin="Sheet1!B4"), registry)
    assert row(districts.district_table(series, registry, "seed_firms", OCT26, registry.city), "420102")["value"] is None


def test_subtarget_completion_and_status(registry):
    reg = dataclasses.replace(registry, subtargets={"WH2027.tech_loan_balance": {"420103": 330.0, "420102": 250.0}})
    june = month_end(2025, 6)  # WH2027 was issued in June 2025: the units' baseline month
    values = {code: {june: 100.0, OCT26: 100.0} for code in WUHAN_UNITS}
    values["420103"] = {june: 300.0, OCT26: 310.0}
    values["420102"] = {june: 200.0, OCT26: 260.0}
    t = districts.district_table(resolve(obs(loans(values)), reg), reg, "tech_loan_balance", OCT26, "420100")
    jh, ja = row(t, "420103"), row(t, "420102")
    assert jh["subtarget"] == 330.0 and jh["subtarget_completion"] == pytest.approx(310 / 330)
    # R = ((310/300)^(1/16) − 1) / ((330/300)^(1/30) − 1) ≈ 0.645: between 0.60 and 0.95.
    assert jh["status"] == "needs_acceleration"
    assert ja["status"] == "achieved"  # 260 ≥ 250
    assert row(t, "420104")["subtarget"] is None and row(t, "420104")["status"] is None


def test_a_share_changes_in_points_and_has_no_share_of_the_parent(registry):
    rows = []
    for code, (now, before, listed) in {"420500": (54.0, 50.0, 13), "429021": (None, None, 0)}.items():
        rows += [("listed_companies", code, OCT26, float(listed)), ("listed_companies", code, OCT25, float(listed))]
        if now is not None:
            rows += [("listed_star_chinext_bse", code, OCT26, now / 100 * listed),
                     ("listed_star_chinext_bse", code, OCT25, before / 100 * listed)]
        else:
            rows += [("listed_star_chinext_bse", code, OCT26, 0.0)]
    series = resolve(obs(rows), registry)
    t = districts.district_table(series, registry, "star_chinext_bse_share", OCT26, "420000")
    assert t.height == 17  # Hubei's 市州
    yc = row(t, "420500")
    assert yc["value"] == pytest.approx(54.0) and yc["share"] is None and yc["contribution"] is None
    assert yc["yoy_points"] == pytest.approx(4.0) and yc["yoy"] == pytest.approx(0.08)
    sn = row(t, "429021")
    assert sn["value"] is None and sn["note"] == "上市公司数为0，无法计算"
    assert districts.growth_key(registry, "star_chinext_bse_share") == "yoy_points"
    m = districts.heat_matrix(series, registry, ["star_chinext_bse_share"], OCT26, "420000")
    assert m.filter(pl.col("region_code") == "420500")["measure"][0] == pytest.approx(0.04)
    assert m["in_points"].all()


# -- several indicators and months ------------------------------------------------------------------------


def test_small_multiples_order_by_latest_value_missing_last(registry):
    values = {code: {month_end(2026, m): 10.0 + m for m in range(1, 11)} for code in WUHAN_UNITS[2:]}
    values["420103"] = {month_end(2026, 9): 500.0, OCT26: 400.0}
    series = resolve(obs(loans(values)), registry)  # 江岸 (420102) has no value at all
    h = districts.unit_histories(series, registry, "tech_loan_balance", OCT26, "420100", months=6)
    order = h.select("region_code", "order").unique().sort("order")["region_code"].to_list()
    assert order[0] == "420103" and order[-1] == "420102" and len(order) == 16
    assert h.filter(pl.col("region_code") == "420104")["period"].to_list() == [month_end(2026, m)
                                                                               for m in range(5, 11)]
    assert h.filter(pl.col("region_code") == "420102")["value"].to_list() == [None]


def test_unit_profile_covers_every_indicator_its_peers_report(registry):
    values = {code: {OCT25: 80.0, OCT26: 100.0 + i} for i, code in enumerate(WUHAN_UNITS)}
    rows = loans(values) + [("tech_firm_borrowers", c, OCT26, 10.0) for c in WUHAN_UNITS if c != "WH_DHGX"]
    series = resolve(obs(rows), registry)
    p = districts.unit_profile(series, registry, "WH_DHGX", OCT26, "420100")
    assert p["indicator_code"].to_list() == ["tech_loan_balance", "tech_firm_borrowers"]
    loan, borrowers = p.row(0, named=True), p.row(1, named=True)
    assert loan["rank"] == 4 and loan["n_ranked"] == 16 and loan["history"] == [80.0, 112.0]
    assert loan["yoy"] == pytest.approx(112 / 80 - 1)
    assert borrowers["value"] is None and borrowers["rank"] is None and borrowers["n_ranked"] == 15


def test_add_months_goes_back_across_years():
    assert add_months(OCT26, -12) == OCT25
    assert add_months(month_end(2026, 1), -1) == month_end(2025, 12)
    assert add_months(month_end(2026, 3), -26) == month_end(2024, 1)


# -- the register rows behind the counts -------------------------------------------------------------------


def register_frame() -> pl.DataFrame:
    return pl.DataFrame({
        "submission_id": [1, 1, 2, 2, 2, 3],
        "row_no": [2, 3, 2, 3, 4, 2],
        "name": ["旧名录甲公司", "旧名录乙公司", "光谷芯片有限公司", "汉南装备有限公司", "武昌软件有限公司", "下月公司"],
        "category": ["金种子", "银种子", "金种子", "银种子", "金种子", "金种子"],
        "tier": ["冲刺层", "孵化层", "冲刺层", "加速层", "孵化层", "孵化层"],
        "industry": ["光电子", "软件", "集成电路", "汽车", "软件", "软件"],
        "region_code": ["WH_JKQ", "WH_JKQ", "WH_JKQ", "420113", "420106", "WH_JKQ"],
        "selected_on": [dt.date(2025, 1, 2)] * 6,
        "origin": ["S!B2"] * 6,
        "period": [month_end(2026, 9), month_end(2026, 9), OCT26, OCT26, OCT26, month_end(2026, 11)],
    })


def test_register_rows_for_a_unit_come_from_the_latest_list(registry):
    rows, month = registers.register_for_unit(register_frame(), registry, "seed_firms", "WH_JKQ", OCT26)
    assert month == OCT26
    assert rows["name"].to_list() == ["光谷芯片有限公司", "汉南装备有限公司"]  # 汉南区 is reported by 经开区
    assert rows.columns == ["name", "category", "tier", "industry", "selected_on"]
    none, no_month = registers.register_for_unit(register_frame(), registry, "seed_firms", "WH_JKQ",
                                                 month_end(2025, 1))
    assert none.is_empty() and no_month is None


def test_search_matches_any_text_column_literally():
    frame = register_frame()
    assert registers.search_rows(frame, " 芯片 ")["name"].to_list() == ["光谷芯片有限公司"]
    assert registers.search_rows(frame, "孵化层").height == 3
    assert registers.search_rows(frame, "").height == frame.height
    assert registers.search_rows(frame, "(").is_empty()  # not a regular expression


def test_workbook_has_chinese_headings_and_the_rows(registry):
    rows, _ = registers.register_for_unit(register_frame(), registry, "seed_firms", "WH_JKQ", OCT26)
    headings = registers.register_headings(registry, "seed_firms")
    data = workbook_bytes({"金种子·银种子企业": (rows, headings)})
    ws = load_workbook(io.BytesIO(data))["金种子·银种子企业"]
    assert [c.value for c in ws[1]] == ["企业名称", "类别", "梯队层级", "所属行业", "入库日期"]
    assert ws["A2"].value == "光谷芯片有限公司" and ws.max_row == 3
    assert ws["E2"].value.date() == dt.date(2025, 1, 2) and ws["E2"].number_format == "yyyy-mm-dd"
    assert registers.register_headings(registry, "funds")["size_yi_yuan"] == "认缴规模（亿元）"


# -- the committed map data and its decoder ----------------------------------------------------------------


def test_the_maps_have_every_administrative_unit(registry):
    wuhan = json.loads((ROOT / "data" / "geo" / "wuhan_districts.geojson").read_text(encoding="utf-8"))
    hubei = json.loads((ROOT / "data" / "geo" / "hubei_cities.geojson").read_text(encoding="utf-8"))
    wuhan_codes = {f["properties"]["adcode"] for f in wuhan["features"]}
    expected = {r.adcode for r in registry.regions.values() if r.parent == "420100" and r.adcode}
    assert wuhan_codes == expected and len(wuhan_codes) == 13  # 汉南区 included
    assert {f["properties"]["adcode"] for f in hubei["features"]} == {r.code for r in registry.children("420000")}
    for f in wuhan["features"]:
        lon, lat = f["properties"]["label_point"]
        assert 113.6 < lon < 115.1 and 29.9 < lat < 31.4, f["properties"]["name"]  # inside Wuhan


def test_decoder_inverts_echarts_encoding():
    spec = importlib.util.spec_from_file_location("decode_echarts", ROOT / "data" / "geo" / "decode_echarts.py")
    decode = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(decode)
    # "@@": no move from the offset; "BA": zig-zag 2 → +1, 1 → −1 (in 1/1024 degree).
    ring = decode.decode_ring("@@BA", [100 * 1024, 30 * 1024])
    assert ring == [[100.0, 30.0], [round(100 + 1 / 1024, 6), round(30 - 1 / 1024, 6)], [100.0, 30.0]]
    js = ('!function(){A.registerMap("测试",{type:"FeatureCollection",features:[{type:"Feature",id:"1",'
          'properties:{name:"甲",cp:[1,2]},geometry:{type:"Polygon",coordinates:["@@BAB@"],'
          'encodeOffsets:[[1024,2048]]}}],UTF8Encoding:!0})}')
    geo = decode.decode_map(js)
    assert geo["name"] == "测试" and geo["features"][0]["properties"]["name"] == "甲"
    assert geo["features"][0]["geometry"]["coordinates"][0][0] == [1.0, 2.0]
