"""Tables as cross-tabs (issue 10 items 1 and 5): which two of {region, month, indicator} a table crosses, the
third from its context, and flows read as the store keeps them (pure).

Every table crosses two of region, month and indicator. loaders.tables finds the layouts with regions down (or
across, one indicator from the title); this module adds the ones with no region axis or indicators down:

- months down, indicators across, no region anywhere in the table: the region is the one the title, sheet or
  file name names (湖北省/全省 → the province; a district by its full name), else the city itself;
- indicators down, regions across (a 计量单位 column converts each row: 万元/亿元/元, 户 = 家), the month from
  the title;
- indicators down, months across (1月 … 10月, 1-10月累计, or 本月 | 本年累计 with the title's month), the year
  from the title, the region from context;
- regions down, the month across in words (本月 | 本年累计, 本月末, 1-9月累计 | 1-10月累计), one indicator from
  the title.

Every row and column label is classified (region, month, indicator, unit, total, note, other) with the
registries, and the orientation that explains the most labels is taken: a layout loaders.tables found is kept
unless one of these explains more of the sheet (tables.parse_sheet calls `reorient`).

Flows (indicators.toml kind = "flow"): the store keeps each month's own amount and metrics.changes adds them
up to the year so far. A figure whose words say it is the year so far (累计, 1-10月, 本年, 年初至今) becomes its
month's amount by difference with the month before (January's is its own), from the same file; a figure for
the month (当月, 本月) or with no such word is kept as written. `settle_flows` does that for every table.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from domain.months import add_months, month_end, month_label
from loaders import messages as msg
from loaders.cells import a1, col_index, is_blank, norm_text
from loaders.names import NOT_PERIOD_PREFIXES, ROW_NUMBER_HEADINGS, Matcher, heading_key, is_column_key_row
from loaders.periods import current_month, find_period, flow_convention, in_future, month_label_period
from loaders.sheet import (
    Cell,
    Column,
    Layout,
    Report,
    SheetResult,
    column_unit,
    emit_observations,
    heading_columns,
    is_part,
    number_at,
    reconcile,
    report_future_month,
    title_indicator,
)
from loaders.totals import RECONCILE_TOLERANCE
from loaders.units import factor, strip_unit, unit_cell, unit_in_heading

KINDS = ("months_down", "indicators_down", "regions_down")
SCAN_ROWS = 200  # body rows looked at to classify labels (a cross-tab of indicators is never longer)
HEADER_SEARCH_ROWS = 30
_UNIT_HEADINGS = ("计量单位", "单位", "计量", "量纲")


@dataclass(frozen=True)
class Cross:
    """What a cross-tab's axes are, beside sheet.Layout."""

    down: str  # "period" | "indicator"
    across: str  # "indicator" | "region" | "period"
    label_col: int
    explained: int  # labels this reading explains
    unit_col: int | None = None


# -- classifying labels --------------------------------------------------------------------------------------


def _year(rows: list[list[Any]], upto: int, sheet_name: str, file_name: str) -> int | None:
    for r in range(min(upto, len(rows))):
        for v in rows[r]:
            if isinstance(v, str):
                m = re.search(r"(20\d{2})\s*年", norm_text(v))
                if m:
                    return int(m[1])
    for name in (sheet_name, file_name):
        m = re.search(r"(?<!\d)(20\d{2})", name)
        if m:
            return int(m[1])
    return None


def label_kind(value: Any, matcher: Matcher, year: int | None) -> str | None:
    """region | total | period | indicator | unit | note | number | other; None for a blank."""
    if is_blank(value):
        return None
    if month_label_period(value, year):
        return "period"
    if isinstance(value, int | float):
        return "number"
    if matcher.total(value)[0]:
        return "total"
    if matcher.region(value):
        return "region"
    if matcher.not_a_member(value):
        return "note"
    if unit_cell(value):
        return "unit"
    if matcher.indicator(value):
        return "indicator"
    return "other"


