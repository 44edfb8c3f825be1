"""Every target's standing at an as-of month, from the resolved series (pure).

The overview page, the indicator page, the report command and the meeting outputs all read these
records, so a figure is computed once and reads the same everywhere. Formulas: metrics/progress.py
(completion, time elapsed, R, status) and metrics/trajectory.py (paths, growth, projections, the
`outlook` of each standing). A flow indicator counts year to date (metrics/changes.py).

Units below a target's region (Wuhan's 16 units, Hubei's 17 市州) get a standing of their own
(`unit_standing`): against their sub-target from [[subtarget]] in data/targets.toml where one is set
(a level target with the parent's comparator and deadline, the unit's own first value after the
baseline date or issue as its baseline); without one, the same figures except those that need a
target, and `has_target` False (JSON status null).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from domain.model import Registry, Target
from domain.months import month_end, month_index, month_key
from metrics import progress, trajectory
from metrics.changes import own_rows
from metrics.trajectory import Outlook
from metrics.units import unit_series

SPARK_MONTHS = 24


@dataclass(frozen=True)
class Source:
    file_name: str
    agency: str
    uploaded_at: dt.datetime
    origin: str
    is_computed: bool
    derivation: str  # metrics.series: reported | register | summed | ratio
    uploader: str = ""  # the account that uploaded it (the command line: the name it was given)


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
    outlook: Outlook = field(default_factory=Outlook)
    has_target: bool = True  # False: a unit without a sub-target (figures that need a target are None)
    observation_months: int = 0  # the months of data since the baseline a status needs (data/status.toml)

    @property
    def in_observation(self) -> bool:
        """In its 观察期: figures shown, no verdict yet (status observation)."""
        return self.status == "observation"

    @property
    def is_stale(self) -> bool:
        """The latest value is older than the month asked for."""
        return self.as_of is not None and self.as_of < self.requested_as_of

    def as_json(self) -> dict[str, Any]:
        o = self.outlook
        return {
            "target_id": self.target_id, "indicator_code": self.indicator_code, "region_code": self.region_code,
            "as_of": month_key(self.as_of) if self.as_of else None, "value": self.value, "unit": self.unit,
            "target_value": self.target_value, "comparator": self.comparator,
            "deadline": self.deadline.isoformat(), "completion": self.completion,
            "time_elapsed": self.time_elapsed, "status": self.status if self.has_target else None,
            "baseline_value": self.baseline_value,
            "baseline_period": month_key(self.baseline_period) if self.baseline_period else None,
            # trajectory (metrics/trajectory.py), appended after the original keys
            "expected_linear": o.expected_linear, "expected_growth": o.expected_growth,
            "growth_observed_annual": o.growth_observed_annual, "growth_required_annual": o.growth_required_annual,
            "projected_at_deadline": o.projected_at_deadline,
            "projected_attainment": month_key(o.projected_attainment) if o.projected_attainment else None,
            "gap_linear": o.gap_linear, "gap_growth": o.gap_growth, "pace_ratio": self.pace_ratio,
            "growth_trailing_annual": o.growth_trailing_annual,
            "increase_required_monthly": o.increase_required_monthly,
            "projected_fit_at_deadline": o.projected_fit_at_deadline,
            "projected_fit_attainment": month_key(o.projected_fit_attainment) if o.projected_fit_attainment
            else None,
            "observation_months": self.observation_months,
        }


def _start_month(target: Target, registry: Registry) -> dt.date:
    """The month the target is measured from: its baseline date, else the plan's issue month."""
    day = target.baseline_date or registry.documents[target.document].issued
    return month_end(day.year, day.month)


def standing(target: Target, series: pl.DataFrame, registry: Registry, as_of: dt.date) -> Standing:
    """`series`: the resolved series (metrics.series.resolve) of any indicators and regions."""
    return _standing(target, series, registry, as_of, judged=True)


