"""Standing of a target from a series (metrics/series.py, metrics/standing.py), on hand-made data."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import pytest

from domain.months import month_end
from metrics.series import resolve
from metrics.standing import standing, standings

UPLOADED = dt.datetime(2026, 11, 5, 9, 0)


def obs(rows: list[tuple[str, str, tuple[int, int], float]], *, submission: int = 1,
        uploaded: dt.datetime = UPLOADED) -> pl.DataFrame:
    return pl.DataFrame([
        {"indicator_code": i, "region_code": r, "period": month_end(*ym), "value": v, "origin": f"S!B{n + 2}",
         "is_computed": False, "submission_id": submission, "file_name": f"f{submission}.xlsx", "agency": "人行",
         "uploader": "测试", "uploaded_at": uploaded, "is_demo": False}
        for n, (i, r, ym, v) in enumerate(rows)
    ])


def test_level_target_baseline_is_first_value_after_issue(registry):
    target = registry.targets["WH2027.tech_loan_balance"]  # issued 2025-06-07, deadline 2027-12
    series = resolve(obs([
        ("tech_loan_balance", "420100", (2025, 5), 3500.0),
        ("tech_loan_balance", "420100", (2025, 6), 3600.0),
        ("tech_loan_balance", "420100", (2026, 10), 4500.0),
    ]), registry)
    s = standing(target, series, registry, month_end(2026, 10))
    assert s.baseline_period == dt.date(2025, 6, 30) and s.baseline_value == 3600.0
    assert s.value == 4500.0 and s.as_of == dt.date(2026, 10, 31)
    assert s.completion == pytest.approx(0.9)
    assert s.time_elapsed == pytest.approx(16 / 30)
    g_obs = (4500 / 3600) ** (1 / 16) - 1
    g_req = (5000 / 3600) ** (1 / 30) - 1
    assert s.pace_ratio == pytest.approx(g_obs / g_req)
    assert s.status == "on_track"  # R = 1.28
    assert s.sources[0].origin == "S!B4" and s.sources[0].file_name == "f1.xlsx"


def test_as_of_before_the_latest_month_uses_that_month(registry):
    target = registry.targets["WH2027.tech_loan_balance"]
    series = resolve(obs([("tech_loan_balance", "420100", (2025, 6), 3600.0),
                          ("tech_loan_balance", "420100", (2025, 12), 3700.0),
                          ("tech_loan_balance", "420100", (2026, 10), 4500.0)]), registry)
    s = standing(target, series, registry, month_end(2026, 3))
    assert s.value == 3700.0 and s.as_of == dt.date(2025, 12, 31) and s.is_stale


def test_single_point_is_insufficient_data(registry):
    target = registry.targets["WH2027.seed_firms"]
    series = resolve(obs([("seed_firms", "420100", (2025, 6), 400.0)]), registry)
    s = standing(target, series, registry, month_end(2025, 6))
    assert s.status == "insufficient_data" and s.completion == pytest.approx(0.8)


def test_no_data_at_all(registry):
    target = registry.targets["WH2027.seed_firms"]
    s = standing(target, resolve(obs([("tech_loan_balance", "420100", (2025, 6), 1.0)]), registry), registry,
                 month_end(2026, 10))
    assert s.value is None and s.status == "insufficient_data" and s.completion is None


def test_target_already_met_is_achieved(registry):
    target = registry.targets["WH2027.specialized_institutions"]
    series = resolve(obs([("specialized_institutions", "420100", (2025, 6), 38.0),
                          ("specialized_institutions", "420100", (2026, 9), 50.0)]), registry)
    assert standing(target, series, registry, month_end(2026, 9)).status == "achieved"  # ≥ 50


def test_strict_target_not_met_at_equality(registry):
    target = registry.targets["WH2027.equity_fund_size"]  # 突破3000: strictly greater
    series = resolve(obs([("equity_fund_size", "420100", (2025, 6), 2300.0),
                          ("equity_fund_size", "420100", (2026, 9), 3000.0)]), registry)
    assert standing(target, series, registry, month_end(2026, 9)).status == "on_track"


def test_falling_value_is_regressing(registry):
    target = registry.targets["WH2027.seed_firms"]
    series = resolve(obs([("seed_firms", "420100", (2025, 6), 400.0),
                          ("seed_firms", "420100", (2026, 6), 390.0)]), registry)
    assert standing(target, series, registry, month_end(2026, 6)).status == "regressing"


def test_growth_target_against_baseline_date(registry):
    target = registry.targets["HB2026.tech_sme_borrowers"]  # +70% from 2024-08 by 2026-12
    series = resolve(obs([("tech_sme_borrowers", "420000", (2024, 7), 13000.0),
                          ("tech_sme_borrowers", "420000", (2024, 8), 14000.0),
                          ("tech_sme_borrowers", "420000", (2026, 8), 21000.0)]), registry)
    s = standing(target, series, registry, month_end(2026, 8))
    assert s.baseline_value == 14000.0 and s.target_value == pytest.approx(23800.0)
    assert s.completion == pytest.approx(7000 / 9800)
    assert s.time_elapsed == pytest.approx(24 / 28)
    # g_obs = 1.5^(1/24) − 1 = 1.704%, g_req = 1.7^(1/28) − 1 = 1.913%: R = 0.891
    assert s.pace_ratio == pytest.approx(((1.5 ** (1 / 24)) - 1) / ((1.7 ** (1 / 28)) - 1))
    assert s.status == "needs_acceleration"


def test_administrator_baseline_overrides_observed(registry):
    target = dataclasses.replace(registry.targets["HB2026.tech_sme_borrowers"], baseline_value=10000.0)
    series = resolve(obs([("tech_sme_borrowers", "420000", (2024, 8), 14000.0),
                          ("tech_sme_borrowers", "420000", (2026, 8), 21000.0)]), registry)
    s = standing(target, series, registry, month_end(2026, 8))
    assert s.baseline_value == 10000.0 and s.target_value == pytest.approx(17000.0) and s.status == "achieved"


def test_cagr_target(registry):
    target = registry.targets["HB2026.tech_sme_loan_balance"]  # 20% a year from 2024-08 to 2026-12
    series = resolve(obs([("tech_sme_loan_balance", "420000", (2024, 8), 3000.0),
                          ("tech_sme_loan_balance", "420000", (2025, 8), 3540.0)]), registry)
    s = standing(target, series, registry, month_end(2025, 8))
    assert s.target_value == pytest.approx(3000 * 1.2 ** (28 / 12))
    # 18% in the first year against 20% required: R = (1.18^(1/12) − 1) / (1.2^(1/12) − 1) = 0.9115
    assert s.pace_ratio == pytest.approx((1.18 ** (1 / 12) - 1) / (1.2 ** (1 / 12) - 1))
    assert s.status == "needs_acceleration"


def test_share_is_computed_from_numerator_and_denominator(registry):
    series = resolve(obs([
        ("listed_companies", "420000", (2024, 8), 150.0), ("listed_star_chinext_bse", "420000", (2024, 8), 60.0),
        ("listed_companies", "420000", (2026, 8), 160.0), ("listed_star_chinext_bse", "420000", (2026, 8), 80.0),
        ("star_chinext_bse_share", "420000", (2026, 8), 12.0),  # a wrong reported share is replaced
    ]), registry)
    share = series.filter(pl.col("indicator_code") == "star_chinext_bse_share").sort("period")
    assert share["value"].to_list() == pytest.approx([40.0, 50.0])
    assert share["is_computed"].to_list() == [True, True]
    s = standing(registry.targets["HB2026.star_chinext_bse_share"], series, registry, month_end(2026, 8))
    assert s.value == pytest.approx(50.0) and s.status != "achieved"  # 超过50%: 50.0 is not yet over


def test_city_value_summed_from_all_units_when_not_reported(registry):
    units = [r.code for r in registry.children("420100")]
    rows = [("tech_loan_balance", u, (2026, 10), 10.0) for u in units]
    series = resolve(obs(rows), registry)
    city = series.filter((pl.col("region_code") == "420100") & (pl.col("indicator_code") == "tech_loan_balance"))
    assert city["value"].to_list() == [10.0 * 16] and city["is_computed"].to_list() == [True]
    # one unit missing: no city figure is invented
    partial = resolve(obs(rows[1:]), registry)
    assert partial.filter(pl.col("region_code") == "420100").is_empty()


def test_reported_city_total_wins_over_the_sum(registry):
    units = [r.code for r in registry.children("420100")]
    rows = [("tech_loan_balance", u, (2026, 10), 10.0) for u in units] + \
        [("tech_loan_balance", "420100", (2026, 10), 161.0)]
    city = resolve(obs(rows), registry).filter(pl.col("region_code") == "420100")
    assert city["value"].to_list() == [161.0] and city["is_computed"].to_list() == [False]


def test_later_upload_wins_for_the_same_figure(registry):
    first = obs([("tech_loan_balance", "420100", (2026, 10), 100.0)], submission=1)
    second = obs([("tech_loan_balance", "420100", (2026, 10), 120.0)], submission=2,
                 uploaded=UPLOADED + dt.timedelta(days=1))
    series = resolve(pl.concat([second, first]), registry)
    assert series["value"].to_list() == [120.0]


def test_standings_cover_every_target_in_order(registry):
    series = resolve(obs([("tech_loan_balance", "420100", (2026, 10), 1.0)]), registry)
    rows = standings(series, registry, month_end(2026, 10))
    assert [s.target_id for s in rows] == list(registry.targets)


def _lower_is_better(registry):
    """The registry with seed_firms read as lower-is-better (none of the plans' indicators is, yet)."""
    ind = dataclasses.replace(registry.indicators["seed_firms"], higher_is_better=False)
    return dataclasses.replace(registry, indicators={**registry.indicators, "seed_firms": ind})


def test_lower_is_better_falling_on_pace_is_on_track(registry):
    reg = _lower_is_better(registry)
    target = dataclasses.replace(registry.targets["WH2027.seed_firms"], comparator="<=", value=6.0)
    series = resolve(obs([("seed_firms", "420100", (2025, 6), 10.0), ("seed_firms", "420100", (2026, 6), 8.0)]), reg)
    s = standing(target, series, reg, month_end(2026, 6))
    # g_obs = 0.8^(1/12) − 1 = −1.842%, g_req = 0.6^(1/30) − 1 = −1.688%: R = −g_obs / |g_req| = 1.091
    assert s.pace_ratio == pytest.approx(-(0.8 ** (1 / 12) - 1) / abs(0.6 ** (1 / 30) - 1))
    assert s.status == "on_track"
    assert s.outlook.growth_observed_annual == pytest.approx(-0.2)
    assert s.outlook.expected_linear == pytest.approx(10 - 4 * 12 / 30)
    assert s.outlook.gap_linear == pytest.approx(8 - 8.4)  # below the falling path: ahead


def test_lower_is_better_rising_is_regressing_and_met_is_achieved(registry):
    reg = _lower_is_better(registry)
    target = dataclasses.replace(registry.targets["WH2027.seed_firms"], comparator="<=", value=6.0)
    rising = resolve(obs([("seed_firms", "420100", (2025, 6), 10.0), ("seed_firms", "420100", (2026, 6), 11.0)]), reg)
    assert standing(target, rising, reg, month_end(2026, 6)).status == "regressing"
    met = resolve(obs([("seed_firms", "420100", (2025, 6), 10.0), ("seed_firms", "420100", (2026, 6), 6.0)]), reg)
    s = standing(target, met, reg, month_end(2026, 6))
    assert s.status == "achieved" and s.outlook.projected_attainment == month_end(2026, 6)
