"""Shared look of every figure: fonts that render Chinese, quiet axes, the source line."""

from __future__ import annotations

import plotly.graph_objects as go

from presentation.fmt import file_stem

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
    # Axes make room for their own tick labels whatever the process's default template: Streamlit switches
    # it to one without automargin, and a narrow left margin then cut 500 to "00" on the page and in exports.
    # Ticks as officials write numbers: 1,500, never "1.5k" (Plotly's SI suffixes) or 1e+4.
    fig.update_xaxes(automargin=True, exponentformat="none", separatethousands=True)
    fig.update_yaxes(automargin=True, exponentformat="none", separatethousands=True)
    return fig


def standalone(fig: go.Figure, *, title: str, unit: str | None, as_of: str, source: str,
               height: int | None = None) -> go.Figure:
    """Put title, unit, 截至… and the source inside the figure, so a screenshot explains itself.

    `as_of` is the dating line as officials write it ("截至2026年10月", presentation.fmt.as_of_label);
    `source` names the agencies or submissions ("数据来源：人行武汉分行营管部").
    """
    subtitle = "　".join(p for p in (as_of, f"单位：{unit}" if unit else "") if p)
    fig.update_layout(
        title={"text": f"{title}<br><span style='font-size:12px;color:{MUTED}'>{subtitle}</span>",
               "x": 0.01, "xanchor": "left", "font": {"size": 17}},
    )
    fig.add_annotation(text=source, x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="top",
                       yshift=-28, showarrow=False, align="left", font={"size": 11, "color": MUTED})
    margin = dict(fig.layout.margin.to_plotly_json()) if fig.layout.margin else {}
    fig.update_layout(margin={**margin, "t": max(margin.get("t", 0), 70), "b": max(margin.get("b", 0), 50)})
    if height:
        fig.update_layout(height=height)
    return fig


def chart_config(*parts: str, **options: object) -> dict:
    """st.plotly_chart's config, the same on every page: no Plotly logo, no selection tools, and a camera
    button that saves a 2× PNG named by `parts` (what, then when: presentation.fmt.file_stem).
    `options` add Plotly config keys: scrollZoom=False on a map, displayModeBar=False on a sparkline."""
    return {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"], **options,
            "toImageButtonOptions": {"format": "png", "scale": 2, "filename": file_stem(*parts)},
            "locale": "zh-CN", "locales": {"zh-CN": {"dictionary": TOOLBAR_ZH}}}


# Plotly's toolbar and its messages in Chinese: a locale given with the figure's config (Plotly ships its
# translations as separate scripts, which Streamlit does not load).
TOOLBAR_ZH = {
    "Download plot as a PNG": "下载图片（PNG）", "Download plot as a png": "下载图片（PNG）",
    "Download plot": "下载图片", "Zoom": "框选放大", "Pan": "平移", "Zoom in": "放大", "Zoom out": "缩小",
    "Autoscale": "自动缩放", "Reset axes": "还原坐标轴", "Reset view": "还原视图", "Fullscreen": "全屏",
    "Reset camera to default": "还原视角", "Toggle Spike Lines": "显示辅助线", "Show closest data on hover":
    "悬停显示最近数据", "Compare data on hover": "悬停对比数据", "Double-click to zoom back out": "双击还原",
    "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候", "Snapshot succeeded": "图片已生成",
    "Sorry, there was a problem downloading your snapshot!": "图片下载失败，请重试",
    "Box Select": "框选", "Lasso Select": "套索选择", "Orbital rotation": "旋转", "Turntable rotation": "转动",
    "Produced with Plotly.js": "由 Plotly.js 生成", "Zoom to extent": "缩放至全图",
}


def _scaled_markup(text: str | None, factor: float) -> str | None:
    import re

    if not text:
        return text
    return re.sub(r"font-size:\s*(\d+(?:\.\d+)?)px", lambda m: f"font-size:{float(m[1]) * factor:.0f}px", text)


def enlarge(fig: go.Figure, factor: float) -> go.Figure:
    """Every text of a figure `factor` times larger (fonts, inline font-size markup, the margins and
    offsets that make room for them), for a slide or a meeting screen; marks and lines are kept."""
    layout = fig.layout

    def size(font, default: float | None = None) -> dict:
        current = font.size if font is not None and font.size else default
        return {"size": current * factor} if current else {}

    base = layout.font.size or 12
    fig.update_layout(font=size(layout.font, 12))
    if layout.title and layout.title.text:
        fig.update_layout(title={"text": _scaled_markup(layout.title.text, factor), "font": size(layout.title.font, base)})
    if layout.legend is not None:
        fig.update_layout(legend={"font": size(layout.legend.font, base)})
    for ann in layout.annotations or ():
        ann.update(text=_scaled_markup(ann.text, factor), font=size(ann.font, base))
        if ann.yshift:
            ann.yshift = ann.yshift * factor
        if ann.xshift:
            ann.xshift = ann.xshift * factor
    fig.for_each_xaxis(lambda a: a.update(tickfont=size(a.tickfont, base)))
    fig.for_each_yaxis(lambda a: a.update(tickfont=size(a.tickfont, base)))
    for trace in fig.data:
        if getattr(trace, "textfont", None) is not None and trace.textfont.size:
            trace.textfont.size = trace.textfont.size * factor
        if trace.type == "indicator":
            trace.update(number={"font": size(trace.number.font, base)},
                         gauge={"axis": {"tickfont": size(trace.gauge.axis.tickfont, base)}})
    if layout.margin:
        m = layout.margin
        fig.update_layout(margin={k: getattr(m, k) * factor for k in ("t", "b", "l", "r") if getattr(m, k)})
    return fig
