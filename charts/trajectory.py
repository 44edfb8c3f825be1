"""The indicator page's figures: the series against both paths to the target with the projection, each
year's growth against a required rate, and the units against their sub-targets.

Data in (metrics.trajectory / metrics.standing / metrics.districts results), go.Figure out; no metric is
computed here. Every figure carries its title, unit, 截至… and source (charts.theme.standalone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

from charts.theme import GRID, INK, MUTED, TARGET, base_layout, standalone
from domain.model import Indicator, Registry, StatusStyle
from domain.months import month_label
from metrics.trajectory import YearGrowth
from presentation.fmt import gap_phrase, num, pct, qty, shown_gap, why_missing

Point = tuple[dt.date, float]
PATH = "#9ca3af"
LINEAR_PATH = "序时进度线"  # the straight line from the baseline to the target (its legend entry, found by name)
GEOMETRIC_PATH = "等比增长路径"
VERDICT = "verdict"  # the name of the box that says where the projection ends (到期预计…达不到目标)
NEUTRAL_BAR = "#93c5fd"
UNJUDGED = StatusStyle(code="", label="", label_en="", symbol="", color="#1d4ed8")  # a series with no target


def trajectory_figure(
    actual: Sequence[Point], *, ind: Indicator, style: StatusStyle | None,
    paths: Sequence[tuple[dt.date, float, float | None]] = (), projection: Sequence[Point] = (),
    fit: Sequence[Point] = (), target_value: float | None = None, target_label: str | None = None,
    deadline: dt.date | None = None, baseline: Point | None = None, attainment: Point | None = None,
    expected_now: Point | None = None, gap_text: str | None = None, title: str, as_of: str, source: str,
    height: int = 520,
) -> go.Figure:
    """`actual`: the series, oldest first; `paths`: metrics.trajectory.target_paths; `projection` and
    `fit`: metrics.trajectory.projection_paths; `attainment`: (month, projected value) where the projection
    meets the target; `expected_now`: where the linear path says the value should be at the latest month.
    `style`: the status (its colour draws the series and the projection); None for a series without a target.
    `gap_text`: given (any text), a line under the expected value's label says the gap, worded here from the two
    figures as the chart shows them (presentation.fmt.shown_gap: 应达 49.4%, 47.0% → 实际落后 2.4个百分点), so that
    the reader's own subtraction agrees with it."""
    d = ind.decimals
    style = style or UNJUDGED
    fig = go.Figure()
    if paths:
        months = [p[0] for p in paths]
        fig.add_trace(go.Scatter(x=months, y=[p[1] for p in paths], name=LINEAR_PATH, mode="lines",
                                 line={"color": PATH, "width": 2, "dash": "dash"},
                                 hovertemplate="%{x|%Y年%m月} 序时进度：%{y:,.1f}<extra></extra>"))
        if any(p[2] is not None for p in paths):
            fig.add_trace(go.Scatter(x=months, y=[p[2] for p in paths], name=GEOMETRIC_PATH, mode="lines",
                                     line={"color": PATH, "width": 2, "dash": "dot"},
                                     hovertemplate="%{x|%Y年%m月} 等比增长路径：%{y:,.1f}<extra></extra>"))
    if fit:
        fig.add_trace(go.Scatter(x=[p[0] for p in fit], y=[p[1] for p in fit], name="按近12个月线性趋势预测",
                                 mode="lines", line={"color": style.color, "width": 1.5, "dash": "dot"},
                                 opacity=0.55,
                                 hovertemplate="%{x|%Y年%m月} 线性趋势预测：%{y:,.1f}<extra></extra>"))
    if projection:
        fig.add_trace(go.Scatter(x=[p[0] for p in projection], y=[p[1] for p in projection],
                                 name="按基期以来增速预测", mode="lines",
                                 line={"color": style.color, "width": 3, "dash": "dash"},
                                 hovertemplate="%{x|%Y年%m月} 按现增速预测：%{y:,.1f}<extra></extra>"))
    # Behind the path: the path's marker sits above the latest value, so its label goes above and the
    # value's below; ahead, the other way round. Labels then never sit on the bracket between them.
    behind = expected_now is not None and bool(actual) and expected_now[1] > actual[-1][1]
    if actual:
        fig.add_trace(go.Scatter(
            x=[p[0] for p in actual], y=[p[1] for p in actual], name="实际值", mode="lines+markers",
            line={"color": style.color, "width": 3.5}, marker={"size": 5, "color": style.color},
            hovertext=[f"{month_label(m)}：{qty(v, ind.unit, d)}" for m, v in actual], hoverinfo="text"))
        now, value = actual[-1]
        fig.add_trace(go.Scatter(x=[now], y=[value], mode="markers+text", showlegend=False, hoverinfo="skip",
                                 marker={"size": 13, "color": style.color, "line": {"color": "white", "width": 2}},
                                 text=[f"<b>{qty(value, ind.unit, d)}</b>"],
                                 textposition="bottom right" if behind else "top left",
                                 textfont={"size": 15, "color": style.color}))
    if expected_now is not None:
        if actual:  # the gap to where we should be, drawn where the eye already is
            fig.add_shape(type="line", x0=expected_now[0], x1=expected_now[0], y0=actual[-1][1], y1=expected_now[1],
                          line={"color": style.color, "width": 2, "dash": "dot"})
        fig.add_trace(go.Scatter(
            x=[expected_now[0]], y=[expected_now[1]], mode="markers", showlegend=False,
            marker={"size": 11, "color": "white", "line": {"color": INK, "width": 2}, "symbol": "diamond"},
            hovertemplate=f"按序时进度，{month_label(expected_now[0])}应达 {qty(expected_now[1], ind.unit, d)}"
                          "<extra></extra>"))
        if gap_text is not None and actual:
            gap = shown_gap(actual[-1][1], expected_now[1], ind.unit, d)
            gap_text = gap_phrase(gap, None if gap is None else (gap >= 0) == ind.higher_is_better, ind.unit, d)
        label = f"应达 {qty(expected_now[1], ind.unit, d)}" + (f"<br><b>{gap_text}</b>" if gap_text else "")
        fig.add_annotation(x=expected_now[0], y=expected_now[1], text=label, showarrow=False, align="right",
                           xanchor="right" if behind else "left", yanchor="bottom" if behind else "top",
                           xshift=-6 if behind else 6, yshift=4 if behind else -4, font={"size": 12, "color": INK},
                           bgcolor="rgba(255,255,255,0.85)")
    if target_value is not None:
        fig.add_hline(y=target_value, line={"color": TARGET, "width": 2})
        fig.add_annotation(x=0, xref="paper", y=target_value, yref="y", xanchor="left", yanchor="bottom",
                           showarrow=False, text=f"<b>目标：{target_label or num(target_value, d)}</b>",
                           font={"size": 13, "color": TARGET}, bgcolor="rgba(255,255,255,0.85)")
    if deadline is not None:
        fig.add_vline(x=deadline, line={"color": TARGET, "width": 1.5, "dash": "dashdot"})
        fig.add_annotation(x=deadline, y=0, yref="paper", xanchor="right", yanchor="bottom", showarrow=False,
                           text=f"截止 {month_label(deadline)}", font={"size": 12, "color": TARGET},
                           bgcolor="rgba(255,255,255,0.85)")
    if baseline is not None:
        fig.add_trace(go.Scatter(x=[baseline[0]], y=[baseline[1]], mode="markers+text", showlegend=False,
                                 marker={"size": 10, "color": "white", "line": {"color": MUTED, "width": 2}},
                                 text=[f"基期 {month_label(baseline[0])}"], textposition="bottom right",
                                 textfont={"size": 11, "color": MUTED}, hoverinfo="skip"))
    _mark_end(fig, ind, style, projection, attainment, target_value, above=behind)
    months = [p[0] for p in actual] + [p[0] for p in projection] + ([deadline] if deadline else [])
    if months:  # room right of the deadline for the verdict that ends there
        fig.update_xaxes(range=[min(months) - dt.timedelta(days=20), max(months) + dt.timedelta(days=150)])
    fig.update_xaxes(showgrid=False, tickformat="%Y年%-m月", dtick="M3", ticks="outside", tickfont={"size": 11})
    fig.update_yaxes(gridcolor=GRID, tickformat=",.0f" if d == 0 or ind.unit != "%" else ",.1f",
                     zeroline=False)
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "font": {"size": 12}},
                      hovermode="closest")
    base_layout(fig, height=height, margin={"l": 10, "r": 20, "t": 120, "b": 60})
    return standalone(fig, title=title, unit=ind.unit, as_of=as_of, source=source)


