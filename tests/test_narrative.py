"""The meeting narrative (reports/narrative.py): generated from the metrics only.

The full texts live in tests/golden/ (`pytest --update-golden` rewrites them; read the diff before committing).
The demo database's were checked by hand against `python -m metrics report --db DEMO --json` (and
`--as-of 2026-09`, `--by-region --json`):

- statuses 2026-10: achieved 1 (specialized_institutions), on_track 5, needs_acceleration 3
  (tech_insurance_products, tech_sme_borrowers, star_chinext_bse_share), limited_progress 1 (seed_firms);
- pace ratio R: seed_firms 0.465 < star_chinext_bse_share 0.649 < tech_sme_borrowers 0.810 <
  tech_insurance_products 0.873, the order of the targets behind;
- star_chinext_bse_share was 明显滞后 in 2026-09 (46.3%), 需加快 in 2026-10 (47.0%); the others kept theirs;
- month on month: 51 → 52家, 2,684.0 → 2,713.9亿元, 4,533.6 → 4,595.9亿元, 436 → 437家, 8 → 8款, 44 → 45个,
  20,858 → 21,181家, 4,611.4 → 4,685.2亿元, 46.3% → 47.0% (unrounded +0.61 points), 484.7 → 492.3亿元
  (unrounded +7.52);
- seed_firms: 437家, completion 0.874, time elapsed 0.533, g_obs 3.4%/yr, projection 454家 at 2027-12,
  required 12.2%/yr or 4.5家 a month (increase_required_monthly 4.5, said as 约5家: rounded up);
  序时进度 (expected_linear) 461.7 → 462家, so 差25家; star_chinext_bse_share 49.48% due, 46.95% reached (差2.5
  个百分点), 42.67% at its baseline (提高4.3个百分点); tech_sme_borrowers 23,430家 due, 21,181家 reached,
  increase_required_monthly 1,479.5 → 约1,480家;
- Wuhan's units, tech loans: 东湖高新区 1,557.242 (33.9% of 4,595.894), 武汉经开区 420.908 (9.2%), 洪山区
  344.795 (7.5%); y/y from 2025-10: 江夏区 168.872 → 210.478 (+24.6%), 武汉经开区 365.392 → 420.908 (+15.2%);
  sub-targets: 15 on_track, 东湖风景区 achieved; the lowest completion 东湖高新区 1,557.242 / 1,800 = 86.5%.

The plain asserts below check one rule each (order, sign, unit, points for a %, a unit that did not report).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import pytest

from reports.brief import MonthChange, Ranking, furthest_behind, load_brief
from reports.narrative import Narrative, changes, key_figures, narrative, units_sentence


def lines(*parts: str | list[str] | dict[str, str]) -> str:
    """A golden file's text: one sentence a line; a dict's entries as "[key]" then the sentence."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, dict):
            for key, text in part.items():
                out += [f"[{key}]", text]
        elif isinstance(part, list):
            out += part
        else:
            out.append(part)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def registry(demo_registry):
    """The demo database is read as the pages read it: with the demo's example sub-targets."""
    return demo_registry


@pytest.fixture(scope="module")
def brief(demo_db, registry):
    return load_brief(demo_db, registry, generated=dt.date(2026, 11, 30))


@pytest.fixture(scope="module")
def story(brief, registry) -> Narrative:
    return narrative(brief, registry)


def test_headline_and_plans_for_the_demo_database(story, golden):
    assert len(story.headline) == 1 and list(story.groups) == ["WH2027", "HB2026"]
    golden("narrative_demo_headline.txt", lines(story.headline, story.groups))


def test_what_changed_since_last_month(story, registry, golden):
    golden("narrative_demo_changes.txt", lines(story.changes, "[moves]", story.moves))
    # one rule each: a rise with its unit and relative change; no change reads 持平, without a percentage
    assert story.moves[0] == "专营机构数增加1家（+2.0%）"
    assert story.moves[4] == f"{registry.indicators['hanrongtong_products'].short_zh}持平"


def test_targets_behind_furthest_first_with_the_pace_they_need(brief, story, registry, golden):
    assert [s.target_id for s in brief.behind] == ["WH2027.seed_firms", "HB2026.star_chinext_bse_share",
                                                  "HB2026.tech_sme_borrowers", "WH2027.tech_insurance_products"]
    assert [s.target_id for s in brief.meeting_behind] == [s.target_id for s in brief.behind[:3]]
    assert list(story.watch) == [s.target_id for s in brief.behind]
    golden("narrative_demo_behind.txt", lines(story.behind, story.watch))
    # each leads with its 序时进度 comparison, then the status, the completion after
    for s, text, watch in zip(brief.behind, story.behind, story.watch.values(), strict=True):
        label = registry.statuses[s.status].label
        assert text.index("按序时进度应达") < text.index("，实际") < text.index(label) < text.index("完成目标"), text
        assert "按序时进度应达" in watch and "时间进度" not in text + watch
    seed = story.behind[0]
    assert seed.startswith("武汉市“金种子”“银种子”企业数按序时进度应达462家，实际437家，差25家，▼明显滞后；"
                           "完成目标（500家以上）的87.4%。")
    borrowers = story.watch["HB2026.tech_sme_borrowers"]
    assert "每月需新增约1,480家" in borrowers and "1,479.5" not in borrowers  # 2,959 in 2 months, rounded up


