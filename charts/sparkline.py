"""A small trend line of the last months, with each point's month and value on hover.

Two forms. Without `title` the compact line of a card (the card around it says what it is). With
`title` it stands alone (charts.theme.standalone): title, 截至… and unit, the first and the latest value
written at the ends of the line, the months on the axis, the status as symbol and label after the
latest value, and the source line.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from charts.theme import GRID, MUTED, base_layout, standalone
from domain.model import StatusStyle
from domain.months import month_label
from presentation.fmt import as_of_label, num, qty, status_text


def sparkline_figure(history: list[tuple[dt.date, float]], unit: str, decimals: int, color: str,
                     *, height: int | None = None, title: str | None = None, source: str | None = None,
                     status: StatusStyle | None = None) -> go.Figure:
    """`history`: (month, value), oldest first. `title` makes the figure stand alone (its source line is
    `source`, its dating line the latest month); `status` labels the latest value (▲ 需加快)."""
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
    fig.update_layout(showlegend=False, hovermode="closest")
    if title is None:
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False, gridcolor=GRID)
        return base_layout(fig, height=height or 80, margin={"l": 0, "r": 0, "t": 4, "b": 4})

    if history:
        end = f"<b>{num(values[-1], decimals)}</b>" + (f"<br>{status_text(status)}" if status else "")
        fig.add_annotation(x=months[-1], y=values[-1], text=end, showarrow=False, xanchor="left", xshift=8,
                           align="left", font={"size": 13, "color": color})
        fig.add_annotation(x=months[0], y=values[0], text=num(values[0], decimals), showarrow=False,
                           xanchor="right", xshift=-6, font={"size": 11, "color": MUTED})
        fig.update_xaxes(range=[months[0] - dt.timedelta(days=75), months[-1] + dt.timedelta(days=150)])
    fig.update_xaxes(tickformat="%Y年%-m月", dtick="M6", showgrid=False, tickfont={"size": 10}, ticks="outside")
    fig.update_yaxes(visible=False)
    base_layout(fig, height=height or 220, margin={"l": 10, "r": 10, "t": 70, "b": 56})
    return standalone(fig, title=title, unit=unit, as_of=as_of_label(months[-1] if months else None),
                      source=source or "")
