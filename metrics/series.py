"""From stored observations to one value per indicator, region and month (pure, Polars).

Rules:
- two active submissions with the same figure: the later upload counts (the quality page lists them);
- a city's or the province's value is its own reported figure where one exists, otherwise the sum
  of the units that add up to it, when every one of them reported (marked `is_computed`);
- a ratio indicator with a numerator and a denominator (e.g. the STAR/ChiNext/BSE share) is
  computed from them wherever both are present.
"""

from __future__ import annotations

import polars as pl

from domain.model import Registry

SERIES_COLUMNS = ["indicator_code", "region_code", "period", "value", "is_computed", "derivation", "origin",
                  "submission_id", "file_name", "agency", "uploader", "uploaded_at"]

# How a value of record came about (the `derivation` column); decisions read this, never the origin text.
REPORTED = "reported"  # a figure in an agency's table
REGISTER = "register"  # counted or summed from a register's rows at ingest
SUMMED = "summed"  # the sum of the units of a region that did not report its own total
RATIO = "ratio"  # a ratio indicator computed from its numerator and denominator


def latest_per_key(obs: pl.DataFrame) -> pl.DataFrame:
    """One row per (indicator, region, period): the most recently uploaded."""
    return (obs.sort(["uploaded_at", "submission_id"])
            .unique(["indicator_code", "region_code", "period"], keep="last", maintain_order=True))


def _summed_parents(series: pl.DataFrame, registry: Registry, parent: str) -> pl.DataFrame:
    children = [r.code for r in registry.children(parent)]
    if not children:
        return series.clear()
    additive = [c for c, ind in registry.indicators.items() if ind.unit != "%"]
    kids = series.filter(pl.col("region_code").is_in(children) & pl.col("indicator_code").is_in(additive))
    sums = (kids.group_by(["indicator_code", "period"])
            .agg(pl.col("value").sum(), pl.len().alias("n"), pl.col("submission_id").max(),
                 pl.col("file_name").first(), pl.col("agency").first(), pl.col("uploader").first(),
                 pl.col("uploaded_at").max())
            .filter(pl.col("n") == len(children))
            .with_columns(region_code=pl.lit(parent), is_computed=pl.lit(True),
                          derivation=pl.lit(SUMMED), origin=pl.lit(f"由{len(children)}个下级地区加总")))
    have = series.filter(pl.col("region_code") == parent).select("indicator_code", "period")
    return sums.join(have, on=["indicator_code", "period"], how="anti").select(SERIES_COLUMNS)


def _ratios(series: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    out = series
    for ind in registry.indicators.values():
        if not (ind.numerator and ind.denominator):
            continue
        num = series.filter(pl.col("indicator_code") == ind.numerator)
        den = series.filter(pl.col("indicator_code") == ind.denominator).select(
            "region_code", "period", pl.col("value").alias("den"), pl.col("origin").alias("den_origin"))
        ratio = (num.join(den, on=["region_code", "period"]).filter(pl.col("den") > 0)
                 .with_columns(indicator_code=pl.lit(ind.code), value=pl.col("value") / pl.col("den") * 100,
                               is_computed=pl.lit(True), derivation=pl.lit(RATIO),
                               origin=pl.format("{} ÷ {}", pl.col("origin"), pl.col("den_origin")))
                 .select(SERIES_COLUMNS))
        keep = out.join(ratio.select("indicator_code", "region_code", "period"),
                        on=["indicator_code", "region_code", "period"], how="anti")
        out = pl.concat([keep, ratio])
    return out


def resolve(obs: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """Observations of active submissions → the value of record for each indicator, region, month."""
    if obs.is_empty():
        return pl.DataFrame(schema={c: obs.schema.get(c, pl.String) for c in SERIES_COLUMNS})
    # Stored computed figures are a register's counts and sums (loaders.tables.register_counts).
    stored = obs.with_columns(derivation=pl.when(pl.col("is_computed")).then(pl.lit(REGISTER))
                              .otherwise(pl.lit(REPORTED)))
    series = latest_per_key(stored).select(SERIES_COLUMNS)
    # Bottom-up, so that a city summed from its districts can then count towards the province.
    parents = sorted({r.parent for r in registry.regions.values() if r.parent},
                     key=lambda code: -_depth(registry, code))
    for parent in parents:
        series = pl.concat([series, _summed_parents(series, registry, parent)])
    series = _ratios(series, registry)
    return series.sort(["indicator_code", "region_code", "period"])


def _depth(registry: Registry, code: str) -> int:
    depth = 0
    while registry.regions[code].parent:
        code = registry.regions[code].parent
        depth += 1
    return depth


def months_with_data(series: pl.DataFrame) -> list:
    """Every month with at least one value, newest first."""
    return series.get_column("period").unique().sort(descending=True).to_list()
