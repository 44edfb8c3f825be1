"""Where a target stands: pure formulas on numbers and months, no I/O.

Notation: t counts months (metrics use month indices, so 2025-06 → 2026-10 is 16); b is the
baseline value at t_b; v the value now at t; T the target value due at t_T (the deadline month).

- completion, level and share targets:      v / T                 (官方口径"完成目标的x%")
- completion, growth and CAGR targets:      (v − b) / (T − b)     (share of the promised increase)
- time elapsed:                             (t − t_b) / (t_T − t_b), clipped to [0, 1]
- observed monthly growth:                  g_obs = (v / b)^(1/(t − t_b)) − 1
- required monthly growth:                  g_req = (T / b)^(1/(t_T − t_b)) − 1
- pace ratio:                               R = g_obs / |g_req|, sign flipped when lower is better
  (Open SDG / Statistics Canada progress method, with months instead of years). Where b, v or T is
  not positive, growth rates are meaningless and the linear paces replace them:
  R = ((v − b)/(t − t_b)) / ((T − b)/(t_T − t_b)).
- status: target met → achieved; otherwise R against the thresholds in data/status.toml (the one
  place they live; read into Registry.thresholds); fewer than two observations since the baseline →
  insufficient_data; fewer than the observation span's months of data since the baseline (data/status.toml
  [observation], six unless it says otherwise: m = t − t_b < span) → observation (观察期: the figures, no
  verdict), so that one month's change never decides a label. Lower-is-better indicators
  (indicators.toml higher_is_better = false) use the
  same thresholds: R's sign is flipped, so falling on pace is R ≈ 1 and rising is R < 0 (逆向变化).

Paths to the target, growth needed from now and projections: metrics/trajectory.py.

Effective target value T by target kind (data/targets.toml):
- level, share: the registry value;
- growth_vs_baseline: value × b (1.7 × baseline for "+70%");
- cagr: b × (1 + value)^((t_T − t_b)/12) (average annual growth of `value` from the baseline).
"""

from __future__ import annotations

import math


def effective_target(kind: str, value: float, baseline: float | None, months_baseline_to_deadline: int) -> float | None:
    if kind in ("level", "share"):
        return value
    if baseline is None:
        return None
    if kind == "growth_vs_baseline":
        return value * baseline
    if kind == "cagr":
        return baseline * (1 + value) ** (months_baseline_to_deadline / 12)
    raise ValueError(f"unknown target kind {kind}")


def completion(kind: str, value: float, target: float, baseline: float | None) -> float | None:
    if kind in ("level", "share"):
        return value / target if target else None
    if baseline is None or target == baseline:
        return None
    return (value - baseline) / (target - baseline)


def time_elapsed(months_since_start: int, months_start_to_deadline: int) -> float:
    if months_start_to_deadline <= 0:
        return 1.0
    return min(1.0, max(0.0, months_since_start / months_start_to_deadline))


def monthly_growth(start: float, end: float, months: int) -> float | None:
    """Compounded growth per month from `start` to `end` over `months`; None where undefined."""
    if months <= 0 or start <= 0 or end <= 0:
        return None
    return (end / start) ** (1 / months) - 1


def annualised(monthly: float | None) -> float | None:
    return None if monthly is None else compound(1 + monthly, 12) - 1


def compound(factor: float, periods: float) -> float:
    """factor ** periods, infinite instead of OverflowError for absurd growth (1e-200 → 1 in a month)."""
    try:
        return factor ** periods
    except OverflowError:
        return math.inf


def is_met(value: float, target: float, comparator: str) -> bool:
    return {">": value > target, ">=": value >= target, "<": value < target, "<=": value <= target}[comparator]


def pace_ratio(baseline: float, value: float, target: float, months_elapsed: int, months_total: int,
               *, higher_is_better: bool = True) -> float | None:
    """R: how the pace so far compares with the pace the target needs (1 = exactly on course)."""
    if months_elapsed <= 0 or months_total <= 0:
        return None
    sign = 1.0 if higher_is_better else -1.0
    g_obs = monthly_growth(baseline, value, months_elapsed)
    g_req = monthly_growth(baseline, target, months_total)
    if g_obs is not None and g_req is not None:
        if g_req == 0:
            return math.copysign(math.inf, sign * g_obs) if g_obs else 1.0
        return sign * g_obs / abs(g_req)
    # Zero or negative levels: compare linear paces instead.
    need = (target - baseline) / months_total
    got = (value - baseline) / months_elapsed
    if need == 0:
        return math.copysign(math.inf, sign * got) if got else 1.0
    return sign * got / abs(need)


def classify(ratio: float | None, *, met: bool, thresholds: dict[str, float], months: int | None = None,
             observation: int = 0) -> str:
    """The status code. `months`: months of data since the baseline (t − t_b of the latest value); `observation`:
    the span a verdict needs (data/status.toml [observation]); below it the target is in its 观察期."""
    # A target already met says 已达标 also in its observation period: that is the value read against the target,
    # a fact of this month, not a pace inferred from a few months and extrapolated to the deadline (the R the
    # observation period guards against). It is said as it stands and would read 观察期 again should the value
    # fall back under the target before the span is reached.
    if met:
        return "achieved"
    if ratio is None:
        return "insufficient_data"
    if months is not None and months < observation:
        return "observation"
    if ratio >= thresholds["on_track"]:
        return "on_track"
    if ratio >= thresholds["needs_acceleration"]:
        return "needs_acceleration"
    if ratio >= thresholds["limited_progress"]:
        return "limited_progress"
    return "regressing"
