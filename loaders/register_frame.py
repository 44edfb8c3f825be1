"""A big register sheet (tens of thousands of rows) read column by column in Polars.

Same rules as the row-by-row reader in tables.py, and the same messages (messages.py); each distinct value of a region,
date or amount column is interpreted once by the same scalar functions (cells.parse_date,
Matcher.region, cells.parse_number), then mapped over the column, so a 200,000-row list costs
little more than reading it.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from domain.model import REGISTER_FIELDS
from loaders import messages as msg
from loaders.cells import NotANumber, col_letter, is_blank, norm_text, parse_date, parse_number
from loaders.names import Matcher, agency_in, is_note
from loaders.sheet import ask_unit
from loaders.totals import TOTAL_WORDS, check_register_total, is_register_total

MAX_LISTED = 200  # problems listed one by one per kind; the rest are summed up in one line


def parse_register_frame(frame: pl.DataFrame, header_row: int, columns: dict[str, int], table: str,
                         money_factor: float, matcher: Matcher, result: Any, report: Any,
                         row_offset: int, col_offset: int, *, from_address: bool = False) -> None:
    """`frame`: every cell as text (c0, c1, …); `columns`: register field → frame column index;
    `from_address`: the region_code column is an address, the district read from it."""
    fields = REGISTER_FIELDS[table]
    name_c = f"c{columns['name']}"
    body = frame.slice(header_row + 1).with_row_index("r", offset=header_row + 1)
    name = pl.col(name_c).str.strip_chars()
    blank_name = name.is_null() | (name == "")
    named = body.filter(~blank_name)
    # A 合计 row is a check on the list, not a member.
    # Only names carrying a total's words can be one (TOTAL_LABELS, 合计/小计/…, 共20家): asking the matcher about
    # those alone keeps a 200,000-row list from going through it name by name.
    maybe = named.filter(name.str.replace_all(r"\s", "").str.contains(TOTAL_WORDS))[name_c].unique().to_list()
    totals = [v for v in maybe if is_register_total(v, matcher)]
    total_rows = named.filter(pl.col(name_c).is_in(totals)).iter_rows(named=True)
    named = named.filter(~pl.col(name_c).is_in(totals))
    width = len(frame.columns)
    checks = [([row.get(f"c{i}") for i in range(width)], row["r"]) for row in total_rows]

    # Rows without a name: notes, signature lines, or an error when they carry field values.
    for row in body.filter(blank_name).iter_rows(named=True):
        cells = [v for k, v in row.items() if k != "r" and not is_blank(v)]
        if not cells:
            continue
        if is_register_total(cells[0], matcher):  # 合计 in the 序号 column
            checks.append(([row.get(f"c{i}") for i in range(width)], row["r"]))
            continue
        if all(is_note(v) for v in cells):
            result.notes.append(cells[0])
            result.agency = result.agency or next(filter(None, map(agency_in, cells)), None)
            continue
        if any(not is_blank(row.get(f"c{c}")) for c in columns.values()):
            report("error", row["r"], columns["name"], "", msg.NO_NAME)

    out = named.select(
        (pl.col("r") + row_offset + 1).cast(pl.Int32).alias("row_no"),
        pl.format("{}!{}{}", pl.lit(result.sheet), pl.lit(col_letter(columns["name"] + col_offset)),
                  pl.col("r") + row_offset + 1).alias("origin"),
        pl.col("r"),
        *[pl.col(f"c{columns[f]}").alias(f) if f in columns else pl.lit(None, dtype=pl.String).alias(f)
          for f in fields],
    )
    listed: dict[str, int] = {}

    def problem(kind: str, severity: str, r: int, field: str, value: Any, message: str) -> None:
        listed[kind] = listed.get(kind, 0) + 1
        if listed[kind] <= MAX_LISTED:
            report(severity, r, columns.get(field), value, message)

    exprs = []
    for f, kind in fields.items():
        col = pl.col(f)
        if kind == "text":
            exprs.append(col.str.strip_chars().alias(f))
        elif kind == "region":
            read = matcher.region_in_address if from_address else matcher.unit_region
            mapping = {v: read(v) for v in out[f].drop_nulls().unique().to_list() if not is_blank(v)}
            for r, v in out.filter(col.is_in([k for k, code in mapping.items() if code is None]))\
                    .select("r", f).iter_rows():
                if from_address:
                    problem("region", "warning", r, f, v, msg.no_district_in_address(norm_text(v)))
                else:
                    ask_unit(report, matcher, r, columns.get(f), v)
            if f in columns:
                for (r,) in out.filter(col.is_null() | (col.str.strip_chars() == "")).select("r").iter_rows():
                    problem("no_region", "warning", r, f, "", msg.NO_UNIT)
            exprs.append(col.replace_strict(mapping, default=None, return_dtype=pl.String).alias(f))
        elif kind == "date":
            mapping = {v: parse_date(v) for v in out[f].drop_nulls().unique().to_list()}
            for r, v in out.filter(col.is_in([k for k, d in mapping.items() if d is None and not is_blank(k)]))\
                    .select("r", f).iter_rows():
                problem("date", "warning", r, f, v, msg.BAD_DATE)
            exprs.append(col.replace_strict(mapping, default=None, return_dtype=pl.Date).alias(f))
        elif kind == "money":
            fast = col.str.replace_all(",", "").str.strip_chars().cast(pl.Float64, strict=False)
            odd = out.filter(fast.is_null() & col.is_not_null())[f].unique().to_list()
            mapping: dict[str, float | None] = {}
            for v in odd:
                try:
                    mapping[v] = parse_number(v)[0]
                except NotANumber:
                    mapping[v] = None
                    for (r,) in out.filter(col == v).select("r").iter_rows():
                        problem("money", "error", r, f, v, msg.BAD_AMOUNT)
            fixed = col.replace_strict(mapping, default=None, return_dtype=pl.Float64) if mapping else pl.lit(None)
            exprs.append((pl.coalesce(fast, fixed) * money_factor).alias(f))
    out = out.with_columns(exprs)

    dup = out.with_columns(first=pl.col("row_no").min().over("name")).filter(pl.col("row_no") != pl.col("first"))
    for r, v, first in dup.select("r", "name", "first").iter_rows():
        problem("duplicate", "warning", r, "name", v, msg.repeated_name(first))
    for n in listed.values():
        if n > MAX_LISTED:
            report("warning", None, None, "", msg.more_of_the_same(n, MAX_LISTED))
    result.register_frame = out.drop("r")
    for cells, r in sorted(checks, key=lambda x: x[1]):
        check_register_total(cells, r, columns, fields, result.register_frame, money_factor, report)
