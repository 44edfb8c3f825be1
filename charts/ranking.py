"""All units ranked on one indicator, largest first, with the units' average as a reference line.

Units that did not report stay in the chart, at the bottom, reading 未报送 (no bar, never a zero bar).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from charts.theme import GRID, INK, MUTED, base_layout, standalone
from domain.model import Registry
from metrics.districts import growth_key
from presentation.fmt import growth_text, num, pct, qty, signed_pct, signed_points, status_text, why_missing
from presentation.labels import subtarget_word

BAR = "#93c5fd"
BAR_SELECTED = "#1d4ed8"
BAR_NEGATIVE = "#fca5a5"
INSIDE = 0.6  # a bar at least this share of the longest prints its figures inside its end
SUBTARGET_LEGEND = "subtarget-legend"  # the name of the annotation that says what the status symbols mean
VALUE_LABEL = "value-label"  # the annotations that print each bar's figures
REFERENCE_LABEL = "reference-label"  # the annotation that names the reference line


def _label(row: dict[str, Any], registry: Registry, selected: str | None) -> str:
    short = registry.regions[row["region_code"]].short
    mark = "▶ " if row["region_code"] == selected else ""
    status = registry.statuses[row["status"]].symbol + " " if row.get("status") else ""
    return f"{mark}{status}{short}"


def ranking_figure(table: pl.DataFrame, registry: Registry, *, indicator: str, measure: str = "value",
                   selected: str | None = None, reference: float | None = None, reference_label: str = "各单位平均",
                   title: str, as_of: str, source: str, height: int | None = None) -> go.Figure:
    """`table`: metrics.districts.district_table; `measure`: "value" or "yoy" (y/y growth; change in
    points for a % indicator); `reference`: the vertical line (metrics.districts.unit_average for
    values, metrics.districts.parent_growth for growth)."""
    ind = registry.indicators[indicator]
    growth = measure == "yoy"
    key = growth_key(registry, indicator) if growth else "value"
    points = key == "yoy_points"
    ordered = table.with_row_index("reg_order").sort(
        [pl.col(key).is_null(), pl.col(key), pl.col("reg_order")], descending=[False, True, False])
    rows = list(ordered.iter_rows(named=True))[::-1]  # Plotly draws the first category at the bottom
    labels = [_label(r, registry, selected) for r in rows]
    values = [r[key] for r in rows]
    colors = [BAR_SELECTED if r["region_code"] == selected else (BAR_NEGATIVE if (r[key] or 0) < 0 else BAR)
              for r in rows]
    texts = []
    for r in rows:
        if r["value"] is None:
            texts.append(why_missing(r))
        elif r[key] is None:
            texts.append("无同比")
        elif growth:
            texts.append(growth_text(r))
        else:
            share = f"（占{pct(r['share'])}）" if r.get("share") is not None else ""
            texts.append(f"{num(r['value'], ind.decimals)}{share}")
    hovers = [f"<b>{registry.regions[r['region_code']].name}</b><br>"
              + (f"{qty(r['value'], ind.unit, ind.decimals)}，第{r['rank']}名<br>同比 {growth_text(r)}"
                 if r["value"] is not None else why_missing(r))
              for r in rows]
    # Missing units get an empty bar so their label and 未报送 text still sit on the axis.
    fig = go.Figure(go.Bar(
        y=labels, x=[v if v is not None else 0 for v in values], orientation="h", marker={"color": colors},
        hovertext=hovers, hoverinfo="text", customdata=[r["region_code"] for r in rows],  # a click chooses its unit
        unselected={"marker": {"opacity": 1}}))  # and leaves the other bars as they are
    # Each bar's figures beside its end on a white ground (an annotation, drawn over shapes): the reference line
    # passes under the bars and under these labels, never through a number.
    # The longest bars carry theirs inside their end, as Plotly's own text does where there is no room outside: on a
    # phone the figures beside the longest bar would run past the figure's edge.
    present = [v for v in values if v is not None]
    low, high = min([0.0, *present]), max([0.0, *present])
    for label, value, text, color in zip(labels, values, texts, colors, strict=True):
        left = value is not None and value < 0
        inside = value is not None and ((value > 0 and value >= INSIDE * high) or (left and value <= INSIDE * low))
        if inside:
            fig.add_annotation(name=VALUE_LABEL, x=value, y=label, text=text, showarrow=False,
                               xanchor="left" if left else "right", xshift=3 if left else -3,
                               font={"size": 12, "color": "white" if color == BAR_SELECTED else INK})
            continue
        fig.add_annotation(name=VALUE_LABEL, x=value or 0, y=label, text=text, showarrow=False,
                           xanchor="right" if left else "left", xshift=-3 if left else 3, font={"size": 12},
                           bgcolor="white", borderpad=1)
    if reference is not None:
        if growth:
            shown = signed_points(reference) if points else signed_pct(reference)
        else:
            shown = qty(reference, ind.unit, ind.decimals)
        # Between the grid and the bars; its label above the plot, on a white ground, where no bar is.
        fig.add_vline(x=reference, line={"color": MUTED, "dash": "dash", "width": 1.5}, layer="below")
        fig.add_annotation(name=REFERENCE_LABEL, x=reference, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"{reference_label} {shown}", font={"size": 11, "color": MUTED}, bgcolor="white")
    used = [registry.statuses[c] for c in registry.statuses if c in set(table["status"].drop_nulls())]
    if used:
        legend = "　".join(status_text(style) for style in used)
        example = any(registry.subtargets_are_examples(t.id) for t in registry.targets_on(indicator))
        fig.add_annotation(name=SUBTARGET_LEGEND, text=f"对照{subtarget_word(example)}：{legend}", x=1, y=0, xref="paper",
                           yref="paper", xanchor="right", yanchor="top", yshift=-28, showarrow=False,
                           font={"size": 11, "color": MUTED})
    pad = (high - low) * 0.38 or 1  # room for the value and share printed outside the bars
    fig.update_xaxes(range=[low - (pad if low < 0 else 0), high + pad], gridcolor=GRID, zeroline=True,
                     zerolinecolor=MUTED, tickformat=("+.1f" if points else "+.0%") if growth else ",.0f",
                     title={"text": "个百分点" if points else None, "font": {"size": 11}})
    fig.update_yaxes(tickfont={"size": 13}, automargin=True)
    fig.update_layout(showlegend=False, bargap=0.25)
    base_layout(fig, height=height or 130 + 30 * len(rows), margin={"l": 10, "r": 20, "t": 90, "b": 60})
    unit = None if growth else ind.unit
    return standalone(fig, title=title, unit=unit, as_of=as_of, source=source)
