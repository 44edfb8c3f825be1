"""Find the table inside one sheet and turn it into observations or register rows (pure).

A sheet, as agencies send it: title rows (with the period), a 单位 line, a header row, one row per
region (or per entity, for a register), a 合计 row anywhere, then notes. Everything found is
returned together with the problems, each tied to its cell.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import polars as pl

from domain.months import month_end, month_label, month_of
from loaders import crosstab
from loaders import messages as msg
from loaders.cells import NotANumber, a1, is_blank, norm_text, parse_date, parse_number, quiet_number
from loaders.names import (
    GROUP_TOTAL_HEADINGS,
    NOT_PERIOD_PREFIXES,
    ROW_NUMBER_HEADINGS,
    Matcher,
    agency_in,
    heading_key,
    indicator_key,
    is_column_key_row,
    is_note,
    region_key,
)
from loaders.periods import current_month, find_period, in_future
from loaders.questions import Suggestion
from loaders.register_frame import parse_register_frame
from loaders.sheet import (
    Cell,
    Column,
    Layout,
    Report,
    SheetResult,
    ask_unit,
    column_unit,
    emit_observations,
    heading_columns,
    is_part,
    number_at,
    reconcile,
    report_future_month,
    title_indicator,
)
from loaders.totals import check_register_total, is_register_total
from loaders.units import unit_in_heading, unit_line

HEADER_SEARCH_ROWS = 30
FIELD_TYPES = {"text": pl.String, "region": pl.String, "date": pl.Date, "money": pl.Float64}


def register_schema(table: str) -> dict[str, Any]:
    from domain.model import REGISTER_FIELDS

    return {"row_no": pl.Int32, "origin": pl.String, **{f: FIELD_TYPES[k] for f, k in REGISTER_FIELDS[table].items()}}


def _ask_heading(report: Report, matcher: Matcher, r: int, c: int, heading: str, codes: tuple[str, ...],
                 scores: tuple[float, ...]) -> None:
    inds = matcher.registry.indicators
    report.ask("indicator", r, c, heading, indicator_key(heading),
               [Suggestion(code, inds[code].name_zh, score) for code, score in zip(codes, scores, strict=False)])


def _ask_region(report: Report, matcher: Matcher, r: int, c: int, label: Any) -> None:
    regions = matcher.registry.regions
    report.ask("region", r, c, label, region_key(label),
               [Suggestion(code, regions[code].name, score) for code, score in matcher.region_suggestions(label)])


def _period_suggestions(texts: list[str]) -> list[Suggestion]:
    """The months a sheet may be of: those its title, sheet name or file name name, else the last three
    months before this one; latest first."""
    found = {p for p in (find_period(t) for t in texts) if p is not None and not in_future(p)}
    score = 100.0
    if not found:
        month = current_month()
        for _ in range(3):
            month = month_end(month.year - (month.month == 1), 12 if month.month == 1 else month.month - 1)
            found.add(month)
        score = 50.0
    return [Suggestion(f"{p:%Y-%m}", month_label(p), score) for p in sorted(found, reverse=True)]


def parse_sheet(sheet_name: str, rows: list[list[Any]], file_name: str, matcher: Matcher, *,
                frame: pl.DataFrame | None = None, row_offset: int = 0, col_offset: int = 0) -> SheetResult:
    """`rows`: the sheet's cells; for a big sheet, its head only, with every cell as text in `frame`."""
    if frame is not None:
        layout = _find_layout(rows, matcher, sheet_name)
        if layout is None or layout.kind != "register":
            # Not a register: read it like any sheet, as text, each cell at its place in the sheet.
            full = [[None] * col_offset + [None if v in (None, "") else v for v in r] for r in frame.rows()]
            return parse_sheet(sheet_name, [[] for _ in range(row_offset)] + full, file_name, matcher)
    result = SheetResult(sheet=sheet_name, kind="empty")
    report = Report(file_name, sheet_name, result.problems, row_offset, col_offset, result.questions)
    if not any(not is_blank(v) for row in rows for v in row):
        return result

    layout = crosstab.reorient(rows, _find_layout(rows, matcher, sheet_name), matcher, sheet_name, file_name)
    if layout is None:
        result.kind = "unrecognised"
        return result
    header_row = layout.header_row

    # Title block: period, unit line, agency; the file name is the fallback for the period.
    sheet_unit = None
    period_at: tuple[int | None, int | None, Any] = (None, None, "")  # where the period was read
    months: set[dt.date] = set()  # every month the lines above the table name
    for r in range(layout.first_row):
        for c, v in enumerate(rows[r]):
            if is_blank(v):
                continue
            text = norm_text(v)
            named = None if text.startswith(NOT_PERIOD_PREFIXES) else find_period(text)
            months |= {named} if named else set()
            if result.period is None and named:
                result.period = named
                period_at = (r, c, v)
            sheet_unit = sheet_unit or unit_line(text)
            result.agency = result.agency or agency_in(text)
    for name in (sheet_name, file_name):  # the fallbacks: the title's month wins over them
        if result.period is None:
            result.period, period_at = find_period(name), (None, None, name)
    answered = matcher.answered_period(sheet_name)
    if answered is not None:  # the analyst's answer for this file
        result.period, period_at = answered, (None, None, month_label(answered))
    # Two months above the table (a title's 10月, a 统计时点 of 9月末): which the figures are of is asked.
    ambiguous = sorted({m for m in months if not in_future(m)}, reverse=True) if answered is None else []

    body = range(header_row + 1, len(rows))
    data_rows: list[int] = []
    for r in body:
        cells = [v for v in rows[r] if not is_blank(v)]
        if not cells:
            continue
        first = cells[0]
        # A note spans the row: one cell, one merged cell repeated by fill_merged, or a signature line
        # spread over several cells (填报人：… 审核人：… 联系电话：…).
        if all(isinstance(v, str) and is_note(v) for v in cells):
            result.notes.append(norm_text(first))
            result.agency = result.agency or next(filter(None, map(agency_in, cells)), None)
            unit = unit_line(first)
            sheet_unit = sheet_unit or unit
            continue
        data_rows.append(r)

    if layout.kind in crosstab.KINDS:
        result.kind = "table"
        crosstab.parse(rows, layout, data_rows, matcher, result, report, sheet_unit, file_name)
        crosstab.settle_flows(rows, layout, matcher, result, report, file_name)
        return result
    if layout.kind in ("region_columns", "period_columns"):
        result.kind = "table"
        _parse_series(rows, layout, data_rows, matcher, result, report, sheet_unit,
                      _title_year(rows, layout.first_row, sheet_name))
        crosstab.settle_flows(rows, layout, matcher, result, report, file_name)
        return result
    if len(ambiguous) > 1:
        report.ask("period", *period_at, f"{matcher.file_key}!{sheet_name}",
                   [Suggestion(f"{p:%Y-%m}", month_label(p), 100.0) for p in ambiguous])
        result.period = None  # nothing read until the month is answered
    elif result.period is None:
        titles = [norm_text(v) for r in range(layout.first_row) for v in rows[r] if isinstance(v, str)]
        report.ask("period", None, None, titles[0] if titles else sheet_name, f"{matcher.file_key}!{sheet_name}",
                   _period_suggestions([*titles, sheet_name, file_name]))
    elif in_future(result.period):
        report("error", *period_at, msg.future_period(month_label(result.period), month_label(current_month())))
    if layout.register:
        result.kind = "register"
        _parse_register(rows, header_row, data_rows, layout.register, matcher, result, report, sheet_unit,
                        frame=frame, offsets=(row_offset, col_offset))
    else:
        result.kind = "table"
        _parse_wide(rows, layout, data_rows, matcher, result, report, sheet_unit)
        crosstab.settle_flows(rows, layout, matcher, result, report, file_name)
    return result


