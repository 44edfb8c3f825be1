"""数据质量: a 合计 that does not add up and a 100× jump, uploaded through the real path, appear with their cell;
已核实 (store.quality) clears a line, is refused to a viewer, and leaves an audit row; the page on the demo database
shows the late and the missing source and its flaws, and an analyst marks a line there."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest
from openpyxl import Workbook

from domain import clock
from domain.calendar import default_calendar, month_ends
from domain.months import month_end
from loaders import demo
from loaders.ingest import ingest
from metrics import quality as q
from presentation import quality as view
from store import Store
from store import quality as reviews_store
from store.access import AccessDenied, Actor, operator
from tests.agency_files import loans_file
from tests.test_calendar import UNITS

MONTHS = month_ends(month_end(2026, 10), 3)


def upload(store: Store, registry, values: dict[str, float], month: int) -> int:
    with clock.frozen(dt.datetime(2026, month + 1, 5, 9)):
        report = ingest(store, loans_file(month, values), f"loans_{month}.xlsx", registry, uploader="测试")
    assert report.status == "ok", report.message
    return report.commit.submission_id


def units(**changed: float) -> dict[str, float]:
    """The 16 units' loans (亿元), large enough that one unit's jump leaves the city's total within ±50%."""
    values = {u: 1000.0 + i for i, u in enumerate(UNITS)}
    return values | changed


def with_total(values: dict[str, float], factor: float = 1.0) -> dict[str, float]:
    """合计 first (row 4 of the sheet, cell B4), then the units (江岸区 in row 5)."""
    return {"合计": round(sum(values.values()) * factor, 1), **values}


@pytest.fixture
def flawed(registry, tmp_path):
    """September clean; October: 江岸区 100 times September's (its 合计 adds up), and a November file whose 合计 is
    5% above the sum of its units."""
    store = Store(tmp_path / "q.duckdb")
    upload(store, registry, with_total(units(江岸区=10.0)), 9)
    jump = upload(store, registry, with_total(units(江岸区=1000.0)), 10)
    # November's 合计 5% over; 江岸区 back near its old size would jump again, so it keeps October's figure
    off = upload(store, registry, with_total(units(江岸区=1000.0), 1.05), 11)
    return store, jump, off


def lines_of(store: Store, registry, months=None) -> list[q.Line]:
    cal = default_calendar()
    obs = store.active_observations()
    months = months or month_ends(month_end(2026, 11), 3)
    return q.reconciliation(obs, registry, cal.checks, months) + q.anomalies(obs, registry, cal.checks, months)


def test_a_total_that_does_not_add_up_is_named_with_its_cell(flawed, registry):
    store, _, off = flawed
    mismatches = [x for x in lines_of(store, registry) if x.kind == "total_mismatch"]
    assert len(mismatches) == 1
    line = mismatches[0]
    summed = sum(units(江岸区=1000.0).values())
    assert (line.region_code, line.period, line.submission_id) == ("420100", month_end(2026, 11), off)
    assert (line.sheet, line.cell) == ("Sheet", "B4")  # the 合计 row, where the loans column is read
    assert line.value == pytest.approx(round(summed * 1.05, 1)) and line.reference == pytest.approx(summed)
    text = view.line_summary(line, registry)
    assert "合计" in text and "+5.0%" in text and "16个单位" in text
    assert "loans_11.xlsx" in view.where_text(line) and "B4" in view.where_text(line)


def test_a_hundredfold_jump_is_named_with_its_cell(flawed, registry):
    store, jump, _ = flawed
    jumps = [x for x in lines_of(store, registry) if x.kind == "jump"]
    assert [(x.region_code, x.period, x.submission_id, x.cell) for x in jumps] == \
        [("420102", month_end(2026, 10), jump, "B5")]  # 江岸区, the first unit under the 合计
    assert jumps[0].value / jumps[0].reference == pytest.approx(100)
    assert "为上月的100.0倍" in view.line_summary(jumps[0], registry)


