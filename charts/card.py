"""One target's card on the overview as a single block of HTML (st.html): its gauge (charts.gauge_html), its
trend of the last months (charts.sparkline.sparkline_html) and what the card says under it: 近N个月走势（…）,
the one-sentence standing, and a folded 数据来源与目标出处 (each source with its file, the baseline, the
clause of the plan). The same words as the Streamlit captions, paragraph and expander it replaces: one
element for the browser to draw instead of eight. `CARD_CSS` styles them as Streamlit does (st.html it once).

Every text is escaped.
"""

from __future__ import annotations

import colorsys
import re
from html import escape

from charts.gauge_html import gauge_html
from charts.sparkline import sparkline_html
from domain.model import Registry
from domain.months import month_label
from metrics.standing import Source, Standing
from presentation.fmt import document_title, qty, quote, status_text
from presentation.labels import DERIVATION
from presentation.sentences import strip_phrase, target_sentence

SOURCES_TITLE = "数据来源与目标出处"

# Streamlit's own look for a caption, a paragraph and an expander (theme: light, 16 px base); the strip's badges
# wrap on a narrow screen rather than cut their last words (…超序时进度39.9… on a phone).
CARD_CSS = """<style>
.stMarkdownBadge {white-space: normal !important; word-break: keep-all; text-overflow: clip !important; overflow: visible !important;
  height: auto !important}
.tfm-grid {display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); gap: 1rem}
.tfm-grid > .tfm-card {border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 1rem; min-width: 0}
.tfm-card .tfm-more {display: inline-block; margin-top: 0.75rem; font-size: 0.875rem; color: #1d4ed8;
  text-decoration: none}
.tfm-card .tfm-more:hover {text-decoration: underline}
.tfm-card .tfm-caption {font-size: 0.875rem; color: rgba(49, 51, 63, 0.6); margin: 0.5rem 0 1rem; line-height: 1.5}
.tfm-card .tfm-fresh {font-size: 0.8125rem; color: rgba(49, 51, 63, 0.6); text-align: center; margin: 0.25rem 0 0.5rem}
.tfm-card .tfm-incomplete {color: #b45309; font-weight: 600}
.tfm-card .tfm-incomplete .tfm-chevron {font-family: "Material Symbols Rounded"; font-size: 1rem; vertical-align: -0.15rem}
.tfm-card .tfm-sentence {font-size: 1rem; line-height: 1.6; margin: 0 0 1rem}
.tfm-card details {border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; margin: 0}
.tfm-card summary {list-style: none; cursor: pointer; padding: 0.5rem 1rem; font-size: 0.875rem; line-height: 1.6;
  display: flex; align-items: center; gap: 0.5rem}
.tfm-card summary::-webkit-details-marker {display: none}
.tfm-card summary:hover {color: #ff4b4b}
.tfm-card summary .tfm-chevron {font-family: "Material Symbols Rounded"; font-size: 1.25rem; line-height: 1;
  transition: transform 0.1s; user-select: none}
.tfm-card details[open] > summary .tfm-chevron {transform: rotate(90deg)}
.tfm-card details ul {margin: 0 1rem 1rem; padding-left: 1.25rem; font-size: 1rem; line-height: 1.6}
</style>"""


def card_id(s: Standing) -> str:
    """The card's anchor: the strip's chips link to it."""
    return "tfm-" + "".join(c if c.isalnum() else "-" for c in s.target_id)


_BADGE_SPECIAL = re.compile(r"([\\`*_\[\]$<>~|])")


def badge_text(text: str) -> str:
    """Text made inert inside a Markdown badge: no emphasis, link, math or HTML, and no bracket to end the badge
    (digits, commas, points and percent signs stay as they are: 4,098.5亿元, 91.9%)."""
    return _BADGE_SPECIAL.sub(r"\\\1", text)


def palette_color(color: str) -> str:
    """The Streamlit palette colour (a Markdown badge's: red, orange, yellow, green, blue, violet, gray) nearest a
    registry colour by hue; gray when it has little colour."""
    h = color.lstrip("#")
    if len(h) != 6 or any(c not in "0123456789abcdefABCDEF" for c in h):
        return "gray"
    hue, _, saturation = colorsys.rgb_to_hls(*(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)))
    if saturation < 0.2:
        return "gray"
    degrees = hue * 360
    for limit, name in ((20, "red"), (50, "orange"), (70, "yellow"), (170, "green"), (260, "blue"), (335, "violet")):
        if degrees < limit:
            return name
    return "red"


