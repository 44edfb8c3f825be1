"""Data contracts: what every load must satisfy before it can be stored, declared as dataframely schemas.

`parse_upload` runs them on whatever a file gave (even when a sheet already has errors), so a breach is
reported with the load, in Chinese, at its sheet and cell, beside the reader's own problems:

- a figure (indicator, region, month) appears once in a file;
- values are finite and never negative (every unit of the registry, 亿元 / 家 / 个 / 款 / %, measures
  something that cannot be below 0), shares lie within 0–100%, and counts (家, 个, 款) are whole numbers;
- parts ≤ whole: a unit's figure ≤ its parent's (a district ≤ the city's 合计, a 市州 ≤ the province's)
  for the same indicator and month where the file gives both; the part of a share ≤ the whole it is
  divided by (`numerator` ≤ `denominator` in data/indicators.toml, e.g. STAR/ChiNext/BSE firms ≤ listed
  firms) for the same region and month;
- a register row has a name, a finite amount that is not negative, and no date after today.

The rules live in the schemas; what a rule needs from elsewhere (the indicator's unit, the parent's
figure, the whole's figure, today) is joined onto the frame first, so each rule reads one row.
"""

from __future__ import annotations

import math
from typing import Any

import dataframely as dy
import polars as pl

from domain import clock
from domain.model import REGISTER_FIELDS, Registry
from domain.months import month_label
from loaders import messages as msg
from loaders.problems import Problem
from loaders.units import UNITS

# Relative slack for parts ≤ whole: the same figure converted from 万元 may differ from its total in the
# last binary digit; nothing an analyst could have typed is that close.
SLACK = 1e-9
# Units that count things (家, 户, 个, 款, …): a count is a whole number.
COUNT_UNITS = [unit for unit, (dimension, _) in UNITS.items() if dimension == "count"]
LISTED = 200  # breaches listed one by one per rule; the rest are counted in one line (as register_frame does)


class ObservationContract(dy.Schema):
    """Each figure a file gives, with what its rules compare it to."""

    row_id = dy.UInt32()  # which row of the frame: a failure is joined back to where the figure was read
    indicator_code = dy.String(primary_key=True)
    region_code = dy.String(primary_key=True)
    period = dy.Date(primary_key=True)
    value = dy.Float64(min=0.0)  # finite (no NaN, no infinity) and never negative
    unit = dy.String()
    # The file's figure for the region's parent (a district's city), same indicator and month.
    total = dy.Float64(nullable=True, allow_nan=True, allow_inf=True)
    # The file's figure of the indicator this one is a part of (a share's denominator), same region and month.
    whole = dy.Float64(nullable=True, allow_nan=True, allow_inf=True)

    @dy.rule()
    def share_within_100(cls) -> pl.Expr:
        return (pl.col("unit") != "%") | (pl.col("value") <= 100.0)

    @dy.rule()
    def count_is_whole(cls) -> pl.Expr:
        return ~pl.col("unit").is_in(COUNT_UNITS) | (pl.col("value") == pl.col("value").round(0))

    @dy.rule()
    def part_within_total(cls) -> pl.Expr:
        return pl.col("value") <= pl.col("total") * (1 + SLACK)

    @dy.rule()
    def part_within_whole(cls) -> pl.Expr:
        return pl.col("value") <= pl.col("whole") * (1 + SLACK)


class RegisterContract(dy.Schema):
    """Each row of a register (institutions, funds, seed firms), its amount and date under common names."""

    origin = dy.String(primary_key=True)  # sheet!cell of the row's name
    row_no = dy.Int32()
    name = dy.String()
    amount = dy.Float64(nullable=True, min=0.0)
    dated = dy.Date(nullable=True)
    today = dy.Date()

    @dy.rule()
    def dated_by_today(cls) -> pl.Expr:
        return pl.col("dated") <= pl.col("today")


# The rules (dataframely names a column's own checks "column|check"), in the order a row's failures are
# reported. A value that is no number (NaN, infinity) is reported once, by its first failure: it fails the
# comparisons too, and saying so again would say nothing.
_NOT_FINITE_RULES = ("value|nan", "value|inf")
_OBSERVATION_RULES = ("value|nan", "value|inf", "value|min", "share_within_100", "count_is_whole", "primary_key",
                      "part_within_total", "part_within_whole")
_REGISTER_RULES = ("amount|nan", "amount|inf", "amount|min", "dated_by_today", "name|nullability", "primary_key")

_KEY = ["indicator_code", "region_code", "period"]


