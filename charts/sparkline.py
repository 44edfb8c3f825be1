"""A small trend line of the last months, with each point's month and value on hover.

Three forms. `sparkline_html`: the overview card's line as an SVG image with a tooltip per month, drawn
with the page's text (no Plotly to load). `sparkline_figure` without `title`: the same compact line as a
Plotly figure. With `title` it stands alone (charts.theme.standalone): title, 截至… and unit, the first
and the latest value written at the ends of the line, the months on the axis, the status as symbol and
label after the latest value, and the source line.
"""

from __future__ import annotations

import base64
import datetime as dt
from html import escape

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


SVG_WIDTH = 240  # the SVG's own width; it is stretched to its column (line widths and the dot stay as drawn)


def _points(values: list[float], height: int) -> list[tuple[float, float]]:
    """Where each value goes: evenly spaced across, the y range as `sparkline_figure` sets it (15% padding)."""
    low, high = min(values), max(values)
    pad = (high - low) * 0.15 or abs(high) * 0.05 or 1
    bottom, top = low - pad, high + pad
    inset = 5  # room for half the dot at either end
    step = (SVG_WIDTH - 2 * inset) / max(len(values) - 1, 1)
    inner = height - 8  # 4 px above and below, as the figure's margins
    return [(inset + i * step if len(values) > 1 else SVG_WIDTH / 2, 4 + inner * (top - v) / (top - bottom))
            for i, v in enumerate(values)]


def sparkline_svg(history: list[tuple[dt.date, float]], color: str, *, height: int = 72) -> str:
    """The compact line as a standalone SVG document (for an <img>): the line, the area under it and the
    latest value's dot of `sparkline_figure`, on its y range. `color` is a registry colour (escaped); ""
    without history."""
    if not history:
        return ""
    points = _points([v for _, v in history], height)
    line = " ".join(f"{x:.2f},{y:.2f}" for x, y in points)
    area = f"M{points[0][0]:.2f},{height} L{line.replace(' ', ' L')} L{points[-1][0]:.2f},{height} Z"
    last_x, last_y = points[-1]
    c = escape(color)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{SVG_WIDTH}" height="{height}" '
            f'viewBox="0 0 {SVG_WIDTH} {height}" preserveAspectRatio="none">'
            f'<path d="{area}" fill="rgba(0,0,0,0.04)" stroke="none"/>'
            f'<polyline points="{line}" fill="none" stroke="{c}" stroke-width="2" stroke-linejoin="round" '
            f'vector-effect="non-scaling-stroke"/>'
            # a zero-length line with round caps: a round 7 px dot however the SVG is stretched
            f'<path d="M{last_x:.2f},{last_y:.2f} h0" stroke="{c}" stroke-width="7" stroke-linecap="round" '
            f'vector-effect="non-scaling-stroke"/></svg>')


def svg_image(svg: str, style: str, alt: str = "") -> str:
    """An <img> showing `svg` (a data: URL; st.html's sanitiser keeps it, it drops inline <svg>)."""
    data = base64.b64encode(svg.encode()).decode()
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}" decoding="async" style="{style}">'


def sparkline_html(history: list[tuple[dt.date, float]], unit: str, decimals: int, color: str, *,
                   height: int = 72) -> str:
    """The overview card's trend for st.html: the SVG line stretched to the column, and over it one column per
    month whose tooltip gives that month's value (2026年10月：4,595.9亿元), as the figure's hover does. Every
    text is escaped; "" without history."""
    if not history:
        return ""
    labels = [f"{month_label(d)}：{qty(v, unit, decimals)}" for d, v in history]
    name = f"近{len(history)}个月走势：{labels[0]} → {labels[-1]}"
    # one bare element per month, laid out by its grid: ten cards hold 240 of them, so none carries a style
    columns = "".join(f'<i title="{escape(label)}"></i>' for label in labels)
    image = svg_image(sparkline_svg(history, color, height=height), f"display:block;width:100%;height:{height}px", name)
    return (f'<div class="tfm-spark" style="position:relative;height:{height}px">{image}'
            f'<div style="position:absolute;top:0;left:0;right:0;bottom:0;display:grid;grid-auto-flow:column;grid-auto-columns:1fr">'
            f'{columns}</div></div>')
