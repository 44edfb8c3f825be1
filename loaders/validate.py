"""Checks of a parsed upload against what the database already holds (pure).

- a value that moved more than 50% from the previous month (a warning);
- a value 100 times last month's or more, or a hundredth or less: a probable unit mistake (a loud warning);
- a value 1,000 times off or more (元 or 万元 typed under a 亿元 heading: 10⁴ or 10⁸ times), against last month
  or, without one, against the indicator's usual range (the largest value stored for it, else its target):
  a `UnitDoubt` that stops the file until the analyst confirms the unit (loaders.ingest.prepare);
- a unit that reported an indicator last month but is missing from this month's file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from domain.model import Registry
from domain.months import add_months, month_label
from loaders import messages as msg
from loaders.problems import Problem

JUMP_LIMIT = 0.5
COUNT_NOISE = 5  # 2 → 3 firms is +50% but no sign of an error: counts must also move by this many
UNIT_SUSPECT = 100.0  # × or ÷ last month: a probable unit mistake, said loudly
UNIT_DOUBT = 1000.0  # × or ÷ this much: the file waits until the analyst confirms the unit (10⁴ 万元, 10⁸ 元)
# The units a figure in an indicator's unit may really have been typed in: name → how many of them make one.
CONVERSIONS = {"亿元": {"万元": 1e4, "元": 1e8}, "万元": {"元": 1e4}}


def _against_last_month(new: pl.DataFrame, current: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """The upload's figures that have a stored value a month earlier (`prev_value`, `prev_period`)."""
    prev = current.select("indicator_code", "region_code", "period", pl.col("value").alias("prev_value"))
    # Counts made from a register by district are small numbers; their totals are checked instead.
    wholes = [code for code in registry.regions if registry.is_whole(code)]
    checked = new.filter(~pl.col("is_computed") | pl.col("region_code").is_in(wholes))
    shifted = checked.with_columns(prev_period=pl.col("period").map_elements(lambda d: add_months(d, -1), return_dtype=pl.Date))
    return shifted.join(prev, left_on=["indicator_code", "region_code", "prev_period"],
                        right_on=["indicator_code", "region_code", "period"], how="inner")


def _where(row: dict) -> tuple[str, str]:
    """Where the figure was read (a computed one, a register's count, has no cell of its own)."""
    return (row["sheet"], row["cell"]) if row.get("cell") else ("", "")


def unit_suspects(new: pl.DataFrame, current: pl.DataFrame, registry: Registry, file_name: str, *,
                  skip: frozenset[str] = frozenset()) -> list[Problem]:
    """Figures 100 times last month's or more, or a hundredth or less: a probable unit mistake, a warning the page
    shows loudly. `skip`: indicators already said otherwise (a column waiting for its unit, `unit_doubts`)."""
    if new.is_empty() or current.is_empty():
        return []
    out = []
    for row in _against_last_month(new, current, registry).iter_rows(named=True):
        old, value = row["prev_value"], row["value"]
        if old == 0 or _off_by(value / old) < UNIT_SUSPECT or row["indicator_code"] in skip:
            continue
        ind = registry.indicators[row["indicator_code"]]
        sheet, cell = _where(row)
        out.append(Problem("warning", file_name, sheet, cell, exact_text(value),
                           msg.probable_unit_mistake(registry.regions[row["region_code"]].name, ind.name_zh, ind.unit,
                                                     month_label(row["prev_period"]), exact_text(old), exact_text(value),
                                                     ratio_text(value / old))))
    return out