def _codes(columns: list[Column]) -> set[str]:
    return {col.code for col in columns if col.code}


def _has_sub_headings(upper: list[Any], lower: list[Any], matcher: Matcher) -> bool:
    """A group heading naming an indicator with 总数 / 小计 / 其中：… beneath it."""
    for c, u in enumerate(upper):
        low = lower[c] if c < len(lower) else None
        sub = isinstance(low, str) and (is_part(norm_text(low)) or heading_key(low) in GROUP_TOTAL_HEADINGS)
        if sub and not is_blank(u) and matcher.indicator(u):
            return True
    return False


def _title_year(rows: list[list[Any]], upto: int, sheet_name: str) -> int | None:
    for r in range(upto):
        for v in rows[r]:
            if isinstance(v, str):
                m = re.search(r"(20\d{2})年", norm_text(v))
                if m:
                    return int(m[1])
    m = re.search(r"(20\d{2})", sheet_name)
    return int(m[1]) if m else None


def cell_period(value: Any, year: int | None) -> dt.date | None:
    """A month heading or label: a date cell, 2026年3月, 2026-03, or 3月 with the year from the title."""
    if isinstance(value, (dt.date, dt.datetime)):
        return month_of(value)
    if not isinstance(value, str):
        return None
    text = norm_text(value)
    found = find_period(text)
    if found:
        return found
    m = re.fullmatch(r"(\d{1,2})月(?:末|份)?", text)
    if m and year and 1 <= int(m[1]) <= 12:
        return month_end(year, int(m[1]))
    return None


