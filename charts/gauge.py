"""The gauge of one target: value, target line, where the linear path says we should be by now."""

from __future__ import annotations

import plotly.graph_objects as go

from charts.fmt import as_of_label, num, pct
from charts.theme import EXPECTED, MUTED, TARGET, base_layout
from loaders.registry import Indicator, StatusStyle
from metrics.standing import Standing


def expected_now(s: Standing) -> float | None:
    """Where the straight line from baseline to target stands at the time elapsed."""
    if s.target_value is None or s.baseline_value is None or s.time_elapsed is None:
        return None
    return s.baseline_value + (s.target_value - s.baseline_value) * s.time_elapsed


def gauge_figure(s: Standing, ind: Indicator, style: StatusStyle, *, height: int = 230) -> go.Figure:
    value = s.value if s.value is not None else 0
    top = max(v for v in (s.target_value, s.value, 1) if v is not None) * 1.15
    steps = []
    expected = expected_now(s)
    if expected is not None and expected > 0:
        steps.append({"range": [0, min(expected, top)], "color": EXPECTED})
    fig = go.Figure(go.Indicator(
        mode="gauge+number",
        value=value,
        number={"valueformat": f",.{ind.decimals}f", "suffix": ind.unit, "font": {"size": 30, "color": style.color}},
        title={"text": f"{ind.short_zh}<br><span style='font-size:12px;color:{MUTED}'>{as_of_label(s.as_of)}</span>",
               "font": {"size": 16}},
        gauge={
            "axis": {"range": [0, top], "tickformat": "~s" if top > 10000 else ",.0f", "tickfont": {"size": 10}},
            "bar": {"color": style.color, "thickness": 0.55},
            "steps": steps,
            "threshold": {"line": {"color": TARGET, "width": 4}, "thickness": 0.9,
                          "value": s.target_value if s.target_value is not None else top},
            "borderwidth": 0,
        },
        domain={"x": [0, 1], "y": [0.08, 1]},
    ))
    target = num(s.target_value, ind.decimals if s.kind != "level" else 0)
    fig.add_annotation(text=f"{style.symbol} {style.label}　目标 {target}{ind.unit}　完成 {pct(s.completion)}",
                       x=0.5, y=0, xref="paper", yref="paper", showarrow=False,
                       font={"size": 12, "color": style.color})
    return base_layout(fig, height=height, margin={"l": 25, "r": 25, "t": 60, "b": 5})