def history_warnings(new: pl.DataFrame, current: pl.DataFrame, registry: Registry, file_name: str) -> list[Problem]:
    """`new`: the upload's observations; `current`: the stored series (indicator, region, period, value).
    A figure 100 times off or more is left to `unit_suspects` and `unit_doubts`, which say it louder."""
    if new.is_empty() or current.is_empty():
        return []
    out: list[Problem] = []
    prev = current.select("indicator_code", "region_code", "period", pl.col("value").alias("prev_value"))
    for row in _against_last_month(new, current, registry).iter_rows(named=True):
        old, value = row["prev_value"], row["value"]
        ind = registry.indicators[row["indicator_code"]]
        if old == 0 or abs(value - old) / abs(old) <= JUMP_LIMIT or _off_by(value / old) >= UNIT_SUSPECT:
            continue
        if ind.unit in ("家", "个", "款") and abs(value - old) < COUNT_NOISE:
            continue
        sheet, cell = _where(row)
        out.append(Problem("warning", file_name, sheet, cell, exact_text(value),
                           msg.jumped(registry.regions[row["region_code"]].name, ind.name_zh, ind.unit,
                                      month_label(row["prev_period"]), old, value, JUMP_LIMIT)))

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
    submission it supersedes that the new file no longer carries. Beside each figure `prev_value`, the same
    unit's value a month earlier (this file's own when it carries that month, else the stored one), and `cell`,
    where the new figure was read."""
    keys = ["indicator_code", "region_code", "period"]
    old = current.select(*keys, pl.col("value").alias("old_value"))
    before = pl.concat([new.select(*keys, pl.col("value").alias("prev_value")),
                        current.select(*keys, pl.col("value").alias("prev_value"))]).unique(keys, keep="first")
    where = pl.col("cell").fill_null("") if "cell" in new.columns else pl.lit("")
    out = (new.select(*keys, pl.col("value").alias("new_value"), where.alias("cell"))
           .join(old, on=keys, how="left")
           .with_columns(prev=pl.col("period").map_elements(lambda d: add_months(d, -1), return_dtype=pl.Date))
           .join(before, left_on=["indicator_code", "region_code", "prev"], right_on=keys, how="left")
           .drop("prev")
           .with_columns(change=pl.when(pl.col("old_value").is_null()).then(pl.lit("新增"))
                         .when((pl.col("new_value") - pl.col("old_value")).abs()
                               <= 1e-9 * pl.max_horizontal(pl.col("old_value").abs(), pl.lit(1.0)))
                         .then(pl.lit("不变")).otherwise(pl.lit("修改"))))
    if replaced is not None and not replaced.is_empty():
        dropped = (replaced.select(*keys, pl.col("value").alias("old_value"))
                   .join(new.select(keys), on=keys, how="anti")
                   .with_columns(new_value=pl.lit(None, dtype=pl.Float64), change=pl.lit("撤下"), cell=pl.lit(""),
                                 prev_value=pl.lit(None, dtype=pl.Float64)))
        out = pl.concat([out, dropped.select(out.columns)])
    order = {"修改": 0, "新增": 1, "撤下": 2, "不变": 3}
    return out.sort(pl.col("change").replace_strict(order, return_dtype=pl.Int8), *keys)


# -- a unit the analyst must confirm ------------------------------------------------------------------------


def _off_by(ratio: float) -> float:
    """How many times apart two figures are, whichever is larger: 10000 for ×10⁴ and for ÷10⁴."""
    if ratio == 0 or not math.isfinite(ratio):
        return math.inf
    return max(abs(ratio), 1 / abs(ratio))


def as_typed(value: float) -> Decimal:
    """The figure as typed: the shortest decimal that reads back as it, without the last digits' binary noise a
    unit conversion leaves (4649.599999999999 → 4649.6)."""
    return Decimal(repr(float(f"{value:.15g}")))


def grouped(d: Decimal) -> str:
    """A decimal with thousands separators, all its digits and no exponent; a true minus sign."""
    return format(d.normalize(), ",f").replace("-", "−")


def exact_text(value: float) -> str:
    """A figure as typed, without rounding or scientific notation: 4649.6 → "4,649.6", 4.641852738e11 →
    "464,185,273,800" (messages and the upload preview, presentation/upload_tables.py, quote figures this way)."""
    if not math.isfinite(value):
        return str(value)
    return grouped(as_typed(value))


def ratio_text(ratio: float) -> str:
    """How far a figure is from another, as a reader takes it in: "100倍", "约1.0万倍", "约1.0亿倍"; below one
    "1/100", "约1.0万分之一", "约1.0亿分之一"."""
    size = abs(ratio)
    if size == 0:
        return "0倍"
    if size >= 1:
        return f"约{size / 1e8:,.1f}亿倍" if size >= 1e8 else f"约{size / 1e4:,.1f}万倍" if size >= 1e4 \
            else f"{size:,.0f}倍"
    inverse = 1 / size
    return f"约{inverse / 1e8:,.1f}亿分之一" if inverse >= 1e8 else f"约{inverse / 1e4:,.1f}万分之一" \
        if inverse >= 1e4 else f"1/{inverse:,.0f}"


@dataclass(frozen=True)
class UnitDoubt:
    """An indicator whose figures in this file are a thousand times or more off what it usually is: probably
    typed in 元 or 万元 under a 亿元 heading. The file is not imported until the analyst says which unit the
    figures are in (`options`: the factor to divide by → its label); 1 keeps them as they are."""

    indicator_code: str
    indicator: str
    unit: str
    sheet: str
    cells: tuple[str, ...]  # where the doubtful figures were read
    example: str  # the furthest-off figure, as in the file
    example_cell: str  # and where it was read ("" for a figure without a cell of its own)
    reference: str  # what it was compared with: "上月（2026年9月）4,595.9亿元" or "此前最大值 …"
    ratio: float  # example / reference (10⁸ for 元 under 亿元)
    suggested: float  # the factor the size of `ratio` points to (1e8, 1e4), 1 when no unit fits

    @property
    def message(self) -> str:
        cells = "、".join(self.cells[:5]) + ("等" if len(self.cells) > 5 else "")
        return msg.unit_doubt(self.indicator, self.unit, self.example, self.reference, ratio_text(self.ratio), cells)

    @property
    def options(self) -> dict[float, str]:
        """Factor → what the analyst chooses: keep, or convert from a smaller unit (the likely one first)."""
        out = {1.0: f"数值无误，单位确为{self.unit}（按文件数值导入）"}
        conversions = sorted(CONVERSIONS.get(self.unit, {}).items(), key=lambda kv: kv[1] != self.suggested)
        if self.ratio > 1:
            for name, factor in conversions:
                out[factor] = f"文件数值的单位实为{name}：按{name}换算为{self.unit}（除以{factor:,.0f}）"
        return out


def unit_doubts(new: pl.DataFrame, current: pl.DataFrame, registry: Registry) -> list[UnitDoubt]:
    """Indicators of the upload (figures read from cells, not a register's counts) a thousand times or more off:
    against the same unit's last month, else (upwards only) against the largest figure stored for the
    indicator, else its city or province target. One doubt per indicator: a column has one heading."""
    if new.is_empty():
        return []
    read = new.filter(~pl.col("is_computed")) if "is_computed" in new.columns else new
    keys = ["indicator_code", "region_code", "period"]
    last = (current.select(*keys, pl.col("value").alias("ref")) if not current.is_empty()
            else pl.DataFrame(schema={**dict.fromkeys(keys[:2], pl.String), "period": pl.Date, "ref": pl.Float64}))
    joined = (read.with_columns(prev=pl.col("period").map_elements(lambda d: add_months(d, -1), return_dtype=pl.Date))
              .join(last, left_on=["indicator_code", "region_code", "prev"], right_on=keys, how="left"))
    largest = ({} if current.is_empty() else
               {r["indicator_code"]: r["top"] for r in current.group_by("indicator_code")
                .agg(top=pl.col("value").abs().max()).iter_rows(named=True)})
    out = []
    for (code,), group in joined.group_by(["indicator_code"], maintain_order=True):
        ind = registry.indicators[code]
        worst: tuple[float, dict, str] | None = None  # (how far off, the row, what it was compared with)
        cells = []
        for row in group.iter_rows(named=True):
            value, ref = row["value"], row["ref"]
            if value is None or not math.isfinite(value) or value == 0:
                continue
            if ref:
                ratio, said = value / ref, f"上月（{month_label(row['prev'])}）{exact_text(ref)}{ind.unit}"
            else:
                top = largest.get(code)
                basis = "此前报送的最大值"
                if not top:
                    levels = [t.value for t in registry.targets_on(code) if t.kind in ("level", "share")]
                    top, basis = (max(levels), "目标值") if levels else (None, "")
                if not top:
                    continue
                ratio, said = value / top, f"{basis}{exact_text(top)}{ind.unit}"
                if ratio < 1:
                    continue  # a small unit's figure is far below the city's: no sign of a wrong unit
            if _off_by(ratio) < UNIT_DOUBT:
                continue
            if row.get("cell"):
                cells.append(row["cell"])
            if worst is None or _off_by(ratio) > worst[0]:
                worst = (_off_by(ratio), row | {"ratio": ratio}, said)
        if worst is None:
            continue
        _, row, said = worst
        ratio = row["ratio"]
        fits = CONVERSIONS.get(ind.unit, {}).values()
        suggested = min(fits, key=lambda f: abs(math.log10(abs(ratio)) - math.log10(f)), default=1.0) \
            if ratio > 1 else 1.0
        out.append(UnitDoubt(code, ind.name_zh, ind.unit, row.get("sheet") or "", tuple(cells),
                             exact_text(row["value"]), row.get("cell") or "", said, ratio, suggested))
    return out


def convert(new: pl.DataFrame, code: str, factor: float) -> pl.DataFrame:
    """The upload with `code`'s figures read from cells divided by `factor` (the unit the analyst confirmed)."""
    if factor == 1:
        return new
    hit = pl.col("indicator_code") == code
    if "is_computed" in new.columns:
        hit = hit & ~pl.col("is_computed")
    return new.with_columns(value=pl.when(hit).then(pl.col("value") / factor).otherwise(pl.col("value")))
