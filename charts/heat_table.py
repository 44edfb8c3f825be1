"""Units × indicators as a coloured table (y/y growth or sub-target completion); the plain tables the district
pages show beside it are presentation.units'."""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go
import polars as pl

from charts.theme import MUTED, base_layout, standalone
from domain.model import Registry
from presentation.fmt import pct, signed_pct, signed_points, why_missing

MISSING_FILL = "#f3f4f6"


def growth_cap(values: list[float]) -> float:
    """Where the growth colours stop deepening: the 90th percentile of |growth|, rounded up to 5%.

    One unit doubling from a small base (+220%) would otherwise leave every other cell pale.
    """
    if not values:
        return 0.1
    ordered = sorted(abs(v) for v in values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return max(0.05, math.ceil(p90 * 20) / 20)


def _cell_text(measure: str, row: dict[str, Any]) -> str:
    if row["measure"] is not None:
        if measure != "yoy":
            return pct(row["measure"], 0)
        return signed_points(row["measure"] * 100) if row.get("in_points") else signed_pct(row["measure"])
    if row["value"] is None:
        return why_missing(row)
    return "无分解目标" if measure == "subtarget_completion" else "—"


def heat_table_figure(matrix: pl.DataFrame, registry: Registry, *, measure: str = "yoy", selected: str | None = None,
                      title: str, as_of: str, source: str) -> go.Figure:
    """`matrix`: metrics.districts.heat_matrix (long form). Growth: diverging around 0, red = falling;
    completion: 0 → 100% and beyond on one blue scale. Every cell also prints its number."""
    units = list(dict.fromkeys(matrix["region_code"].to_list()))
    indicators = list(dict.fromkeys(matrix["indicator_code"].to_list()))
    cells = {(r["region_code"], r["indicator_code"]): r for r in matrix.iter_rows(named=True)}
    z, text = [], []
    for code in units:
        z.append([cells[(code, i)]["measure"] for i in indicators])
        text.append([_cell_text(measure, cells[(code, i)]) for i in indicators])
    present = [v for v in matrix["measure"].to_list() if v is not None]
    if measure == "yoy":
        top = growth_cap(present)
        colors: dict[str, Any] = {"colorscale": "RdBu", "zmin": -top, "zmax": top, "zmid": 0}
        tickformat = "+.0%"
    else:
        colors = {"colorscale": "Blues", "zmin": 0, "zmax": max([1.0, *present])}
        tickformat = ".0%"
    y_labels = [("▶ <b>" + registry.regions[c].short + "</b>") if c == selected else registry.regions[c].short
                for c in units]
    x_labels = [registry.indicators[i].short_zh for i in indicators]
    fig = go.Figure(go.Heatmap(
        z=z, x=x_labels, y=y_labels, text=text, texttemplate="%{text}", textfont={"size": 12},
        hovertemplate="%{y} · %{x}：%{text}<extra></extra>", xgap=2, ygap=2, **colors,
        colorbar={"tickformat": tickformat, "thickness": 12, "len": 0.6,
                  "title": {"text": "同比" if measure == "yoy" else "完成", "side": "top"}}))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 13})
    fig.update_xaxes(side="top", tickfont={"size": 12})
    base_layout(fig, height=150 + 30 * len(units), margin={"l": 10, "r": 10, "t": 110, "b": 60})
    fig.update_layout(plot_bgcolor=MISSING_FILL)  # gaps (no value) show as grey, with their text
    fig.add_annotation(text="灰色：未报送或无数据；—：无法计算（上年同月无数据或为0）；颜色在±" + pct(colors["zmax"], 0)
                       + "处封顶" if measure == "yoy" else "灰色：未报送或无数据", x=1, y=0, xref="paper", yref="paper", xanchor="right",
                       yanchor="top", yshift=-28, showarrow=False, font={"size": 11, "color": MUTED})
    return standalone(fig, title=title, unit=None, as_of=as_of, source=source)
