"""Progress formulas on hand-computed cases (metrics/progress.py)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics import progress as p

TH = {"on_track": 0.95, "needs_acceleration": 0.60, "limited_progress": 0.0}


def test_effective_target_by_kind():
    assert p.effective_target("level", 5000, None, 30) == 5000
    assert p.effective_target("growth_vs_baseline", 1.7, 14200, 28) == pytest.approx(24140)
    # 20% a year for 28 months from 3100: 3100 × 1.2^(28/12) = 3100 × e^(2.3333 × 0.18232) = 4743.70
    assert p.effective_target("cagr", 0.2, 3100, 28) == pytest.approx(4743.70, abs=0.01)
    assert p.effective_target("growth_vs_baseline", 1.7, None, 28) is None


def test_completion_level_and_growth():
    assert p.completion("level", 4595.9, 5000, None) == pytest.approx(0.91918)
    # +49.2% of a promised +70%: (21181 − 14200) / (24140 − 14200) = 0.7023
    assert p.completion("growth_vs_baseline", 21181, 24140, 14200) == pytest.approx(0.70231, abs=1e-5)
    assert p.completion("growth_vs_baseline", 100, 100, 100) is None  # baseline equal to the target
    assert p.completion("level", 5, 0, None) is None


def test_time_elapsed_is_clipped():
    assert p.time_elapsed(16, 30) == pytest.approx(16 / 30)
    assert p.time_elapsed(-2, 30) == 0.0
    assert p.time_elapsed(40, 30) == 1.0
    assert p.time_elapsed(3, 0) == 1.0


def test_monthly_growth_and_annualised():
    # doubling in 12 months
    assert p.monthly_growth(100, 200, 12) == pytest.approx(2 ** (1 / 12) - 1)
    assert p.annualised(p.monthly_growth(100, 200, 12)) == pytest.approx(1.0)
    assert p.monthly_growth(0, 10, 12) is None
    assert p.monthly_growth(10, -1, 12) is None
    assert p.monthly_growth(10, 20, 0) is None


def test_pace_ratio_matches_the_design_formula():
    # Loans: 3653.6 → 4595.9 in 16 months, target 5000 in 30 months.
    g_obs = (4595.9 / 3653.6) ** (1 / 16) - 1
    g_req = (5000 / 3653.6) ** (1 / 30) - 1
    assert p.pace_ratio(3653.6, 4595.9, 5000, 16, 30) == pytest.approx(g_obs / g_req)
    assert p.pace_ratio(3653.6, 4595.9, 5000, 16, 30) == pytest.approx(1.3740, abs=1e-3)


def test_pace_ratio_negative_when_moving_away_and_flipped_when_lower_is_better():
    assert p.pace_ratio(100, 90, 120, 6, 24) < 0
    # lower is better: 100 → 90 towards 80 is progress
    assert p.pace_ratio(100, 90, 80, 6, 24, higher_is_better=False) > 0


def test_pace_ratio_with_zero_baseline_uses_linear_paces():
    # 0 → 4 in 6 months, 10 needed in 30: (4/6) / (10/30) = 2
    assert p.pace_ratio(0, 4, 10, 6, 30) == pytest.approx(2.0)
    assert p.pace_ratio(-5, -5, 10, 6, 30) == pytest.approx(0.0)


def test_pace_ratio_undefined_without_elapsed_months():
    assert p.pace_ratio(10, 12, 20, 0, 30) is None


def test_pace_ratio_when_baseline_equals_target():
    assert p.pace_ratio(50, 50, 50, 6, 30) == 1.0
    assert p.pace_ratio(50, 49, 50, 6, 30) == -math.inf


def test_classify_thresholds():
    assert p.classify(2.0, met=True, thresholds=TH) == "achieved"
    assert p.classify(0.95, met=False, thresholds=TH) == "on_track"
    assert p.classify(0.9499, met=False, thresholds=TH) == "needs_acceleration"
    assert p.classify(0.60, met=False, thresholds=TH) == "needs_acceleration"
    assert p.classify(0.5999, met=False, thresholds=TH) == "limited_progress"
    assert p.classify(0.0, met=False, thresholds=TH) == "limited_progress"
    assert p.classify(-0.01, met=False, thresholds=TH) == "regressing"
    assert p.classify(None, met=False, thresholds=TH) == "insufficient_data"


@pytest.mark.parametrize("ratio", [2.0, 0.95, 0.7, 0.3, -0.5])
def test_classify_gives_no_verdict_before_the_observation_span(ratio):
    # whatever R says, fewer months of data since the baseline than the span → 观察期; at the span, R decides
    assert p.classify(ratio, met=False, thresholds=TH, months=5, observation=6) == "observation"
    assert p.classify(ratio, met=False, thresholds=TH, months=6, observation=6) == p.classify(ratio, met=False,
                                                                                             thresholds=TH)
    assert p.classify(ratio, met=False, thresholds=TH, months=1, observation=0) != "observation"
    # met is a fact of the month, not a pace: 已达标 also in the observation period; no ratio: 数据不足
    assert p.classify(ratio, met=True, thresholds=TH, months=1, observation=6) == "achieved"
    assert p.classify(None, met=False, thresholds=TH, months=0, observation=6) == "insufficient_data"


def test_is_met_respects_strictness():
    assert not p.is_met(5000, 5000, ">") and p.is_met(5000.1, 5000, ">")
    assert p.is_met(50, 50, ">=") and not p.is_met(49, 50, ">=")
    assert p.is_met(0.9, 1, "<") and p.is_met(1, 1, "<=")


positive = st.floats(min_value=1, max_value=1e6, allow_nan=False)


@given(base=positive, target_mult=st.floats(min_value=1.01, max_value=5), total=st.integers(2, 60),
       elapsed_frac=st.floats(min_value=0.05, max_value=1))
def test_a_series_on_the_constant_growth_path_has_ratio_one(base, target_mult, total, elapsed_frac):
    target = base * target_mult
    elapsed = max(1, round(total * elapsed_frac))
    g = (target / base) ** (1 / total) - 1
    value = base * (1 + g) ** elapsed
    ratio = p.pace_ratio(base, value, target, elapsed, total)
    assert ratio == pytest.approx(1.0, rel=1e-6)
    assert p.classify(ratio, met=p.is_met(value, target, ">="), thresholds=TH) in ("on_track", "achieved")


@given(v1=positive, v2=positive, target=positive)
def test_completion_rises_with_value(v1, v2, target):
    lo, hi = sorted((v1, v2))
    assert p.completion("level", lo, target, None) <= p.completion("level", hi, target, None)
