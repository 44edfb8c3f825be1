"""Each unit's part of a city's (or the province's) figure: value, share, growth, rank, sub-target (pure, Polars).

`parent` P is a region whose units sum to it (`registry.children(P)`: Wuhan's 16 reporting units,
Hubei's 17 市州). For an indicator i and a requested month `as_of`:

- reference month m: the latest month ≤ as_of in which any unit of P has a value of i. Units are
  compared on that one month; a unit without a value in m is 未报送 (value null, never 0), even if
  it reported earlier.
- value_u: the unit's value of record in m (metrics.series.resolve). One exception, because it is
  not a missing report: indicators counted or summed from a register (data/registers.toml
  `yields`) come from one citywide list; when P's value in a month is that register's total, a
  unit with no row in the list has 0 (note 名录中无该单位). Rows of a region reported by a unit
  (汉南区 → 武汉经开区, regions.toml `reported_by`) are added to that unit. A ratio whose
  denominator the unit reported as 0 stays null, with a note saying so (it is not 未报送).
- share_u = value_u / value_P(m). Only for additive indicators (unit other than %), as in
  metrics.series; null when P has no value in m.
- yoy_u = value_u(m) / value_u(m − 12 months) − 1, a fraction (−0.05 is a 5% fall); null when
  either is missing or the earlier value is not positive.
- yoy_points_u = value_u(m) − value_u(m − 12 months), for % indicators only (a share's change reads
  in percentage points, 个百分点; null for other indicators). `growth_key` names the column a
  growth view should use.
- change_ytd_u = value_u(m) − value_u(December before m).
- contribution_u = change_ytd_u / change_ytd_P (additive indicators; null when P's change is 0 or
  unknown). When P's value is the sum of its units in both months, the contributions sum to 1.
- rank_u: 1 = the largest value among units with a value (ties share the better rank); null for
  a unit that did not report.
- subtarget_u = registry.subtargets[target][u], where target is P's target on i (targets.toml
  [[subtarget]]); subtarget_completion_u = value_u / subtarget_u.
- status_u: metrics.standing.standing of the unit's own series against a level target of
  subtarget_u (P's target's deadline, comparator and baseline date); null without a sub-target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from domain.model import Registry, Target
from domain.months import add_months, month_end
from metrics.series import SERIES_COLUMNS
from metrics.standing import standing, unit_target
from metrics.units import unit_series

TABLE_COLUMNS = ["region_code", "region_name", "value", "period", "share", "yoy", "change_ytd", "contribution",
                 "rank", "subtarget", "subtarget_completion", "status", "note", "yoy_points"]
HISTORY_MONTHS = 24


# -- the units' own series -------------------------------------------------------------------------


def reference_month(series: pl.DataFrame, registry: Registry, indicator: str, as_of: dt.date,
                    parent: str) -> dt.date | None:
    """m: the latest month ≤ as_of with any unit's value of `indicator`."""
    units = [r.code for r in registry.children(parent)]
    months = series.filter((pl.col("indicator_code") == indicator) & pl.col("region_code").is_in(units)
                           & (pl.col("period") <= as_of)).get_column("period")
    return months.max() if len(months) else None  # type: ignore[return-value]


def _value_at(frame: pl.DataFrame, day: dt.date) -> dict[str, float]:
    return dict(frame.filter(pl.col("period") == day).select("region_code", "value").iter_rows())


def _parent_value(series: pl.DataFrame, indicator: str, parent: str, day: dt.date) -> float | None:
    row = series.filter((pl.col("indicator_code") == indicator) & (pl.col("region_code") == parent)
                        & (pl.col("period") == day))
    return row["value"][0] if row.height else None


def subtargets_of(registry: Registry, target: Target | None) -> dict[str, float]:
    """Region code → sub-target of `target` (targets.toml [[subtarget]])."""
    return {} if target is None else dict(registry.subtargets.get(target.id, {}))


# -- the table ---------------------------------------------------------------------------------------


def _ratio(num: float | None, den: float | None) -> float | None:
    return None if num is None or den is None or den == 0 else num / den


