"""Progress said the way officials say it (issue 11, item 3): the 序时进度 comparison first (按序时进度应达 X，实际 Y，
差 Z), then the status, the completion after; a share's changes in 个百分点; counts whole; one minus sign and one
rule for thousands; policy text quoted with full-width punctuation. Pure pieces on made-up standings, then every
text the demo database's meeting outputs and cards carry."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.standing import Standing
from metrics.trajectory import Outlook
from presentation.fmt import MINUS, num, pace_qty, pct, policy_text, quote, signed, whole_pace
from presentation.sentences import (
    behind_sentence,
    outlook_sentence,
    required_phrase,
    schedule,
    target_sentence,
    watch_line,
)


def standing(registry, target_id: str, **changes) -> Standing:
    """A made-up standing of a registered target: its kind, comparator and deadline from the registry."""
    t = registry.targets[target_id]
    ind = registry.indicators[t.indicator]
    base = Standing(
        target_id=t.id, document=t.document, indicator_code=t.indicator, region_code=t.region, kind=t.kind,
        comparator=t.comparator, unit=ind.unit, deadline=t.deadline, target_raw=t.value, target_value=t.value,
        as_of=dt.date(2026, 10, 31), value=None, baseline_period=dt.date(2025, 6, 30), baseline_value=None,
        completion=None, time_elapsed=None, pace_ratio=None, growth_observed_monthly=None,
        growth_required_monthly=None, status="needs_acceleration", requested_as_of=dt.date(2026, 10, 31))
    return dataclasses.replace(base, **changes)


# -- the rules of fmt ----------------------------------------------------------------------------------------


def test_one_minus_sign_and_one_thousands_rule():
    assert MINUS == "\u2212"
    assert num(-1234.56) == f"{MINUS}1,234.6" and num(1234.56) == "1,234.6" and num(999.0, 0) == "999"
    assert pct(-0.045) == f"{MINUS}4.5%" and signed(-24.7, "家", 0) == f"{MINUS}25家"
    assert num(-0.04) == "0.0" and pct(-0.0004) == "0.0%"  # a value that rounds to zero has no sign
    assert num(12345678.0, 0) == "12,345,678"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_no_figure_carries_a_hyphen_for_a_minus(value):
    for text in (num(value), num(value, 0), pct(value / 100), signed(value, "亿元")):
        assert "-" not in text
        digits = text.lstrip(MINUS + "+").split(".")[0].replace(",", "")
        # groups of three from the right, a comma between each
        assert text.lstrip(MINUS + "+").split(".")[0].rstrip("亿元%") == f"{int(digits.rstrip('亿元%') or 0):,}"


@given(st.floats(min_value=0.01, max_value=1e6, allow_nan=False))
def test_a_count_pace_is_whole_and_never_falls_short(pace):
    shown = whole_pace(pace)
    assert shown >= pace - 1e-9 and shown - pace < 1
    assert pace_qty(pace, "家", 0) == f"约{shown:,}家"


def test_a_required_pace_as_officials_write_it():
    assert pace_qty(1479.5, "家", 0) == "约1,480家"
    assert pace_qty(4.0000000001, "家", 0) == "约4家"  # floating point does not add a firm
    assert pace_qty(1.524, "%", 1) == "1.52个百分点"
    assert pace_qty(28.86, "亿元", 1) == "28.9亿元"


def test_policy_text_is_quoted_with_full_width_punctuation():
    said = "到2027年,设立科技分支行;加快推广首台(套)重大技术装备保险,推出10款以上,规模3,000亿元"
    assert policy_text(said) == "到2027年，设立科技分支行；加快推广首台（套）重大技术装备保险，推出10款以上，规模3,000亿元"
    assert quote("培育“金种子”“银种子”企业500家以上") == "“培育‘金种子’‘银种子’企业500家以上”"
    assert quote('完善"汉融通"综合金融服务功能') == "“完善‘汉融通’综合金融服务功能”"


# -- the sentence, on made-up standings ----------------------------------------------------------------------


def test_a_level_target_behind_leads_with_its_schedule(registry):
    s = standing(registry, "WH2027.seed_firms", value=437.0, baseline_value=418.0, completion=0.874,
                 time_elapsed=16 / 30, status="limited_progress",
                 outlook=Outlook(expected_linear=461.73, months_left=14, increase_required_monthly=4.5,
                                 growth_required_annual=0.122, projected_at_deadline=454.2,
                                 growth_observed_annual=0.034))
    text = target_sentence(s, registry)
    assert text == ("截至2026年10月，全市“金种子”“银种子”企业数按序时进度应达462家，实际437家，差25家，明显滞后；"
                    "完成目标（500家以上）的87.4%。")
    assert "时间进度" not in text
    assert required_phrase(s, registry) == "，如期完成还需新增63家，此后需年均增长12.2%、每月新增约5家"
    assert watch_line(s, registry).startswith("▼ 金银种子企业：按序时进度应达462家，实际437家，差25家，明显滞后；")


def test_ahead_of_schedule_says_by_how_much(registry):
    s = standing(registry, "WH2027.tech_loan_balance", value=4595.8938, baseline_value=3653.58, completion=0.919,
                 status="on_track", outlook=Outlook(expected_linear=4371.6725))
    assert schedule(s, registry.indicators["tech_loan_balance"]).phrase == \
        "按序时进度应达4,371.7亿元，实际4,595.9亿元，超224.2亿元"
    assert "，超224.2亿元，进度正常；完成目标（突破5,000亿元）的91.9%。" in target_sentence(s, registry)


@settings(deadline=None)
@given(due=st.floats(min_value=0, max_value=1e5), value=st.floats(min_value=0, max_value=1e5))
def test_the_figures_of_the_comparison_add_up_as_shown(registry, due, value):
    """应达 − 实际 = 差 with the figures as printed (both rounded first), whatever the unrounded ones."""
    for target_id, unit in (("WH2027.seed_firms", "家"), ("WH2027.tech_loan_balance", "亿元")):
        s = standing(registry, target_id, value=value, outlook=Outlook(expected_linear=due))
        plan = schedule(s, registry.indicators[s.indicator_code])

        def figure(text: str, unit: str = unit) -> float:
            return float(text.removesuffix(unit).replace(",", ""))

        if plan.behind is None:
            assert plan.due == plan.actual
        else:
            gap = figure(plan.due) - figure(plan.actual)
            assert plan.behind == (gap > 0)
            assert abs(abs(gap) - figure(plan.gap)) < 1e-6


def test_a_share_moves_in_points(registry):
    s = standing(registry, "HB2026.star_chinext_bse_share", value=46.9512, baseline_value=42.6667,
                 baseline_period=dt.date(2024, 8, 31), completion=0.939, target_value=50.0,
                 outlook=Outlook(expected_linear=49.4762, months_left=2, increase_required_monthly=1.5244,
                                 projected_at_deadline=47.3, growth_observed_annual=0.045))
    text = target_sentence(s, registry) + outlook_sentence(s, registry)
    assert "按序时进度应达49.5%，实际47.0%，差2.5个百分点，需加快" in text
    assert "2024年8月以来提高4.3个百分点" in text and "还需提高3.0个百分点" in text
    assert "年均" not in text and "增速" not in text  # no growth rate of a percentage
    assert not re.search(r"差\d+(\.\d+)?%", text)


def test_counts_are_whole_everywhere_in_the_sentences(registry):
    s = standing(registry, "HB2026.tech_sme_borrowers", value=21181.0, baseline_value=14200.0,
                 baseline_period=dt.date(2024, 8, 31), target_value=24140.0, completion=0.702,
                 outlook=Outlook(expected_linear=23430.0, months_left=2, increase_required_monthly=1479.5,
                                 projected_at_deadline=21843.4, growth_observed_annual=0.203))
    text = behind_sentence(s, registry) + watch_line(s, registry)
    assert "每月需新增约1,480家" in text and "还需新增2,959家" in text
    assert not re.search(r"\d\.\d+家", text), text


def test_achieved_and_stale_and_without_a_path(registry):
    done = standing(registry, "WH2027.specialized_institutions", value=52.0, baseline_value=38.0, completion=1.04,
                    status="achieved", outlook=Outlook(expected_linear=44.4))
    assert target_sentence(done, registry) == "截至2026年10月，全市科技金融专营机构数52家，完成目标（50家以上）的104.0%，已达标。"
    stale = dataclasses.replace(done, status="on_track", as_of=dt.date(2026, 8, 31), completion=0.96, value=48.0)
    assert target_sentence(stale, registry).startswith(
        "全市科技金融专营机构数最新数据为2026年8月（所选月份未报送）：按序时进度应达44家，实际48家，超4家，进度正常；")
    no_path = dataclasses.replace(done, status="on_track", completion=0.96, value=48.0, outlook=Outlook())
    assert target_sentence(no_path, registry) == \
        "截至2026年10月，全市科技金融专营机构数48家，完成目标（50家以上）的96.0%，进度正常。"


# -- every text of the demo's outputs ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def texts(demo_db, registry) -> list[str]:
    from charts.card import card_html, status_strip
    from reports.brief import load_brief
    from reports.narrative import key_figures, narrative

    brief = load_brief(demo_db, registry, generated=dt.date(2026, 11, 30))
    story = narrative(brief, registry)
    out = [story.as_text(), *story.watch.values(), status_strip([("", brief.standings)], registry)]
    out += [f"{k} {v}" for s in brief.standings for k, v in key_figures(s, registry)]
    hidden = r'<span[^>]*aria-hidden="true">[^<]*</span>|src="[^"]+"'  # an icon's ligature, the dial's image
    out += [re.sub(r"<[^>]+>", " ", re.sub(hidden, "", card_html(s, registry))) for s in brief.standings]
    return out


def test_no_fraction_of_a_firm_and_no_hyphen_for_a_minus(texts):
    for text in texts:
        assert not re.search(r"\d\.\d+\s?(家|个|款|户)(?!百分点)", text), text
        assert not re.search(r"(?<![\w-])-\d", text), text  # a minus is U+2212


def test_the_completion_never_stands_beside_the_time_elapsed(texts):
    for text in texts:
        assert "时间进度" not in text, text


def test_no_english_in_what_officials_read(texts):
    for text in texts:
        shown = re.sub(r":\w+(-badge)?\[", "", text)  # the strip's Markdown badges (:red-badge[…])
        shown = re.sub(r"《[^》]*》|\b\w+![A-Z]+\d+\b", "", shown)  # file names and cells quoted from uploads
        words = set(re.findall(r"[A-Za-z]{2,}", shown))
        assert words <= {"xlsx", "Sheet"}, words


def test_a_gap_beside_two_figures_is_their_difference_as_shown():
    from presentation.fmt import gap_phrase, shown_gap

    assert gap_phrase(shown_gap(46.951, 49.437, "%", 1), False, "%", 1) == "实际落后 2.4个百分点"  # 49.4 − 47.0
    assert gap_phrase(shown_gap(437.0, 461.73, "家", 0), False, "家", 0) == "实际落后 25家"
    assert gap_phrase(0.04, True, "亿元", 1) == "实际与之持平"  # never 领先 0.0亿元


def test_the_indicator_page_says_a_share_in_points(open_page, demo_db):
    at = open_page("pages/indicator.py", db=demo_db, indicator="star_chinext_bse_share")
    m = {x.label: (x.value, x.delta) for x in at.metric}
    assert m["2024年8月以来提高"][0] == "4.3个百分点"
    assert not any("年均增速" in label for label in m)
    assert m["按序时进度此时应达（%）"] == ("49.5", "实际落后 2.5个百分点")
    assert m["按等比增长路径此时应达（%）"] == ("49.4", "实际落后 2.4个百分点")
    body = "\n".join(str(x.value) for x in at.markdown)
    assert "按序时进度应达49.5%，实际47.0%，差2.5个百分点" in body and "“占全省上市公司的比重超过50%”" in body
    assert "进度比" not in body and "WH2027" not in body and "HB2026" not in body


def test_a_share_table_heads_its_change_in_points(demo_db, registry):
    from presentation.units import district_rows
    from reports.brief import load_brief

    brief = load_brief(demo_db, registry, generated=dt.date(2026, 11, 30))
    share = next(r for r in brief.rankings if r.indicator == "star_chinext_bse_share")
    loans = next(r for r in brief.rankings if r.indicator == "tech_loan_balance")
    assert "较上年末变化（个百分点）" in district_rows(share.table, registry, share.indicator, "全省").columns
    assert "较上年末增加（亿元）" in district_rows(loans.table, registry, loans.indicator, "武汉").columns
    assert not any(c.endswith("（%）") and c.startswith("较上年末") for c in
                   district_rows(share.table, registry, share.indicator, "全省").columns)


def test_the_hubei_page_leads_each_goal_with_its_schedule(open_page, demo_db):
    at = open_page("pages/hubei.py", db=demo_db)
    body = "\n".join(str(x.value) for x in at.markdown)
    # the comparison, then (on the next line) the completion: never the completion beside the time elapsed
    assert "按序时进度应达23,430家，实际21,181家，差2,249家<br>完成目标增幅的70.2%" in body
    assert "时间进度" not in body


def test_the_progress_sentence_has_one_home():
    """Only presentation/sentences.py words a target's progress (…，实际…，差…); no page, chart or report pairs the
    completion with the time elapsed again."""
    from tests.paths import ROOT

    homes = []
    for folder in ("presentation", "charts", "reports", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            code = re.sub(r'"""[\s\S]*?"""', "", text)  # docstrings may quote the old wording
            if "，实际{" in code or "时间进度" in code:
                homes.append(path.relative_to(ROOT).as_posix())
    assert homes == ["presentation/sentences.py"], homes


def test_a_share_that_fell_or_held_says_so(registry):
    from presentation.sentences import since_phrase

    ind = registry.indicators["star_chinext_bse_share"]
    base = dict(baseline_period=dt.date(2024, 8, 31), baseline_value=42.67)
    fell = standing(registry, "HB2026.star_chinext_bse_share", value=40.0, **base)
    held = standing(registry, "HB2026.star_chinext_bse_share", value=42.7, **base)
    assert since_phrase(fell, ind) == ("2024年8月以来下降", "2.7个百分点")
    assert since_phrase(fell, ind, base="基期") == ("基期以来下降", "2.7个百分点")
    assert since_phrase(held, ind) == ("2024年8月以来", "持平")


def test_a_city_among_the_provinces_units_is_named(registry):
    s = standing(registry, "HB2026.star_chinext_bse_share", region_code=registry.city, value=49.5, has_target=False)
    assert target_sentence(s, registry).startswith(f"截至2026年10月，{registry.regions[registry.city].name}科创板")
    whole = standing(registry, "WH2027.seed_firms", value=437.0, has_target=False)
    assert target_sentence(whole, registry).startswith("截至2026年10月，全市")