def _mark_end(fig: go.Figure, ind: Indicator, style: StatusStyle, projection: Sequence[Point],
              attainment: Point | None, target_value: float | None, *, above: bool = True) -> None:
    """The projection's verdict where the eye lands: the attainment month, or the value at the deadline. `above`:
    the box sits above the projection's end (the latest value's label is below it), else below."""
    if attainment is not None and projection and attainment[0] > projection[0][0]:
        fig.add_trace(go.Scatter(x=[attainment[0]], y=[attainment[1]], mode="markers", showlegend=False,
                                 marker={"size": 16, "symbol": "star", "color": style.color,
                                         "line": {"color": "white", "width": 1}},
                                 hovertemplate=f"预计{month_label(attainment[0])}达到目标<extra></extra>"))
        fig.add_annotation(x=attainment[0], y=attainment[1], text=f"<b>预计{month_label(attainment[0])}达标</b>",
                           showarrow=True, arrowhead=0, ax=-40, ay=-45, font={"size": 13, "color": style.color},
                           bgcolor="white", bordercolor=style.color, borderwidth=1)
    elif projection and target_value is not None and attainment is None:
        # Right of the deadline, where nothing else is drawn, and on the side of the projection's end away from the
        # latest value's label (which reaches past the deadline when the latest month is close to it).
        end, value = projection[-1]
        fig.add_annotation(name=VERDICT, x=end, y=value,
                           text=f"<b>到期预计<br>{qty(value, ind.unit, ind.decimals)}<br>达不到目标</b>",
                           showarrow=False, xanchor="left", xshift=8, yanchor="bottom" if above else "top",
                           yshift=4 if above else -4, font={"size": 13, "color": style.color},
                           bgcolor="white", bordercolor=style.color, borderwidth=1, align="left")


