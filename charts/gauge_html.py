"""The gauge of charts/gauge.py as HTML and an SVG image, for the overview: it is drawn with the page's text,
without Plotly's four megabytes of JavaScript and without a Plotly figure per target to lay out in the browser.

It says what `gauge_figure` says, in the same words (they come from the same helpers), in the same places:
the title and under it 截至… and the unit; the dial, its range and ticks chosen as Plotly chooses them
(nticks 5), the grey band up to where the linear path stands now, the bar in the status colour, the
target line, the value in the middle; under it the status by symbol and label with the completion, then
the target, the time elapsed and the value due by now; the source last. Sizes follow the figure's layout
(height 360 px, its margins, the dial in the top 64% of the plot area, as wide as the card allows, as
Plotly sizes it). The meeting deck and the PNG download keep the Plotly figure (reports.figures.gauge_chart).

The texts are HTML (the value, the status and the completion are the page's text, not pixels); the dial is an
SVG image (st.html's sanitiser drops inline <svg>, not an <img> with a data: URL). Every text is escaped.
"""

from __future__ import annotations

import math
from html import escape, unescape

from charts.gauge import (
    DETAIL_PX,
    INNER,
    LEAD_PX,
    dial_floor,
    dial_headroom,
    gauge_title,
    line_chars,
    number_size,
    under_dial,
    wrap,
)
from charts.sparkline import svg_image
from charts.theme import EXPECTED, FONT, INK, MUTED, TARGET
from domain.model import Indicator, StatusStyle
from metrics.standing import Standing
from presentation.fmt import as_of_label, num, qty

R = 140  # the dial's radius in its own units; it is scaled to the card as Plotly scales its dial
TICK_COLOR = "#444"
CARD_WIDTH = 340  # the narrowest an overview card's gauge is drawn (a 22rem card less its padding)


def nice_ticks(top: float, nticks: int = 5) -> list[float]:
    """The ticks Plotly draws on a linear axis from 0 to `top` with nticks: a step of 2, 5 or 10 × 10ⁿ, rounded
    up from top / nticks, from 0 up to `top`."""
    if top <= 0:
        return [0.0]
    rough = top / nticks
    base = 10 ** math.floor(math.log10(rough))
    step = base * next(m for m in (2, 5, 10) if m >= rough / base - 1e-9)
    return [i * step for i in range(int(top / step + 1e-9) + 1)]


def _point(value: float, top: float, radius: float) -> tuple[float, float]:
    angle = math.pi * (1 - max(0.0, min(value, top)) / top)
    return radius * math.cos(angle), -radius * math.sin(angle)


def _band(start: float, end: float, top: float, thickness: float) -> str:
    """The ring between `start` and `end`, `thickness` of its width, centred on it (Plotly's arcs)."""
    mid, half = (1 + INNER) / 2 * R, thickness / 2 * (1 - INNER) * R
    outer, inner = mid + half, mid - half
    (x0, y0), (x1, y1) = _point(start, top, outer), _point(end, top, outer)
    (x2, y2), (x3, y3) = _point(end, top, inner), _point(start, top, inner)
    return (f"M{x0:.2f},{y0:.2f}A{outer:.2f},{outer:.2f} 0 0 1 {x1:.2f},{y1:.2f}"
            f"L{x2:.2f},{y2:.2f}A{inner:.2f},{inner:.2f} 0 0 0 {x3:.2f},{y3:.2f}Z")


PAD, FOOT = 32, 4  # room around the ring (in its units) for the tick labels: left, right and above; below


def dial_svg(s: Standing, style: StatusStyle) -> str:
    """The dial as a standalone SVG document (for an <img>): the ring's grey band up to the value the linear path
    expects by now, the bar to the value in the status colour, the target line, the ticks and their labels.
    The ring is 2R × R; PAD and FOOT around it."""
    value = s.value if s.value is not None else 0
    top = max(v for v in (s.target_value, s.value, 1) if v is not None) * 1.15
    parts = []
    expected = s.outlook.expected_linear
    if expected is not None and expected > 0:
        parts.append(f'<path d="{_band(0, min(expected, top), top, 1)}" fill="{EXPECTED}"/>')
    if value > 0:
        parts.append(f'<path d="{_band(0, value, top, 0.55)}" fill="{escape(style.color)}"/>')
    threshold = s.target_value if s.target_value is not None else top
    mid, half = (1 + INNER) / 2 * R, 0.9 / 2 * (1 - INNER) * R
    (x0, y0), (x1, y1) = _point(threshold, top, mid - half), _point(threshold, top, mid + half)
    parts.append(f'<line x1="{x0:.2f}" y1="{y0:.2f}" x2="{x1:.2f}" y2="{y1:.2f}" stroke="{TARGET}" '
                 f'stroke-width="4"/>')
    for tick in nice_ticks(top):
        angle = math.pi * (1 - tick / top)
        cos, sin = math.cos(angle), math.sin(angle)
        (x0, y0), (x1, y1) = (R * cos, -R * sin), ((R + 5) * cos, -(R + 5) * sin)
        parts.append(f'<line x1="{x0:.2f}" y1="{y0:.2f}" x2="{x1:.2f}" y2="{y1:.2f}" stroke="{TICK_COLOR}"/>')
        # where Plotly puts a tick label: beside its tick, anchored away from the dial
        anchor = "middle" if abs(cos) < 0.1 else "start" if cos > 0 else "end"
        lx = x1 + cos * 3
        ly = y1 - sin * (3 + 10 * (0.2 if sin > 0 else 1)) + abs(cos) * 10 * 0.35
        parts.append(f'<text x="{lx:.2f}" y="{ly:.2f}" text-anchor="{anchor}" font-size="10" fill="{INK}">'
                     f"{escape(num(tick, 0))}</text>")
    width, height = 2 * (R + PAD), R + PAD + FOOT
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="{-R - PAD} {-R - PAD} {width} {height}" font-family="{escape(FONT)}">{"".join(parts)}</svg>')


