"""观察期 (issue 14 item 5): no status from a few months. A target needs `[observation] months` of data since its
baseline (data/status.toml, six unless it says otherwise) before it is judged; until then its figures show with
观察期 (status code observation) in the metrics, the JSON report, the overview, 指标详情, the deck and the narrative.

The databases are built through the real upload path (loaders.ingest.ingest) from the city's loans table written
here: 科技型企业贷款余额 of 武汉市 from 2026-01 on, WH2027's first month after its issue (2025-06) with data, so
its baseline. Every status below is worked out by hand from the figures written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import polars as pl
import pytest
from PIL import Image

from charts.card import card_html, status_strip
from domain.errors import RegistryError
from domain.months import month_end
from domain.registry import load_registry
from loaders.ingest import ingest
from metrics import districts
from metrics.__main__ import main as metrics_main
from metrics.series import resolve
from metrics.standing import standing, status_counts
from presentation.fmt import status_text
from presentation.labels import observation_note
from presentation.sentences import gauge_lines, target_sentence, verdict_line
from presentation.units import district_rows
from reports import figures
from reports.brief import load_brief
from reports.deck import build_deck
from reports.narrative import narrative
from store import Store
from tests.agency_files import loans_file
from tests.cli import run_main
from tests.decks import slide_texts
from tests.paths import ROOT

TARGET = "WH2027.tech_loan_balance"  # 突破5,000亿元 by 2027-12
BASE, STEP = 4000.0, 10.0  # 4,000亿元 in 2026-01, then 10亿元 a month
VERDICTS = {"achieved", "on_track", "needs_acceleration", "limited_progress", "regressing"}
NOTE = "观察期（基期后不足6个月，暂不判定进度）"  # the officials' wording


def value(month: int) -> float:
    return BASE + STEP * (month - 1)


def loans_db(path: Path, last: int, data_dir: Path | None = None) -> Path:
    """武汉市 loans for 2026-01 … 2026-<last>, one file a month through the upload path: last − 1 months of data
    since the baseline (2026-01)."""
    registry = load_registry(data_dir or ROOT / "data")
    store = Store(path)
    for month in range(1, last + 1):
        report = ingest(store, loans_file(month, {"全市": value(month)}), f"科技贷款_2026{month:02d}.xlsx", registry,
                        uploader="测试")
        assert report.status == "ok", report
    return path


# R = g_obs / g_req with g_obs = (v/b)^(1/m) − 1 and g_req = (5000/4000)^(1/23) − 1 ≈ 0.975% a month (2026-01 to
# 2027-12 is 23 months). Ten 亿元 a month on 4,000 is about 0.25% a month: R ≈ 0.26, between 0 and 0.60, so the
# target would be 明显滞后 once judged.
JUDGED = "limited_progress"


@pytest.fixture(scope="module")
def five(tmp_path_factory) -> Path:
    """Five months of data since the baseline (2026-01 … 2026-06): in the 观察期."""
    return loans_db(tmp_path_factory.mktemp("five") / "five.duckdb", 6)


@pytest.fixture(scope="module")
def six(tmp_path_factory) -> Path:
    """Six months since the baseline (2026-01 … 2026-07): judged."""
    return loans_db(tmp_path_factory.mktemp("six") / "six.duckdb", 7)


def report(db: Path, *args: str) -> dict[str, dict]:
    out = run_main(metrics_main, "report", "--db", db, "--json", *args)
    assert out.returncode == 0, out.stderr
    return {r["target_id"]: r for r in json.loads(out.stdout)}


def set_months(data_dir: Path, text: str) -> Path:
    """data/status.toml with its [observation] section's `months = 6` line replaced by `text`."""
    path = data_dir / "status.toml"
    source = path.read_text(encoding="utf-8")
    assert "\nmonths = 6\n" in source
    path.write_text(source.replace("\nmonths = 6\n", f"\n{text}\n", 1), encoding="utf-8")
    return data_dir


# -- the setting -------------------------------------------------------------------------------------------------