def test_units_that_lead_and_lag(story, golden):
    golden("narrative_demo_units.txt", lines(story.units))
    # a % indicator reads its growth in points
    share = story.units["HB2026.star_chinext_bse_share"]
    assert share.startswith("湖北省各市州科创板、创业板、北交所上市公司占上市公司比重：宜昌市（53.8%）")
    assert "同比升幅最大的是宜昌市（+12.2个百分点）" in share


def test_key_figures_beside_a_chart(brief, registry):
    pairs = key_figures(brief.behind[0], registry)
    figures = dict(pairs)
    assert figures["最新值（2026年10月）"] == "437家"
    # the 序时进度 comparison comes right after the value, before the target and the completion
    assert [k for k, _ in pairs[:5]] == ["最新值（2026年10月）", "按序时进度应达", "与序时进度相比", "目标（2027年12月）",
                                         "完成目标"]
    assert figures["按序时进度应达"] == "462家"  # 418 + (500 − 418) × 16/28 = 461.7
    assert figures["与序时进度相比"] == "差25家"
    assert figures["完成目标"] == "87.4%"
    assert figures["目标（2027年12月）"] == "500家以上"
    assert figures["如期完成还需新增"] == "63家"  # 500 − 437
    assert figures["此后每月需新增"] == "约5家"  # 63 / 14 = 4.5, rounded up: 4 a month would make 56
    assert figures["折合年均需增长"] == "12.2%"
    assert figures["预计达标"] == "到期前达不到"
    assert not any("时间进度" in k for k in figures)  # never the time beside the completion


def test_key_figures_of_a_share_are_in_points(brief, registry):
    s = next(x for x in brief.behind if x.indicator_code == "star_chinext_bse_share")
    figures = dict(key_figures(s, registry))
    assert figures["与序时进度相比"] == "差2.5个百分点"  # 49.5% due, 47.0% reached
    assert figures["基期以来提高"] == "4.3个百分点"  # 42.7% in 2024-08 → 47.0%
    assert figures["此后每月需提高"] == "1.52个百分点"
    assert not any("增速" in k or "增长" in k for k in figures)  # no growth rate of a percentage


def test_the_deck_and_the_page_print_the_same_text(story):
    text = story.as_text()
    for part in (*story.headline, *story.groups.values(), *story.changes, *story.behind, *story.units.values()):
        assert part in text


# -- pure pieces on made-up standings ---------------------------------------------------------------------


def test_furthest_behind_orders_by_pace_and_skips_those_on_course(brief):
    base = brief.standings[1]
    rows = [dataclasses.replace(base, target_id="a", status="on_track", pace_ratio=1.2),
            dataclasses.replace(base, target_id="b", status="needs_acceleration", pace_ratio=0.9),
            dataclasses.replace(base, target_id="c", status="regressing", pace_ratio=-0.3),
            dataclasses.replace(base, target_id="d", status="limited_progress", pace_ratio=0.2),
            dataclasses.replace(base, target_id="e", status="insufficient_data", pace_ratio=None)]
    assert [s.target_id for s in furthest_behind(rows)] == ["c", "d", "b"]


def test_a_fall_and_a_first_month(brief, registry, golden):
    s = brief.standings[2]  # tech_loan_balance
    assert s.indicator_code == "tech_loan_balance"
    fallen = dataclasses.replace(brief, standings=[s], previous=dt.date(2026, 9, 30),
                                 changes={s.target_id: MonthChange(-12.34, -0.0027, "on_track")})
    first = dataclasses.replace(fallen, previous=None)
    golden("narrative_fall_and_first_month.txt", lines(changes(fallen, registry), "[first month]",
                                                       changes(first, registry)))
    # a fall: 减少, the amount without its sign, the unit, a true minus sign on the relative change
    short = registry.indicators["tech_loan_balance"].short_zh
    assert changes(fallen, registry)[1] == f"本月数值变化：{short}减少12.3亿元（−0.3%）。"
    assert changes(first, registry) == ["暂无上月数据，本月无法与上月比较。"]


def test_units_that_did_not_report_are_named(brief, registry, golden):
    r = brief.rankings[0]
    table = r.table.with_columns(
        value=pl.when(pl.col("region_code") == "420117").then(None).otherwise(pl.col("value")))
    missing = units_sentence(Ranking(r.target_id, r.indicator, r.parent, table, r.month, r.average, r.has_subtargets),
                             registry, brief.as_of)
    older = units_sentence(Ranking(r.target_id, r.indicator, r.parent, r.table, dt.date(2026, 8, 31), r.average,
                                   r.has_subtargets), registry, brief.as_of)
    golden("narrative_units_hand_made.txt", lines({"新洲区 did not report": missing, "data of 2026-08": older}))
    assert missing.endswith("新洲区未报送。")
    assert older.startswith("武汉市各单位科技型企业贷款余额（数据为2026年8月）：")