def _find_layout(rows: list[list[Any]], matcher: Matcher, sheet_name: str) -> Layout | None:
    question_row = None  # the first row of headings only near an indicator, with regions under it
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [v for v in row if isinstance(v, str) and not is_blank(v)]
        if not texts and not any(isinstance(v, (dt.date, dt.datetime)) for v in row):
            continue
        for table in matcher.registry.registers:
            fields = {matcher.register_field(table, t) or ("address" if matcher.is_address(table, t) else None)
                      for t in texts} - {None}
            if "name" in fields and len(fields) >= 2:
                return Layout("register", r, r, row, register=table)
        if len({norm_text(v) for v in row if not is_blank(v)}) < 2:
            continue  # one text, or one merged across: a title (科技型企业贷款余额表), never a header
        columns = heading_columns(None, row, matcher)
        single = len(_codes(columns))
        if question_row is None and any(col.suggestions for col in columns) and _regions_below(rows, r, matcher):
            question_row = r
        if r + 1 < len(rows):
            # Two header rows when joining them names more indicators than either row alone (not a 单位 line
            # glued onto the real header below it), or when group headings have 总数 / 其中 beneath them.
            below = len(_codes(heading_columns(None, rows[r + 1], matcher)))
            double = len(_codes(heading_columns(row, rows[r + 1], matcher)))
            if double > max(single, below) or (double >= single > 0 and _has_sub_headings(row, rows[r + 1], matcher)):
                return Layout("wide", r, r + 1, rows[r + 1], upper=row)
        if single:
            return Layout("wide", r, r, row)
        regions = sum(1 for t in texts if matcher.region(t))
        year = _title_year(rows, r, sheet_name)
        periods = sum(1 for v in row if cell_period(v, year))
        if regions >= 2 or periods >= 2:
            indicator = title_indicator(rows, r, sheet_name, matcher)
            if indicator:
                kind = "region_columns" if regions >= 2 else "period_columns"
                return Layout(kind, r, r, row, indicator=indicator)
    if question_row is not None:
        # Only uncertain headings over region rows: a table all the same, so each heading is asked at its cell.
        return Layout("wide", question_row, question_row, rows[question_row])
    return None


def _regions_below(rows: list[list[Any]], r: int, matcher: Matcher) -> bool:
    return any(matcher.region(v) for row in rows[r + 1:r + 6] for v in row if isinstance(v, str))


