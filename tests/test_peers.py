"""The peer cities of the July-2025 briefing (data/peers.toml, issue 13 item 5) and the trend indicators of WHC
(item 6c): every peer figure quoted word for word from the seed, a target or an outcome, beside the Wuhan
indicators it may be read with and the caveat where the definitions differ; WHC's key indicators labelled by
their growth since the baseline (Statistics Canada's no-target method), never given a status."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tomllib

import pytest

from domain.errors import RegistryError
from domain.months import add_months, month_end
from domain.peers import load_peers
from domain.registry import load_registry
from domain.trends import TrendThresholds, load_trends
from metrics.trend_label import LABELS, annual_growth, trend_label, trend_since
from presentation.peers import COLUMNS, peers_section_markdown, peers_table
from tests.cli import run_main
from tests.paths import ROOT

DATA_DIR = ROOT / "data"
SEED = (DATA_DIR / "seeds" / "004_b575fdfc2b5a798a.txt").read_text(encoding="utf-8")
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "004_b575fdfc2b5a798a.txt"
RAW = tomllib.loads((DATA_DIR / "peers.toml").read_text(encoding="utf-8"))
T = TrendThresholds(strong=0.015, moderate=0.005, flat=0.0, min_months=6)


@pytest.fixture(scope="module")
def reg():
    return load_registry(DATA_DIR)


@pytest.fixture(scope="module")
def peers(reg):
    return load_peers(DATA_DIR, reg)


def _copy(tmp_path):
    for path in DATA_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


# -- the registry --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", RAW["peer"], ids=lambda e: e["id"])
def test_every_quote_occurs_in_the_briefing_word_for_word(entry):
    assert entry["quote"] in SEED
    if SHARED_SEED.exists():  # the project's own copy is the shared seed, byte for byte
        assert entry["quote"] in SHARED_SEED.read_text(encoding="utf-8")
    # the figure it gives is in its quote (万亿元 as written: 突破万亿元, 1.74万亿元, 2万亿元)
    v = entry["value"]
    shown = ("万亿" if v == 10000 else f"{v / 10000:g}万亿") if v >= 10000 else f"{v:g}"
    assert shown in entry["quote"], entry["id"]


def test_the_briefing_s_places_each_with_targets_and_outcomes(peers):
    places = {p.place for p in peers.peers}
    assert places == {"天津市", "郑州市", "上海市", "广州市", "深圳市", "全国"}
    kinds = {p.id: p.kind for p in peers.peers}
    assert kinds["tianjin.sci_tech_loans_2027"] == kinds["zhengzhou.loans_2027"] == "target"
    assert kinds["guangzhou.listed_companies"] == kinds["shenzhen.ip_abs"] == kinds["china.sci_tech_loans_yoy"] == "outcome"
    tianjin = next(p for p in peers.peers if p.place == "天津市")
    assert (tianjin.value, tianjin.unit, tianjin.date) == (10000, "亿元", dt.date(2027, 12, 31))


def test_zhengzhou_s_loans_are_comparable_to_wuhan_s_with_the_caveat_that_they_count_two_kinds_of_firm(peers):
    on_loans = peers.on("tech_loan_balance")
    assert [p.id for p in on_loans] == ["zhengzhou.loans_2025", "zhengzhou.loans_2027"]
    for p in on_loans:
        assert "高新技术企业" in p.caveat and "科技型中小企业" in p.caveat and "口径不同" in p.caveat
    assert [p.value for p in on_loans] == [2500, 3000]
    # Tianjin's 科技贷款余额 is the PBOC statistic: beside sci_tech_loan_balance, never WH2027's loans to tech firms
    assert "tianjin.sci_tech_loans_2027" in [p.id for p in peers.on("sci_tech_loan_balance")]


def test_a_quote_not_in_the_seed_is_refused_with_file_and_line(tmp_path, reg):
    data = _copy(tmp_path)
    text = (data / "peers.toml").read_text(encoding="utf-8")
    (data / "peers.toml").write_text(text.replace("合计贷款余额突破2500亿元\"", "合计贷款余额突破2600亿元\"", 1), encoding="utf-8")
    with pytest.raises(RegistryError) as e:
        load_peers(data, reg)
    message = str(e.value)
    assert "peers.toml" in message and "第" in message and "逐字" in message and "2600" in message


def test_an_unknown_wuhan_indicator_or_a_missing_caveat_is_refused(tmp_path, reg):
    data = _copy(tmp_path)
    text = (data / "peers.toml").read_text(encoding="utf-8")
    text = text.replace('comparable = ["tech_loan_balance"]', 'comparable = ["tech_loans"]', 1)
    text = re.sub(r'caveat = "天津[^"]*"', 'caveat = ""', text, count=1)
    (data / "peers.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as e:
        load_peers(data, reg)
    assert "tech_loans" in str(e.value) and "caveat" in str(e.value)


def test_the_table_cites_each_quote_and_the_section_lists_only_comparable_figures(peers, reg):
    table = peers_table(peers, reg)
    assert tuple(table.columns) == COLUMNS and table.height == len(peers.peers) == 13
    row = table.filter(table["地区"] == "广州市").row(0, named=True)
    assert row["性质"] == "实绩" and row["原文"].startswith("“广州市现有境内外上市公司238家")
    text = peers_section_markdown(peers, "tech_loan_balance", reg)
    assert "郑州市" in text and "突破3000亿元" in text and "天津市" not in text
    assert "“2027年年底,郑州市高新技术企业、科技型中小企业合计贷款余额突破3000亿元”" in text
    assert peers_section_markdown(peers, "seed_firms", reg) is None
    dates = dict(zip(table["地区"] + table["所计内容"], table["时间"], strict=True))
    assert dates["深圳市存续科创票据与存续科创债"] == "截至6月末（2025年6月30日）"
    assert dates["郑州市高新技术企业获贷率"] == "2025年年底"


def test_the_command_line_prints_every_figure_with_its_quote():
    from reports.__main__ import main

    ran = run_main(main, "peers", "--json")
    assert ran.returncode == 0, ran.stderr
    rows = json.loads(ran.stdout)
    assert len(rows) == 13 and all(r["quote"] in SEED for r in rows)
    assert {r["kind"] for r in rows} == {"target", "outcome"}
    ran = run_main(main, "peers")
    assert ran.returncode == 0 and "原文：“力争全市科技贷款余额突破万亿元" in ran.stdout


def test_the_indicator_page_shows_the_peer_section_and_the_insurance_target_s_task(open_page, demo_db):
    at = open_page("pages/indicator.py", db=demo_db, indicator="tech_loan_balance")
    assert "兄弟城市对照" in [h.value for h in at.subheader]
    text = "\n".join(m.value for m in at.markdown)
    assert "郑州市" in text and "口径不同" in text and "突破2500亿元" in text
    assert any(e.label.endswith("所载全部外地与全国数字") for e in at.expander)
    # the units' sub-targets on this page are examples, and the page says so (no document splits the target)
    assert any(c.value.startswith("示例") and "不出自任何文件" in c.value for c in at.caption)
    at = open_page("pages/indicator.py", db=demo_db, indicator="tech_insurance_products")
    assert any("高水平建设东湖科技保险创新示范区" in i.value for i in at.info)
    at = open_page("pages/indicator.py", db=demo_db, indicator="seed_firms")
    assert "兄弟城市对照" not in [h.value for h in at.subheader]


# -- WHC's trend indicators ------------------------------------------------------------------------------------------


def test_whc_s_five_key_indicators_are_trends_from_its_sentence_without_a_target(reg):
    trends = load_trends(DATA_DIR, reg)
    whc = (DATA_DIR / "seeds" / "002_3efbdf18d216e6a7.txt").read_text(encoding="utf-8")
    assert [t.indicator for t in trends.trends] == ["sci_tech_loan_balance", "tech_insurance_premium",
                                                   "tech_firm_loan_access_rate", "venture_capital_size",
                                                   "sci_tech_bond_issuance"]
    for t in trends.trends:
        assert t.document == "WHC" and t.sentence in whc and "突破性增长" in t.sentence
        assert not reg.targets_on(t.indicator)
    assert trends.thresholds == T  # Statistics Canada's thresholds, from data/status.toml [trend]


def test_thresholds_out_of_order_are_refused(tmp_path, reg):
    data = _copy(tmp_path)
    text = (data / "status.toml").read_text(encoding="utf-8")
    (data / "status.toml").write_text(text.replace("strong = 0.015", "strong = 0.001"), encoding="utf-8")
    with pytest.raises(RegistryError) as e:
        load_trends(data, reg)
    assert "strong > moderate > flat" in str(e.value)


def test_the_label_reads_annual_growth_against_the_thresholds():
    assert [trend_label(g, T) for g in (0.20, 0.015, 0.01, 0.005, 0.002, 0.0, -0.0001, None)] == [
        "strong", "strong", "moderate", "moderate", "flat", "flat", "falling", "insufficient"]
    assert trend_label(-0.02, T, higher_is_better=False) == "strong"
    assert annual_growth(100, 121, 24) == pytest.approx(0.10)
    assert annual_growth(0, 5, 12) is None


def _monthly(start: dt.date, values: list[float]) -> list[tuple[dt.date, float]]:
    return [(add_months(start, i), v) for i, v in enumerate(values)]


def test_growth_since_the_baseline_and_its_label():
    since = month_end(2024, 12)
    points = _monthly(since, [1000 * 1.01 ** i for i in range(23)])  # 1% a month: 12.7% a year
    r = trend_since(points, since, month_end(2026, 10), T)
    assert (r.label, r.months, r.period) == ("strong", 22, month_end(2026, 10))
    assert r.growth_annual == pytest.approx(1.01 ** 12 - 1)
    assert r.change == pytest.approx(1.01 ** 22 - 1)
    flat = trend_since(_monthly(since, [1000, *([1002] * 12)]), since, month_end(2025, 12), T)
    assert flat.label == "flat" and flat.growth_annual == pytest.approx(0.002)
    down = trend_since(_monthly(since, [1000, *([990] * 12)]), since, month_end(2025, 12), T)
    assert LABELS[down.label] == "下降"
    assert "status" not in r.as_json() and r.as_json()["trend_label"] == "明显增长"


def test_too_few_months_or_no_baseline_is_insufficient():
    since = month_end(2024, 12)
    r = trend_since(_monthly(since, [1000, 1100, 1200]), since, month_end(2025, 2), T)
    assert r.label == "insufficient" and "不足6个月" in r.why and r.growth_annual is None
    r = trend_since(_monthly(month_end(2025, 1), [1000] * 12), since, month_end(2025, 12), T)
    assert r.label == "insufficient" and "基期月份没有数据" in r.why


def test_a_flow_compares_twelve_month_totals():
    since = month_end(2024, 12)
    start = month_end(2024, 1)
    # 2024: 10 a month (120 a year); 2025: 12 a month (144): +20%, whatever the month's year-to-date
    points = _monthly(start, [10.0] * 12 + [12.0] * 12)
    r = trend_since(points, since, month_end(2025, 12), T, flow=True)
    assert (r.baseline_value, r.value) == (120, 144) and r.growth_annual == pytest.approx(0.20)
    short = trend_since(points[6:], since, month_end(2025, 12), T, flow=True)
    assert short.label == "insufficient"


def test_the_report_lists_the_trend_indicators_without_a_status(demo_db):
    from reports.__main__ import main

    ran = run_main(main, "trends", "--db", demo_db, "--json")
    assert ran.returncode == 0, ran.stderr
    rows = json.loads(ran.stdout)
    assert rows[0]["indicator"] == "sci_tech_loan_balance" and len(rows) == 5
    assert all("status" not in r and r["trend_label"] in LABELS.values() for r in rows)
    ran = run_main(main, "trends", "--db", demo_db)
    assert ran.returncode == 0 and "不判定进度" in ran.stdout and "WHC" in ran.stdout
    for word in ("进度正常", "需加快", "明显滞后", "逆向变化", "已达标"):
        assert word not in ran.stdout