def test_a_year_on_year_outlier_among_units_by_median_absolute_deviation(registry, tmp_path):
    store = Store(tmp_path / "yoy.duckdb")
    for month in (9, 10):  # the same two months a year apart: everyone grows 10-13%, 江汉区 60% (no jump month on month)
        base = {u: 100.0 + 3 * i for i, u in enumerate(UNITS)}
        with clock.frozen(dt.datetime(2025, month + 1, 5)):
            assert ingest(store, loans_file(month, with_total(base), year=2025), f"{month}a.xlsx", registry).status == "ok"
        grown = {u: v * (1.6 if u == "江汉区" else 1.10 + 0.002 * i) for i, (u, v) in enumerate(base.items())}
        upload(store, registry, with_total(grown), month)
    lines = [x for x in lines_of(store, registry, month_ends(month_end(2026, 10), 2)) if x.kind == "yoy_outlier"]
    assert {(x.region_code, x.period.month) for x in lines} == {("420103", 9), ("420103", 10)}  # 江汉区 only
    assert all(x.measure > default_calendar().checks.mad_limit for x in lines)


def test_a_clean_month_has_no_line(registry, tmp_path):
    store = Store(tmp_path / "clean.duckdb")
    upload(store, registry, with_total(units()), 9)
    upload(store, registry, with_total({u: v * 1.01 for u, v in units().items()}), 10)
    assert lines_of(store, registry, MONTHS) == []


def reviewed(line: q.Line, registry) -> reviews_store.Reviewed:
    return reviews_store.Reviewed(line.key, line.kind, line.submission_id, line.indicator_code, line.region_code,
                                  line.period, view.line_summary(line, registry))


def test_reviewed_clears_the_line_and_leaves_an_audit_row(flawed, registry, cheap_hashes):
    from tests.streamlit_server import make_account

    store, jump, _ = flawed
    lines = lines_of(store, registry)
    line = next(x for x in lines if x.kind == "jump")
    viewer = Actor(make_account(store.path, "看看", "viewer"), "viewer")
    with pytest.raises(AccessDenied, match="填报或管理"):
        reviews_store.mark_reviewed(store, viewer, reviewed(line, registry), "看过了")
    assert reviews_store.reviews(store).is_empty()
    analyst = Actor(make_account(store.path, "李四", "analyst"), "analyst")
    with clock.frozen(dt.datetime(2026, 11, 8, 10, 15)):
        said = reviews_store.mark_reviewed(store, analyst, reviewed(line, registry), "已与人行营管部核对：数字无误")
    assert "已核实" in said
    rows = reviews_store.reviews(store)
    assert rows.select("line_key", "reviewed_by", "note").row(0) == (line.key, "李四", "已与人行营管部核对：数字无误")
    left = q.unresolved(lines, rows["line_key"])
    assert line not in left and len(left) == len(lines) - 1
    with store.connect() as con:
        audit = con.sql("SELECT actor, action, submission_id, logged_at, detail FROM audit_log "
                        "WHERE action IN ('quality_review', 'denied') ORDER BY logged_at, action").pl()
    review = audit.filter(pl.col("action") == "quality_review").row(0, named=True)
    assert (review["actor"], review["submission_id"]) == ("李四", jump)
    assert review["logged_at"] == dt.datetime(2026, 11, 8, 10, 15) and "数字无误" in review["detail"]
    assert audit.filter(pl.col("action") == "denied")["actor"].to_list() == ["看看"]
    with pytest.raises(Exception, match="已由「李四」"):  # twice is refused, and says by whom
        reviews_store.mark_reviewed(store, operator(), reviewed(line, registry), "再核一次")


def test_a_review_needs_a_note(flawed, registry):
    store, _, _ = flawed
    line = lines_of(store, registry)[0]
    with pytest.raises(Exception, match="核实说明"):
        reviews_store.mark_reviewed(store, operator(), reviewed(line, registry), "   ")


# -- the demo database and the page -------------------------------------------------------------------------