def _parse_wide(rows: list[list[Any]], layout: Layout, data_rows: list[int], matcher: Matcher,
                result: SheetResult, report: Report, sheet_unit: str | None) -> None:
    header_row = layout.header_row
    columns: dict[int, tuple[str, float]] = {}
    known: set[int] = set()  # columns naming an indicator, read or (a second column for it) not
    specs = heading_columns(layout.upper, layout.headings, matcher)
    for col in specs:
        if col.code is None:
            if col.suggestions:
                known.add(col.c)
                written = layout.headings[col.c] if col.c < len(layout.headings) and not layout.upper else None
                _ask_heading(report, matcher, header_row, col.c, col.heading if is_blank(written) else written,
                             col.suggestions, col.scores)
            elif col.quiet:
                known.add(col.c)
            continue
        known.add(col.c)
        if col.code in {k for k, _ in columns.values()}:
            if not col.quiet:
                report("warning", header_row, col.c, col.heading, msg.REPEATED_INDICATOR)
            continue
        canonical = matcher.registry.indicators[col.code].unit
        columns[col.c] = (col.code, column_unit(col.unit_text, canonical, sheet_unit, report, header_row, col.c))

    region_col = _region_column(rows, header_row, data_rows, set(columns), matcher)
    skipped = [col.heading for col in specs if col.c not in known and col.c != region_col
               and col.heading not in ROW_NUMBER_HEADINGS]
    if skipped:
        report("warning", header_row, None, "、".join(skipped), msg.skipped_columns(skipped))

    unit_rows: list[tuple[int, str]] = []
    total_rows: list[tuple[int, str | None]] = []
    own_rows: list[int] = []  # 市本级: no member, but part of the total
    for i, r in enumerate(data_rows):
        label = rows[r][region_col] if region_col < len(rows[r]) else None
        values_present = any(not is_blank(rows[r][c]) for c in columns if c < len(rows[r]))
        if i == 0 and is_column_key_row(rows[r]):  # 栏次 | 1 | 2 | 3=1+2 right under the header
            continue
        if is_blank(label):
            if values_present:
                report("error", r, region_col, label, msg.VALUES_WITHOUT_REGION)
            continue
        is_total, named = matcher.total(label)
        if is_total:
            total_rows.append((r, named))
            continue
        code = matcher.region(label)
        if code is None:
            role = matcher.not_a_member(label)
            if role == "own_level":
                own_rows.append(r)
            elif role is not None or not values_present:
                result.notes.append(norm_text(label))
            else:  # a name the reader does not know: asked, the row not read until answered
                _ask_region(report, matcher, r, region_col, label)
            continue
        unit_rows.append((r, code))

    parents = {matcher.registry.regions[code].parent for _, code in unit_rows}
    scope = parents.pop() if len(parents) == 1 else None
    result.scope = scope
    cells: list[Cell] = []

    def read(r: int, region: str) -> None:
        for c, (code, mult) in columns.items():
            number = number_at(rows, r, c, report)
            if number is not None and result.period is not None:
                cells.append(Cell(r, c, code, region, result.period, *number, mult))

    for r, code in unit_rows:
        read(r, code)
    for r, named in total_rows:
        region = scope or named
        if region is None:
            report("error", r, region_col, rows[r][region_col], msg.TOTAL_WITHOUT_REGION)
            continue
        read(r, region)
    emit_observations(cells, matcher, result)
    if any(q.kind == "region" for q in result.questions):
        return  # a row still to be answered is in the 合计: no check of the sum until it is
    # The level's own figure (市本级) is in the total but no member: added to the units' sum for the check.
    own: dict[str, float] = {}
    for r in own_rows:
        for c, (code, mult) in columns.items():
            number = quiet_number(rows[r][c] if c < len(rows[r]) else None)
            if number is not None:
                own[code] = own.get(code, 0.0) + number * mult
    reconcile(result, matcher, report, own)


