"""The trend of an indicator without a target (pure): growth since its baseline and a label, by Statistics Canada's
method for indicators without a quantitative target (open-sdg docs/progress-methodology.md): the compound annual
growth rate since the baseline against fixed thresholds (data/status.toml [trend]), in the indicator's better
direction. It is a description of the trend, never a target status: 突破性增长 has no number to be judged against.

    g = (v / b)^(12 / m) − 1, m the months from the baseline month to the latest month, b and v positive;
    g ≥ strong → 明显增长 (strong); moderate ≤ g < strong → 小幅增长 (moderate); flat ≤ g < moderate → 基本持平 (flat);
    g < flat → 下降 (falling); fewer than min_months months, no baseline value or a non-positive one → 数据不足.

A flow (kind = flow: monthly amounts, counted year to date elsewhere) is compared as its 12-month total: the sum
of the 12 months up to the latest month against the 12 months up to the baseline month (all 24 months reported).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from domain.model import Registry
from domain.months import add_months, months_between
from domain.trends import Trend, TrendThresholds

LABELS = {"strong": "明显增长", "moderate": "小幅增长", "flat": "基本持平", "falling": "下降",
          "insufficient": "数据不足"}
SYMBOLS = {"strong": "↑↑", "moderate": "↑", "flat": "→", "falling": "↓", "insufficient": "？"}


@dataclass(frozen=True)
class TrendReading:
    label: str
    """strong | moderate | flat | falling | insufficient (LABELS)."""
    baseline_period: dt.date
    baseline_value: float | None
    """The baseline month's value (a flow: its 12-month total)."""
    period: dt.date | None
    """The latest month with a value, up to as_of."""
    value: float | None
    months: int | None
    """Months from the baseline month to the latest."""
    change: float | None
    """v / b − 1 since the baseline."""
    growth_annual: float | None
    """The compound annual growth rate the label reads."""
    why: str = ""
    """Why 数据不足, in Chinese."""

    def as_json(self) -> dict:
        return {"trend": self.label, "trend_label": LABELS[self.label],
                "baseline_period": f"{self.baseline_period:%Y-%m}", "baseline_value": self.baseline_value,
                "period": f"{self.period:%Y-%m}" if self.period else None, "value": self.value,
                "months": self.months, "change_since_baseline": self.change, "growth_annual": self.growth_annual}


def trend_label(growth: float | None, thresholds: TrendThresholds, *, higher_is_better: bool = True) -> str:
    """The label of an annual growth rate (sign flipped where lower is better); insufficient without one."""
    if growth is None:
        return "insufficient"
    g = growth if higher_is_better else -growth
    if g >= thresholds.strong:
        return "strong"
    if g >= thresholds.moderate:
        return "moderate"
    if g >= thresholds.flat:
        return "flat"
    return "falling"


def annual_growth(baseline: float, value: float, months: int) -> float | None:
    """(v / b)^(12 / m) − 1; None where b or v is not positive or m < 1."""
    if baseline <= 0 or value <= 0 or months < 1:
        return None
    return (value / baseline) ** (12 / months) - 1


def _twelve_month_total(values: dict[dt.date, float], end: dt.date) -> float | None:
    months = [add_months(end, -k) for k in range(12)]
    return sum(values[m] for m in months) if all(m in values for m in months) else None


def trend_since(points: list[tuple[dt.date, float]], since: dt.date, as_of: dt.date, thresholds: TrendThresholds,
                *, flow: bool = False, higher_is_better: bool = True) -> TrendReading:
    """`points`: (month end, value) of one indicator and region, as stored (a flow's monthly amounts); `since`: the
    baseline month's end. The latest month up to `as_of` after the baseline is read against the baseline month."""
    values = {d: v for d, v in points if v is not None}

    def insufficient(why: str, **kw) -> TrendReading:
        return TrendReading(label="insufficient", baseline_period=since, baseline_value=kw.get("b"),
                            period=kw.get("t"), value=kw.get("v"), months=kw.get("m"), change=None,
                            growth_annual=None, why=why)

    b = _twelve_month_total(values, since) if flow else values.get(since)
    if b is None:
        return insufficient("基期月份没有数据" + ("，流量指标须有基期及其前11个月的数据" if flow else ""))
    later = sorted(d for d in values if since < d <= as_of)
    if not later:
        return insufficient("基期之后还没有数据", b=b)
    t = later[-1]
    v = _twelve_month_total(values, t) if flow else values[t]
    m = months_between(since, t)
    if v is None:
        return insufficient("近12个月的数据不全", b=b, t=t, m=m)
    if m < thresholds.min_months:
        return insufficient(f"基期后不足{thresholds.min_months}个月", b=b, t=t, v=v, m=m)
    g = annual_growth(b, v, m)
    if g is None:
        return insufficient("基期值或最新值不是正数，增速无定义", b=b, t=t, v=v, m=m)
    return TrendReading(label=trend_label(g, thresholds, higher_is_better=higher_is_better), baseline_period=since,
                        baseline_value=b, period=t, value=v, months=m, change=v / b - 1, growth_annual=g)


def trend_of(series: pl.DataFrame, trend: Trend, registry: Registry, as_of: dt.date, thresholds: TrendThresholds
             ) -> TrendReading:
    """A plan's trend indicator (domain.trends.Trend) in the resolved series (metrics.series.resolve) at `as_of`."""
    ind = registry.indicators[trend.indicator]
    rows = series.filter((pl.col("indicator_code") == trend.indicator) & (pl.col("region_code") == trend.region)
                         & (pl.col("period") <= as_of)).select("period", "value")
    return trend_since(list(rows.iter_rows()), trend.since, as_of, thresholds, flow=ind.kind == "flow",
                       higher_is_better=ind.higher_is_better)
