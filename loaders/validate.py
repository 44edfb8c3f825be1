"""Checks of a parsed upload against what the database already holds (pure; warnings only).

- a value that moved more than 50% from the previous month (a unit mix-up: 万元 typed as 亿元);
- a unit that reported an indicator last month but is missing from this month's file.
Warnings never block an upload: the analyst reads them in the report and may go ahead.
"""

from __future__ import annotations

import polars as pl

from domain.model import Registry
from domain.months import add_months, month_label
from loaders import messages as msg
from loaders.problems import Problem

JUMP_LIMIT = 0.5
COUNT_NOISE = 5  # 2 → 3 firms is +50% but no sign of an error: counts must also move by this many


def history_warnings(new: pl.DataFrame, current: pl.DataFrame, registry: Registry, file_name: str) -> list[Problem]:
    """`new`: the upload's observations; `current`: the stored series (indicator, region, period, value)."""
    if new.is_empty() or current.is_empty():
        return []
    out: list[Problem] = []
    prev = current.select("indicator_code", "region_code", "period", pl.col("value").alias("prev_value"))
    # Counts made from a register by district are small numbers; their totals are checked instead.
    wholes = [code for code in registry.regions if registry.is_whole(code)]
    checked = new.filter(~pl.col("is_computed") | pl.col("region_code").is_in(wholes))
    shifted = checked.with_columns(prev_period=pl.col("period").map_elements(lambda d: add_months(d, -1), return_dtype=pl.Date))
    joined = shifted.join(prev, left_on=["indicator_code", "region_code", "prev_period"],
                          right_on=["indicator_code", "region_code", "period"], how="inner")
    for row in joined.iter_rows(named=True):
        old, value = row["prev_value"], row["value"]
        ind = registry.indicators[row["indicator_code"]]
        if old == 0 or abs(value - old) / abs(old) <= JUMP_LIMIT:
            continue
        if ind.unit in ("家", "个", "款") and abs(value - old) < COUNT_NOISE:
            continue
        region = registry.regions[row["region_code"]].name
        # Where the figure was read (a computed one, a register's count, has no cell of its own).
        sheet, cell = (row["sheet"], row["cell"]) if row.get("cell") else ("", "")
        out.append(Problem("warning", file_name, sheet, cell, f"{value:,.4g}",
                           msg.jumped(region, ind.name_zh, ind.unit, month_label(row["prev_period"]), old, value,
                                      JUMP_LIMIT)))

    # Units present last month, missing now: only for indicators this file reports by unit.
    reported = new.filter(~pl.col("is_computed")) if "is_computed" in new.columns else new
    for (code, period), group in reported.group_by(["indicator_code", "period"]):
        regions = set(group["region_code"])
        parents = {registry.regions[r].parent for r in regions} - {""}
        for parent in parents:
            units = {r.code for r in registry.children(parent)}
            if not regions & units:
                continue
            before = set(prev.filter((pl.col("indicator_code") == code) & (pl.col("period") == add_months(period, -1))
                                     & pl.col("region_code").is_in(list(units)))["region_code"])
            ind = registry.indicators[code]
            for missing in sorted(before - regions):
                out.append(Problem("warning", file_name, "", "", registry.regions[missing].name,
                                   msg.unit_missing(registry.regions[missing].name, ind.name_zh)))
    return out


def preview(new: pl.DataFrame, current: pl.DataFrame, replaced: pl.DataFrame | None = None) -> pl.DataFrame:
    """What a confirmed upload changes: 新增 / 修改 (old → new) / 不变, and 撤下 for figures of the
    submission it supersedes that the new file no longer carries."""
    keys = ["indicator_code", "region_code", "period"]
    old = current.select(*keys, pl.col("value").alias("old_value"))
    out = (new.select(*keys, pl.col("value").alias("new_value"))
           .join(old, on=keys, how="left")
           .with_columns(change=pl.when(pl.col("old_value").is_null()).then(pl.lit("新增"))
                         .when((pl.col("new_value") - pl.col("old_value")).abs()
                               <= 1e-9 * pl.max_horizontal(pl.col("old_value").abs(), pl.lit(1.0)))
                         .then(pl.lit("不变")).otherwise(pl.lit("修改"))))
    if replaced is not None and not replaced.is_empty():
        dropped = (replaced.select(*keys, pl.col("value").alias("old_value"))
                   .join(new.select(keys), on=keys, how="anti")
                   .with_columns(new_value=pl.lit(None, dtype=pl.Float64), change=pl.lit("撤下")))
        out = pl.concat([out, dropped.select(out.columns)])
    order = {"修改": 0, "新增": 1, "撤下": 2, "不变": 3}
    return out.sort(pl.col("change").replace_strict(order, return_dtype=pl.Int8), *keys)
