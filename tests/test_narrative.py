"""The meeting narrative (reports/narrative.py): generated from the metrics only.

The expected sentences for the demo database were checked by hand against
`python -m metrics report --db DEMO --json` (and `--as-of 2026-09`, `--by-region --json`):

- statuses 2026-10: achieved 1 (specialized_institutions), on_track 5, needs_acceleration 3
  (tech_insurance_products, tech_sme_borrowers, star_chinext_bse_share), limited_progress 1 (seed_firms);
- pace ratio R: seed_firms 0.465 < star_chinext_bse_share 0.649 < tech_sme_borrowers 0.810 <
  tech_insurance_products 0.873, the order of the targets behind;
- star_chinext_bse_share was 明显滞后 in 2026-09 (46.3%), 需加快 in 2026-10 (47.0%); the others kept theirs;
- month on month: 51 → 52家, 2,684.0 → 2,713.9亿元, 4,533.6 → 4,595.9亿元, 436 → 437家, 8 → 8款, 44 → 45个,
  20,858 → 21,181家, 4,611.4 → 4,685.2亿元, 46.3% → 47.0% (unrounded +0.61 points), 484.7 → 492.3亿元
  (unrounded +7.52);
- seed_firms: 437家, completion 0.874, time elapsed 0.533, g_obs 3.4%/yr, projection 454家 at 2027-12,
  required 12.2%/yr or 4.5家 a month (increase_required_monthly 4.5);
- Wuhan's units, tech loans: 东湖高新区 1,557.242 (33.9% of 4,595.894), 武汉经开区 420.908 (9.2%), 洪山区
  344.795 (7.5%); y/y from 2025-10: 江夏区 168.872 → 210.478 (+24.6%), 武汉经开区 365.392 → 420.908 (+15.2%);
  sub-targets: 15 on_track, 东湖风景区 achieved; the lowest completion 东湖高新区 1,557.242 / 1,800 = 86.5%.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import pytest

from reports.brief import MonthChange, Ranking, furthest_behind, load_brief
from reports.narrative import Narrative, changes, key_figures, narrative, units_sentence

HEADLINE = "截至2026年10月，监测的10项目标中，已达标1项、进度正常5项、需加快3项、明显滞后1项。"
GROUPS = {
    "WH2027": "武汉市2027年目标6项：已达标1项（科技金融专营机构数）、进度正常3项、需加快1项（科技保险在库产品数）、"
              "明显滞后1项（“金种子”“银种子”企业数）。",
    "HB2026": "湖北省2026年目标4项：进度正常2项、需加快2项（科技型中小企业获贷家数、"
              "科创板、创业板、北交所上市公司占上市公司比重）。",
}
CHANGES = [
    "与2026年9月相比，1项目标状态变化：科创板、创业板、北交所上市公司占上市公司比重由明显滞后转为需加快。",
    "本月数值变化：专营机构数增加1家（+2.0%），股权基金规模增加29.9亿元（+1.1%），科技贷款余额增加62.3亿元（+1.4%），"
    "金银种子企业增加1家（+0.2%），汉融通产品数持平，科技保险产品数增加1个（+2.3%），科小获贷家数增加323家（+1.5%），"
    "科小贷款余额增加73.8亿元（+1.6%），科创类上市占比提高0.6个百分点，科技担保在保余额增加7.5亿元（+1.6%）。",
]
BEHIND = [
    "武汉市“金种子”“银种子”企业数437家，完成目标（500家以上）的87.4%，时间进度53.3%，▼明显滞后。"
    "按2025年6月以来的增速（年均3.4%），到2027年12月预计达454家，到期达不到目标，如期完成需此后年均增长12.2%（每月新增4.5家）。",
    "湖北省科创板、创业板、北交所上市公司占上市公司比重47.0%，完成目标（超过50%）的93.9%，时间进度92.9%，▲需加快。"
    "按2024年8月以来的增速（年均4.5%），到2026年12月预计达47.3%，到期达不到目标，如期完成需此后每月提高1.52个百分点。",
    "湖北省科技型中小企业获贷家数21,181家，完成目标增幅的70.2%（目标较基期增长70%），时间进度92.9%，▲需加快。"
    "按2024年8月以来的增速（年均20.3%），到2026年12月预计达21,843家，到期达不到目标，如期完成需此后2个月每月新增1,479.5家。",
    "武汉市科技保险在库产品数45个，完成目标（60个以上）的75.0%，时间进度53.3%，▲需加快。"
    "按2025年6月以来的增速（年均20.7%），到2027年12月预计达56个，到期达不到目标，如期完成需此后年均增长28.0%（每月新增1.1个）。",
]
UNITS_LOANS = ("武汉市各单位科技型企业贷款余额：东湖高新区（1,557.2亿元，占33.9%）、武汉经开区（420.9亿元，占9.2%）、"
               "洪山区（344.8亿元，占7.5%）居前；同比增速最高的是江夏区（+24.6%），最低的是武汉经开区（+15.2%）；"
               "对照分解目标，已达标1个、进度正常15个，完成分解目标比例最低的是东湖高新区（86.5%）。")


@pytest.fixture(scope="module")
def brief(demo_db, registry):
    return load_brief(demo_db, registry, generated=dt.date(2026, 11, 30))


@pytest.fixture(scope="module")
def story(brief, registry) -> Narrative:
    return narrative(brief, registry)


def test_headline_and_plans_for_the_demo_database(story):
    assert story.headline == [HEADLINE]
    assert story.groups == GROUPS


def test_what_changed_since_last_month(story):
    assert story.changes == CHANGES
    assert story.moves[0] == "专营机构数增加1家（+2.0%）" and story.moves[4] == "汉融通产品数持平"


def test_targets_behind_furthest_first_with_the_pace_they_need(brief, story):
    assert [s.target_id for s in brief.behind] == ["WH2027.seed_firms", "HB2026.star_chinext_bse_share",
                                                  "HB2026.tech_sme_borrowers", "WH2027.tech_insurance_products"]
    assert [s.target_id for s in brief.meeting_behind] == [s.target_id for s in brief.behind[:3]]
    assert story.behind == BEHIND
    assert story.watch["WH2027.seed_firms"] == ("▼ 金银种子企业：完成87.4%，时间进度53.3%；"
                                                 "如期完成需此后年均增长12.2%（每月新增4.5家）。")


def test_units_that_lead_and_lag(story):
    assert story.units["WH2027.tech_loan_balance"] == UNITS_LOANS
    # a % indicator reads its growth in points
    share = story.units["HB2026.star_chinext_bse_share"]
    assert share.startswith("湖北省各市州科创板、创业板、北交所上市公司占上市公司比重：宜昌市（53.8%）")
    assert "同比升幅最大的是宜昌市（+12.2个百分点）" in share


def test_key_figures_beside_a_chart(brief, registry):
    figures = dict(key_figures(brief.behind[0], registry))
    assert figures["最新值（2026年10月）"] == "437家"
    assert figures["目标（2027年12月）"] == "500家以上"
    assert figures["此后每月需新增"] == "4.5家"
    assert figures["此后月均需增长"] == "0.97%"  # (500 / 437)^(1/14) − 1
    assert figures["折合年均需增长"] == "12.2%"
    assert figures["预计达标"] == "到期前达不到"


def test_the_deck_and_the_page_print_the_same_text(story):
    text = story.as_text()
    for part in (HEADLINE, *GROUPS.values(), *CHANGES, *BEHIND, UNITS_LOANS):
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


def test_a_fall_and_a_first_month(brief, registry):
    s = brief.standings[2]  # tech_loan_balance
    fallen = dataclasses.replace(brief, standings=[s], previous=dt.date(2026, 9, 30),
                                 changes={s.target_id: MonthChange(-12.34, -0.0027, "on_track")})
    assert changes(fallen, registry)[1] == "本月数值变化：科技贷款余额减少12.3亿元（−0.3%）。"
    first = dataclasses.replace(fallen, previous=None)
    assert changes(first, registry) == ["暂无上月数据，本月无法与上月比较。"]


def test_units_that_did_not_report_are_named(brief, registry):
    r = brief.rankings[0]
    table = r.table.with_columns(
        value=pl.when(pl.col("region_code") == "420117").then(None).otherwise(pl.col("value")))
    text = units_sentence(Ranking(r.target_id, r.indicator, r.parent, table, r.month, r.average, r.has_subtargets),
                          registry, brief.as_of)
    assert text.endswith("新洲区未报送。")
    older = Ranking(r.target_id, r.indicator, r.parent, r.table, dt.date(2026, 8, 31), r.average, r.has_subtargets)
    assert units_sentence(older, registry, brief.as_of).startswith("武汉市各单位科技型企业贷款余额（数据为2026年8月）：")
