"""One small trend line per unit, ordered by the latest value (largest first): on one vertical scale from zero, to
compare sizes, or each on its own, to see every unit's trend (on a shared scale a small unit's line is flat)."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from charts.theme import GRID, INK, MUTED, base_layout, standalone
from domain.model import Registry
from domain.months import month_label
from presentation.fmt import qty
from presentation.labels import NOT_REPORTED

LINE = "#2563eb"
LINE_SELECTED = "#111827"


def small_multiples_figure(histories: pl.DataFrame, registry: Registry, *, indicator: str,
                           selected: str | None = None, title: str, as_of: str, source: str,
                           cols: int = 4, shared_scale: bool = True) -> go.Figure:
    """`histories`: metrics.districts.unit_histories (region_code, order, period, value)."""
    ind = registry.indicators[indicator]
    units = histories.select("region_code", "order").unique().sort("order")["region_code"].to_list()
    rows = math.ceil(len(units) / cols) or 1
    titles = []
    for code in units:
        own = histories.filter((pl.col("region_code") == code) & pl.col("value").is_not_null())
        short = registry.regions[code].short
        latest = qty(own["value"][-1], ind.unit, ind.decimals) if own.height else NOT_REPORTED
        titles.append(f"<b>{short}</b>　{latest}" if code == selected else f"{short}　{latest}")
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, shared_xaxes=True,
                        shared_yaxes="all" if shared_scale else False, vertical_spacing=0.09,
                        horizontal_spacing=0.03 if shared_scale else 0.06)
    values = histories.get_column("value").drop_nulls()
    high = float(values.max()) if len(values) else 1.0  # type: ignore[arg-type]
    low = min(0.0, float(values.min()) if len(values) else 0.0)  # type: ignore[arg-type]
    missing = []
    for i, code in enumerate(units):
        r, c = divmod(i, cols)
        own = histories.filter((pl.col("region_code") == code) & pl.col("value").is_not_null())
        if not own.height:
            missing.append(i)
            continue
        color = LINE_SELECTED if code == selected else LINE
        hover = [f"{registry.regions[code].name} {month_label(d)}：{qty(v, ind.unit, ind.decimals)}"
                 for d, v in own.select("period", "value").iter_rows()]
        fig.add_trace(go.Scatter(x=own["period"].to_list(), y=own["value"].to_list(), mode="lines",
                                 line={"color": color, "width": 3 if code == selected else 2},
                                 fill="tozeroy" if shared_scale else None, fillcolor="rgba(37,99,235,0.08)",
                                 hovertext=hover, hoverinfo="text", showlegend=False), row=r + 1, col=c + 1)
    # Ticks as officials write numbers (1,500, not 1.5k); an own scale spans the unit's own values.
    fig.update_yaxes(gridcolor=GRID, tickformat=",", tickfont={"size": 9, "color": MUTED}, nticks=4)
    if shared_scale:
        fig.update_yaxes(range=[low, high * 1.08 if high > 0 else 1])
    fig.update_xaxes(showticklabels=False, showgrid=False)
    fig.update_annotations(font={"size": 12, "color": INK})  # the panel titles
    for i in missing:
        suffix = i + 1 if i else ""
        fig.add_annotation(text=NOT_REPORTED, showarrow=False, font={"color": MUTED, "size": 12},
                           xref=f"x{suffix} domain", yref=f"y{suffix} domain", x=0.5, y=0.5)
    fig.update_layout(hovermode="closest")
    base_layout(fig, height=120 + 130 * rows, margin={"l": 10, "r": 10, "t": 90, "b": 60})
    return standalone(fig, title=title, unit=ind.unit, as_of=as_of, source=source)
