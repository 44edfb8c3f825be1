"""What the readers of one sheet share (tables.py finds the layouts with regions down or across, crosstab.py
the cross-tabs): the result, the layout found, the reporter of problems at their cells, and the steps from a
heading or a cell to an observation (pure).

Kept apart from both readers so that neither imports the other's internals: tables.py imports crosstab.py,
and both import this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from domain.months import month_label
from loaders import messages as msg
from loaders.cells import NotANumber, a1, is_blank, norm_text, parse_number
from loaders.names import GROUP_TOTAL_HEADINGS, Matcher, heading_key, region_key
from loaders.periods import current_month
from loaders.problems import Problem, Severity, shown
from loaders.questions import Question, Suggestion
from loaders.totals import RECONCILE_TOLERANCE
from loaders.units import factor, in_percent, percent_factor, unit_in_heading


@dataclass
class SheetResult:
    """What one sheet gave: its kind, period, figures or register rows, and its problems and questions."""

    sheet: str
    kind: str  # "table" | "register" | "empty" | "unrecognised"
    period: dt.date | None = None
    agency: str | None = None
    observations: list[dict[str, Any]] = field(default_factory=list)
    register_table: str | None = None
    register_frame: pl.DataFrame | None = None
    scope: str | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)  # what the analyst must answer (loaders/questions)
    # A flow's year-to-date figure whose earlier months are not in the file (1-9月累计 alone): the month's own
    # amount needs the database's months (loaders/ingest), so it waits here, its value the year-to-date one.
    pending_ytd: list[dict[str, Any]] = field(default_factory=list)
    # How the sheet's words reported each flow indicator: "ytd" (累计 …), "monthly" (当月 …) or "both" side by side.
    flow_conventions: dict[str, str] = field(default_factory=dict)


class Report:
    """Problems and questions of one sheet, each at its cell (offsets: where the rows read begin in the sheet)."""

    def __init__(self, file: str, sheet: str, out: list[Problem], row_offset: int = 0, col_offset: int = 0,
                 questions: list[Question] | None = None):
        self.file, self.sheet, self.out = file, sheet, out
        self.row_offset, self.col_offset = row_offset, col_offset
        self.questions = questions if questions is not None else []

    def __call__(self, severity: Severity, r: int | None, c: int | None, value: Any, message: str) -> None:
        cell = a1(r + self.row_offset, c + self.col_offset) if r is not None and c is not None else ""
        self.out.append(Problem(severity, self.file, self.sheet, cell, shown(value), message))

    def ask(self, kind: str, r: int | None, c: int | None, value: Any, key: str,
            suggestions: list[Suggestion]) -> None:
        """A question instead of a guess: the column or row it is about gives no value until it is answered."""
        cell = a1(r + self.row_offset, c + self.col_offset) if r is not None and c is not None else ""
        self.questions.append(Question(kind, self.sheet, cell, shown(value), key, tuple(suggestions)))


def ask_unit(report: Report, matcher: Matcher, r: int | None, c: int | None, raw: Any) -> None:
    """A register's 所在区 that names no unit: a question (once per spelling, at its first cell) rather than a
    refusal; its rows count for no unit until it is answered, and the answer holds for the agency's later lists."""
    key = region_key(raw)
    if any(q.kind == "region" and q.key == key for q in report.questions):
        return
    regions = matcher.registry.regions
    report.ask("region", r, c, raw, key,
               [Suggestion(code, regions[code].name, score) for code, score in matcher.region_suggestions(raw)])


@dataclass
class Layout:
    """Where the table is and which way it runs."""

    kind: str  # "register" | "wide" | "region_columns" | "period_columns"
    first_row: int  # first header row (title rows are above it)
    header_row: int  # last header row (data rows are below it)
    headings: list[Any]  # per column, of the last header row
    register: str | None = None
    indicator: str | None = None  # the one indicator of a region × month table, from its title
    upper: list[Any] | None = None  # the group headings above `headings`, when there are two header rows
    cross: Any = None  # a cross-tab's axes (loaders.crosstab.Cross), for its kinds


@dataclass(frozen=True)
class Column:
    """What one column of a wide table is a figure of."""

    c: int
    heading: str  # as the analyst reads it (a group heading and its sub-column joined)
    code: str | None  # the indicator, when certain
    unit_text: str  # where its unit may be written (the sub-column, then the group heading)
    quiet: bool = False  # a part (其中：…) naming no indicator of its own, or answered 不导入: left out without a word
    suggestions: tuple[str, ...] = ()  # when uncertain: the nearest indicators, for the question
    scores: tuple[float, ...] = ()  # of the suggestions


def _text(v: Any) -> str:
    return "" if is_blank(v) else norm_text(v)


def is_part(text: str) -> bool:
    """A 其中 heading or label: a part of the one before it, not a figure of its own."""
    return text.startswith("其中")