def _parse_series(rows: list[list[Any]], layout: Layout, data_rows: list[int], matcher: Matcher,
                  result: SheetResult, report: Report, sheet_unit: str | None, year: int | None) -> None:
    """One indicator by region and month: regions across and months down, or months across and regions down."""
    code = layout.indicator or ""
    ind = matcher.registry.indicators[code]
    title_unit = next((unit_in_heading(norm_text(v)) for r in range(layout.first_row) for v in rows[r]
                       if isinstance(v, str) and unit_in_heading(norm_text(v))), None)
    mult = column_unit(f"（{title_unit}）" if title_unit else "", ind.unit, sheet_unit, report,
                        layout.first_row, 0)
    regions_across = layout.kind == "region_columns"
    # What each header cell names: a region (or 合计), or a month.
    across: dict[int, Any] = {}
    for c, heading in enumerate(layout.headings):
        if is_blank(heading):
            continue
        if regions_across:
            is_total, named = matcher.total(heading)
            key = ("total", named) if is_total else matcher.region(heading)
        else:
            key = cell_period(heading, year)
        if key is not None and not regions_across and in_future(key):
            report_future_month(report, layout.header_row, c, heading, key)
        elif key is not None:
            across[c] = key
    label_col = min((c for c in range(len(layout.headings)) if c not in across), default=0)
    region_codes = [k for k in across.values() if isinstance(k, str)]
    unit_rows: list[tuple[int, Any]] = []
    for r in data_rows:
        label = rows[r][label_col] if label_col < len(rows[r]) else None
        if regions_across:
            key = cell_period(label, year)
        else:
            is_total, named = matcher.total(label)
            key = ("total", named) if is_total else matcher.region(label)
        has_values = any(c < len(rows[r]) and not is_blank(rows[r][c]) for c in across)
        if key is None and (matcher.not_a_member(label) or (not unit_rows and is_column_key_row(rows[r]))):
            continue  # 市本级, 县区合计, 栏次, a note: no region and no month
        if key is None:
            if has_values and regions_across:
                report("error", r, label_col, label, msg.unknown_month(norm_text(label)))
            elif has_values:  # a name the reader does not know: asked, the row not read until answered
                _ask_region(report, matcher, r, label_col, label)
            continue
        if regions_across and in_future(key):
            report_future_month(report, r, label_col, label, key)
            continue
        unit_rows.append((r, key))
        if not regions_across and isinstance(key, str):
            region_codes.append(key)
    parents = {matcher.registry.regions[code].parent for code in region_codes}
    scope = parents.pop() if len(parents) == 1 else None
    result.scope = scope
    cells: list[Cell] = []
    for r, row_key in unit_rows:
        for c, col_key in across.items():
            region_key, period = (col_key, row_key) if regions_across else (row_key, col_key)
            if isinstance(region_key, tuple):
                region = scope or region_key[1]
                if region is None:
                    continue
            else:
                region = region_key
            number = number_at(rows, r, c, report)
            if number is not None:
                cells.append(Cell(r, c, code, region, period, *number, mult))
    emit_observations(cells, matcher, result)
    periods = [o["period"] for o in result.observations]
    result.period = max(periods) if periods else result.period
    if result.period is None:
        report("error", None, None, "", msg.NO_MONTHS)


def _region_column(rows: list[list[Any]], header_row: int, data_rows: list[int], taken: set[int],
                   matcher: Matcher) -> int:
    """The column whose cells name regions (or 合计) most often; the first free column by default."""
    width = max((len(rows[r]) for r in [header_row, *data_rows]), default=0)
    best, best_hits = None, -1
    for c in range(width):
        if c in taken:
            continue
        hits = sum(1 for r in data_rows if c < len(rows[r]) and (matcher.region(rows[r][c]) or
                                                                  matcher.total(rows[r][c])[0]))
        if hits > best_hits:
            best, best_hits = c, hits
    return best if best is not None else 0


def _parse_register(rows: list[list[Any]], header_row: int, data_rows: list[int], table: str,
                    matcher: Matcher, result: SheetResult, report: Report, sheet_unit: str | None, *,
                    frame: pl.DataFrame | None = None, offsets: tuple[int, int] = (0, 0)) -> None:
    from domain.model import REGISTER_FIELDS

    result.register_table = table
    fields = REGISTER_FIELDS[table]
    header = rows[header_row]
    columns: dict[str, int] = {}
    money_factor = 1.0
    for c, heading in enumerate(header):
        f = matcher.register_field(table, heading) if not is_blank(heading) else None
        if f is None or f in columns:
            continue
        columns[f] = c
        if fields[f] == "money":
            money_factor = column_unit(heading, "亿元", sheet_unit, report, header_row, c)
    # A heading near the names of a field not found (机构所在区域 for 所在区): asked, the column unread.
    asked = set()
    for c, heading in enumerate(header):
        near = [] if is_blank(heading) or c in columns.values() else matcher.register_field_guess(
            table, heading, [f for f in fields if f not in columns])
        if near:
            labels = matcher.registry.registers[table].columns
            report.ask("register_field", header_row, c, heading, heading_key(heading),
                       [Suggestion(f, labels[f][0], score) for f, score in near])
            asked |= {f for f, _ in near}
    # No district column: the district is read from an address column (武汉市洪山区珞喻路… → 洪山区).
    address = None
    if "region_code" not in columns:
        address = next((c for c, h in enumerate(header) if not is_blank(h) and matcher.is_address(table, h)), None)
        if address is None and "region_code" in asked:
            return  # which column is the district is asked first
        if address is None:
            report("error", header_row, None, "", msg.NO_REGION_COLUMN)
            return
        columns["region_code"] = address
    if frame is not None:
        parse_register_frame(frame, header_row, columns, table, money_factor, matcher, result, report, *offsets,
                             from_address=address is not None)
        register_counts(result, matcher)
        return
    name_col = columns["name"]
    seen: dict[str, int] = {}
    records: list[dict[str, Any]] = []
    totals: list[int] = []
    for r in data_rows:
        row = rows[r]
        name = row[name_col] if name_col < len(row) else None
        label = next((v for v in row if not is_blank(v)), None)  # 合计 may stand in the 序号 column
        if is_register_total(name if not is_blank(name) else label, matcher):
            totals.append(r)  # a check on the list, not a member of it
            continue
        if is_blank(name):
            # Only the fields count: a template's pre-numbered 序号 column alone is an unused row.
            if any(c < len(row) and not is_blank(row[c]) for c in columns.values()):
                report("error", r, name_col, name, msg.NO_NAME)
            continue
        record: dict[str, Any] = {"row_no": r + 1, "origin": f"{result.sheet}!{a1(r, name_col)}"}
        for f, kind in fields.items():
            c = columns.get(f)
            raw = row[c] if c is not None and c < len(row) else None
            if f == "region_code" and address is not None:
                record[f] = _region_from_address(raw, r, c, matcher, report)
            else:
                record[f] = _register_value(kind, raw, r, c, matcher, report, money_factor)
        key = norm_text(name)
        if key in seen:
            report("warning", r, name_col, name, msg.repeated_name(seen[key]))
        seen[key] = r + 1
        records.append(record)
    result.register_frame = pl.DataFrame(records, schema=register_schema(table))
    for r in totals:
        check_register_total(rows[r], r, columns, fields, result.register_frame, money_factor, report)
    register_counts(result, matcher)