def check(observations: pl.DataFrame, registers: dict[str, pl.DataFrame], registry: Registry,
          file_name: str) -> list[Problem]:
    """Every breach of the contracts by a file's figures and register rows, as errors."""
    problems = []
    register_sheets: set[str] = set()
    for table, frame in registers.items():
        found = _register_problems(table, frame, registry, file_name)
        problems += found
        register_sheets |= {p.sheet for p in found}
    # A register's counts and sums inherit its rows' faults (a NaN amount makes a NaN total): those rows are
    # reported once, above, where they are.
    figures = observations.filter(~(pl.col("is_computed") & pl.col("sheet").is_in(list(register_sheets))))
    return _observation_problems(figures, registry, file_name) + problems


# -- figures -------------------------------------------------------------------------------------------------


def _registry_frames(registry: Registry) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    indicators = pl.DataFrame({"indicator_code": list(registry.indicators),
                               "unit": [i.unit for i in registry.indicators.values()]})
    regions = pl.DataFrame({"region_code": list(registry.regions),
                            "parent": [r.parent or None for r in registry.regions.values()]},
                           schema={"region_code": pl.String, "parent": pl.String})
    shares = [i for i in registry.indicators.values() if i.unit == "%" and i.numerator and i.denominator]
    parts = pl.DataFrame({"indicator_code": [i.numerator for i in shares],
                          "whole_code": [i.denominator for i in shares]},
                         schema={"indicator_code": pl.String, "whole_code": pl.String})
    return indicators, regions, parts


def _place(sheet: pl.Expr, cell: pl.Expr, origin: pl.Expr) -> pl.Expr:
    """Where a figure was read, as the analyst finds it: 工作表“Sheet1”B7, or a register's description."""
    return pl.when(cell.is_not_null() & (cell != "")).then(pl.format("工作表“{}”{}", sheet, cell)).otherwise(origin)


