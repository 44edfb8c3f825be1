"""Shared look of every figure: fonts that render Chinese, quiet axes, the source line."""

from __future__ import annotations

import plotly.graph_objects as go

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
INK = "#1f2933"
MUTED = "#6b7280"
GRID = "#e5e7eb"
TARGET = "#111827"
EXPECTED = "#d1d5db"


def base_layout(fig: go.Figure, *, height: int, margin: dict | None = None) -> go.Figure:
    fig.update_layout(
        height=height, margin=margin or {"l": 10, "r": 10, "t": 40, "b": 10},
        font={"family": FONT, "color": INK, "size": 13}, paper_bgcolor="white", plot_bgcolor="white",
        separators=".,",  # decimal point, thousands comma
    )
    return fig


def standalone(fig: go.Figure, *, title: str, unit: str | None, as_of: str, source: str,
               height: int | None = None) -> go.Figure:
    """Put title, unit, 截至… and the source inside the figure, so a screenshot explains itself.

    `as_of` is the dating line as officials write it ("截至2026年10月", charts.fmt.as_of_label);
    `source` names the agencies or submissions ("数据来源：人行武汉分行营管部").
    """
    subtitle = "　".join(p for p in (as_of, f"单位：{unit}" if unit else "") if p)
    fig.update_layout(
        title={"text": f"{title}<br><span style='font-size:12px;color:{MUTED}'>{subtitle}</span>",
               "x": 0.01, "xanchor": "left", "font": {"size": 17}},
    )
    fig.add_annotation(text=source, x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="top",
                       yshift=-28, showarrow=False, font={"size": 11, "color": MUTED})
    margin = dict(fig.layout.margin.to_plotly_json()) if fig.layout.margin else {}
    fig.update_layout(margin={**margin, "t": max(margin.get("t", 0), 70), "b": max(margin.get("b", 0), 50)})
    if height:
        fig.update_layout(height=height)
    return fig
