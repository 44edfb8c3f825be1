"""Each unit's own series of an indicator, as the units are compared and judged (pure, Polars).

Units are the regions that sum to a parent (Wuhan's 16 reporting units, Hubei's 17 市州). Two things
make a unit's figures differ from the raw series, both for indicators counted from a register only
(data/registers.toml `yields`):
- a complete citywide register lists every member: when the parent's value in a month is that
  register's total, a unit with no row in it has 0 (`listed_zero`, origin …：名录中无该单位), not 未报送;
- rows of a region reported by a unit (汉南区 → 武汉经开区, regions.toml `reported_by`) count for that unit.
"""

from __future__ import annotations

import polars as pl

from domain.model import Registry
from metrics.series import REGISTER, SERIES_COLUMNS


def unit_series(series: pl.DataFrame, registry: Registry, indicator: str, parent: str) -> pl.DataFrame:
    """The series of `indicator` for each unit of `parent` (SERIES_COLUMNS + listed_zero), all months.

    Adds the zeros that a complete citywide register implies, and folds regions reported by a unit
    into it, for register-derived indicators only (see the module docstring).
    """
    units = [r.code for r in registry.children(parent)]
    own = (series.filter((pl.col("indicator_code") == indicator) & pl.col("region_code").is_in(units))
           .select(SERIES_COLUMNS).with_columns(listed_zero=pl.lit(False)))
    if not any(y.indicator == indicator for spec in registry.registers.values() for y in spec.yields):
        return own
    from_register = pl.col("derivation") == REGISTER
    # 汉南区's rows count for 武汉经开区: the register lists firms by where they are, the unit reports them.
    folded_codes = {r.code: r.reported_by for r in registry.regions.values() if r.reported_by in units}
    if folded_codes:
        folded = (series.filter((pl.col("indicator_code") == indicator) & pl.col("region_code").is_in(list(folded_codes))
                                & from_register)
                  .with_columns(pl.col("region_code").replace_strict(folded_codes)).select(SERIES_COLUMNS))
        merged = pl.concat([own.drop("listed_zero"), folded])
        own = (merged.group_by(["region_code", "period"], maintain_order=True)
               .agg(pl.col("value").sum(), *[pl.col(c).first() for c in SERIES_COLUMNS
                                             if c not in ("region_code", "period", "value")])
               .select(SERIES_COLUMNS).with_columns(listed_zero=pl.lit(False)))
    totals = series.filter((pl.col("indicator_code") == indicator) & (pl.col("region_code") == parent) & from_register)
    if totals.is_empty():
        return own.sort(["region_code", "period"])
    grid = totals.select(pl.exclude("region_code")).join(pl.DataFrame({"region_code": units}), how="cross")
    absent = grid.join(own.select("region_code", "period"), on=["region_code", "period"], how="anti")
    zeros = absent.with_columns(value=pl.lit(0.0), origin=pl.col("origin") + "：名录中无该单位",
                                listed_zero=pl.lit(True)).select([*SERIES_COLUMNS, "listed_zero"])
    return pl.concat([own, zeros]).sort(["region_code", "period"])