def district_table(series: pl.DataFrame, registry: Registry, indicator: str, as_of: dt.date,
                   parent: str) -> pl.DataFrame:
    """One row per unit of `parent` in registry order; columns TABLE_COLUMNS (formulas: module docstring)."""
    units = registry.children(parent)
    additive = registry.indicators[indicator].unit != "%"
    own = unit_series(series, registry, indicator, parent)
    m = reference_month(series, registry, indicator, as_of, parent)
    now = _value_at(own, m) if m else {}
    zero_listed = set(own.filter(pl.col("listed_zero") & (pl.col("period") == m))["region_code"]) if m else set()
    year_ago = _value_at(own, add_months(m, -12)) if m else {}
    december = _value_at(own, month_end(m.year - 1, 12)) if m else {}
    p_now = _parent_value(series, indicator, parent, m) if m else None
    p_dec = _parent_value(series, indicator, parent, month_end(m.year - 1, 12)) if m else None
    p_change = None if p_now is None or p_dec is None else p_now - p_dec
    reported = list(now.values())
    target = registry.target_of(indicator, parent)
    subs = subtargets_of(registry, target)
    notes = {code: "名录中无该单位" for code in zero_listed} | (_zero_denominators(series, registry, indicator, m, parent)
                                                          if m else {})

    rows = []
    for unit in units:
        value = now.get(unit.code)
        before, dec = year_ago.get(unit.code), december.get(unit.code)
        change = None if value is None or dec is None else value - dec
        sub = subs.get(unit.code)
        status = None
        if value is not None and sub is not None and target is not None:
            status = standing(unit_target(target, unit.code, registry), own.filter(pl.col("region_code") == unit.code)
                              .select(SERIES_COLUMNS), registry, as_of).status
        rows.append({
            "region_code": unit.code, "region_name": unit.name, "value": value,
            "period": m if value is not None else None,
            "share": _ratio(value, p_now) if additive else None,
            "yoy": None if value is None or before is None or before <= 0 else value / before - 1,
            "change_ytd": change,
            "contribution": _ratio(change, p_change) if additive else None,
            "rank": None if value is None else 1 + sum(v > value for v in reported),
            "subtarget": sub, "subtarget_completion": _ratio(value, sub), "status": status,
            "note": notes.get(unit.code),
            "yoy_points": None if additive or value is None or before is None else value - before,
        })
    schema = {"region_code": pl.String, "region_name": pl.String, "value": pl.Float64, "period": pl.Date,
              "share": pl.Float64, "yoy": pl.Float64, "change_ytd": pl.Float64, "contribution": pl.Float64,
              "rank": pl.Int64, "subtarget": pl.Float64, "subtarget_completion": pl.Float64, "status": pl.String,
              "note": pl.String, "yoy_points": pl.Float64}
    return pl.DataFrame(rows, schema=schema)


def growth_key(registry: Registry, indicator: str) -> str:
    """The district_table column a growth view shows: yoy, or yoy_points for a % indicator."""
    return "yoy_points" if registry.indicators[indicator].unit == "%" else "yoy"


def _zero_denominators(series: pl.DataFrame, registry: Registry, indicator: str, m: dt.date,
                       parent: str) -> dict[str, str]:
    """Units whose ratio is undefined because they reported its denominator as 0."""
    ind = registry.indicators[indicator]
    if not ind.denominator:
        return {}
    units = [r.code for r in registry.children(parent)]
    zero = series.filter((pl.col("indicator_code") == ind.denominator) & (pl.col("period") == m)
                         & pl.col("region_code").is_in(units) & (pl.col("value") == 0))
    label = f"{registry.indicators[ind.denominator].short_zh}为0，无法计算"
    return dict.fromkeys(zero.get_column("region_code").to_list(), label)


def unit_average(table: pl.DataFrame) -> float | None:
    """The mean of the units that reported (the ranking's reference line, 各单位平均)."""
    values = table.get_column("value").drop_nulls()
    return float(values.mean()) if len(values) else None  # type: ignore[arg-type]


def parent_growth(series: pl.DataFrame, registry: Registry, indicator: str, as_of: dt.date,
                  parent: str) -> float | None:
    """The parent's own y/y growth in the reference month, in growth_key's terms (a fraction, or
    percentage points for a % indicator): the growth ranking's reference line."""
    m = reference_month(series, registry, indicator, as_of, parent)
    if m is None:
        return None
    now = _parent_value(series, indicator, parent, m)
    before = _parent_value(series, indicator, parent, add_months(m, -12))
    if now is None or before is None:
        return None
    if growth_key(registry, indicator) == "yoy_points":
        return now - before
    return None if before <= 0 else now / before - 1


def missing_units(table: pl.DataFrame) -> list[str]:
    """Names of the units that did not report (未报送), in registry order."""
    return table.filter(pl.col("value").is_null() & pl.col("note").is_null())["region_name"].to_list()


def noted_units(table: pl.DataFrame) -> list[tuple[str, str]]:
    """(name, why) for units without a value for a reason other than not reporting."""
    return table.filter(pl.col("value").is_null() & pl.col("note").is_not_null()).select("region_name", "note").rows()


def unit_row(table: pl.DataFrame, region_code: str) -> dict:
    """One unit's row of a district_table, as a dict."""
    return table.filter(pl.col("region_code") == region_code).row(0, named=True)


def reporting_count(table: pl.DataFrame) -> tuple[int, int]:
    """(units with a value, all units)."""
    return table.get_column("value").is_not_null().sum(), table.height