def observation_frame(observations: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """The figures with what their rules read: unit, the parent's figure (`total`), the whole's (`whole`)."""
    indicators, regions, parts = _registry_frames(registry)
    figures = (observations.with_row_index("row_id")
               .with_columns(place=_place(pl.col("sheet"), pl.col("cell"), pl.col("origin"))))
    once = figures.unique(subset=_KEY, keep="first", maintain_order=True).select(*_KEY, "value", "place")
    totals = once.rename({"region_code": "parent", "value": "total", "place": "total_place"})
    wholes = once.rename({"indicator_code": "whole_code", "value": "whole", "place": "whole_place"})
    return (figures
            .join(indicators, on="indicator_code", how="left")
            .join(regions, on="region_code", how="left")
            .join(parts, on="indicator_code", how="left")
            .join(totals, on=["indicator_code", "parent", "period"], how="left")
            .join(wholes, on=["whole_code", "region_code", "period"], how="left")
            # a rate's total is not the sum of the units' rates: parts ≤ whole is for amounts and counts
            .with_columns(total=pl.when(pl.col("unit") != "%").then(pl.col("total"))))


def _observation_problems(observations: pl.DataFrame, registry: Registry, file_name: str) -> list[Problem]:
    if observations.is_empty():
        return []
    frame = observation_frame(observations, registry)
    _, failure = ObservationContract.filter(frame)
    failed = _failed_rules(failure.details(), _OBSERVATION_RULES, _NOT_FINITE_RULES)
    if failed.is_empty():
        return []
    failed = failed.select("row_id", "rule").join(frame, on="row_id", how="left")
    # Each repeated figure names the other places it is given.
    failed = failed.with_columns(repeats=pl.col("place").unique(maintain_order=True).implode().over(_KEY))
    listed, more = _listed(failed, "row_id", file_name)  # in the order the figures were read
    return [Problem("error", file_name, row["sheet"] or "", row["cell"] or "", _number(row["value"], grouped=False),
                    _observation_message(row, registry))
            for row in listed.iter_rows(named=True)] + more


def _observation_message(row: dict[str, Any], registry: Registry) -> str:
    indicator = registry.indicators[row["indicator_code"]]
    region = registry.regions[row["region_code"]].name if row["region_code"] in registry.regions else row["region_code"]
    value, unit = _number(row["value"]), indicator.unit
    match row["rule"]:
        case "value|nan" | "value|inf":
            return msg.NOT_FINITE
        case "value|min":
            return msg.negative_value(indicator.name_zh, f"{value}{unit}")
        case "share_within_100":
            return msg.share_over_100(indicator.name_zh, value)
        case "count_is_whole":
            return msg.count_not_whole(indicator.name_zh, f"{value}{unit}")
        case "primary_key":
            others = "、".join(p for p in row["repeats"] if p != row["place"]) or row["place"]
            return msg.repeated_figure(region, indicator.name_zh, month_label(row["period"]), f"另见{others}")
        case "part_within_total":
            return msg.part_over_total(region, indicator.name_zh, f"{value}{unit}", registry.regions[row["parent"]].name,
                                       f"{_number(row['total'])}{unit}", row["total_place"])
        case _:  # part_within_whole
            whole = registry.indicators[row["whole_code"]]
            return msg.part_over_whole(region, indicator.name_zh, f"{value}{unit}", whole.name_zh,
                                       f"{_number(row['whole'])}{whole.unit}", row["whole_place"])


# -- registers ---------------------------------------------------------------------------------------------


def register_frame(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """A register's rows under the contract's names: its amount (规模) and its date, whatever the table calls them."""
    fields = REGISTER_FIELDS[table]
    money = next((f for f, kind in fields.items() if kind == "money"), None)
    date = next((f for f, kind in fields.items() if kind == "date"), None)
    return frame.select(
        "origin", "row_no", "name",
        (pl.col(money) if money else pl.lit(None, dtype=pl.Float64)).alias("amount"),
        (pl.col(date) if date else pl.lit(None, dtype=pl.Date)).alias("dated"),
        pl.lit(clock.today(), dtype=pl.Date).alias("today"),
    )


def _register_problems(table: str, frame: pl.DataFrame, registry: Registry, file_name: str) -> list[Problem]:
    if frame.is_empty():
        return []
    _, failure = RegisterContract.filter(register_frame(table, frame))
    failed = _failed_rules(failure.details(), _REGISTER_RULES, ("amount|nan", "amount|inf"))
    spec = registry.registers[table]
    fields = REGISTER_FIELDS[table]
    label = {kind: spec.columns[f][0] for f, kind in fields.items() if spec.columns.get(f)}
    listed, more = _listed(failed, "row_no", file_name)
    out = []
    for row in listed.iter_rows(named=True):
        sheet, _, cell = row["origin"].rpartition("!")
        if row["rule"].startswith("amount|"):
            value = _number(row["amount"])
            message = msg.register_amount_refused(row["row_no"], label.get("money", "规模"), value)
        elif row["rule"] == "dated_by_today":
            value = row["dated"].isoformat()
            message = msg.register_date_in_future(row["row_no"], label.get("date", "日期"), value,
                                                  row["today"].isoformat())
        else:  # a row without a name, or listed twice: the readers never let one through
            value, message = row["name"] or "", msg.NO_NAME
        out.append(Problem("error", file_name, sheet, cell, msg.excerpt(value), message))
    return out + more


# -- shared ------------------------------------------------------------------------------------------------


def _failed_rules(details: pl.DataFrame, rules: tuple[str, ...], not_finite: tuple[str, ...]) -> pl.DataFrame:
    """One row per (row, failed rule), in the order of `rules`. A value that is no number (NaN, infinity)
    also fails the comparisons: such a row gets one line, its first failure."""
    present = [r for r in rules if r in details.columns]
    keep = [c for c in details.columns if c not in rules and "|" not in c]  # the data, not the rule outcomes
    if details.is_empty() or not present:
        return details.select(keep).with_columns(rule=pl.lit(None, dtype=pl.String)).clear()
    finite = [r for r in not_finite if r in details.columns]
    return (details.with_row_index("_row")
            .with_columns(_not_finite=pl.any_horizontal(pl.col(r) == "invalid" for r in finite) if finite
                          else pl.lit(False))
            .unpivot(on=present, index=[*keep, "_row", "_not_finite"], variable_name="rule", value_name="outcome")
            .filter(pl.col("outcome").cast(pl.String) == "invalid")
            .with_columns(order=pl.col("rule").replace_strict({r: i for i, r in enumerate(present)},
                                                             return_dtype=pl.Int32),
                          same=pl.when(pl.col("_not_finite")).then(pl.lit("")).otherwise(pl.col("rule")))
            .sort("_row", "order")
            .unique(subset=["_row", "same"], keep="first", maintain_order=True)
            .drop("_row", "_not_finite", "outcome", "order", "same"))


def _listed(failed: pl.DataFrame, order: str, file_name: str) -> tuple[pl.DataFrame, list[Problem]]:
    """The first LISTED breaches of each rule, in `order`, and a line counting each rule's breaches beyond."""
    counted = failed.sort(order).with_columns(n=pl.len().over("rule"), k=pl.int_range(pl.len()).over("rule"))
    beyond = counted.filter(pl.col("n") > LISTED).group_by("rule", maintain_order=True).agg(pl.first("n"))
    return (counted.filter(pl.col("k") < LISTED).drop("n", "k"),
            [Problem("error", file_name, "", "", "", msg.more_of_the_same(n, LISTED)) for n in beyond["n"]])


def _number(value: float | None, *, grouped: bool = True) -> str:
    """A figure as a message quotes it, without float noise: 1,234.5, 0.123457, -3 (`grouped`: with thousands
    separators, as in a sentence; without, as in the 值 column beside the reader's own problems)."""
    if value is None:
        return ""
    if math.isnan(value) or math.isinf(value):
        return str(value)
    text = (f"{value:,.6f}" if grouped else f"{value:.6f}").rstrip("0").rstrip(".")
    return msg.excerpt(text)
