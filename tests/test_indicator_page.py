"""指标详情 (pages/indicator.py) in Streamlit's AppTest: the URL reproduces the view, and every figure on
the page is the figure `python -m metrics report --json` gives."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from domain.months import month_label, parse_month_key
from metrics.__main__ import main as metrics_main
from presentation.fmt import num, pct

PAGE = "pages/indicator.py"


def report(db: Path, *args: str) -> list[dict]:
    """`python -m metrics report --json`, run in this process (the same main(), without a second interpreter)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = metrics_main(["report", "--db", str(db), "--json", *args])
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def by_target(demo_db: Path) -> dict[tuple[str, str], dict]:
    return {(r["target_id"], r["region_code"]): r for r in report(demo_db, "--by-region")}


def metrics(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def texts(at) -> str:
    return "\n".join(str(x.value) for x in [*at.markdown, *at.caption, *at.title, *at.subheader, *at.info])


def test_a_target_that_is_behind_tells_its_story(open_page, demo_db, by_target, registry):
    at = open_page(PAGE, db=demo_db, indicator="seed_firms")
    r = by_target[("WH2027.seed_firms", "420100")]
    assert r["status"] == "limited_progress" and r["projected_attainment"] is None
    body, m = texts(at), metrics(at)
    assert registry.statuses["limited_progress"].label in body and registry.statuses["limited_progress"].symbol in body
    assert m["最新值（家），2026年10月"][0] == num(r["value"], 0) == "437"
    assert m["按序时进度此时应达（家）"] == (num(r["expected_linear"], 0), "实际落后 25家")
    assert m["按等比增长路径此时应达（家）"][0] == num(r["expected_growth"], 0)
    assert m["2025年6月以来年均增速"][0] == pct(r["growth_observed_annual"]) == "3.4%"
    assert m["按现增速2027年12月预计（家）"] == (num(r["projected_at_deadline"], 0), "到期达不到目标")
    assert m["如期完成，此后需年均增长"] == (pct(r["growth_required_annual"]), "每月新增 约5家")  # 4.5, rounded up
    # the verdict leads with the 序时进度 comparison, in the page's text size
    assert "按序时进度应达462家，实际437家，差25家" in body and "进度比" not in body and "时间进度" not in body
    assert "到期预计454家" not in body and "预计达454家" in body  # the sentence, from the same standing
    assert "截止2027年12月" in body
    assert len(at.get("plotly_chart")) == 2  # the trajectory and the units


def test_a_target_on_track_shows_its_attainment_month(open_page, demo_db, by_target):
    at = open_page(PAGE, db=demo_db, indicator="tech_loan_balance")
    r = by_target[("WH2027.tech_loan_balance", "420100")]
    attained = month_label(parse_month_key(r["projected_attainment"]))
    m = metrics(at)
    assert m["按现增速2027年12月预计（亿元）"] == (num(r["projected_at_deadline"], 1), f"预计{attained}达到目标")
    assert m["按序时进度此时应达（亿元）"] == (num(r["expected_linear"], 1), "实际领先 224.2亿元")
    assert m["如期完成，此后需年均增长"][0] == pct(r["growth_required_annual"])
    body = texts(at)
    assert "进度正常" in body and f"预计{attained}达到目标" in body
    # the sub-targets against the city's target: 5,100 of 5,000
    assert "合计 **5,100.0亿元**" in body and "**102.0%**" in body
    assert at.selectbox(key="indicator_pick").value == "tech_loan_balance"


def test_the_url_reproduces_a_unit_against_its_sub_target(open_page, demo_db, by_target):
    at = open_page(PAGE, db=demo_db, indicator="tech_loan_balance", region="东湖高新区", as_of="2026-10")
    r = by_target[("WH2027.tech_loan_balance", "WH_DHGX")]
    assert at.sidebar.selectbox(key="region").value == "东湖高新区"
    assert at.sidebar.selectbox(key="as_of").value == "2026-10"
    body, m = texts(at), metrics(at)
    assert "分解目标（示例）：突破1,800亿元" in body
    assert f"完成目标（突破1,800亿元）的{pct(r['completion'])}" in body
    assert m["按序时进度此时应达（亿元）"][0] == num(r["expected_linear"], 1)
    assert m["按现增速2027年12月预计（亿元）"][0] == num(r["projected_at_deadline"], 1)
    assert "合计 **5,100.0亿元**" in body  # the city's split, shown from the unit as well


def test_an_earlier_month_in_the_url(open_page, demo_db):
    at = open_page(PAGE, db=demo_db, indicator="seed_firms", as_of="2025-12")
    r = {x["target_id"]: x for x in report(demo_db, "--as-of", "2025-12")}["WH2027.seed_firms"]
    assert metrics(at)["最新值（家），2025年12月"][0] == num(r["value"], 0)
    assert "截至2025年12月" in texts(at)


def test_a_provincial_target_opens_on_the_province_with_its_yearly_growth(open_page, demo_db, by_target):
    at = open_page(PAGE, db=demo_db, indicator="tech_sme_loan_balance")
    r = by_target[("HB2026.tech_sme_loan_balance", "420000")]
    assert at.sidebar.selectbox(key="region").value == "湖北省"
    body = texts(at)
    assert "湖北省各市州情况" in body and "目标年均20%" in body
    assert len(at.get("plotly_chart")) == 3  # trajectory, each year's growth, the 市州
    assert metrics(at)["2024年8月以来年均增速"][0] == pct(r["growth_observed_annual"])


def test_a_unit_without_a_sub_target_is_measured_not_judged(open_page, demo_db, by_target):
    at = open_page(PAGE, db=demo_db, indicator="seed_firms", region="东湖高新区")
    r = by_target[("WH2027.seed_firms", "WH_DHGX")]
    body = texts(at)
    assert "尚未分解到本单位" in body and "未设分解目标" in body
    assert "font-size:1.7rem" not in body  # no status badge: nothing is judged
    m = metrics(at)
    assert m["按现增速2027年12月预计（家）"][0] == num(r["projected_at_deadline"], 0)
    assert "按序时进度此时应达（家）" not in m


def test_an_indicator_without_a_target_shows_its_trend(open_page, demo_db):
    at = open_page(PAGE, db=demo_db, indicator="venture_capital_size")
    assert "没有量化目标" in texts(at)
    assert {"环比", "同比"} <= set(metrics(at))


def test_picking_an_indicator_puts_it_in_the_url(open_page, demo_db):
    at = open_page(PAGE, db=demo_db)
    assert at.selectbox(key="indicator_pick").value == "tech_loan_balance"
    at.selectbox(key="indicator_pick").set_value("equity_fund_size").run()
    assert not at.exception
    assert at.query_params["indicator"] == "equity_fund_size"
    assert "股权投资基金规模" in texts(at)


def test_an_empty_database_says_what_to_do(open_page, tmp_path):
    at = open_page(PAGE, db=tmp_path / "empty.duckdb", indicator="seed_firms")
    assert "还没有任何数据" in at.info[0].value


def test_a_region_without_the_target_points_to_where_it_is_set(open_page, demo_db):
    at = open_page(PAGE, db=demo_db, indicator="tech_loan_balance", region="湖北省")
    body = texts(at)
    assert "该指标的目标设在[武汉市]" in body and "湖北省未设目标" in body
    assert "没有量化目标" not in body
