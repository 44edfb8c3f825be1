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