# -- several indicators, several months ----------------------------------------------------------------


def indicators_with_units(series: pl.DataFrame, registry: Registry, parent: str) -> list[str]:
    """Indicators (registry order) that at least one unit of `parent` has a value for."""
    units = [r.code for r in registry.children(parent)]
    have = set(series.filter(pl.col("region_code").is_in(units)).get_column("indicator_code").unique())
    return [code for code in registry.indicators if code in have]


def unit_histories(series: pl.DataFrame, registry: Registry, indicator: str, as_of: dt.date,
                   parent: str, months: int = HISTORY_MONTHS) -> pl.DataFrame:
    """Small multiples: each unit's last `months` values up to the reference month, units ordered by
    their latest value (largest first; units without one last, in registry order).

    Columns: region_code, region_name, order (0 = first panel), period, value (null rows for units
    with no history, so every unit gets a panel).
    """
    table = district_table(series, registry, indicator, as_of, parent)
    order = (table.with_row_index("reg_order")
             .sort([pl.col("value").is_null(), pl.col("value"), pl.col("reg_order")], descending=[False, True, False])
             .with_row_index("order").select("region_code", "region_name", pl.col("order").cast(pl.Int64)))
    m = reference_month(series, registry, indicator, as_of, parent)
    own = unit_series(series, registry, indicator, parent)
    if m is None:
        return order.with_columns(period=pl.lit(None, pl.Date), value=pl.lit(None, pl.Float64))
    start = add_months(m, -months)
    hist = own.filter((pl.col("period") > start) & (pl.col("period") <= m)).select("region_code", "period", "value")
    return (order.join(hist, on="region_code", how="left").sort(["order", "period"], nulls_last=True))


def heat_matrix(series: pl.DataFrame, registry: Registry, indicators: Iterable[str], as_of: dt.date,
                parent: str, measure: str = "yoy") -> pl.DataFrame:
    """Unit × indicator, long form: region_code, region_name, indicator_code, measure, in_points,
    value, period, note. measure: yoy (for a % indicator its change in points ÷ 100, flagged
    in_points, so that it shares the growth colours) or subtarget_completion. Units in registry
    order, indicators as given."""
    if measure not in ("yoy", "subtarget_completion"):
        raise ValueError(f"unknown measure {measure}")
    parts = []
    for code in indicators:
        t = district_table(series, registry, code, as_of, parent)
        points = measure == "yoy" and growth_key(registry, code) == "yoy_points"
        shown = pl.col("yoy_points") / 100 if points else pl.col(measure)
        parts.append(t.select("region_code", "region_name", pl.lit(code).alias("indicator_code"),
                              shown.alias("measure"), pl.lit(points).alias("in_points"), "value", "period", "note"))
    if not parts:
        return pl.DataFrame(schema={"region_code": pl.String, "region_name": pl.String, "indicator_code": pl.String,
                                    "measure": pl.Float64, "in_points": pl.Boolean, "value": pl.Float64,
                                    "period": pl.Date,
                                    "note": pl.String})
    return pl.concat(parts)


def unit_profile(series: pl.DataFrame, registry: Registry, region_code: str, as_of: dt.date,
                 parent: str, months: int = HISTORY_MONTHS) -> pl.DataFrame:
    """One unit on every indicator its peers report: one row per indicator (registry order) with
    indicator_code, value, period, yoy, yoy_points, share, rank, n_ranked (units with a value), subtarget,
    subtarget_completion, status, note, history (the unit's values, oldest first, over the
    last `months` months up to the reference month)."""
    rows = []
    for code in indicators_with_units(series, registry, parent):
        t = district_table(series, registry, code, as_of, parent)
        me = t.filter(pl.col("region_code") == region_code).row(0, named=True)
        hist = unit_histories(series, registry, code, as_of, parent, months).filter(
            (pl.col("region_code") == region_code) & pl.col("value").is_not_null())
        rows.append({"indicator_code": code, "value": me["value"], "period": me["period"], "yoy": me["yoy"],
                     "yoy_points": me["yoy_points"],
                     "share": me["share"], "rank": me["rank"], "n_ranked": reporting_count(t)[0],
                     "subtarget": me["subtarget"], "subtarget_completion": me["subtarget_completion"],
                     "status": me["status"], "note": me["note"],
                     "history": hist.get_column("value").to_list()})
    schema = {"indicator_code": pl.String, "value": pl.Float64, "period": pl.Date, "yoy": pl.Float64,
              "yoy_points": pl.Float64, "share": pl.Float64, "rank": pl.Int64, "n_ranked": pl.Int64, "subtarget": pl.Float64,
              "subtarget_completion": pl.Float64, "status": pl.String, "note": pl.String,
              "history": pl.List(pl.Float64)}
    return pl.DataFrame(rows, schema=schema)