def heading_columns(upper: list[Any] | None, lower: list[Any], matcher: Matcher) -> list[Column]:
    """Each column's heading read with its group (two header rows): the group's 总数/小计/合计 sub-column, or
    its first sub-column left without a heading, is the group's figure; a 其中 sub-column is a part, read in
    the group's words (其中：科技型中小企业 under 科技型企业贷款余额) and only if that names an indicator."""
    width = max(len(upper or []), len(lower))
    out: list[Column] = []
    parent = ""  # the heading a 其中 column is part of: its group, or the last whole column to its left
    for c in range(width):
        u = _text(upper[c]) if upper is not None and c < len(upper) else ""
        low = _text(lower[c]) if c < len(lower) else ""
        if u:
            parent = u
        if not low or low == u:
            text, unit_text = u, u
        elif is_part(low):
            code = matcher.indicator_exact(low) or matcher.indicator_in_context(low, parent)
            out.append(Column(c, f"{u}{low}" if u else low, code, f"{low}{u}", quiet=code is None))
            continue
        elif heading_key(low) in GROUP_TOTAL_HEADINGS and u:
            text, unit_text = u, f"{low}{u}"
        else:
            text = f"{u}{low}" if u else low
            unit_text = text
            if not u:
                parent = low
        if not text:
            continue
        guess = matcher.indicator_guess(text)
        out.append(Column(c, text, guess.code, unit_text, quiet=guess.ignored, suggestions=guess.suggestions,
                           scores=guess.scores))
    return out


def title_indicator(rows: list[list[Any]], upto: int, sheet_name: str, matcher: Matcher) -> str | None:
    """The one indicator the title rows above `upto`, else the sheet name, name."""
    texts = [norm_text(v) for r in range(upto) for v in rows[r] if isinstance(v, str)] + [sheet_name]
    for text in texts:
        code = matcher.indicator_in_text(text)
        if code:
            return code
    return None


def column_unit(heading: Any, canonical: str, sheet_unit: str | None,
                report: Report, r: int, c: int) -> float:
    """The multiplier into the indicator's unit: heading unit first, then the sheet's 单位 line."""
    found = unit_in_heading(str(heading))
    if found:
        f = factor(found, canonical)
        if f is None:
            report("error", r, c, heading, msg.unit_mismatch(found, canonical))
            return 1.0
        return f
    if sheet_unit:
        f = factor(sheet_unit, canonical)
        if f is not None:
            return f
    return 1.0


def report_future_month(report: Report, r: int, c: int, value: Any, period: dt.date) -> None:
    """A month heading or label after the current month: refused at its cell, its figures not read."""
    report("error", r, c, value, msg.future_period(month_label(period), month_label(current_month())))


@dataclass(frozen=True)
class Cell:
    """A number read from a table's cell, and what it is a figure of."""

    r: int
    c: int
    indicator: str
    region: str
    period: dt.date
    number: float
    had_percent: bool  # written with a % sign
    mult: float  # into the indicator's unit, from the column's or the sheet's unit


def number_at(rows: list[list[Any]], r: int, c: int, report: Report) -> tuple[float, bool] | None:
    """(number, written with %) of a cell; None when it is blank or (reported) no true number."""
    raw = rows[r][c] if c < len(rows[r]) else None
    try:
        value, had_percent = parse_number(raw)
    except NotANumber as e:
        report("error", r, c, raw, msg.not_a_number(e.reason, e.digits))
        return None
    return None if value is None else (value, had_percent)


def emit_observations(cells: list[Cell], matcher: Matcher, result: SheetResult) -> None:
    """The cells as observations. The numbers one table gives for a percent indicator are read on one
    scale (units.percent_factor): all fractions (0.123) or all in percent (12.3), “12.3%” as written."""
    factors = {code: percent_factor((x.number, x.had_percent) for x in cells if x.indicator == code)
               for code in {x.indicator for x in cells} if matcher.registry.indicators[code].unit == "%"}
    for x in cells:
        value = in_percent(x.number, x.had_percent, factors.get(x.indicator, 1.0)) * x.mult
        cell = a1(x.r, x.c)
        result.observations.append({"indicator_code": x.indicator, "region_code": x.region, "period": x.period,
                                    "value": value, "origin": f"{result.sheet}!{cell}", "is_computed": False,
                                    "sheet": result.sheet, "cell": cell})


def reconcile(result: SheetResult, matcher: Matcher, report: Report, own: dict[str, float] | None = None) -> None:
    """Warn where a reported total differs from the sum of the units (and the level's own figure, `own`)."""
    if result.scope is None:
        return
    summing = {r.code for r in matcher.registry.children(result.scope)}
    by_code: dict[str, dict[str, Any]] = {}
    for o in result.observations:
        entry = by_code.setdefault(o["indicator_code"],
                                   {"sum": (own or {}).get(o["indicator_code"], 0.0), "n": 0, "total": None})
        if o["region_code"] == result.scope:
            entry["total"] = o
        elif o["region_code"] in summing:
            entry["sum"] += o["value"]
            entry["n"] += 1
    for code, e in by_code.items():
        total = e["total"]
        if total is None or e["n"] == 0:
            continue
        if matcher.registry.indicators[code].unit == "%":
            continue  # a rate's total is not the sum of the units' rates
        diff = total["value"] - e["sum"]
        if abs(diff) > RECONCILE_TOLERANCE * max(abs(total["value"]), 1e-9):
            name = matcher.registry.indicators[code].name_zh
            unit = matcher.registry.indicators[code].unit
            gap = f"{diff / total['value']:.1%}" if total["value"] else f"{abs(diff):,.2f}{unit}"  # a 合计 of 0
            report("warning", None, None, f"{total['value']:.4g}",
                   msg.total_differs(name, unit, total["origin"], total["value"], e["sum"], gap))