def _standing(target: Target, series: pl.DataFrame, registry: Registry, as_of: dt.date, *, judged: bool
              ) -> Standing:
    ind = registry.indicators[target.indicator]
    own = own_rows(series, target.indicator, target.region, as_of, ind.kind)
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
    target_value = (progress.effective_target(target.kind, target.value, baseline_value, months_total)
                     if judged else None)

    completion = ratio = g_obs = g_req = elapsed = months_elapsed = None
    status = "insufficient_data"
    span = registry.observation_months_for(target.id)
    if baseline_period is not None and value_month is not None:
        elapsed = progress.time_elapsed(month_index(value_month) - month_index(baseline_period), months_total)
    if value is not None and target_value is not None:
        completion = progress.completion(target.kind, value, target_value, baseline_value)
        met = progress.is_met(value, target_value, target.comparator)
        if baseline_period is not None and value_month is not None:
            months_elapsed = month_index(value_month) - month_index(baseline_period)
            if months_elapsed > 0:
                ratio = progress.pace_ratio(baseline_value, value, target_value, months_elapsed, months_total,
                                            higher_is_better=ind.higher_is_better)
                g_obs = progress.monthly_growth(baseline_value, value, months_elapsed)
                g_req = progress.monthly_growth(baseline_value, target_value, months_total)
        status = progress.classify(ratio, met=met, thresholds=registry.thresholds, months=months_elapsed,
                                   observation=span)

    points = own.select("period", "value").rows()
    history = points[-SPARK_MONTHS:]
    outlook = trajectory.outlook(points, baseline_value=baseline_value, baseline_period=baseline_period,
                                 target_value=target_value, comparator=target.comparator,
                                 deadline_month=deadline_month)
    sources = [Source(r["file_name"], r["agency"], r["uploaded_at"], r["origin"], r["is_computed"], r["derivation"],
                      r.get("uploader") or "") for r in now.iter_rows(named=True)]
    return Standing(
        target_id=target.id, document=target.document, indicator_code=target.indicator,
        region_code=target.region, kind=target.kind, comparator=target.comparator, unit=ind.unit,
        deadline=target.deadline, target_raw=target.value, target_value=target_value, as_of=value_month,
        value=value, baseline_period=baseline_period, baseline_value=baseline_value, completion=completion,
        time_elapsed=elapsed, pace_ratio=ratio, growth_observed_monthly=g_obs, growth_required_monthly=g_req,
        status=status, requested_as_of=as_of, history=list(history), sources=sources, outlook=outlook,
        has_target=judged, observation_months=span,
    )


def standings(series: pl.DataFrame, registry: Registry, as_of: dt.date) -> list[Standing]:
    """Every target in registry order."""
    return [standing(t, series, registry, as_of) for t in registry.targets.values()]


def unit_target(target: Target, region: str, registry: Registry) -> Target | None:
    """The target as it applies to a unit: its sub-target as a level; None when it has none."""
    value = registry.subtargets.get(target.id, {}).get(region)
    if value is None:
        return None
    return dataclasses.replace(target, region=region, kind="level", value=value, baseline_value=None)


def unit_standing(target: Target, region: str, series: pl.DataFrame, registry: Registry, as_of: dt.date
                  ) -> Standing:
    """A unit below the target's region: judged against its sub-target, or only measured without one.

    `series` is best metrics.units.unit_series (register zeros, 汉南区 folded into 武汉经开区), so the
    unit's figures read as in the district table.
    """
    unit = unit_target(target, region, registry)
    if unit is not None:
        return standing(unit, series, registry, as_of)
    measured_only = dataclasses.replace(target, region=region, baseline_value=None)
    return _standing(measured_only, series, registry, as_of, judged=False)


def indicator_standing(series: pl.DataFrame, registry: Registry, indicator: str, region: str, as_of: dt.date
                       ) -> Standing | None:
    """The standing the indicator page shows for one indicator and region; None when no target applies."""
    target = registry.target_for(indicator, region)
    if target is None:
        return None
    if target.region == region:
        return standing(target, series, registry, as_of)
    return unit_standing(target, region, unit_series(series, registry, indicator, target.region), registry, as_of)


def standings_by_region(series: pl.DataFrame, registry: Registry, as_of: dt.date) -> list[Standing]:
    """Each target, then each unit that sums to its region (registry order)."""
    out = []
    for t in registry.targets.values():
        out.append(standing(t, series, registry, as_of))
        units = unit_series(series, registry, t.indicator, t.region)
        out += [unit_standing(t, r.code, units, registry, as_of) for r in registry.children(t.region)]
    return out


@dataclass(frozen=True)
class SubtargetCoverage:
    total: float  # the units' sub-targets added up
    units: int  # how many units have one
    of_units: int  # how many units sum to the region
    share_of_target: float | None  # total / the region's target value


def subtarget_coverage(s: Standing, registry: Registry) -> SubtargetCoverage | None:
    """The sum of the units' sub-targets against the region's own target; None when none is set."""
    subs = registry.subtargets.get(s.target_id, {})
    if not subs or s.region_code != registry.targets[s.target_id].region:
        return None
    total = sum(subs.values())
    share = total / s.target_value if s.target_value else None
    return SubtargetCoverage(total, len(subs), len(registry.children(s.region_code)), share)


def latest_month(series: pl.DataFrame) -> dt.date | None:
    """The default as-of month: the latest month with data."""
    return None if series.is_empty() else series.get_column("period").max()


def status_counts(rows: list[Standing]) -> dict[str, int]:
    """How many targets stand at each status (statuses with none are left out)."""
    counts: dict[str, int] = {}
    for s in rows:
        counts[s.status] = counts.get(s.status, 0) + 1
    return counts