def yearly_growth_figure(years: Sequence[YearGrowth], *, required: float, met_style: StatusStyle,
                         short_style: StatusStyle, title: str, as_of: str, source: str, height: int = 360
                         ) -> go.Figure:
    """metrics.trajectory.yearly_growth as bars (each year, the latest 12 months, the average since the
    baseline), the required rate as a line; a bar that meets it carries the first style's colour and
    symbol, one that falls short the second's."""
    names = {"year": "第{i}年", "latest": "近12个月", "average": "<b>基期以来年均</b>"}
    labels, values, colors, texts = [], [], [], []
    for i, y in enumerate(years, start=1):
        span = f"{month_label(y.start)}—{month_label(y.end)}"
        labels.append(f"{names[y.kind].format(i=i)}<br><span style='font-size:11px'>{span}</span>")
        values.append(y.growth)
        style = met_style if y.meets else short_style
        colors.append(style.color if y.growth is not None else GRID)
        text = f"{style.symbol} {pct(y.growth)}" if y.growth is not None else "数据不全"
        texts.append(f"<b>{text}</b>" if y.kind == "average" else text)
    fig = go.Figure(go.Bar(x=labels, y=[v if v is not None else 0 for v in values], marker={"color": colors},
                           text=texts, textposition="outside", textfont={"size": 14}, cliponaxis=False,
                           hovertemplate="%{x}：%{text}<extra></extra>", width=0.55))
    fig.add_hline(y=required, line={"color": TARGET, "width": 2, "dash": "dash"})
    fig.add_annotation(x=1, xref="paper", y=required, yref="y", xanchor="right", yanchor="bottom",
                       showarrow=False, text=f"<b>目标：年均{pct(required, 0)}</b>", font={"size": 13, "color": TARGET},
                       bgcolor="rgba(255,255,255,0.85)")
    present = [v for v in values if v is not None]
    fig.update_yaxes(tickformat=".0%", gridcolor=GRID,
                     range=[min([0.0, *present]) * 1.3, max([required, *present]) * 1.3])
    fig.update_layout(showlegend=False)
    base_layout(fig, height=height, margin={"l": 10, "r": 10, "t": 80, "b": 80})
    fig = standalone(fig, title=title, unit="%", as_of=as_of, source=source)
    fig.layout.annotations[-1].yshift = -52  # the source line under the two-line year labels
    return fig