def _body(rows: list[list[Any]], header_row: int) -> list[int]:
    return [r for r in range(header_row + 1, min(len(rows), header_row + 1 + SCAN_ROWS))
            if any(not is_blank(v) for v in rows[r])]


def _width(rows: list[list[Any]], body: list[int], header_row: int) -> int:
    return max((len(rows[r]) for r in [header_row, *body]), default=0)


def _column_counts(rows: list[list[Any]], body: list[int], c: int, matcher: Matcher, year: int | None,
                   kinds: tuple[str, ...]) -> int:
    return sum(1 for r in body if c < len(rows[r]) and label_kind(rows[r][c], matcher, year) in kinds)


# -- which way the table runs -------------------------------------------------------------------------------


def reorient(rows: list[list[Any]], layout: Layout | None, matcher: Matcher, sheet_name: str,
             file_name: str) -> Layout | None:
    """The layout that explains the most labels: `layout` (found by loaders.tables) or a cross-tab."""
    if layout is not None and layout.kind == "register":
        return layout
    candidates = [c for c in (_months_down(rows, layout, matcher, sheet_name, file_name),
                              _indicators_down(rows, matcher, sheet_name, file_name),
                              _regions_down(rows, matcher, sheet_name, file_name)) if c is not None]
    if not candidates:
        return layout
    best = max(candidates, key=lambda lay: lay.cross.explained)
    if layout is None or best.cross.explained > _explained(rows, layout, matcher, sheet_name, file_name):
        return best
    return layout


def _explained(rows: list[list[Any]], layout: Layout, matcher: Matcher, sheet_name: str, file_name: str) -> int:
    """How many labels a layout of loaders.tables explains: its headings across and its labels down."""
    year = _year(rows, layout.first_row, sheet_name, file_name)
    body = _body(rows, layout.header_row)
    if layout.kind == "wide":
        taken = {col.c for col in heading_columns(layout.upper, layout.headings, matcher) if col.code}
        kinds: tuple[str, ...] = ("region", "total")
        across = len(taken)
    else:
        taken = {c for c, v in enumerate(layout.headings)
                 if label_kind(v, matcher, year) in ("region", "total", "period")}
        kinds = ("region", "total", "period")
        across = len(taken)
    width = _width(rows, body, layout.header_row)
    down = max((_column_counts(rows, body, c, matcher, year, kinds) for c in range(width) if c not in taken),
               default=0)
    return across + down


def _months_down(rows: list[list[Any]], layout: Layout | None, matcher: Matcher, sheet_name: str,
                 file_name: str) -> Layout | None:
    """Indicators across (the header tables found) and months down, with no region anywhere in the table."""
    if layout is None or layout.kind != "wide":
        return None
    ind_cols = {col.c for col in heading_columns(layout.upper, layout.headings, matcher) if col.code}
    if not ind_cols:
        return None
    year = _year(rows, layout.first_row, sheet_name, file_name)
    body = _body(rows, layout.header_row)
    width = _width(rows, body, layout.header_row)
    if any(isinstance(v, str) and matcher.region(v) for r in body for c, v in enumerate(rows[r]) if c not in ind_cols):
        return None  # a region column: a region table (perhaps with a month column), not this
    best, best_n = None, 0
    for c in range(width):
        if c in ind_cols:
            continue
        n = _column_counts(rows, body, c, matcher, year, ("period",))
        if n > best_n:
            best, best_n = c, n
    if best is None:
        return None
    with_values = [r for r in body if any(c < len(rows[r]) and not is_blank(rows[r][c]) for c in ind_cols)]
    labelled = [r for r in with_values if best < len(rows[r]) and not is_blank(rows[r][best])]
    if best_n < 2 and best_n < len(labelled):
        return None
    return Layout("months_down", layout.first_row, layout.header_row, layout.headings, upper=layout.upper,
                         cross=Cross("period", "indicator", best, len(ind_cols) + best_n))


