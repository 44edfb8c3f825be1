"""How fresh and how complete a target's figure is: the month it is for (数据截至), the day its latest source was
uploaded (报送于), and, where the figure's units report it too, how many of them have for that month (14/16个单位已
报送: the total may then be incomplete). Pure functions over the resolved series and a standing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from domain.model import Registry
from metrics import districts
from metrics.standing import Standing


@dataclass(frozen=True)
class Freshness:
    data_month: dt.date | None
    """The month the figure is for (数据截至)."""
    reported_on: dt.date | None
    """The day the latest of its sources was uploaded (报送于)."""
    units_reported: int | None = None
    """Units of the figure's region with a value for `data_month`; None when its units do not report it."""
    units_expected: int | None = None

    @property
    def incomplete(self) -> bool:
        return self.units_expected is not None and (self.units_reported or 0) < self.units_expected


def freshness(s: Standing, series: pl.DataFrame, registry: Registry) -> Freshness:
    reported_on = max((src.uploaded_at for src in s.sources), default=None)
    out = Freshness(data_month=s.as_of, reported_on=reported_on.date() if reported_on else None)
    if s.as_of is None or not registry.children(s.region_code):
        return out
    table = districts.district_table(series, registry, s.indicator_code, s.as_of, s.region_code)
    month = districts.reference_month(series, registry, s.indicator_code, s.as_of, s.region_code)
    if table.is_empty() or month != s.as_of:  # the units do not report this figure (or not for this month)
        return out
    reported, expected = districts.reporting_count(table)
    return Freshness(out.data_month, out.reported_on, reported, expected)