def status_strip(groups: list[tuple[str, list[Standing]]], registry: Registry) -> str:
    """Every target on one line per plan, as Markdown (st.markdown: no component to load, so it is drawn with the
    title): the plan, then per target a badge in (the palette colour nearest) its status colour with its short
    name, value, status by symbol and label, and where it stands against its 序时进度 (金银种子企业 437家 ▼ 明显滞后
    落后序时进度25家), an achieved target its completion (专营机构数 52家 ★ 已达标 完成 104.0%):
    presentation.sentences.strip_phrase."""
    lines = []
    for heading, rows in groups:
        if not rows:
            continue
        chips = []
        for s in rows:
            ind = registry.indicators[s.indicator_code]
            style = registry.statuses[s.status]
            text = (f"{badge_text(ind.short_zh)} **{badge_text(qty(s.value, ind.unit, ind.decimals))}** "
                    f"{badge_text(status_text(style))} {badge_text(strip_phrase(s, registry))}")
            chips.append(f":{palette_color(style.color)}-badge[{text}]")
        lines.append(f":gray[{badge_text(heading)}]　" + " ".join(chips))
    return "  \n".join(lines)


def source_item(src: Source) -> str:
    """presentation.fmt.source_line as an HTML list item: agency, 《file》, origin (how it came about), time."""
    return (f"<li><b>{escape(src.agency)}</b>：《{escape(src.file_name)}》，{escape(src.origin)}"
            f"（{escape(DERIVATION[src.derivation])}），上传于 {src.uploaded_at:%Y-%m-%d %H:%M}</li>")


def cards_html(cards: list[str]) -> str:
    """Cards side by side, as many to a row as fit (three on a desktop, one on a phone): one block to draw."""
    return f'<div class="tfm-grid">{"".join(cards)}</div>'


def card_html(s: Standing, registry: Registry, *, source: str | None = None, link: str | None = None,
              fresh: str | None = None, incomplete: bool = False) -> str:
    """`source`: the gauge's source line (reports.figures.agencies_line, as the meeting deck's gauge has it);
    `link`: the address of its 指标详情 (a relative URL), shown under the card; `fresh`: how fresh the figure is
    (presentation.fmt.freshness_line), marked when `incomplete` (not every unit has reported)."""
    ind = registry.indicators[s.indicator_code]
    style = registry.statuses[s.status]
    target = registry.targets[s.target_id]
    doc = registry.documents[s.document]
    parts = [gauge_html(s, ind, style, region=registry.regions[s.region_code].name, source=source)]
    if fresh:
        mark = '<span class="tfm-chevron" aria-hidden="true">warning</span> ' if incomplete else ""
        parts.append(f'<div class="tfm-fresh{" tfm-incomplete" if incomplete else ""}">{mark}{escape(fresh)}</div>')
    if s.history:
        parts.append(sparkline_html(s.history, ind.unit, ind.decimals, style.color))
        parts.append(f'<div class="tfm-caption">{escape(f"近{len(s.history)}个月走势（{month_label(s.history[0][0])}—")}'
                     f"{escape(month_label(s.history[-1][0]))}）</div>")
    parts.append(f'<p class="tfm-sentence">{escape(target_sentence(s, registry))}</p>')
    items = [source_item(src) for src in s.sources]
    if s.baseline_value is not None:
        items.append(f"<li>基期：{escape(month_label(s.baseline_period))}，"
                     f"{escape(qty(s.baseline_value, ind.unit, ind.decimals))}</li>")
    items.append(f"<li>目标出处：{escape(document_title(doc))}，{escape(target.clause)}：{escape(quote(target.wording))}</li>")
    parts.append(f'<details><summary><span class="tfm-chevron" aria-hidden="true">chevron_right</span>'
                 f'{SOURCES_TITLE}</summary><ul>{"".join(items)}</ul></details>')
    if link is not None:
        parts.append(f'<a class="tfm-more" href="{escape(link)}" target="_self">查看指标详情 →</a>')
    return f'<div class="tfm-card" id="{card_id(s)}">{"".join(parts)}</div>'