def _indicators_down(rows: list[list[Any]], matcher: Matcher, sheet_name: str, file_name: str) -> Layout | None:
    """Indicators down one column; regions (with 合计) or months across one header row."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        year = _year(rows, r, sheet_name, file_name)
        kinds = {c: label_kind(v, matcher, year) for c, v in enumerate(row)}
        regions = [c for c, k in kinds.items() if k == "region"]
        totals = [c for c, k in kinds.items() if k == "total"]
        this = _title_period(rows, r, sheet_name, file_name)
        periods = [c for c, v in enumerate(row) if heading_period(v, year, this)]
        if regions and periods:
            continue  # months and regions across one row: no cross-tab of two axes
        if regions and len(regions) + len(totals) >= 2:
            across, cols = "region", regions + totals
        elif periods:
            across, cols = "period", periods
        else:
            continue
        if _two_way(rows, r, cols, matcher, year):
            continue
        body = _body(rows, r)
        width = _width(rows, body, r)
        best, best_n = None, 0
        for c in range(width):
            if c in cols:
                continue
            n = sum(1 for rr in body if c < len(rows[rr]) and isinstance(rows[rr][c], str)
                    and matcher.indicator(rows[rr][c]))
            if n > best_n:
                best, best_n = c, n
        if best is None or _sub_headings(rows, r, cols, best):
            continue
        unit_col = _unit_column(rows, r, body, set(cols) | {best})
        return Layout("indicators_down", r, r, row,
                             cross=Cross("indicator", across, best, len(cols) + best_n, unit_col))
    return None


def _regions_down(rows: list[list[Any]], matcher: Matcher, sheet_name: str, file_name: str) -> Layout | None:
    """Regions down; months across, also in words (本月 | 本年累计, with the title's month); one indicator, from the
    title. (Months across as 1月 … 10月 are tables.py's period_columns: the same count of labels, which wins.)"""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        year = _year(rows, r, sheet_name, file_name)
        this = _title_period(rows, r, sheet_name, file_name)
        periods = [c for c, v in enumerate(row) if heading_period(v, year, this)]
        if not periods or any(isinstance(v, str) and matcher.region(v) for v in row):
            continue
        indicator = title_indicator(rows, r, sheet_name, matcher)
        if indicator is None:
            continue
        body = _body(rows, r)
        best, best_n = None, 0
        for c in range(_width(rows, body, r)):
            if c in periods:
                continue
            n = _column_counts(rows, body, c, matcher, year, ("region", "total"))
            if n > best_n:
                best, best_n = c, n
        if best is None or _column_counts(rows, body, best, matcher, year, ("region",)) == 0:
            continue
        return Layout("regions_down", r, r, row, indicator=indicator,
                             cross=Cross("region", "period", best, len(periods) + best_n))
    return None


def _sub_headings(rows: list[list[Any]], r: int, cols: list[int], label_col: int) -> bool:
    """A second header row under the regions or months (余额 | 比年初增加 under each region): not one figure a
    column, so not this layout."""
    if r + 1 >= len(rows):
        return False
    below = rows[r + 1]
    if label_col < len(below) and not is_blank(below[label_col]):
        return False
    texts = [below[c] for c in cols if c < len(below) and isinstance(below[c], str) and not is_blank(below[c])]
    return len(texts) >= 2 and not all(re.fullmatch(r"[-—–\s]*", t) for t in texts)


# A column for the table's own month (its title's): 本月, 当月, 本月末, 本期, 本年累计, 累计, 年初至今.
_THIS_PERIOD = re.compile(r"(?:本月|当月|本期|本年|当年|年初至今|年初以来|今年以来)(?:末|底)?(?:累计)?(?:数|值|额|发生额|余额)?"
                          r"|累计(?:数|值|额|发生额)?|期末(?:数|余额)?")


def heading_period(value: Any, year: int | None, this: dt.date | None) -> dt.date | None:
    """The month a column heading is for: a month label (1月, 2026年1-10月, 1-10月累计), or `this` (the month
    the title names) for 本月 / 本年累计 / 本期 …"""
    found = month_label_period(value, year)
    if found is None and this is not None and isinstance(value, str):
        key = re.sub(r"[()（）\s]", "", strip_unit(norm_text(value)))
        if key and _THIS_PERIOD.fullmatch(key):
            return this
    return found


def _title_period(rows: list[list[Any]], upto: int, sheet_name: str, file_name: str) -> dt.date | None:
    """The month the lines above a header, else the sheet or file name, report on (as tables.parse_sheet reads it)."""
    for r in range(min(upto, len(rows))):
        for v in rows[r]:
            if isinstance(v, str) and not norm_text(v).startswith(NOT_PERIOD_PREFIXES):
                found = find_period(norm_text(v))
                if found:
                    return found
    for name in (sheet_name, file_name):
        found = find_period(name)
        if found:
            return found
    return None


def _two_way(rows: list[list[Any]], r: int, cols: list[int], matcher: Matcher, year: int | None) -> bool:
    """The row above or below names the other axis over the same columns (regions over months): two axes across."""
    for rr in (r - 1, r + 1):
        if 0 <= rr < len(rows):
            kinds = [label_kind(rows[rr][c], matcher, year) for c in cols if c < len(rows[rr])]
            if sum(1 for k in kinds if k in ("region", "period")) >= 2:
                return True
    return False


def _unit_column(rows: list[list[Any]], r: int, body: list[int], taken: set[int]) -> int | None:
    """A 计量单位 column: its heading says so, or most of its cells are units."""
    width = _width(rows, body, r)
    for c in range(width):
        if c in taken:
            continue
        cells = [rows[rr][c] for rr in body if c < len(rows[rr]) and not is_blank(rows[rr][c])]
        units = sum(1 for v in cells if unit_cell(v))
        heading = rows[r][c] if c < len(rows[r]) else None
        if units and (heading_key(heading) in _UNIT_HEADINGS or 2 * units > len(cells)):
            return c
    return None


# -- the region a table with no region axis is about ---------------------------------------------------------


def context_region(texts: list[str], matcher: Matcher) -> str:
    """The region the title, sheet or file name names (the most local one; 全省 is the province, 全市 the city);
    the city itself when none does."""
    reg = matcher.registry
    depth = {"province": 0, "city": 1, "district": 2, "functional_zone": 2}
    for text in texts:
        key = norm_text(text)
        found: set[str] = set()
        if "全省" in key:
            found.add(reg.province)
        if "全市" in key:
            found.add(reg.city)
        for region in reg.regions.values():
            names = [n for n in (region.name, *region.aliases) if len(norm_text(n)) >= 3]
            if any(norm_text(n) in key for n in names):
                found.add(region.code)
        if found:
            return max(found, key=lambda code: depth.get(reg.regions[code].kind, 0))
    return reg.city


# -- reading ------------------------------------------------------------------------------------------------


def parse(rows: list[list[Any]], layout: Layout, data_rows: list[int], matcher: Matcher, result: SheetResult,
          report: Report, sheet_unit: str | None, file_name: str) -> None:
    cross: Cross = layout.cross
    titles = [norm_text(v) for r in range(layout.first_row) for v in rows[r] if isinstance(v, str)]
    year = _year(rows, layout.first_row, result.sheet, file_name)
    region = context_region([*titles, result.sheet, file_name], matcher)
    if cross.down == "period":
        cells = _read_months_down(rows, layout, data_rows, matcher, report, sheet_unit, year, region)
    elif cross.down == "region":
        cells = _read_regions_down(rows, layout, data_rows, matcher, result, report, sheet_unit, year)
    else:
        cells = _read_indicators_down(rows, layout, data_rows, matcher, result, report, sheet_unit, year, region)
    if cells is None:
        return
    emit_observations(_once(cells, matcher, report), matcher, result)
    if cross.across == "region":
        reconcile(result, matcher, report)
    else:
        periods = [o["period"] for o in result.observations]
        result.period = max(periods) if periods else result.period
        if result.period is None:
            report("error", None, None, "", msg.NO_MONTHS)


def _once(cells: list[Cell], matcher: Matcher, report: Report) -> list[Cell]:
    """One figure per indicator, region and month: a second column or row for the same month (a stock's 10月 and
    1-10月) is left out, with a warning when its figure differs. A flow's are settled by `settle_flows`."""
    flows = {code for code, ind in matcher.registry.indicators.items() if ind.kind == "flow"}
    first: dict[tuple, Cell] = {}
    out = []
    for x in cells:
        key = (x.indicator, x.region, x.period)
        if x.indicator in flows or key not in first:
            first.setdefault(key, x)
            out.append(x)
        elif x.number * x.mult != first[key].number * first[key].mult:
            earlier = first[key]
            report("warning", x.r, x.c, x.number, msg.same_month_twice(month_label(x.period), f"{a1(earlier.r, earlier.c)}"))
    return out


def _read_months_down(rows: list[list[Any]], layout: Layout, data_rows: list[int], matcher: Matcher,
                      report: Report, sheet_unit: str | None, year: int | None, region: str) -> list[Cell]:
    columns = _indicator_columns(heading_columns(layout.upper, layout.headings, matcher), layout.header_row,
                                 matcher, report, sheet_unit)
    label_col = layout.cross.label_col
    cells = []
    for i, r in enumerate(data_rows):
        label = rows[r][label_col] if label_col < len(rows[r]) else None
        has_values = any(c < len(rows[r]) and not is_blank(rows[r][c]) for c in columns)
        period = month_label_period(label, year)
        if period is None:
            if (has_values and not matcher.total(label)[0] and not matcher.not_a_member(label)
                    and not (i == 0 and is_column_key_row(rows[r]))):
                report("error", r, label_col, label, msg.unknown_month(norm_text(label)))
            continue  # a 合计 row over months, 栏次, a note
        if in_future(period):
            report_future_month(report, r, label_col, label, period)
            continue
        for c, (code, mult) in columns.items():
            number = number_at(rows, r, c, report)
            if number is not None:
                cells.append(Cell(r, c, code, region, period, *number, mult))
    return cells


def _read_regions_down(rows: list[list[Any]], layout: Layout, data_rows: list[int], matcher: Matcher,
                       result: SheetResult, report: Report, sheet_unit: str | None, year: int | None) -> list[Cell]:
    code = layout.indicator
    canonical = matcher.registry.indicators[code].unit
    title_unit = next((unit_in_heading(norm_text(v)) for r in range(layout.first_row) for v in rows[r]
                       if isinstance(v, str) and unit_in_heading(norm_text(v))), None)
    mult = column_unit(f"（{title_unit}）" if title_unit else "", canonical, sheet_unit, report,
                               layout.first_row, 0)
    label_col = layout.cross.label_col
    across: dict[int, dt.date] = {}
    others: list[str] = []
    for c, heading in enumerate(layout.headings):
        if c == label_col or is_blank(heading):
            continue
        period = heading_period(heading, year, result.period)
        if period is not None and in_future(period):
            report_future_month(report, layout.header_row, c, heading, period)
        elif period is not None:
            across[c] = period
        elif norm_text(heading) not in ROW_NUMBER_HEADINGS:
            others.append(norm_text(heading))
    if others:
        report("warning", layout.header_row, None, "、".join(others), msg.skipped_columns(others))
    keyed: list[tuple[int, Any]] = []
    for i, r in enumerate(data_rows):
        label = rows[r][label_col] if label_col < len(rows[r]) else None
        has_values = any(c < len(rows[r]) and not is_blank(rows[r][c]) for c in across)
        is_total, named = matcher.total(label)
        key = ("total", named) if is_total else matcher.region(label)
        if key is None:
            if (has_values and not matcher.not_a_member(label) and not is_blank(label)
                    and not (i == 0 and is_column_key_row(rows[r]))):
                report("error", r, label_col, label, msg.unknown_region(norm_text(label), matcher.suggest_region(label)))
            continue
        keyed.append((r, key))
    parents = {matcher.registry.regions[k].parent for _, k in keyed if isinstance(k, str)}
    result.scope = parents.pop() if len(parents) == 1 else None
    cells = []
    for r, key in keyed:
        where = (result.scope or key[1]) if isinstance(key, tuple) else key
        if where is None:
            report("error", r, label_col, rows[r][label_col], msg.TOTAL_WITHOUT_REGION)
            continue
        for c, period in across.items():
            number = number_at(rows, r, c, report)
            if number is not None:
                cells.append(Cell(r, c, code, where, period, *number, mult))
    return cells


def _indicator_columns(specs: list[Column], header_row: int, matcher: Matcher, report: Report,
                       sheet_unit: str | None) -> dict[int, tuple[str, float]]:
    columns: dict[int, tuple[str, float]] = {}
    for col in specs:
        if col.code is None:
            if col.suggestions:
                names = [matcher.registry.indicators[s].name_zh for s in col.suggestions]
                report("warning", header_row, col.c, col.heading, msg.uncertain_heading(col.heading, names))
            continue
        if col.code in {k for k, _ in columns.values()}:
            if not col.quiet:
                report("warning", header_row, col.c, col.heading, msg.REPEATED_INDICATOR)
            continue
        canonical = matcher.registry.indicators[col.code].unit
        columns[col.c] = (col.code, column_unit(col.unit_text, canonical, sheet_unit, report,
                                                        header_row, col.c))
    return columns


def _read_indicators_down(rows: list[list[Any]], layout: Layout, data_rows: list[int], matcher: Matcher,
                          result: SheetResult, report: Report, sheet_unit: str | None, year: int | None,
                          region: str) -> list[Cell] | None:
    cross: Cross = layout.cross
    header_row = layout.header_row
    across: dict[int, Any] = {}  # column → a region code, ("total", named) or a month
    others: list[str] = []  # headings naming neither: 同比增长, 备注 …
    for c, heading in enumerate(layout.headings):
        if c in (cross.label_col, cross.unit_col) or is_blank(heading):
            continue
        if cross.across == "region":
            is_total, named = matcher.total(heading)
            key = ("total", named) if is_total else matcher.region(heading)
        else:
            key = heading_period(heading, year, result.period)
            if key is not None and in_future(key):
                report_future_month(report, header_row, c, heading, key)
                continue
        if key is not None:
            across[c] = key
        elif norm_text(heading) not in ROW_NUMBER_HEADINGS:
            others.append(norm_text(heading))
    if others:
        report("warning", header_row, None, "、".join(others), msg.skipped_columns(others))
    if cross.across == "region":
        if result.period is None:
            report("error", None, None, "", msg.NO_PERIOD)
            return None
        if in_future(result.period):
            report("error", None, None, "", msg.future_period(month_label(result.period),
                                                              month_label(current_month())))
            return None
        parents = {matcher.registry.regions[k].parent for k in across.values() if isinstance(k, str)}
        result.scope = parents.pop() if len(parents) == 1 else None
    cells = []
    seen: set[str] = set()
    parent = ""
    skipped: list[str] = []
    for i, r in enumerate(data_rows):
        row = rows[r]
        label = row[cross.label_col] if cross.label_col < len(row) else None
        has_values = any(c < len(row) and not is_blank(row[c]) for c in across)
        if is_blank(label) or (i == 0 and is_column_key_row(row)):
            continue
        text = norm_text(label)
        if is_part(text):
            code = matcher.indicator_exact(text) or matcher.indicator_in_context(text, parent)
            if code is None:
                continue  # a part naming no indicator of its own: left out without a word
        else:
            guess = matcher.indicator_guess(text)
            code = guess.code
            parent = text
            if code is None:
                if guess.suggestions and has_values:
                    names = [matcher.registry.indicators[s].name_zh for s in guess.suggestions]
                    report("warning", r, cross.label_col, label, msg.uncertain_row_heading(text, names))
                elif has_values and not matcher.not_a_member(label) and not matcher.total(label)[0]:
                    skipped.append(text)
                continue
        if code in seen:
            report("warning", r, cross.label_col, label, msg.REPEATED_INDICATOR_ROW)
            continue
        seen.add(code)
        mult = _row_unit(row, r, cross, text, code, matcher, report, sheet_unit)
        if mult is None:
            continue
        for c, key in across.items():
            if cross.across == "region":
                period = result.period
                if isinstance(key, tuple):
                    where = result.scope or key[1]
                    if where is None:
                        continue
                else:
                    where = key
            else:
                period, where = key, region
            number = number_at(rows, r, c, report)
            if number is not None:
                cells.append(Cell(r, c, code, where, period, *number, mult))
    if skipped:
        report("warning", None, None, "、".join(skipped), msg.skipped_rows(skipped))
    return cells


def _row_unit(row: list[Any], r: int, cross: Cross, label: str, code: str, matcher: Matcher, report: Report,
              sheet_unit: str | None) -> float | None:
    """The multiplier into the indicator's unit: the row's 计量单位 cell, else the unit in its label, else the
    sheet's 单位 line. None (reported) when the row's unit measures something else."""
    canonical = matcher.registry.indicators[code].unit
    written = row[cross.unit_col] if cross.unit_col is not None and cross.unit_col < len(row) else None
    unit = unit_cell(written)
    if unit is not None:
        f = factor(unit, canonical)
        if f is None:
            report("error", r, cross.unit_col, written, msg.unit_mismatch(unit, canonical))
            return None
        return f
    if unit_in_heading(label):
        f = factor(unit_in_heading(label) or "", canonical)
        if f is None:
            report("error", r, cross.label_col, label, msg.unit_mismatch(unit_in_heading(label) or "", canonical))
            return None
        return f
    return column_unit("", canonical, sheet_unit, report, r, cross.label_col)


# -- flows ---------------------------------------------------------------------------------------------------


def _rc(cell: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
    assert m, cell
    return int(m[2]) - 1, col_index(m[1])


def _cell_words(rows: list[list[Any]], layout: Layout, r: int, c: int) -> list[Any]:
    """Where a figure's own words are: its column's headings, then the labels to its left on its row."""
    heads = [rows[h][c] for h in range(layout.first_row, layout.header_row + 1) if c < len(rows[h])]
    if layout.upper is not None and c < len(layout.upper):
        heads.append(layout.upper[c])
    left = [v for v in rows[r][:c] if isinstance(v, str)]
    return [*heads, *left]


def settle_flows(rows: list[list[Any]], layout: Layout, matcher: Matcher, result: SheetResult, report: Report,
                 file_name: str) -> None:
    """A flow's figures as the store keeps them, the month's own amount: a year-so-far figure (its words:
    累计, 1-10月, 本年 …) less the one of the month before in the same file (January's is its own); kept as
    written when it is the month's (当月, 本月, or no such word). What cannot be worked out is left out with a
    warning at its cell saying what is missing; two conventions for one indicator are flagged."""
    flows = {code for code, ind in matcher.registry.indicators.items() if ind.kind == "flow"}
    mine = [o for o in result.observations if o["indicator_code"] in flows and o.get("cell")]
    if not mine:
        return
    title = next((conv for v in [*(x for r in range(layout.first_row) for x in rows[r]), result.sheet, file_name]
                  if isinstance(v, str) and (conv := flow_convention(v))), None)
    conv: dict[int, str | None] = {}
    for o in mine:
        r, c = _rc(o["cell"])
        own = next((k for v in _cell_words(rows, layout, r, c) if isinstance(v, str) and (k := flow_convention(v))),
                   None)
        conv[id(o)] = own or title
    drop: set[int] = set()
    for code in {o["indicator_code"] for o in mine}:
        said = {conv[id(o)] for o in mine if o["indicator_code"] == code} & {"ytd", "monthly"}
        if said:  # only what the words say: a figure without 累计 or 当月 tells nothing of the convention
            result.flow_conventions[code] = said.pop() if len(said) == 1 else "both"
        ind = matcher.registry.indicators[code]
        of_code = [o for o in mine if o["indicator_code"] == code]
        ytd = [o for o in of_code if conv[id(o)] == "ytd"]
        month = [o for o in of_code if conv[id(o)] in (None, "monthly")]
        for o in of_code:
            if conv[id(o)] == "span":
                report("warning", *_rc(o["cell"]), o["value"], msg.flow_span(ind.name_zh))
                drop.add(id(o))
        monthly_keys = {(o["region_code"], o["period"]) for o in month}
        ytd_keys = {(o["region_code"], o["period"]) for o in ytd}
        only_ytd = [o for o in ytd if (o["region_code"], o["period"]) not in monthly_keys]
        only_month = [o for o in month if (o["region_code"], o["period"]) not in ytd_keys]
        # 本月 | 本年累计 side by side for the same months is the usual form, not a mix: their agreement is checked
        # below. Some months only year to date and others only the month's own is a switch of convention.
        if only_ytd and only_month:
            report("warning", None, None, "", msg.flow_conventions_mixed(
                ind.name_zh, [o["cell"] for o in only_ytd], [o["cell"] for o in only_month]))
        if not ytd:
            continue
        monthly = {(o["region_code"], o["period"]): o["value"] for o in month}
        so_far = {(o["region_code"], o["period"]): o["value"] for o in ytd}
        for o in ytd:
            key = (o["region_code"], o["period"])
            period: dt.date = o["period"]
            if key in monthly:
                drop.add(id(o))  # the month's own figure is in the file: the year-so-far one adds nothing
                _check_agreement(o, monthly, so_far, ind.name_zh, report)
                continue
            if period.month == 1:
                continue
            before = (o["region_code"], add_months(period, -1))
            earlier = [(o["region_code"], month_end(period.year, m)) for m in range(1, period.month)]
            if before in so_far:
                o["value"] = o["value"] - so_far[before]
            elif all(k in monthly for k in earlier):
                o["value"] = o["value"] - sum(monthly[k] for k in earlier)
            else:  # the months before are not in the file: the database may have them (loaders/ingest)
                result.pending_ytd.append(dict(o, sheet=result.sheet))
                drop.add(id(o))
    seen: set[tuple] = set()
    for o in mine:  # two figures left for one month (two 当月 columns): the first is read
        key = (o["indicator_code"], o["region_code"], o["period"])
        if id(o) not in drop:
            if key in seen:
                drop.add(id(o))
            seen.add(key)
    result.observations[:] = [o for o in result.observations if id(o) not in drop]


def _check_agreement(o: dict[str, Any], monthly: dict[tuple, float], so_far: dict[tuple, float], name: str,
                     report: Report) -> None:
    """本月 beside 本年累计: the year-to-date figure less last month's (or the sum of the months so far, when they
    are all in the file) should be the month's own; a difference beyond rounding is said at the cell."""
    region, period = o["region_code"], o["period"]
    before = (region, add_months(period, -1))
    earlier = [(region, month_end(period.year, m)) for m in range(1, period.month)]
    if period.month == 1:
        expected = o["value"]
    elif before in so_far:
        expected = o["value"] - so_far[before]
    elif all(k in monthly for k in earlier):
        expected = o["value"] - sum(monthly[k] for k in earlier)
    else:
        return
    own = monthly[(region, period)]
    if abs(expected - own) > RECONCILE_TOLERANCE * max(abs(own), abs(expected), 1e-9) + 1e-9:
        report("warning", *_rc(o["cell"]), o["value"], msg.flow_ytd_disagrees(name, period.month, own, expected))