def _region_from_address(raw: Any, r: int, c: int | None, matcher: Matcher, report: Report) -> str | None:
    if is_blank(raw):
        report("warning", r, c, raw, msg.NO_UNIT)
        return None
    code = matcher.region_in_address(raw)
    if code is None:
        report("warning", r, c, raw, msg.no_district_in_address(norm_text(raw)))
    return code


def _register_value(kind: str, raw: Any, r: int, c: int | None, matcher: Matcher, report: Report,
                    money_factor: float) -> Any:
    if is_blank(raw):
        if kind == "region" and c is not None:
            report("warning", r, c, raw, msg.NO_UNIT)
        return None
    if kind == "text":
        return norm_text(raw) if not isinstance(raw, str) else raw.strip()
    if kind == "region":
        code = matcher.unit_region(raw)
        if code is None:
            ask_unit(report, matcher, r, c, raw)
        return code
    if kind == "date":
        day = parse_date(raw)
        if day is None:
            report("warning", r, c, raw, msg.BAD_DATE)
        return day
    if kind == "money":
        try:
            value, _ = parse_number(raw)
        except NotANumber as e:
            report("error", r, c, raw, msg.bad_amount(e.reason, e.digits))
            return None
        return None if value is None else value * money_factor
    raise ValueError(kind)


def register_counts(result: SheetResult, matcher: Matcher) -> None:
    """The register's rows, counted or summed by unit and for the city, as observations."""
    spec = matcher.registry.registers[result.register_table or ""]
    city = matcher.registry.city
    frame = result.register_frame
    if result.period is None or frame is None:
        return
    for y in spec.yields:
        rows = frame if y.where_column is None else frame.filter(pl.col(y.where_column).is_in(list(y.where_in)))
        total = pl.len().cast(pl.Float64) if y.how == "count" else pl.col(y.column or "").fill_null(0.0).sum()
        by_unit = (rows.filter(pl.col("region_code").is_not_null() & (pl.col("region_code") != city))
                   .group_by("region_code").agg(total.alias("value")).sort("region_code"))
        whole = rows.select(total.alias("value")).item() if rows.height else 0.0
        origin = f"{spec.label}（{result.sheet}，{rows.height}行）"
        for region, value in [(city, whole or 0.0), *by_unit.iter_rows()]:
            result.observations.append({"indicator_code": y.indicator, "region_code": region, "period": result.period,
                                        "value": round(value, 6), "origin": origin, "is_computed": True,
                                        "sheet": result.sheet, "cell": None})