def test_the_setting_and_the_label_live_in_status_toml(registry):
    assert registry.observation_months == 6 and registry.observation_by_target == {}
    style = registry.statuses["observation"]
    assert style.label == "观察期" and style.symbol and style.color.startswith("#")
    assert style.symbol not in {s.symbol for c, s in registry.statuses.items() if c != "observation"}
    assert style.color not in {s.color for c, s in registry.statuses.items() if c != "observation"}
    assert f"{style.label}（{observation_note(6)}）" == NOTE
    text = (ROOT / "data" / "status.toml").read_text(encoding="utf-8")
    assert "[observation]" in text and "观察期" in text  # the setting is explained in Chinese beside it


def test_status_toml_changes_the_span_and_a_target_may_have_its_own(data_copy):
    assert load_registry(set_months(data_copy, "months = 3")).observation_months == 3
    path = data_copy / "status.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "\nmonths = 3\n", f'\nmonths = 3\n[observation.targets]\n"{TARGET}" = 9\n', 1), encoding="utf-8")
    reg = load_registry(data_copy)
    assert reg.observation_months_for(TARGET) == 9 and reg.observation_months_for("WH2027.seed_firms") == 3


def test_without_the_setting_the_span_is_six_months(data_copy):
    assert load_registry(set_months(data_copy, "")).observation_months == 6


@pytest.mark.parametrize("line, words", [
    ("months = -1", "[observation] months"), ('months = "六"', "[observation] months"),
    ("months = true", "[observation] months"), ("month = 6", "未知字段 month"),
    ('months = 6\n[observation.targets]\n"WH2027.no_such" = 3', "WH2027.no_such"),
    (f'months = 6\n[observation.targets]\n"{TARGET}" = 1.5', TARGET),
])
def test_a_wrong_setting_is_named_with_its_file(data_copy, line, words):
    with pytest.raises(RegistryError) as e:
        load_registry(set_months(data_copy, line))
    assert any("status.toml" in m and words in m for m in e.value.problems), e.value.problems


# -- metrics -----------------------------------------------------------------------------------------------------


def series_of(months: int, registry, *, start: float = BASE, step: float = STEP) -> pl.DataFrame:
    """The city's loans from 2026-01 for `months` + 1 months, as metrics.series.resolve returns them."""
    rows = [{"indicator_code": "tech_loan_balance", "region_code": "420100", "period": month_end(2026, m + 1),
             "value": start + step * m, "origin": f"S!B{m + 4}", "is_computed": False, "submission_id": m + 1,
             "file_name": f"f{m}.xlsx", "agency": "人行", "uploader": "测试",
             "uploaded_at": dt.datetime(2026, 11, 5, 9), "is_demo": False} for m in range(months + 1)]
    return resolve(pl.DataFrame(rows), registry)


@pytest.mark.parametrize("months, expected", [(1, "observation"), (5, "observation"), (6, JUDGED), (7, JUDGED)])
def test_a_status_waits_for_six_months_of_data_since_the_baseline(registry, months, expected):
    target = registry.targets[TARGET]
    s = standing(target, series_of(months, registry), registry, month_end(2026, months + 1))
    assert s.baseline_period == month_end(2026, 1) and s.status == expected
    assert s.pace_ratio is not None and 0 < s.pace_ratio < registry.thresholds["needs_acceleration"]  # R is there
    assert s.completion == pytest.approx((BASE + STEP * months) / 5000)  # the figures show either way


def test_the_span_is_the_setting_not_a_constant(registry):
    series = series_of(5, registry)
    shorter = dataclasses.replace(registry, observation_months=3)
    longer = dataclasses.replace(registry, observation_months=6, observation_by_target={TARGET: 8})
    target = registry.targets[TARGET]
    assert standing(target, series, shorter, month_end(2026, 6)).status == JUDGED
    assert standing(target, series_of(7, registry), longer, month_end(2026, 8)).status == "observation"
    assert standing(target, series, dataclasses.replace(registry, observation_months=0), month_end(2026, 6)
                    ).status == JUDGED


def test_a_target_already_met_says_so_in_its_observation_period(registry):
    # 3,990 → 5,100 in three months: over 5,000 — a fact of the month, not a pace (metrics/progress.classify).
    s = standing(registry.targets[TARGET], series_of(3, registry, start=3990.0, step=370.0), registry,
                 month_end(2026, 4))
    assert s.value > 5000 and s.status == "achieved"


