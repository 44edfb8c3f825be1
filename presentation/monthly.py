"""One indicator's months (metrics.changes.monthly_table) as the indicator page's table."""

from __future__ import annotations

import polars as pl

from domain.model import Indicator
from domain.months import month_label
from presentation.fmt import num, signed_pct, signed_qty
from presentation.labels import DERIVATION


def monthly_rows(table: pl.DataFrame, ind: Indicator) -> pl.DataFrame:
    """Chinese headings, formatted text, newest first; relative changes of a % indicator read "—"."""
    pp = ind.unit == "%"
    rows = []
    for r in table.iter_rows(named=True):
        rows.append({
            "月份": month_label(r["period"]),
            f"数值（{ind.unit}）": num(r["value"], ind.decimals),
            "环比": signed_qty(r["mom"], ind.unit, ind.decimals),
            "环比增速": "—" if pp else signed_pct(r["mom_rel"]),
            "同比": signed_qty(r["yoy"], ind.unit, ind.decimals),
            "同比增速": "—" if pp else signed_pct(r["yoy_rel"]),
            "来源": f"{r['agency']}《{r['file_name']}》{r['origin']}"
                    + ("" if r["derivation"] == "reported" else f"（{DERIVATION[r['derivation']]}）"),
        })
    schema = {"月份": pl.String, f"数值（{ind.unit}）": pl.String, "环比": pl.String, "环比增速": pl.String,
              "同比": pl.String, "同比增速": pl.String, "来源": pl.String}
    return pl.DataFrame(rows, schema=schema)
