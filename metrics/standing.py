"""Every target's standing at an as-of month, from the resolved series (pure).

The overview page, the report command and the meeting outputs all read these records, so a figure
is computed once and reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from loaders.periods import month_end, month_index, month_key
from loaders.registry import Registry, Target
from metrics import progress

SPARK_MONTHS = 24


@dataclass(frozen=True)
class Source:
    file_name: str
    agency: str
    uploaded_at: dt.datetime
    origin: str
    is_computed: bool


@dataclass(frozen=True)
class Standing:
    target_id: str
    document: str
    indicator_code: str
    region_code: str
    kind: str
    comparator: str
    unit: str
    deadline: dt.date
    target_raw: float  # as written in targets.toml (1.7 for +70%, 0.20 for 20% a year)
    target_value: float | None  # in the indicator's unit
    as_of: dt.date | None  # the month of `value`
    value: float | None
    baseline_period: dt.date | None
    baseline_value: float | None
    completion: float | None
    time_elapsed: float | None
    pace_ratio: float | None
    growth_observed_monthly: float | None
    growth_required_monthly: float | None
    status: str
    requested_as_of: dt.date
    history: list[tuple[dt.date, float]] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    @property
    def is_stale(self) -> bool:
        """The latest value is older than the month asked for."""
        return self.as_of is not None and self.as_of < self.requested_as_of

    def as_json(self) -> dict[str, Any]:
        return {
            "target_id": self.target_id, "indicator_code": self.indicator_code, "region_code": self.region_code,
            "as_of": month_key(self.as_of) if self.as_of else None, "value": self.value, "unit": self.unit,
            "target_value": self.target_value, "comparator": self.comparator,
            "deadline": self.deadline.isoformat(), "completion": self.completion,
            "time_elapsed": self.time_elapsed, "status": self.status,
            "baseline_value": self.baseline_value,
            "baseline_period": month_key(self.baseline_period) if self.baseline_period else None,
        }


def _start_month(target: Target, registry: Registry) -> dt.date:
    """The month the target is measured from: its baseline date, else the plan's issue month."""
    day = target.baseline_date or registry.documents[target.document].issued
    return month_end(day.year, day.month)


def standing(target: Target, series: pl.DataFrame, registry: Registry, as_of: dt.date) -> Standing:
    """`series`: the resolved series (metrics.series.resolve) of any indicators and regions."""
    ind = registry.indicators[target.indicator]
    own = series.filter((pl.col("indicator_code") == target.indicator) & (pl.col("region_code") == target.region)
                        & (pl.col("period") <= as_of)).sort("period")
    start = _start_month(target, registry)
    deadline_month = month_end(target.deadline.year, target.deadline.month)
    months_total = month_index(deadline_month) - month_index(start)

    base_row = own.filter(pl.col("period") >= start).head(1)
    if target.baseline_value is not None:
        baseline_value, baseline_period = target.baseline_value, start
    elif base_row.height:
        baseline_value, baseline_period = base_row["value"][0], base_row["period"][0]
    else:
        baseline_value, baseline_period = None, None
    if baseline_period is not None:
        months_total = month_index(deadline_month) - month_index(baseline_period)

    now = own.tail(1)
    value = now["value"][0] if now.height else None
    value_month = now["period"][0] if now.height else None
    target_value = progress.effective_target(target.kind, target.value, baseline_value, months_total)

    completion = ratio = g_obs = g_req = None
    elapsed = None
    status = "insufficient_data"
    if value is not None and target_value is not None:
        completion = progress.completion(target.kind, value, target_value, baseline_value)
        met = progress.is_met(value, target_value, target.comparator)
        if baseline_period is not None and value_month is not None:
            months_elapsed = month_index(value_month) - month_index(baseline_period)
            elapsed = progress.time_elapsed(months_elapsed, months_total)
            if months_elapsed > 0:
                ratio = progress.pace_ratio(baseline_value, value, target_value, months_elapsed, months_total,
                                            higher_is_better=ind.higher_is_better)
                g_obs = progress.monthly_growth(baseline_value, value, months_elapsed)
                g_req = progress.monthly_growth(baseline_value, target_value, months_total)
        status = progress.classify(ratio, met=met, thresholds=registry.thresholds)

    history = own.tail(SPARK_MONTHS).select("period", "value").rows()
    sources = [Source(r["file_name"], r["agency"], r["uploaded_at"], r["origin"], r["is_computed"])
               for r in now.iter_rows(named=True)]
    return Standing(
        target_id=target.id, document=target.document, indicator_code=target.indicator,
        region_code=target.region, kind=target.kind, comparator=target.comparator, unit=ind.unit,
        deadline=target.deadline, target_raw=target.value, target_value=target_value, as_of=value_month,
        value=value, baseline_period=baseline_period, baseline_value=baseline_value, completion=completion,
        time_elapsed=elapsed, pace_ratio=ratio, growth_observed_monthly=g_obs, growth_required_monthly=g_req,
        status=status, requested_as_of=as_of, history=list(history), sources=sources,
    )


def standings(series: pl.DataFrame, registry: Registry, as_of: dt.date) -> list[Standing]:
    """Every target in registry order."""
    return [standing(t, series, registry, as_of) for t in registry.targets.values()]


def latest_month(series: pl.DataFrame) -> dt.date | None:
    """The default as-of month: the latest month with data."""
    return None if series.is_empty() else series.get_column("period").max()