def _unit_text(row: dict[str, Any], ind: Indicator) -> str:
    if row["value"] is None:
        return why_missing(row)
    text = qty(row["value"], ind.unit, ind.decimals)
    if row.get("subtarget_completion") is not None:
        text += f"　完成{pct(row['subtarget_completion'])}"
    elif row.get("share") is not None:
        text += f"（占{pct(row['share'])}）"
    return text


def units_figure(table: pl.DataFrame, registry: Registry, *, indicator: str, selected: str | None = None,
                 title: str, as_of: str, source: str) -> go.Figure:
    """metrics.districts.district_table as bars, largest first: each unit's value, its sub-target as a black
    tick where one is set, its status symbol before its name; units that did not report say 未报送."""
    ind = registry.indicators[indicator]
    ordered = table.with_row_index("reg_order").sort(
        [pl.col("value").is_null(), pl.col("value"), pl.col("reg_order")], descending=[False, True, False])
    rows = list(ordered.iter_rows(named=True))[::-1]  # Plotly draws the first category at the bottom

    def label(r: dict[str, Any]) -> str:
        short = registry.regions[r["region_code"]].short
        status = f"{registry.statuses[r['status']].symbol} " if r.get("status") else ""
        name = f"<b>▶ {short}</b>" if r["region_code"] == selected else short
        return f"{status}{name}"

    labels = [label(r) for r in rows]
    colors = [registry.statuses[r["status"]].color if r.get("status") else NEUTRAL_BAR for r in rows]
    fig = go.Figure(go.Bar(
        y=labels, x=[r["value"] for r in rows], orientation="h", marker={"color": colors}, name="实际值",
        hovertext=[_unit_text(r, ind) for r in rows], hoverinfo="text", showlegend=False))
    subs = [(r["subtarget"], lab) for r, lab in zip(rows, labels, strict=True) if r.get("subtarget") is not None]
    if subs:
        fig.add_trace(go.Scatter(
            x=[s for s, _ in subs], y=[lab for _, lab in subs], mode="markers", name="分解目标",
            marker={"symbol": "line-ns", "size": 22, "line": {"color": TARGET, "width": 3}},
            hovertext=[f"分解目标 {qty(s, ind.unit, ind.decimals)}" for s, _ in subs], hoverinfo="text"))
    # Each unit's figures just right of its bar or its sub-target tick, whichever reaches further.
    ends = [max(r["value"] or 0, r.get("subtarget") or 0) for r in rows]
    fig.add_trace(go.Scatter(x=ends, y=labels, mode="text", text=[" " + _unit_text(r, ind) for r in rows],
                             textposition="middle right", textfont={"size": 12}, showlegend=False, hoverinfo="skip",
                             cliponaxis=False))
    top = max([0, *[r["value"] or 0 for r in rows], *[s for s, _ in subs]])
    fig.update_xaxes(range=[0, top * 1.9 or 1], gridcolor=GRID, tickformat=",.0f")
    fig.update_yaxes(tickfont={"size": 13})
    fig.update_layout(showlegend=bool(subs), bargap=0.3,
                      legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom"})
    base_layout(fig, height=140 + 30 * len(rows), margin={"l": 10, "r": 20, "t": 100, "b": 60})
    return standalone(fig, title=title, unit=ind.unit, as_of=as_of, source=source)
