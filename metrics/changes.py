"""One indicator's monthly values as counted against the plans, with month-on-month and year-on-year changes.

- Stocks, counts and ratios count at their month-end value.
- Flows (indicators.toml kind = "flow", e.g. 科创债发行规模) are reported per month and count year to
  date: YTD(t) = the sum of the reported months of t's calendar year up to t. A month not reported adds
  nothing, so a year with gaps understates its total (the table shows which months are there).
- m/m change: v(t) − v(t − 1 month), and relative v(t) / v(t − 1) − 1; y/y: against t − 12 months.
  Either is empty when the earlier month is not reported (never bridged over a gap), and the relative
  change is empty when the earlier value is not positive. For % indicators the change is read in
  percentage points (the absolute column).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.months import add_months

TABLE_COLUMNS = ["period", "value", "mom", "mom_rel", "yoy", "yoy_rel", "is_computed", "derivation", "origin", "agency",
                 "file_name", "uploaded_at"]


def year_to_date(rows: pl.DataFrame) -> pl.DataFrame:
    """A flow's monthly amounts (one indicator and region) → the year-to-date sums, month by month."""
    return (rows.sort("period")
            .with_columns(pl.col("value").cum_sum().over(pl.col("period").dt.year()).alias("value")))


def measured(rows: pl.DataFrame, kind: str) -> pl.DataFrame:
    """The values that count against a target: year to date for a flow, as reported otherwise."""
    return year_to_date(rows) if kind == "flow" else rows.sort("period")


def own_rows(series: pl.DataFrame, indicator: str, region: str, as_of: dt.date, kind: str) -> pl.DataFrame:
    """One indicator and region up to `as_of`, oldest first, as counted (see `measured`)."""
    rows = series.filter((pl.col("indicator_code") == indicator) & (pl.col("region_code") == region)
                         & (pl.col("period") <= as_of))
    return measured(rows, kind)


def _shifted(rows: pl.DataFrame, months: int, name: str) -> pl.DataFrame:
    """Each row's value, keyed by the month `months` later, to join back as the earlier value."""
    later = [add_months(d, months) for d in rows.get_column("period").to_list()]
    return pl.DataFrame({"period": pl.Series(later, dtype=pl.Date), name: rows.get_column("value")})


def monthly_table(series: pl.DataFrame, indicator: str, region: str, as_of: dt.date, kind: str) -> pl.DataFrame:
    """Every reported month up to `as_of`, newest first, with m/m and y/y changes and where it came from."""
    rows = own_rows(series, indicator, region, as_of, kind)
    if rows.is_empty():
        return pl.DataFrame(schema={"period": pl.Date, "value": pl.Float64, "mom": pl.Float64,
                                    "mom_rel": pl.Float64, "yoy": pl.Float64, "yoy_rel": pl.Float64,
                                    "is_computed": pl.Boolean, "derivation": pl.String, "origin": pl.String,
                                    "agency": pl.String,
                                    "file_name": pl.String, "uploaded_at": pl.Datetime("us")})
    out = (rows.join(_shifted(rows, 1, "prev"), on="period", how="left")
           .join(_shifted(rows, 12, "year_ago"), on="period", how="left")
           .with_columns(mom=pl.col("value") - pl.col("prev"), yoy=pl.col("value") - pl.col("year_ago"),
                         mom_rel=pl.when(pl.col("prev") > 0).then(pl.col("value") / pl.col("prev") - 1),
                         yoy_rel=pl.when(pl.col("year_ago") > 0).then(pl.col("value") / pl.col("year_ago") - 1)))
    return out.select(TABLE_COLUMNS).sort("period", descending=True)