def _lines(lines: list[str], size: float, color: str) -> str:
    return "".join(f'<div style="font-size:{size}px;line-height:1.3;color:{color};white-space:nowrap">{line}</div>'
                   for line in lines)


def gauge_html(s: Standing, ind: Indicator, style: StatusStyle, *, height: int = 360, source: str | None = None,
               region: str | None = None, title: str | None = None) -> str:
    """What gauge_figure(s, ind, style, height=…, source=…, region=…, title=…) shows, as one block of HTML.
    `source` as gauge_figure takes it: a Plotly label, its upload text escaped (reports.figures.agencies_line)."""
    title_chars, source_chars = line_chars(CARD_WIDTH)
    heading = wrap(title or gauge_title(ind, region), title_chars).split("<br>")
    subtitle = "　".join(p for p in (as_of_label(s.as_of), f"单位：{ind.unit}" if ind.unit else "") if p)
    top, bottom, side = 70 + 18 * (len(heading) - 1), 45, 28
    plot = height - top - bottom
    lead, status, detail = under_dial(s, ind, style, CARD_WIDTH)
    over = dial_headroom(plot) * plot  # the pixels kept free above the dial for a tick label at its top
    dial_height = (1 - dial_floor(lead, detail, plot)) * plot - over
    radius = min((CARD_WIDTH - 2 * side) / 2, dial_height)  # the ring's, in pixels on the narrowest card
    color = escape(style.color)
    # `source` is a Plotly label (upload text in it already escaped, reports.figures.agencies_line): unescaped
    # first, so that it is escaped exactly once here
    sources = [escape(unescape(line)) for line in wrap(source or f"数据来源：{ind.source}", source_chars).split("<br>")]
    number = qty(s.value, ind.unit, ind.decimals)
    label = "，".join((*heading, subtitle, number, *lead, status, *detail))
    # the SVG placed so that its ring fills the ring's box (percentages of the box's width and height)
    dial_box = (f"position:absolute;display:block;left:{-PAD / (2 * R) * 100:.3f}%;top:{-PAD / R * 100:.3f}%;"
                f"width:{(R + PAD) / R * 100:.3f}%;height:{(R + PAD + FOOT) / R * 100:.3f}%;max-width:none")
    box = "position:absolute;margin:0;padding:0"
    return (
        f'<div class="tfm-gauge" role="img" aria-label="{escape(label)}" style="position:relative;height:{height}px;'
        f'font-family:{FONT};color:{INK};background:white;overflow:hidden">'
        f'<div style="{box};left:1%;top:{top / 2:.0f}px;transform:translateY(-50%)">'
        f"{_lines([escape(line) for line in heading], 15, INK)}{_lines([escape(subtitle)], 12, MUTED)}</div>"
        # the dial's area; in it the ring, 2:1, as wide as the area allows and at most twice its height (Plotly's
        # radius: min(width / 2, height)), centred; the SVG around it and the number at its foot
        f'<div style="{box};left:{side}px;right:{side}px;top:{top + over:.0f}px;height:{dial_height:.0f}px">'
        f'<div style="{box};left:0;right:0;top:50%;transform:translateY(-50%);margin:0 auto;'
        f'max-width:{2 * dial_height:.0f}px"><div style="position:relative;height:0;padding-bottom:50%">'
        f"{svg_image(dial_svg(s, style), dial_box)}"
        f'<div style="{box};left:0;right:0;bottom:{6 / R * 100:.1f}%;text-align:center;line-height:1;'
        f'font-size:{number_size(number, radius)}px;color:{color};white-space:nowrap">{escape(number)}</div>'
        f"</div></div></div>"
        # under the dial, stacked up from the plot area's foot as the figure's annotations are: the comparison and
        # the status at the status's size, the target and the completion smaller; as wide as the gauge allows
        f'<div style="{box};left:0;right:0;bottom:{bottom}px;text-align:center">'
        f"{_lines([escape(line) for line in lead], LEAD_PX, INK)}"
        f"{_lines([f'<b>{escape(status)}</b>'], LEAD_PX, color)}"
        f'<div style="height:4px"></div>{_lines([escape(line) for line in detail], DETAIL_PX, MUTED)}</div>'
        f'<div style="{box};left:{side}px;top:{top + plot + 7}px">{_lines(sources, 11, MUTED)}</div>'
        f"</div>")
