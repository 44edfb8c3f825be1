"""The registers behind the counts, as a unit's page browses them: which fields, their headings, search (pure)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.model import Registry

# Which fields each register shows, in order (the table's other columns are bookkeeping).
REGISTER_VIEW = {
    "institutions": ["name", "type", "parent_org", "opened_on"],
    "seed_firms": ["name", "category", "tier", "industry", "selected_on"],
    "funds": ["name", "type", "manager", "size_yi_yuan", "registered_on"],
}


def register_headings(registry: Registry, table: str) -> dict[str, str]:
    """Field → Chinese column heading: the first alias in registers.toml (what our templates write)."""
    spec = registry.registers[table]
    out = {}
    for field in REGISTER_VIEW[table]:
        heading = spec.columns.get(field, (field,))[0]
        out[field] = f"{heading}（亿元）" if field == "size_yi_yuan" else heading
    return out


def register_for_unit(rows: pl.DataFrame, registry: Registry, table: str, region_code: str,
                      as_of: dt.date) -> tuple[pl.DataFrame, dt.date | None]:
    """The unit's rows in the latest register on or before `as_of` (rows: Store.register_rows(table)),
    with regions it reports for (汉南区 → 武汉经开区); and the month of that register."""
    dated = rows.filter(pl.col("period") <= as_of)
    if dated.is_empty():
        return rows.head(0).select(REGISTER_VIEW[table]), None
    month = dated.get_column("period").max()
    codes = [region_code, *(r.code for r in registry.regions.values() if r.reported_by == region_code)]
    mine = dated.filter((pl.col("period") == month) & pl.col("region_code").is_in(codes))
    return mine.sort("row_no").select(REGISTER_VIEW[table]), month  # type: ignore[return-value]


def search_rows(frame: pl.DataFrame, text: str) -> pl.DataFrame:
    """Rows whose any text column contains `text` (case-insensitive, literal); all rows when blank."""
    needle = text.strip().lower()
    text_cols = [c for c, t in frame.schema.items() if t == pl.String]
    if not needle or not text_cols:
        return frame
    hit = pl.any_horizontal([pl.col(c).str.to_lowercase().str.contains(needle, literal=True).fill_null(False)
                             for c in text_cols])
    return frame.filter(hit)
