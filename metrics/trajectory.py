"""Will we make it? Paths to the target, growth so far and needed, projections (pure, numbers and months).

Notation as in metrics/progress.py: months are counted with domain.months.month_index; b is the
baseline value at t_b, v the latest value at t, T the target value due at t_T (the deadline month);
m = t − t_b months since the baseline, M = t_T − t_b months from baseline to deadline, n = t_T − t
months left. Growth rates here are annual, compounded: a monthly rate g is reported as (1 + g)^12 − 1.

Where should we be by now (m clipped to [0, M]; M ≤ 0 means the path is already at T):
- linear path:           E_lin(m) = b + (T − b) · m / M
- constant-growth path:  E_geo(m) = b · (T / b)^(m / M)            (only where b > 0 and T > 0)
- gap to each:           v − E(m)  (positive = ahead of the path when higher is better)

How fast have we gone, how fast must we go:
- observed since baseline:   g_obs = (v / b)^(12 / m) − 1            (b, v > 0, m > 0)
- trailing 12 months:        g_12 = (v / v_s)^(12 / (t − s)) − 1, s the earliest month with data in
                             [t − 12, t − 6]; equal to the y/y growth when t − 12 is reported; none
                             when no month in that window is reported (too short a span to annualise)
- required from now:         g_req = (T / v)^(12 / n) − 1             (v, T > 0, n > 0, target not met)
- required monthly increase: (T − v) / n                              (the linear equivalent, 每月需新增)

Where will we end up (k = 0 … n months ahead of t):
- at the observed growth:    P_geo(k) = v · (1 + g_obs_monthly)^k  (UN Statistics Division variant of the
                             SDG method); where a level is not positive, the linear pace since the
                             baseline instead: P(k) = v + k · (v − b) / m
- by a linear fit:           ordinary least squares of value on month over the last 12 months
                             (t − 11 … t, at least three reported months): P_fit(k) = α + β · (t + k)
- attainment month:          the first month t + k, 0 ≤ k ≤ n, whose projected value meets the target
                             under its comparator (a projection within 1e-9 of a "≥"/"≤" target counts);
                             a target already met attains in month t; none when the projection does not
                             meet it by the deadline.

HB2026's "average annual growth ≥ 20%" is also shown year by year (yearly_growth): the growth of each
complete year counted from the baseline month (t_b → t_b + 12, t_b + 12 → t_b + 24, …), then the latest
12 months when they end later, then g_obs; each flagged as meeting the rate or not.
Absurd growth (a value rising from 1e-200) gives infinite rates rather than an OverflowError.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from domain.months import month_at, month_index
from metrics import progress

FIT_MONTHS = 12  # window of the linear fit and of the trailing growth
FIT_MIN_POINTS = 3
TRAILING_MIN_SPAN = 6  # fewer months than this are too short to annualise

Point = tuple[dt.date, float]


def _share_of_path(months_since: int, months_total: int) -> float:
    if months_total <= 0:
        return 1.0
    return min(1.0, max(0.0, months_since / months_total))


def expected_linear(baseline: float, target: float, months_since: int, months_total: int) -> float:
    """E_lin: the straight line from baseline to target, m months after the baseline."""
    return baseline + (target - baseline) * _share_of_path(months_since, months_total)


def expected_growth(baseline: float, target: float, months_since: int, months_total: int) -> float | None:
    """E_geo: constant growth from baseline to target; None where a level is not positive."""
    if baseline <= 0 or target <= 0:
        return None
    return baseline * (target / baseline) ** _share_of_path(months_since, months_total)


def growth_since(start: float, end: float, months: int) -> float | None:
    """Annual compounded growth from `start` to `end` over `months`; None where undefined."""
    return progress.annualised(progress.monthly_growth(start, end, months))


def trailing_growth(history: Sequence[Point], *, months: int = FIT_MONTHS, min_span: int = TRAILING_MIN_SPAN
                    ) -> float | None:
    """g_12: annual growth over the last `months` months, from the earliest month reported in the window."""
    if not history:
        return None
    t_day, v = history[-1]
    t = month_index(t_day)
    window = [(month_index(d), x) for d, x in history if t - months <= month_index(d) <= t - min_span]
    if not window:
        return None
    s, v_s = min(window)
    return growth_since(v_s, v, t - s)


def required_growth(value: float, target: float, months_left: int, *, met: bool = False) -> float | None:
    """g_req: the annual growth that takes `value` to `target` in `months_left` months."""
    if met or months_left <= 0:
        return None
    return growth_since(value, target, months_left)


def required_increase(value: float, target: float, months_left: int, *, met: bool = False) -> float | None:
    """(T − v) / n: the increase needed each month on a straight line."""
    if met or months_left <= 0:
        return None
    return (target - value) / months_left


def linear_fit(points: Sequence[tuple[int, float]]) -> tuple[float, float] | None:
    """Least squares (α, β) of value = α + β · month over (month index, value); None under FIT_MIN_POINTS."""
    if len(points) < FIT_MIN_POINTS or len({x for x, _ in points}) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    beta = sum((x - mx) * (y - my) for x, y in points) / sxx
    return my - beta * mx, beta


def growth_projector(value: float, baseline: float | None, months_since: int) -> Callable[[int], float] | None:
    """P_geo(k): k months ahead at the growth observed since the baseline (linear pace where undefined)."""
    if baseline is None or months_since <= 0:
        return None
    g = progress.monthly_growth(baseline, value, months_since)
    if g is not None:
        return lambda k: value * progress.compound(1 + g, k)
    pace = (value - baseline) / months_since
    return lambda k: value + k * pace


def fit_projector(history: Sequence[Point], *, months: int = FIT_MONTHS) -> Callable[[int], float] | None:
    """P_fit(k): k months ahead on the least-squares line of the last `months` months."""
    if not history:
        return None
    t = month_index(history[-1][0])
    fit = linear_fit([(month_index(d), v) for d, v in history if month_index(d) > t - months])
    if fit is None:
        return None
    alpha, beta = fit
    return lambda k: alpha + beta * (t + k)


def attainment(projector: Callable[[int], float], now: dt.date, months_left: int, target: float,
               comparator: str) -> dt.date | None:
    """The first month (now … deadline) whose projected value meets the target; None if none does."""
    t = month_index(now)
    for k in range(max(0, months_left) + 1):
        if meets(projector(k), target, comparator):
            return month_at(t + k)
    return None


def meets(value: float, target: float, comparator: str) -> bool:
    """progress.is_met, except that a projection landing on a "≥"/"≤" target within float error counts."""
    if progress.is_met(value, target, comparator):
        return True
    return comparator in (">=", "<=") and math.isclose(value, target, rel_tol=1e-9)


@dataclass(frozen=True)
class Outlook:
    """The four questions for one target: where we are against the paths, how fast, where we end up."""

    expected_linear: float | None = None
    expected_growth: float | None = None
    gap_linear: float | None = None
    gap_growth: float | None = None
    growth_observed_annual: float | None = None
    growth_trailing_annual: float | None = None
    growth_required_annual: float | None = None
    increase_required_monthly: float | None = None
    months_left: int | None = None
    projected_at_deadline: float | None = None
    projected_attainment: dt.date | None = None
    projected_fit_at_deadline: float | None = None
    projected_fit_attainment: dt.date | None = None


def outlook(history: Sequence[Point], *, baseline_value: float | None, baseline_period: dt.date | None,
            target_value: float | None, comparator: str, deadline_month: dt.date) -> Outlook:
    """Every figure of the module for a series (oldest first, last = the latest value) and its target."""
    if not history:
        return Outlook()
    now, value = history[-1]
    t, t_end = month_index(now), month_index(deadline_month)
    n = max(0, t_end - t)
    m = month_index(now) - month_index(baseline_period) if baseline_period else 0
    big_m = t_end - month_index(baseline_period) if baseline_period else 0
    has_base = baseline_value is not None and baseline_period is not None

    grow = growth_projector(value, baseline_value, m) if has_base else None
    fit = fit_projector(history)
    out = {
        "growth_observed_annual": growth_since(baseline_value, value, m) if has_base else None,
        "growth_trailing_annual": trailing_growth(history),
        "months_left": n,
        "projected_at_deadline": grow(n) if grow else None,
        "projected_fit_at_deadline": fit(n) if fit else None,
    }
    if target_value is not None:
        met = progress.is_met(value, target_value, comparator)
        out |= {
            "growth_required_annual": required_growth(value, target_value, n, met=met),
            "increase_required_monthly": required_increase(value, target_value, n, met=met),
            "projected_attainment": attainment(grow, now, n, target_value, comparator) if grow else None,
            "projected_fit_attainment": attainment(fit, now, n, target_value, comparator) if fit else None,
        }
        # Already met: it has attained now, whatever a projection would say.
        if met:
            out |= {"projected_attainment": now, "projected_fit_attainment": now}
        if has_base:
            lin = expected_linear(baseline_value, target_value, m, big_m)
            geo = expected_growth(baseline_value, target_value, m, big_m)
            out |= {"expected_linear": lin, "expected_growth": geo, "gap_linear": value - lin,
                    "gap_growth": None if geo is None else value - geo}
    return Outlook(**out)


# -- series for the chart ---------------------------------------------------------------------------


def target_paths(baseline_value: float, baseline_period: dt.date, target_value: float, deadline_month: dt.date
                 ) -> list[tuple[dt.date, float, float | None]]:
    """(month, E_lin, E_geo) for every month from the baseline to the deadline."""
    t_b, t_end = month_index(baseline_period), month_index(deadline_month)
    big_m = t_end - t_b
    return [(month_at(i), expected_linear(baseline_value, target_value, i - t_b, big_m),
             expected_growth(baseline_value, target_value, i - t_b, big_m)) for i in range(t_b, t_end + 1)]


def projection_paths(history: Sequence[Point], baseline_value: float | None, baseline_period: dt.date | None,
                     deadline_month: dt.date) -> tuple[list[Point], list[Point]]:
    """(at observed growth, by linear fit): the projected value of every month from now to the deadline."""
    if not history:
        return [], []
    now, value = history[-1]
    t = month_index(now)
    n = max(0, month_index(deadline_month) - t)
    m = t - month_index(baseline_period) if baseline_period else 0
    grow = growth_projector(value, baseline_value, m) if baseline_value is not None else None
    fit = fit_projector(history)
    return ([(month_at(t + k), grow(k)) for k in range(n + 1)] if grow else [],
            [(month_at(t + k), fit(k)) for k in range(n + 1)] if fit else [])


# -- HB2026: growth year by year ---------------------------------------------------------------------


@dataclass(frozen=True)
class YearGrowth:
    start: dt.date
    end: dt.date
    growth: float | None  # annual growth start → end; None when either month is not reported
    kind: str  # "year": a whole year counted from the baseline; "latest": the last 12 months;
    #            "average": the average annual growth from the baseline to the latest month
    meets: bool | None = None  # growth ≥ the required rate (None when either is unknown)


def meets_rate(growth: float, required: float) -> bool:
    """growth ≥ required, where 1.2 over a year (0.19999999999999996) meets 20%."""
    return growth >= required or math.isclose(growth, required, rel_tol=1e-9)


def yearly_growth(history: Sequence[Point], baseline_period: dt.date, required: float | None = None
                  ) -> list[YearGrowth]:
    """Growth of each complete year from the baseline month, then of the latest 12 months when they end
    later, then the average since the baseline; each against `required` (0.20 for "年均增速20%")."""
    if not history:
        return []
    values = {month_index(d): v for d, v in history}
    t_b, t = month_index(baseline_period), month_index(history[-1][0])

    def row(start: int, end: int, kind: str) -> YearGrowth:
        a, b = values.get(start), values.get(end)
        g = growth_since(a, b, end - start) if a is not None and b is not None else None
        meets = None if g is None or required is None else meets_rate(g, required)
        return YearGrowth(month_at(start), month_at(end), g, kind, meets)

    rows = [row(s, s + 12, "year") for s in range(t_b, t - 11, 12)]
    if not rows or month_index(rows[-1].end) < t:
        rows.append(row(t - 12, t, "latest"))
    if t > t_b:
        rows.append(row(t_b, t, "average"))
    return rows