def html_of(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def matrix_row(at, agency: str) -> str:
    table = next(h.proto.body for h in at.get("html") if "报送来源" in h.proto.body)
    return next(row for row in table.split("<tr>") if agency in row)


def test_the_demo_shows_a_late_and_a_missing_source_in_the_matrix(open_page, demo_db, registry):
    at = open_page("pages/quality.py", db=demo_db)
    cal = default_calendar()
    late = cal.source("funds")
    missing = cal.source("sci_tech_loans")
    assert "逾期" in matrix_row(at, late.agency + "·" + late.name) and "未报送" in matrix_row(at, missing.name)
    chase = next(m.value for m in at.markdown if "需催报" in m.value)
    assert f"{late.agency}·{late.name}{demo.LATE_MONTH.year}年{demo.LATE_MONTH.month}月：逾期" in chase
    assert f"{missing.agency}·{missing.name}" in chase and "未报送" in chase
    legend = html_of(at)
    assert all(label in legend for label in view.STATE_LABELS.values())
    # The unit matrix marks the figures with an open line: 青山区's 获贷家数 (the jump) and the city's (its 合计).
    units = next(h.proto.body for h in at.get("html") if "（合计）" in h.proto.body)
    flagged = [row.split("</td>")[0].split(">")[-1] for row in units.split("<tr>") if view.FLAG in row]
    assert flagged == ["武汉市（合计）", demo.TYPOS[demo.JUMP_MONTH][0]]


def test_the_demo_shows_its_total_that_does_not_add_up_and_its_jump_with_cells(open_page, demo_db):
    at = open_page("pages/quality.py", db=demo_db)
    table = at.dataframe[0].value
    kinds = dict(zip(table["类别"], table["单元格"], strict=False))
    assert "合计不符" in kinds and "较上月异常变动" in kinds
    jump = table[table["类别"] == "较上月异常变动"].iloc[0]
    assert jump["地区"] == demo.TYPOS[demo.JUMP_MONTH][0] and jump["单元格"].startswith("C")  # 获贷家数 is column C
    assert any(f"{demo.UNBALANCED_MONTH.month}月" in m for m in table[table["类别"] == "合计不符"]["月份"])
    # The line chosen (the first) names its submission and cell, and offers the original file as it was uploaded.
    first = table.iloc[0]
    detail = next(m.value for m in at.markdown if f"**{first['提交']}**" in m.value)
    assert f"单元格 **{first['单元格']}**" in detail and "报送单位人行武汉分行营管部" in detail
    original = at.get("download_button")[0]
    assert original.proto.label == "下载原始文件"
    assert not at.text_area  # nobody logged in: no 已核实 form
    assert any("登录后" in c.value for c in at.caption)


def test_an_analyst_marks_a_line_reviewed_on_the_page(open_page, sign_in, demo_copy):
    at = sign_in(open_page("pages/quality.py", db=demo_copy), demo_copy, "analyst", name="核对员")
    before = at.dataframe[0].value
    options = at.selectbox(key="quality_line")
    options.select_index(next(i for i, label in enumerate(options.options) if "较上月异常变动" in label))
    at.text_area(key="quality_note").input("已电话核对：青山区多打了一个0，已请人行营管部更正")
    next(b for b in at.button if b.label == "标记为已核实").click().run()
    assert not at.exception
    after = at.dataframe[0].value
    assert len(after) == len(before) - 1 and "较上月异常变动" not in set(after["类别"])
    done = at.dataframe[1].value
    assert done["核实人"].tolist() == ["核对员"] and "多打了一个0" in done["核实说明"].iloc[0]
    with Store(demo_copy).connect() as con:
        rows = con.execute("SELECT actor FROM audit_log WHERE action = 'quality_review'").fetchall()
    assert rows == [("核对员",)]


def book(title: str, header: list[str], rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_registers_count_against_the_reported_count(registry, tmp_path):
    store = Store(tmp_path / "r.duckdb")
    branches = [[i, f"{bank}武汉光谷科技支行", "科技支行", bank, "东湖高新区", dt.date(2025, 3, i)]
                for i, bank in enumerate(["招商银行", "汉口银行", "湖北银行"], start=1)]
    register = book("武汉市科技金融专营机构名录（截至2026年10月末）", ["序号", "机构名称", "机构类型", "所属法人机构", "所在区", "设立日期"],
                    branches)
    table = book("武汉市科技金融专营机构情况（2026年10月）", ["地区", "科技金融专营机构数（家）"], [["武汉市", 5]])
    with clock.frozen(dt.datetime(2026, 11, 5, 9)):
        for name, content in (("名录.xlsx", register), ("机构数.xlsx", table)):
            assert ingest(store, content, name, registry, uploader="测试").status == "ok", name
    lines = [x for x in lines_of(store, registry, [month_end(2026, 10)]) if x.kind == "register_mismatch"]
    assert [(x.region_code, x.value, x.reference, x.file_name, x.cell, x.other_file) for x in lines] == \
        [("420100", 5.0, float(len(branches)), "机构数.xlsx", "B3", "名录.xlsx")]
    assert "名录" in view.line_summary(lines[0], registry) and "报表数5家" in view.line_summary(lines[0], registry)


def test_the_units_of_the_province_for_the_chosen_month(open_page, demo_db, registry):
    at = open_page("pages/quality.py", db=demo_db, scope=registry.province)
    table = next(h.proto.body for h in at.get("html") if "（合计）" in h.proto.body)
    assert f"{registry.regions[registry.province].name}（合计）" in table
    cities = [r.name for r in registry.children(registry.province)]
    assert len(cities) == 17 and all(c in table for c in cities)
    assert "未报送" not in table  # the demo's Hubei file carries every 市州's five figures
    assert at.radio(key="quality_scope").value == registry.province


def test_a_unit_left_out_of_its_file_reads_not_reported_in_the_unit_matrix(registry, tmp_path):
    store = Store(tmp_path / "u.duckdb")
    values = units()
    values.pop("东湖风景区")
    upload(store, registry, with_total(values), 10)  # on 11月5日: on time
    cal, month = default_calendar(), month_end(2026, 10)
    subs, obs = store.submissions(), store.active_observations()
    cells = q.unit_cells(cal, registry, q.place(cal, subs, [month], dt.date(2026, 11, 20)), subs, obs, month)
    states = {(c.indicator_code, registry.regions[c.region_code].name): c.state for c in cells}
    assert states[("tech_loan_balance", "东湖风景区")] == "missing"
    assert states[("tech_loan_balance", "江岸区")] == states[("tech_loan_balance", "武汉市")] == "on_time"
    assert states[("tech_firm_borrowers", "江岸区")] == "missing"  # the file has no 获贷家数 column
    assert states[("hanrongtong_products", "武汉市")] == "missing"  # another source, nothing sent
    owed = 2 * (1 + len(registry.children(registry.city))) + 2  # loans: two figures of the city and its units
    assert view.reported_count(cells, registry.city) == (len(values) + 1, owed)


def test_the_citys_own_file_against_the_districts_file(registry, tmp_path):
    store = Store(tmp_path / "c.duckdb")
    districts = units()
    with clock.frozen(dt.datetime(2026, 11, 5, 9)):
        city = ingest(store, loans_file(10, {"武汉市": 20000.0}), "全市.xlsx", registry, uploader="测试")
        parts = ingest(store, loans_file(10, districts), "各区.xlsx", registry, uploader="测试")
    assert city.status == parts.status == "ok"
    lines = lines_of(store, registry, [month_end(2026, 10)])
    assert [(x.kind, x.region_code, x.file_name, x.cell, x.other_file) for x in lines] == \
        [("city_mismatch", "420100", "全市.xlsx", "B4", "各区.xlsx")]
    assert lines[0].reference == pytest.approx(sum(districts.values())) and lines[0].units == 16
    assert "16个单位报送之和" in view.line_summary(lines[0], registry)
