"""A small trend line of the last months, with each point's month and value on hover."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from charts.fmt import qty
from charts.theme import GRID, base_layout
from loaders.periods import month_label


def sparkline_figure(history: list[tuple[dt.date, float]], unit: str, decimals: int, color: str,
                     *, height: int = 80) -> go.Figure:
    months = [d for d, _ in history]
    values = [v for _, v in history]
    labels = [f"{month_label(d)}：{qty(v, unit, decimals)}" for d, v in history]
    fig = go.Figure(go.Scatter(x=months, y=values, mode="lines", line={"color": color, "width": 2},
                               hovertext=labels, hoverinfo="text", fill="tozeroy", fillcolor="rgba(0,0,0,0.04)"))
    if history:
        fig.add_trace(go.Scatter(x=[months[-1]], y=[values[-1]], mode="markers", marker={"color": color, "size": 7},
                                 hovertext=[labels[-1]], hoverinfo="text"))
        low, high = min(values), max(values)
        pad = (high - low) * 0.15 or abs(high) * 0.05 or 1
        fig.update_yaxes(range=[low - pad, high + pad])
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, gridcolor=GRID)
    fig.update_layout(showlegend=False, hovermode="closest")
    return base_layout(fig, height=height, margin={"l": 0, "r": 0, "t": 4, "b": 4})