def test_a_single_point_is_still_insufficient_data(registry):
    s = standing(registry.targets[TARGET], series_of(0, registry), registry, month_end(2026, 1))
    assert s.status == "insufficient_data"


def test_a_unit_against_its_sub_target_waits_too(registry):
    reg = dataclasses.replace(registry, subtargets={TARGET: {"420103": 400.0}})
    def table(last: int) -> pl.DataFrame:
        rows = [{"indicator_code": "tech_loan_balance", "region_code": "420103", "period": month_end(2026, m),
                 "value": 300.0 + m, "origin": "S!B5", "is_computed": False, "submission_id": m, "file_name": "f.xlsx",
                 "agency": "人行", "uploader": "测试", "uploaded_at": dt.datetime(2026, 11, 5), "is_demo": False}
                for m in range(1, last + 1)]
        t = districts.district_table(resolve(pl.DataFrame(rows), reg), reg, "tech_loan_balance",
                                     month_end(2026, last), "420100")
        shown = district_rows(t, reg, "tech_loan_balance", "全市").filter(pl.col("单位") == "江汉区")["状态"][0]
        return t.filter(pl.col("region_code") == "420103").row(0, named=True)["status"], shown
    # 301 → 307 over 6 months against 400 by 2027-12 (23 months from 2026-01): R = ((307/301)^(1/6) − 1) /
    # ((400/301)^(1/23) − 1) ≈ 0.27, 明显滞后 once judged. 分区对比's table says it as the overview does.
    assert table(6) == ("observation", status_text(reg.statuses["observation"]))
    assert table(7) == ("limited_progress", status_text(reg.statuses["limited_progress"]))


def test_counts_keep_the_observation_period_apart(registry):
    judged = standing(registry.targets[TARGET], series_of(6, registry), registry, month_end(2026, 7))
    waiting = standing(registry.targets[TARGET], series_of(5, registry), registry, month_end(2026, 6))
    assert status_counts([judged, waiting, waiting]) == {JUDGED: 1, "observation": 2}


# -- the report command ------------------------------------------------------------------------------------------


def test_the_json_report_says_observation_then_a_status(five, six):
    waiting, judged = report(five)[TARGET], report(six)[TARGET]
    assert waiting["status"] == "observation" and waiting["observation_months"] == 6
    assert waiting["value"] == value(6) and waiting["completion"] == pytest.approx(value(6) / 5000)
    assert judged["status"] == JUDGED


def test_the_text_report_says_why(five, six):
    out = run_main(metrics_main, "report", "--db", five).stdout
    line = next(x for x in out.splitlines() if "科技型企业贷款余额" in x)
    assert NOTE in line and "序时进度" not in line and "预计" not in line  # no verdict, no projection
    assert "观察期" not in run_main(metrics_main, "report", "--db", six).stdout


def test_status_toml_in_tfm_data_dir_changes_the_report(five, six, data_copy, monkeypatch):
    longer = shutil.copytree(data_copy, data_copy.parent / "data-7")
    monkeypatch.setenv("TFM_DATA_DIR", str(set_months(data_copy, "months = 5")))
    assert report(five)[TARGET]["status"] == JUDGED  # five months are enough now
    monkeypatch.setenv("TFM_DATA_DIR", str(set_months(longer, "months = 7")))
    assert report(six)[TARGET]["status"] == "observation"  # and six are not


def test_the_demo_database_has_no_observation_period(demo_db):
    # every target and every unit against its sub-target: baselines in 2024 and 2025-06, data to 2026-10
    rows = json.loads(run_main(metrics_main, "report", "--db", demo_db, "--json", "--by-region").stdout)
    assert {r["status"] for r in rows} - {None} <= VERDICTS


# -- what a page says --------------------------------------------------------------------------------------------


