"""Paths, growth, projections and attainment (metrics/trajectory.py, metrics/changes.py) on hand-computed cases."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.months import month_at, month_end, month_index
from metrics import trajectory as tr
from metrics.__main__ import main as metrics_main
from metrics.changes import monthly_table, year_to_date
from metrics.series import resolve
from metrics.standing import standing, unit_standing
from tests.cli import run_main
from tests.test_standing import obs

OCT26, DEC27 = month_end(2026, 10), month_end(2027, 12)


def months(start: tuple[int, int], values: list[float]) -> list[tuple[dt.date, float]]:
    """Consecutive months from `start` with the given values."""
    y, m = start
    out = []
    for v in values:
        out.append((month_end(y, m), v))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


# -- the paths -----------------------------------------------------------------------------------------


def test_expected_on_the_linear_path():
    assert tr.expected_linear(100, 200, 6, 24) == pytest.approx(125)
    assert tr.expected_linear(100, 200, 0, 24) == 100
    assert tr.expected_linear(100, 200, 30, 24) == 200  # after the deadline the path stays at the target
    assert tr.expected_linear(100, 200, -3, 24) == 100
    assert tr.expected_linear(100, 200, 3, 0) == 200  # baseline at the deadline
    assert tr.expected_linear(-10, 20, 10, 30) == pytest.approx(0.0)  # negative baseline: still a line
    assert tr.expected_linear(100, 80, 12, 24) == pytest.approx(90)  # lower is better: a falling line


def test_expected_on_the_constant_growth_path():
    # 100 → 400 in 24 months: ×2 after 12
    assert tr.expected_growth(100, 400, 12, 24) == pytest.approx(200)
    assert tr.expected_growth(100, 400, 24, 24) == pytest.approx(400)
    assert tr.expected_growth(0, 400, 12, 24) is None
    assert tr.expected_growth(100, -5, 12, 24) is None
    assert tr.expected_growth(50, 50, 7, 24) == pytest.approx(50)  # baseline equal to the target


def test_growth_since_is_annual_and_compounded():
    assert tr.growth_since(100, 121, 24) == pytest.approx(0.10)  # 1.21 over two years
    assert tr.growth_since(100, 110, 12) == pytest.approx(0.10)
    assert tr.growth_since(100, 100, 7) == pytest.approx(0.0)
    assert tr.growth_since(0, 10, 12) is None and tr.growth_since(10, -1, 12) is None
    assert tr.growth_since(10, 20, 0) is None


def test_trailing_growth_is_year_on_year_when_the_year_ago_month_exists():
    history = months((2025, 10), [100.0] + [103.0] * 11 + [110.0])
    assert tr.trailing_growth(history) == pytest.approx(0.10)


def test_trailing_growth_over_missing_months_annualises_the_span():
    # 2025-10 and 2025-11 missing: from 2025-12 (105) to 2026-10 (110), 10 months
    history = [(month_end(2025, 12), 105.0), (month_end(2026, 4), 107.0), (OCT26, 110.0)]
    assert tr.trailing_growth(history) == pytest.approx((110 / 105) ** (12 / 10) - 1)
    assert tr.trailing_growth(history) == pytest.approx(0.057412, abs=1e-6)
    # only five months back: too short to annualise
    assert tr.trailing_growth([(month_end(2026, 5), 100.0), (OCT26, 110.0)]) is None
    assert tr.trailing_growth([(OCT26, 110.0)]) is None
    assert tr.trailing_growth([]) is None


def test_required_growth_and_increase():
    assert tr.required_growth(100, 121, 24) == pytest.approx(0.10)
    assert tr.required_growth(437, 500, 14) == pytest.approx(0.122362, abs=1e-6)  # (500/437)^(12/14) − 1
    assert tr.required_increase(437, 500, 14) == pytest.approx(4.5)  # 63 in 14 months
    assert tr.required_growth(520, 500, 14, met=True) is None  # already met: nothing is required
    assert tr.required_increase(520, 500, 14, met=True) is None
    assert tr.required_growth(437, 500, 0) is None  # the deadline has passed
    assert tr.required_growth(0, 500, 14) is None and tr.required_increase(0, 500, 14) == pytest.approx(500 / 14)
    assert tr.required_increase(-4, 10, 7) == pytest.approx(2.0)


def test_linear_fit():
    assert tr.linear_fit([(0, 1.0), (1, 3.0), (2, 5.0)]) == pytest.approx((1.0, 2.0))
    # 0, 2, 1, 3 at months 0..3: β = Σ(x−1.5)(y−1.5)/Σ(x−1.5)² = (2.25 − 0.25 − 0.25 + 2.25)/5 = 0.8,
    # α = 1.5 − 0.8·1.5 = 0.3
    assert tr.linear_fit([(0, 0.0), (1, 2.0), (2, 1.0), (3, 3.0)]) == pytest.approx((0.3, 0.8))
    assert tr.linear_fit([(0, 1.0), (1, 3.0)]) is None  # two points are not a fit
    assert tr.linear_fit([(4, 1.0), (4, 2.0), (4, 3.0)]) is None  # one month only


def test_projection_at_the_observed_growth():
    grow = tr.growth_projector(121.0, 100.0, 24)  # 10% a year
    assert grow(0) == pytest.approx(121.0)
    assert grow(24) == pytest.approx(146.41)
    assert tr.growth_projector(121.0, 100.0, 0) is None  # a single data point
    assert tr.growth_projector(121.0, None, 24) is None


def test_projection_falls_back_to_the_linear_pace_where_a_level_is_not_positive():
    assert tr.growth_projector(6.0, 0.0, 6)(4) == pytest.approx(10.0)  # 0 → 6 in 6 months: +1 a month
    assert tr.growth_projector(-4.0, -10.0, 6)(10) == pytest.approx(6.0)
    assert tr.growth_projector(0.0, 5.0, 5)(5) == pytest.approx(-5.0)  # falling to zero keeps falling


def test_attainment_month_respects_the_comparator():
    line = lambda k: 100 + 10 * k  # noqa: E731
    assert tr.attainment(line, OCT26, 14, 150, ">=") == month_end(2027, 3)
    assert tr.attainment(line, OCT26, 14, 150, ">") == month_end(2027, 4)
    assert tr.attainment(line, OCT26, 14, 240, ">=") == DEC27  # on the deadline itself
    assert tr.attainment(line, OCT26, 14, 241, ">=") is None
    assert tr.attainment(line, OCT26, 14, 90, ">=") == OCT26  # already met
    falling = lambda k: 100 - 10 * k  # noqa: E731
    assert tr.attainment(falling, OCT26, 14, 50, "<=") == month_end(2027, 3)
    assert tr.attainment(falling, OCT26, 0, 50, "<=") is None


def test_month_at_inverts_month_index():

    for day in (month_end(2024, 1), month_end(2026, 12), month_end(2027, 12)):
        assert month_at(month_index(day)) == day


# -- the outlook of one series -------------------------------------------------------------------------


def seed_like() -> list[tuple[dt.date, float]]:
    """418 at 2025-06, then +1 a month to 2026-09 (433)... and 437 in 2026-10."""
    return months((2025, 6), [418.0 + i for i in range(16)] + [437.0])


def test_outlook_of_a_target_that_is_behind():
    o = tr.outlook(seed_like(), baseline_value=418.0, baseline_period=month_end(2025, 6), target_value=500.0,
                   comparator=">=", deadline_month=DEC27)
    # m = 16, M = 30, n = 14
    assert o.expected_linear == pytest.approx(418 + 82 * 16 / 30)  # 461.73
    assert o.expected_growth == pytest.approx(418 * (500 / 418) ** (16 / 30))  # 459.90
    assert o.gap_linear == pytest.approx(437 - 461.7333, abs=1e-4)
    assert o.growth_observed_annual == pytest.approx((437 / 418) ** (12 / 16) - 1)  # 3.39%
    assert o.growth_required_annual == pytest.approx(0.122362, abs=1e-6)
    assert o.increase_required_monthly == pytest.approx(4.5)
    assert o.months_left == 14
    assert o.projected_at_deadline == pytest.approx(437 * (437 / 418) ** (14 / 16))  # 454.33
    assert o.projected_attainment is None
    assert o.projected_fit_at_deadline is not None and o.projected_fit_at_deadline < 500
    assert o.projected_fit_attainment is None


def test_outlook_of_a_target_on_track():
    # 100 → 121 in 24 months (10% a year), target "over 140" by 2028-01 (n = 24 months left): the projection
    # 121 · 1.1^(k/12) passes 140 when k > 12 · ln(140/121) / ln(1.1) = 18.36, i.e. 19 months after 2026-01
    history = months((2024, 1), [100.0 * 1.1 ** (i / 12) for i in range(25)])
    o = tr.outlook(history, baseline_value=100.0, baseline_period=month_end(2024, 1), target_value=140.0,
                   comparator=">", deadline_month=month_end(2028, 1))
    assert history[-1] == (month_end(2026, 1), pytest.approx(121.0))
    assert o.growth_observed_annual == pytest.approx(0.10)
    assert o.growth_trailing_annual == pytest.approx(0.10)
    assert o.projected_attainment == month_end(2027, 8)
    assert o.projected_at_deadline == pytest.approx(146.41)
    assert o.expected_linear == pytest.approx(120.0)  # halfway along 100 → 140
    assert o.expected_growth == pytest.approx(100 * 1.4 ** 0.5)  # 118.32
    assert o.gap_growth == pytest.approx(121 - 118.3216, abs=1e-4)
    assert o.growth_required_annual == pytest.approx((140 / 121) ** 0.5 - 1)  # 7.56% a year from now


def test_outlook_of_a_target_already_met():
    history = months((2025, 6), [38.0, 45.0, 52.0])
    o = tr.outlook(history, baseline_value=38.0, baseline_period=month_end(2025, 6), target_value=50.0,
                   comparator=">=", deadline_month=DEC27)
    assert o.projected_attainment == month_end(2025, 8) and o.projected_fit_attainment == month_end(2025, 8)
    assert o.growth_required_annual is None and o.increase_required_monthly is None
    assert o.gap_linear == pytest.approx(52 - (38 + 12 * 2 / 30))


def test_outlook_when_the_baseline_equals_the_target():
    history = months((2025, 6), [50.0, 50.0, 50.0])
    met = tr.outlook(history, baseline_value=50.0, baseline_period=month_end(2025, 6), target_value=50.0,
                     comparator=">=", deadline_month=DEC27)
    assert met.projected_attainment == month_end(2025, 8) and met.gap_linear == 0 and met.gap_growth == 0
    # "over 50" from 50 with no growth: never attained; a zero growth rate is the least it needs
    strict = tr.outlook(history, baseline_value=50.0, baseline_period=month_end(2025, 6), target_value=50.0,
                        comparator=">", deadline_month=DEC27)
    assert strict.projected_attainment is None and strict.projected_at_deadline == pytest.approx(50.0)
    assert strict.growth_required_annual == pytest.approx(0.0) and strict.increase_required_monthly == 0


def test_outlook_of_a_single_data_point():
    o = tr.outlook([(OCT26, 437.0)], baseline_value=437.0, baseline_period=OCT26, target_value=500.0,
                   comparator=">=", deadline_month=DEC27)
    assert o.expected_linear == 437.0 and o.gap_linear == 0  # the path starts where we are
    assert o.growth_observed_annual is None and o.growth_trailing_annual is None
    assert o.projected_at_deadline is None and o.projected_attainment is None
    assert o.projected_fit_at_deadline is None
    assert o.increase_required_monthly == pytest.approx(4.5)  # what is needed is known all the same
    assert tr.outlook([], baseline_value=None, baseline_period=None, target_value=500.0, comparator=">=",
                      deadline_month=DEC27) == tr.Outlook()


def test_outlook_with_zero_and_negative_values():
    # A balance that was 0 at the baseline: no growth rate, the linear pace instead (+2 a month)
    history = months((2026, 4), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0])
    o = tr.outlook(history, baseline_value=0.0, baseline_period=month_end(2026, 4), target_value=40.0,
                   comparator=">=", deadline_month=DEC27)
    assert o.expected_growth is None and o.gap_growth is None and o.growth_observed_annual is None
    assert o.expected_linear == pytest.approx(40 * 6 / 20)
    assert o.projected_at_deadline == pytest.approx(12 + 2 * 14)  # 40: attained on the deadline
    assert o.projected_attainment == DEC27
    assert o.projected_fit_at_deadline == pytest.approx(40.0)
    # a net position moving from −10 to −4 in 6 months, target ≥ 0: +1 a month reaches 0 in 4 months
    neg = tr.outlook(months((2026, 4), [-10.0, -9, -8, -7, -6, -5, -4]), baseline_value=-10.0,
                     baseline_period=month_end(2026, 4), target_value=0.0, comparator=">=", deadline_month=DEC27)
    assert neg.projected_attainment == month_end(2027, 2) and neg.growth_required_annual is None
    assert neg.increase_required_monthly == pytest.approx(4 / 14)


def test_outlook_with_missing_months():
    # 2026-02, 2026-05 and 2026-06 not reported; the fit uses the months that are there
    history = [(month_end(2025, 11), 100.0), (month_end(2025, 12), 102.0), (month_end(2026, 1), 104.0),
               (month_end(2026, 3), 108.0), (month_end(2026, 4), 110.0), (month_end(2026, 7), 116.0),
               (month_end(2026, 8), 118.0), (month_end(2026, 9), 120.0), (OCT26, 122.0)]
    o = tr.outlook(history, baseline_value=100.0, baseline_period=month_end(2025, 11), target_value=150.0,
                   comparator=">=", deadline_month=DEC27)
    assert o.projected_fit_at_deadline == pytest.approx(122 + 2 * 14)  # an exact line through the gaps
    assert o.projected_fit_attainment == DEC27
    # trailing: from 2025-11 (the earliest month in the window), 11 months
    assert o.growth_trailing_annual == pytest.approx((122 / 100) ** (12 / 11) - 1)


def test_lower_is_better_outlook():
    # a ratio to bring down from 10 to 6 by 2027-12; 10 → 8 in the 12 months to 2026-10
    history = months((2025, 10), [10.0 * 0.8 ** (i / 12) for i in range(13)])
    o = tr.outlook(history, baseline_value=10.0, baseline_period=month_end(2025, 10), target_value=6.0,
                   comparator="<=", deadline_month=DEC27)
    assert o.growth_observed_annual == pytest.approx(-0.2)
    assert o.growth_required_annual == pytest.approx((6 / 8) ** (12 / 14) - 1)  # −21.8% a year
    assert o.projected_at_deadline == pytest.approx(8 * 0.8 ** (14 / 12))  # 6.08: not quite
    assert o.projected_attainment is None
    assert o.expected_linear == pytest.approx(10 - 4 * 12 / 26)


def test_target_paths_and_projection_paths():
    paths = tr.target_paths(100.0, month_end(2026, 1), 400.0, month_end(2028, 1))
    assert len(paths) == 25 and paths[0] == (month_end(2026, 1), 100.0, 100.0)
    assert paths[12] == (month_end(2027, 1), pytest.approx(250.0), pytest.approx(200.0))
    assert paths[-1] == (month_end(2028, 1), pytest.approx(400.0), pytest.approx(400.0))
    grow, fit = tr.projection_paths(months((2026, 8), [100.0, 102.0, 104.0]), 100.0, month_end(2026, 8), DEC27)
    assert grow[0] == (OCT26, 104.0) and grow[-1][0] == DEC27 and len(grow) == 15
    assert fit[-1] == (DEC27, pytest.approx(104 + 2 * 14))


def test_yearly_growth_from_the_baseline():
    # HB2026: from 2024-08, 20% in the first year, 10% in the second, then the last 12 months, then the
    # average: 100 → 140 in 26 months = 1.4^(12/26) − 1 = 16.8% a year
    values = {month_end(2024, 8): 100.0, month_end(2025, 8): 120.0, month_end(2025, 10): 125.0,
              month_end(2026, 8): 132.0, month_end(2026, 10): 140.0}
    years = tr.yearly_growth(sorted(values.items()), month_end(2024, 8), required=0.20)
    assert [(y.start, y.end, y.kind) for y in years] == [
        (month_end(2024, 8), month_end(2025, 8), "year"), (month_end(2025, 8), month_end(2026, 8), "year"),
        (month_end(2025, 10), OCT26, "latest"), (month_end(2024, 8), OCT26, "average")]
    assert [y.growth for y in years] == pytest.approx([0.20, 0.10, 0.12, 1.4 ** (12 / 26) - 1])
    assert [y.meets for y in years] == [True, False, False, False]
    # a missing anniversary month leaves that year without a figure
    gap = tr.yearly_growth([(month_end(2024, 8), 100.0), (month_end(2026, 8), 150.0)], month_end(2024, 8))
    assert [(y.kind, y.growth, y.meets) for y in gap] == [
        ("year", None, None), ("year", None, None), ("average", pytest.approx(1.5 ** 0.5 - 1), None)]
    assert [y.end for y in gap[:2]] == [month_end(2025, 8), month_end(2026, 8)]


# -- flows, monthly changes ----------------------------------------------------------------------------


def test_a_flow_counts_year_to_date():
    rows = pl.DataFrame({"period": [month_end(2025, 12), month_end(2026, 1), month_end(2026, 2), month_end(2026, 3)],
                         "value": [50.0, 10.0, 20.0, 30.0]})
    assert year_to_date(rows)["value"].to_list() == [50.0, 10.0, 30.0, 60.0]


def test_monthly_table_changes(registry):
    series = resolve(obs([("tech_loan_balance", "420100", (2025, 9), 90.0),
                          ("tech_loan_balance", "420100", (2025, 10), 100.0),
                          ("tech_loan_balance", "420100", (2026, 8), 105.0),  # 2026-09 not reported
                          ("tech_loan_balance", "420100", (2026, 10), 110.0),
                          ("tech_loan_balance", "420100", (2026, 11), 999.0)]), registry)  # after as-of
    t = monthly_table(series, "tech_loan_balance", "420100", OCT26, "stock")
    assert t["period"].to_list() == [OCT26, month_end(2026, 8), month_end(2025, 10), month_end(2025, 9)]
    top = t.row(0, named=True)
    assert top["mom"] is None and top["mom_rel"] is None  # never bridged over the missing September
    assert top["yoy"] == pytest.approx(10.0) and top["yoy_rel"] == pytest.approx(0.10)
    assert t.row(2, named=True)["mom"] == pytest.approx(10.0)
    assert t.row(2, named=True)["mom_rel"] == pytest.approx(1 / 9)
    assert t.row(2, named=True)["yoy"] is None
    assert monthly_table(series, "seed_firms", "420100", OCT26, "count").is_empty()


def test_monthly_table_of_a_flow_and_a_zero_base(registry):
    series = resolve(obs([("sci_tech_bond_issuance", "420000", (2025, 1), 0.0),
                          ("sci_tech_bond_issuance", "420000", (2025, 2), 20.0),
                          ("sci_tech_bond_issuance", "420000", (2026, 1), 15.0),
                          ("sci_tech_bond_issuance", "420000", (2026, 2), 10.0)]), registry)
    t = monthly_table(series, "sci_tech_bond_issuance", "420000", month_end(2026, 2), "flow").sort("period")
    assert t["value"].to_list() == [0.0, 20.0, 15.0, 25.0]  # year to date
    assert t["yoy"].to_list()[2:] == pytest.approx([15.0, 5.0])
    assert t["yoy_rel"].to_list()[2:] == [None, pytest.approx(0.25)]  # nothing to compare a zero with


# -- through the standing ------------------------------------------------------------------------------


def test_standing_carries_the_outlook_and_agrees_with_the_gauge(registry):
    target = registry.targets["WH2027.seed_firms"]
    series = resolve(obs([("seed_firms", "420100", (d.year, d.month), v) for d, v in seed_like()]), registry)
    s = standing(target, series, registry, OCT26)
    assert s.status == "limited_progress"
    assert s.outlook.projected_at_deadline == pytest.approx(454.33, abs=0.01)
    j = s.as_json()
    assert j["projected_attainment"] is None and j["expected_linear"] == pytest.approx(461.7333, abs=1e-4)
    assert j["growth_required_annual"] == pytest.approx(0.122362, abs=1e-6)


def test_a_flow_target_is_judged_on_its_year_to_date(registry):
    target = dataclasses.replace(registry.targets["WH2027.tech_loan_balance"], id="X.bonds",
                                 indicator="sci_tech_bond_issuance", value=100.0)
    series = resolve(obs([("sci_tech_bond_issuance", "420100", (2026, m), 20.0) for m in (1, 2, 3)]), registry)
    s = standing(target, series, registry, month_end(2026, 3))
    assert s.value == pytest.approx(60.0) and s.completion == pytest.approx(0.6)


def test_a_unit_with_a_sub_target_is_judged_against_it(registry):
    target = registry.targets["WH2027.tech_loan_balance"]
    registry = dataclasses.replace(registry, subtargets={target.id: {"WH_DHGX": 1800.0}})
    series = resolve(obs([("tech_loan_balance", "WH_DHGX", (2025, 6), 1200.0),
                          ("tech_loan_balance", "WH_DHGX", (2026, 10), 1500.0)]), registry)
    s = unit_standing(target, "WH_DHGX", series, registry, OCT26)
    assert s.region_code == "WH_DHGX" and s.target_value == 1800 and s.has_target
    assert s.completion == pytest.approx(1500 / 1800)
    # g_obs = 1.25^(1/16) − 1, g_req = 1.5^(1/30) − 1: R = 1.0388
    assert s.pace_ratio == pytest.approx((1.25 ** (1 / 16) - 1) / (1.5 ** (1 / 30) - 1))
    assert s.status == "on_track"
    assert s.outlook.expected_linear == pytest.approx(1200 + 600 * 16 / 30)


def test_a_unit_without_a_sub_target_is_measured_not_judged(registry):
    target = registry.targets["WH2027.seed_firms"]
    series = resolve(obs([("seed_firms", "WH_DHGX", (2025, 6), 100.0),
                          ("seed_firms", "WH_DHGX", (2026, 6), 110.0)]), registry)
    s = unit_standing(target, "WH_DHGX", series, registry, month_end(2026, 6))
    assert not s.has_target and s.target_value is None and s.completion is None
    assert s.outlook.growth_observed_annual == pytest.approx(0.10)
    assert s.outlook.projected_at_deadline == pytest.approx(110 * 1.1 ** (18 / 12))
    j = s.as_json()
    assert j["status"] is None and j["projected_attainment"] is None and j["growth_required_annual"] is None


# -- properties ----------------------------------------------------------------------------------------

positive = st.floats(min_value=1, max_value=1e6, allow_nan=False)


def _month(i: int) -> tuple[int, int]:
    """The i-th month after 2025-06 as (year, month)."""
    k = 2025 * 12 + 5 + i
    return k // 12, k % 12 + 1


@settings(max_examples=30, deadline=None)
@given(base=positive, mult=st.floats(min_value=1.01, max_value=4), elapsed=st.integers(1, 29))
def test_a_series_on_the_constant_growth_path_is_on_track_and_lands_on_the_target(registry, base, mult, elapsed):
    target = dataclasses.replace(registry.targets["WH2027.tech_loan_balance"], comparator=">=",
                                 value=base * mult)  # from 2025-06 to 2027-12: 30 months
    g = mult ** (1 / 30) - 1
    rows = [("tech_loan_balance", "420100", _month(i), base * (1 + g) ** i) for i in range(elapsed + 1)]
    s = standing(target, resolve(obs(rows), registry), registry, DEC27)
    assert s.pace_ratio == pytest.approx(1.0, rel=1e-6)
    # on track once judged; before six months of data since the baseline in its 观察期 (data/status.toml)
    assert s.status == ("on_track" if elapsed >= registry.observation_months else "observation")
    assert s.outlook.gap_growth == pytest.approx(0.0, abs=1e-6 * base * mult)
    assert s.outlook.projected_at_deadline == pytest.approx(base * mult, rel=1e-9)
    assert s.outlook.projected_attainment == DEC27


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.floats(min_value=0, max_value=1000, allow_nan=False), min_size=1, max_size=20),
       target=st.floats(min_value=1, max_value=1000), comparator=st.sampled_from([">", ">=", "<", "<="]))
def test_achieved_is_never_on_the_wrong_side_of_the_target(registry, values, target, comparator):
    t = dataclasses.replace(registry.targets["WH2027.seed_firms"], value=target, comparator=comparator)
    rows = [("seed_firms", "420100", _month(i), v) for i, v in enumerate(values)]
    s = standing(t, resolve(obs(rows), registry), registry, DEC27)
    if s.status == "achieved":
        assert {">": s.value > target, ">=": s.value >= target, "<": s.value < target,
                "<=": s.value <= target}[comparator]
        assert s.outlook.projected_attainment == s.as_of


@settings(max_examples=80, deadline=None)
@given(start=st.floats(min_value=-1e4, max_value=1e4), slope=st.floats(min_value=-100, max_value=100),
       n=st.integers(3, 30), ahead=st.integers(0, 40))
def test_the_fit_of_an_exactly_linear_series_is_exact(start, slope, n, ahead):
    history = months((2024, 1), [start + slope * i for i in range(n)])
    deadline = month_at(2024 * 12 + n - 1 + ahead)
    _, fit = tr.projection_paths(history, None, None, deadline)
    assert fit[-1][0] == deadline
    assert fit[-1][1] == pytest.approx(start + slope * (n - 1 + ahead), abs=1e-6 * (1 + abs(start) + abs(slope) * 80))


@given(base=positive, target=positive, lo=positive, hi=positive)
def test_completion_of_a_growth_target_rises_with_value(base, target, lo, hi):
    from metrics.progress import completion

    lo, hi = sorted((lo, hi))
    if target == base:
        return
    c_lo = completion("growth_vs_baseline", lo, target, base)
    c_hi = completion("growth_vs_baseline", hi, target, base)
    # towards a higher target completion rises with the value; towards a lower one it rises as the value falls
    assert (c_lo <= c_hi) if target > base else (c_lo >= c_hi)


# -- the report command --------------------------------------------------------------------------------

NEW_KEYS = ["expected_linear", "expected_growth", "growth_observed_annual", "growth_required_annual",
            "projected_at_deadline", "projected_attainment"]


def run_report(db: Path, *args: str) -> list[dict]:
    out = run_main(metrics_main, "report", "--db", db, "--json", *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_report_appends_the_trajectory_keys_after_the_old_ones(demo_db):
    rows = run_report(demo_db)
    for r in rows:
        keys = list(r)
        at = keys.index("baseline_period") + 1
        assert keys[at: at + len(NEW_KEYS)] == NEW_KEYS
    by = {r["indicator_code"]: r for r in rows}
    seed, loans = by["seed_firms"], by["tech_loan_balance"]
    assert seed["projected_attainment"] is None and seed["projected_at_deadline"] < 500
    assert seed["growth_required_annual"] > seed["growth_observed_annual"] > 0
    assert loans["projected_attainment"] is not None and loans["projected_attainment"] <= "2027-12"
    assert loans["projected_at_deadline"] > 5000
    assert by["specialized_institutions"]["projected_attainment"] == "2026-10"  # already met


def test_report_by_region_has_one_object_per_target_and_unit(demo_db, registry):
    rows = run_report(demo_db, "--by-region")
    expected = [(t.id, code) for t in registry.targets.values()
                for code in [t.region, *(r.code for r in registry.children(t.region))]]
    assert [(r["target_id"], r["region_code"]) for r in rows] == expected
    loans = {r["region_code"]: r for r in rows if r["target_id"] == "WH2027.tech_loan_balance"}
    assert loans["WH_DHGX"]["target_value"] == 1800 and loans["WH_DHGX"]["status"] is not None
    seed_units = [r for r in rows if r["target_id"] == "WH2027.seed_firms" and r["region_code"] != "420100"]
    assert all(r["status"] is None and r["target_value"] is None for r in seed_units)  # no sub-targets set


def test_report_by_region_judges_no_unit_without_demo_data(tmp_path, registry):
    """The example split comes with the demo only: agency files alone leave every unit measured, not judged."""
    from loaders.ingest import ingest
    from store import Store
    from tests.paths import FIXTURES

    db, path = tmp_path / "real.duckdb", FIXTURES / "pboc_loans_202610.xlsx"
    assert ingest(Store(db), path.read_bytes(), path.name, registry, uploader="分析员").status == "ok"
    loans = {r["region_code"]: r for r in run_report(db, "--by-region") if r["target_id"] == "WH2027.tech_loan_balance"}
    assert loans["WH_DHGX"]["value"] is not None  # the unit's figure is there
    assert loans["WH_DHGX"]["target_value"] is None and loans["WH_DHGX"]["status"] is None
