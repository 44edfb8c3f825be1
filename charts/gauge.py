"""The gauge of one target: value, target line, where the linear path says we should be by now.

A gauge stands alone (charts.theme.standalone): its title names the indicator (and the region when
given), the line under it says 截至… and the unit; under the dial the status is spelled out with its
symbol (★ 已达标, ▲ 需加快 …, so it reads in grey-scale print) and the completion; then the target,
the time elapsed and the value the linear path expects by now (the grey band); the source closes it.
Its title and source lines are broken for the width it is drawn at (300 pixels unless told).
"""

from __future__ import annotations

import plotly.graph_objects as go

from charts.theme import EXPECTED, MUTED, TARGET, base_layout, enlarge, standalone
from domain.model import Indicator, StatusStyle
from metrics.standing import Standing
from presentation.fmt import as_of_label, pct, qty, status_text, target_phrase

WIDTH = 300  # the width, in pixels, a gauge's lines are broken for unless told (five in a row on a page)
SIDE = 28  # left and right margin, in pixels at room 1: the source line starts there
TITLE_PX, SOURCE_PX = 15, 11  # font sizes at room 1; a Chinese character is about as wide as it is high


def gauge_title(ind: Indicator, region: str | None = None) -> str:
    """科技型企业贷款余额 → 武汉市科技型企业贷款余额; a name that already says 全省/全市 is kept."""
    if not region or ind.name_zh.startswith(("全省", "全市", region)):
        return ind.name_zh
    return f"{region}{ind.name_zh}"


def target_text(s: Standing, ind: Indicator) -> str:
    """突破5,000亿元 / 50家以上 / 超过50% for a level or share target; the value due (4,744.2亿元) otherwise."""
    if s.target_value is None:
        return "—"
    decimals = 0 if float(s.target_value).is_integer() else ind.decimals
    if s.kind in ("level", "share"):
        return target_phrase(s.comparator, s.target_value, ind.unit, decimals)
    return qty(s.target_value, ind.unit, decimals)


def gauge_figure(s: Standing, ind: Indicator, style: StatusStyle, *, height: int = 360, source: str | None = None,
                 region: str | None = None, title: str | None = None, room: float = 1.0, width: int = WIDTH
                 ) -> go.Figure:
    """`source`: the source line (default 数据来源：<the indicator's agency>); `region`: prefixed to the
    indicator's name in the title (武汉市…); `title` replaces that title altogether. `room`: every text that
    much larger, for a meeting screen or a slide; `width`: the pixels the gauge is drawn in, which with
    `room` says where its title and source lines break."""
    # Lines broken to the characters that fit across the gauge: the title from its left edge, the source
    # from the left margin; a line too long would be cut at the figure's edge.
    title_chars, source_chars = line_chars(width, room)
    source_text = wrap(source or f"数据来源：{ind.source}", source_chars)
    heading = wrap(title or gauge_title(ind, region), title_chars)
    margin_t = 70 + 22 * heading.count("<br>")  # a CJK line at 15 px takes about 22 px
    margin_b = 45 + 16 * max(0, source_text.count("<br>") - 1)  # a third source line at 11 px
    expected = s.outlook.expected_linear  # where the straight line from baseline to target stands now
    detail = f"目标 {target_text(s, ind)}　时间进度 {pct(s.time_elapsed)}"
    if expected is not None:
        detail += f"<br>按进度此时应达 {qty(expected, ind.unit, ind.decimals)}（灰色段）"
    # The lines under the dial are stacked in pixels from the bottom (a CJK line at 11.5 px takes about 17),
    # and the dial starts above them, so they never overlap however tall the title and source make the margins.
    detail_h = 17 * (detail.count("<br>") + 1)
    under = (detail_h + 4 + 22) * room / max(1.0, height - (margin_t + margin_b) * room)
    value = s.value if s.value is not None else 0
    top = max(v for v in (s.target_value, s.value, 1) if v is not None) * 1.15
    steps = []
    if expected is not None and expected > 0:
        steps.append({"range": [0, min(expected, top)], "color": EXPECTED})
    fig = go.Figure(go.Indicator(
        mode="gauge+number",
        value=value,
        number={"valueformat": f",.{ind.decimals}f", "suffix": ind.unit, "font": {"size": 30, "color": style.color}},
        gauge={
            "axis": {"range": [0, top], "tickformat": ",.0f", "nticks": 5, "tickfont": {"size": 10}},
            "bar": {"color": style.color, "thickness": 0.55},
            "steps": steps,
            "threshold": {"line": {"color": TARGET, "width": 4}, "thickness": 0.9,
                          "value": s.target_value if s.target_value is not None else top},
            "borderwidth": 0,
        },
        domain={"x": [0, 1], "y": [min(0.5, max(0.36, under)), 1]},
    ))
    fig.add_annotation(text=f"<b>{status_text(style)}</b>　完成 {pct(s.completion)}",
                       x=0.5, y=0, xref="paper", yref="paper", showarrow=False, yanchor="bottom", yshift=detail_h + 4,
                       font={"size": 14, "color": style.color})
    fig.add_annotation(text=detail, x=0.5, y=0.0, xref="paper", yref="paper", showarrow=False, yanchor="bottom",
                       font={"size": 11.5, "color": MUTED})
    base_layout(fig, height=height, margin={"l": SIDE, "r": SIDE, "t": margin_t, "b": margin_b})
    fig = standalone(fig, title=heading, unit=ind.unit, as_of=as_of_label(s.as_of), source=source_text)
    fig.layout.annotations[-1].yshift = -6  # the source line right under the time line (no axis below)
    fig.update_layout(margin={"t": margin_t, "b": margin_b}, title={"font": {"size": TITLE_PX}})
    return enlarge(fig, room) if room != 1 else fig


def line_chars(width: int, room: float = 1.0) -> tuple[int, int]:
    """The characters that fit on a title line (from the gauge's left edge) and on a source line (from the left
    margin) of a gauge `width` pixels wide, its texts `room` times their size."""
    return int((width - 8) / (TITLE_PX * room)), int((width - (SIDE + 4) * room) / (SOURCE_PX * room))


def wrap(text: str, width: int) -> str:
    """Break a long line with <br> after a 、；，or ） in its second half, else at `width` characters, never
    leaving one character alone on the last line (…获贷 / 家数, not …获贷家 / 数)."""
    lines, rest = [], text
    while len(rest) > width:
        cut = max(rest.rfind(p, 0, width) for p in "、；，）")
        cut = cut if cut >= width // 2 else -1
        cut = width if cut <= 0 else cut + 1
        if len(rest) - cut == 1:
            cut -= 1
        lines.append(rest[:cut])
        rest = rest[cut:]
    return "<br>".join([*lines, rest])
