"""The gauge of one target: value, target line, where its 序时进度 (the linear path) says it should be by now.

A gauge stands alone (charts.theme.standalone): its title names the indicator (and the region when
given), the line under it says 截至… and the unit; under the dial, at the size of the status, the 序时进度
comparison (序时进度应达 462家 / 实际 437家，差 25家: presentation.sentences.gauge_lines; the grey band is
that value), then the status spelled out with its symbol (★ 已达标, ▲ 需加快 …, so it reads in grey-scale print),
then smaller the target and the completion; the source closes it.
Its title and source lines are broken for the width it is drawn at (300 pixels unless told).
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from charts.theme import EXPECTED, INK, MUTED, TARGET, base_layout, enlarge, standalone
from domain.model import Indicator, StatusStyle
from metrics.standing import Standing
from presentation.fmt import as_of_label, pct, qty, status_text, target_phrase
from presentation.sentences import gauge_lines

WIDTH = 300  # the width, in pixels, a gauge's lines are broken for unless told (five in a row on a page)
SIDE = 28  # left and right margin, in pixels at room 1: the source line starts there
TITLE_PX, SOURCE_PX = 15, 11  # font sizes at room 1; a Chinese character is about as wide as it is high
LEAD_PX, DETAIL_PX = 14, 11.5  # under the dial: the comparison and the status; the target and the completion
LEAD_LINE, DETAIL_LINE = 19, 17  # the pixels a line of each takes (Plotly's line height at those sizes)
TICK_PX = 10  # the dial's tick labels at room 1
TICK_ROOM = 18  # the pixels above the dial, at room 1, for a tick label at its top (tick, gap, label): Plotly draws
# it outside the dial's domain, where it would touch the line 截至…　单位：… above


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
    lead, status, detail = under_dial(s, ind, style, width, room)
    # The lines under the dial are stacked in pixels from the bottom (detail, status, comparison), and the dial
    # starts above them, so they never overlap however tall the title and source make the margins.
    detail_h = DETAIL_LINE * len(detail)
    plot_h = height - (margin_t + margin_b) * room
    under = dial_floor(lead, detail, plot_h, room)
    over = dial_headroom(plot_h, room)
    radius = min((width - 2 * SIDE * room) / 2, (1 - under - over) * plot_h)  # Plotly's: min(width / 2, height)
    expected = s.outlook.expected_linear  # where the straight line from baseline to target stands now
    value = s.value if s.value is not None else 0
    top = max(v for v in (s.target_value, s.value, 1) if v is not None) * 1.15
    steps = []
    if expected is not None and expected > 0:
        steps.append({"range": [0, min(expected, top)], "color": EXPECTED})
    fig = go.Figure(go.Indicator(
        mode="gauge+number",
        value=value,
        number={"valueformat": f",.{ind.decimals}f", "suffix": ind.unit,
                "font": {"size": number_size(qty(s.value, ind.unit, ind.decimals), radius / room),
                         "color": style.color}},
        gauge={
            "axis": {"range": [0, top], "tickformat": ",.0f", "nticks": 5, "tickfont": {"size": TICK_PX}},
            "bar": {"color": style.color, "thickness": 0.55},
            "steps": steps,
            "threshold": {"line": {"color": TARGET, "width": 4}, "thickness": 0.9,
                          "value": s.target_value if s.target_value is not None else top},
            "borderwidth": 0,
        },
        domain={"x": [0, 1], "y": [under, 1 - over]},
    ))
    if lead:
        fig.add_annotation(text="<br>".join(lead), x=0.5, y=0, xref="paper", yref="paper", showarrow=False,
                           yanchor="bottom", yshift=detail_h + 4 + LEAD_LINE, font={"size": LEAD_PX, "color": INK})
    fig.add_annotation(text=f"<b>{status}</b>", x=0.5, y=0, xref="paper", yref="paper", showarrow=False,
                       yanchor="bottom", yshift=detail_h + 4, font={"size": LEAD_PX, "color": style.color})
    fig.add_annotation(text="<br>".join(detail), x=0.5, y=0.0, xref="paper", yref="paper", showarrow=False,
                       yanchor="bottom", font={"size": DETAIL_PX, "color": MUTED})
    base_layout(fig, height=height, margin={"l": SIDE, "r": SIDE, "t": margin_t, "b": margin_b})
    fig = standalone(fig, title=heading, unit=ind.unit, as_of=as_of_label(s.as_of), source=source_text)
    fig.layout.annotations[-1].yshift = -6  # the source line right under the time line (no axis below)
    fig.update_layout(margin={"t": margin_t, "b": margin_b}, title={"font": {"size": TITLE_PX}})
    return enlarge(fig, room) if room != 1 else fig


def text_width(text: str, size: float) -> float:
    """About how wide a line of `text` is at font `size` (digits half an em, CJK a full em)."""
    narrow = sum(1 for c in text if c in ",.'")
    half = sum(1 for c in text if c.isascii() and c not in ",.'")
    return size * (0.3 * narrow + 0.56 * half + 1.0 * (len(text) - narrow - half))


def under_dial(s: Standing, ind: Indicator, style: StatusStyle, width: int = WIDTH, room: float = 1.0
               ) -> tuple[list[str], str, list[str]]:
    """What a gauge says under its dial, the same in the Plotly gauge and the overview's HTML one: the 序时进度
    comparison (presentation.sentences.gauge_lines, a line broken after its comma when it is wider than the
    gauge), the status by symbol and label, then the target and the completion (目标 500家以上　完成 87.4%)."""
    lead = []
    for line in gauge_lines(s, ind):
        if text_width(line, LEAD_PX * room) > width - 8 and "，" in line:
            head, _, tail = line.partition("，")
            lead += [f"{head}，", tail]
        else:
            lead.append(line)
    return lead, status_text(style), [f"目标 {target_text(s, ind)}　完成 {pct(s.completion)}"]


NUMBER_PX = 30  # the value in the dial, at room 1, when it fits
INNER = 0.75  # the ring's inner radius, as a share of the outer (Plotly's indicator)


def number_size(number: str, radius: float) -> float:
    """NUMBER_PX, shrunk until half the number's box diagonal fits in 0.9 of the inner radius of a ring `radius`
    pixels wide (at room 1), so that 2,713.9亿元 never runs under the ring of a small dial."""
    fit = 0.9 * INNER * radius / math.hypot(text_width(number, NUMBER_PX) / 2, NUMBER_PX * 1.1)
    return round(NUMBER_PX * min(1.0, fit), 1)


def dial_floor(lead: list[str], detail: list[str], plot_height: float, room: float = 1.0) -> float:
    """Where the dial starts, as a share of the plot area's height from its foot: above the lines under it
    (the comparison, the status, the detail), at least 0.36 and at most 0.6 of the plot area."""
    lines = DETAIL_LINE * len(detail) + 4 + LEAD_LINE * (1 + len(lead)) + 4
    return min(0.6, max(0.36, lines * room / max(1.0, plot_height)))


def dial_headroom(plot_height: float, room: float = 1.0) -> float:
    """The share of the plot area's height kept free above the dial for a tick label at its top (TICK_ROOM)."""
    return TICK_ROOM * room / max(1.0, plot_height)


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