def test_sentences_say_observation_instead_of_a_verdict(registry):
    s = standing(registry.targets[TARGET], series_of(5, registry), registry, month_end(2026, 6))
    ind = registry.indicators[s.indicator_code]
    assert NOTE in target_sentence(s, registry) and "差" not in target_sentence(s, registry)
    assert gauge_lines(s, ind) == [observation_note(6)]
    assert verdict_line(s, registry).startswith(observation_note(6))
    judged = standing(registry.targets[TARGET], series_of(6, registry), registry, month_end(2026, 7))
    assert "观察期" not in target_sentence(judged, registry) and "按序时进度应达" in target_sentence(judged, registry)


def test_the_card_and_the_strip(registry):
    s = standing(registry.targets[TARGET], series_of(5, registry), registry, month_end(2026, 6))
    style = registry.statuses["observation"]
    html = card_html(s, registry)
    assert status_text(style) in html and NOTE in html and style.color in html
    strip = status_strip([("武汉市2027年目标", [s])], registry).replace("\\", "")
    assert status_text(style) in strip and "序时进度" not in strip


def page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [h.proto.body for h in at.get("html")]
    return "\n".join(str(p) for p in parts)


def test_the_overview_shows_observation_and_counts_it_apart(open_page, five, registry):
    at = open_page(db=five)
    style = registry.statuses["observation"]
    summary = next(m.value for m in at.markdown if "共监测" in m.value)
    assert f"{status_text(style)} **1**" in summary
    assert f"{status_text(registry.statuses['insufficient_data'])} **{len(registry.targets) - 1}**" in summary
    chip = next(c for c in re.findall(r":\w+-badge\[(.*?)\]", next(m.value for m in at.markdown if "-badge[" in m.value))
                if c.startswith("科技型企业贷款"))
    assert status_text(style) in chip
    cards = next(h.proto.body for h in at.get("html") if 'class="tfm-grid"' in h.proto.body)
    card = next(c for c in cards.split('<div class="tfm-card"') if "科技型企业贷款余额" in c)
    assert NOTE in card and status_text(style) in card and observation_note(6) in card


def test_six_months_on_the_overview_have_a_status(open_page, six, registry):
    body = page_text(open_page(db=six))
    assert "观察期" not in body and registry.statuses[JUDGED].label in body


def test_the_indicator_page_shows_observation(open_page, five, registry):
    at = open_page("pages/indicator.py", db=five, indicator="tech_loan_balance")
    body = page_text(at)
    assert status_text(registry.statuses["observation"]) in body and NOTE in body


# -- the meeting outputs -----------------------------------------------------------------------------------------


def deck_texts(db: Path, registry) -> tuple[list[str], list[str]]:
    """The deck's slide texts (charts as blank PNGs: the words are the slides' own) and the narrative's lines."""
    brief = load_brief(db, registry, generated=dt.date(2026, 7, 15))
    story = narrative(brief, registry)
    charts = figures.all_charts(brief, registry)
    buf = io.BytesIO()
    Image.new("RGB", (8, 6), "white").save(buf, format="PNG")
    pptx = build_deck(brief, story, registry, {c.key: buf.getvalue() for c in charts}, charts)
    return slide_texts(pptx), story.as_text().splitlines()


def test_the_deck_and_the_narrative_say_observation(five, registry):
    slides, text = deck_texts(five, registry)
    overview = slides[1]
    mark = status_text(registry.statuses["observation"])
    assert mark in overview  # the status table's row
    assert f"观察期1项（{observation_note(6)}）" in overview  # the headline counts it apart
    assert any(f"观察期1项（科技型企业贷款余额；{observation_note(6)}）" in line for line in text)
    assert "不足6个月为观察期" in slides[-1]  # the method
    gauge = figures.gauge_chart(next(s for s in load_brief(five, registry).standings if s.target_id == TARGET),
                                registry).figure
    notes = " ".join(a.text for a in gauge.layout.annotations)
    assert mark in notes and observation_note(6).partition("，")[0] in notes


def test_the_deck_after_six_months_judges(six, registry):
    slides, text = deck_texts(six, registry)
    obs, judged = registry.statuses["observation"], registry.statuses[JUDGED]
    assert status_text(obs) not in slides[1] and status_text(judged) in slides[1]  # the status table
    assert "观察期" not in text[1]  # the headline's counts
    # what changed since last month says the target left its observation period
    assert any(f"科技型企业贷款余额由{obs.label}转为{judged.label}" in line for line in text)
