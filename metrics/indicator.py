"""Everything the indicator page (指标详情) shows for one indicator in one region, computed once (pure).

The page lays this out and formats it; every figure in it comes from metrics.standing (the same
Standing as `python -m metrics report`), metrics.trajectory, metrics.changes and metrics.districts.

- the target that applies: the region's own, else its parent's for a unit (judged against the unit's
  sub-target where one is set, measured only without one): metrics.standing.indicator_standing;
- the series as counted (flows year to date) with m/m and y/y: metrics.changes.monthly_table;
- the chart's lines: both paths from the baseline to the target, both projections to the deadline,
  the attainment point, where the linear path says the value should be now;
- for an average-annual-growth target (HB2026 贷款余额年均增速20%): each year's growth against the rate;
- the breakdown over the units of the target's region (metrics.districts.district_table) and the sum
  of their sub-targets against the target (metrics.standing.subtarget_coverage).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from domain.model import Registry, Target
from domain.months import month_end
from metrics import trajectory
from metrics.changes import monthly_table
from metrics.districts import district_table
from metrics.standing import Standing, SubtargetCoverage, indicator_standing, standing, subtarget_coverage
from metrics.units import unit_series

Point = tuple[dt.date, float]


@dataclass(frozen=True)
class IndicatorView:
    indicator: str
    region: str
    as_of: dt.date
    target: Target | None  # the target as written (the parent's for a unit)
    standing: Standing | None
    deadline: dt.date | None  # the deadline month of the target
    monthly: pl.DataFrame  # metrics.changes.monthly_table, newest first
    points: list[Point] = field(default_factory=list)  # the series as counted, oldest first
    paths: list[tuple[dt.date, float, float | None]] = field(default_factory=list)
    projection: list[Point] = field(default_factory=list)
    fit: list[Point] = field(default_factory=list)
    attainment: Point | None = None  # (month, projected value) where the growth projection meets the target
    expected_now: Point | None = None  # (latest month, value on the linear path)
    ahead_linear: bool | None = None  # at or ahead of the linear path (in the direction that is better)
    ahead_growth: bool | None = None
    years: list[trajectory.YearGrowth] = field(default_factory=list)
    units_parent: str | None = None  # the region whose units the breakdown lists
    units: pl.DataFrame | None = None  # metrics.districts.district_table
    parent_standing: Standing | None = None  # the standing of the target itself (the parent's, for a unit)
    coverage: SubtargetCoverage | None = None


def _ahead(gap: float | None, higher_is_better: bool) -> bool | None:
    if gap is None:
        return None
    return gap >= 0 if higher_is_better else gap <= 0


def _point_at(path: list[Point], month: dt.date | None) -> Point | None:
    return next((p for p in path if p[0] == month), None) if month else None


def indicator_view(series: pl.DataFrame, registry: Registry, indicator: str, region: str, as_of: dt.date
                   ) -> IndicatorView:
    ind = registry.indicators[indicator]
    target = registry.target_for(indicator, region)
    s = indicator_standing(series, registry, indicator, region, as_of)
    # A unit reads as in the district table (register zeros, 汉南区 in 武汉经开区), as its standing does.
    own = series if target is None or target.region == region else unit_series(series, registry, indicator,
                                                                               target.region)
    monthly = monthly_table(own, indicator, region, as_of, ind.kind)
    points = list(monthly.sort("period").select("period", "value").iter_rows())
    # The breakdown: the units of the target's region (or of the region itself when it has units).
    parent = target.region if target is not None else (region if registry.children(region) else None)
    units = district_table(series, registry, indicator, as_of, parent) if parent else None
    deadline = month_end(target.deadline.year, target.deadline.month) if target is not None else None
    view = IndicatorView(indicator=indicator, region=region, as_of=as_of, target=target, standing=s,
                         deadline=deadline, monthly=monthly, points=points, units_parent=parent, units=units)
    if s is None or s.value is None or deadline is None:
        return view
    o = s.outlook
    paths = (trajectory.target_paths(s.baseline_value, s.baseline_period, s.target_value, deadline)
             if s.target_value is not None and s.baseline_value is not None and s.baseline_period else [])
    projection, fit = trajectory.projection_paths(points, s.baseline_value, s.baseline_period, deadline)
    # The sub-targets add up against the target of the region they split (a unit's parent).
    whole = s if target.region == region else standing(target, series, registry, as_of)
    years = []
    if s.kind == "cagr" and s.baseline_period is not None:
        years = trajectory.yearly_growth(points, s.baseline_period, required=s.target_raw)
    return IndicatorView(
        indicator=indicator, region=region, as_of=as_of, target=target, standing=s, deadline=deadline,
        monthly=monthly,
        points=points, paths=paths, projection=projection, fit=fit,
        attainment=_point_at(projection, o.projected_attainment),
        expected_now=(s.as_of, o.expected_linear) if o.expected_linear is not None and s.as_of else None,
        ahead_linear=_ahead(o.gap_linear, ind.higher_is_better),
        ahead_growth=_ahead(o.gap_growth, ind.higher_is_better),
        years=years, units_parent=parent, units=units,
        parent_standing=whole, coverage=subtarget_coverage(whole, registry),
    )
