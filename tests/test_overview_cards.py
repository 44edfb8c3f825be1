"""The overview's HTML builders: the gauge says what the meeting deck's Plotly gauge says, the trend encodes its
values, the status strip names every target, and no text from an upload reaches the page as markup."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
from html import unescape

import pytest

from charts.card import card_html, palette_color, status_strip
from charts.gauge import gauge_figure
from charts.gauge_html import CARD_WIDTH, dial_svg, gauge_html, nice_ticks
from charts.sparkline import SVG_WIDTH, sparkline_html, sparkline_svg
from metrics.series import months_with_data, resolve
from metrics.standing import Source, standings
from presentation.fmt import pct, qty, status_text
from reports.figures import agencies_line
from store import Store

HOSTILE = '<img src=x onerror="alert(1)">**粗**[链接](http://evil.example)'


@pytest.fixture(scope="module")
def rows(demo_db, registry):
    series = resolve(Store(demo_db).active_observations(), registry)
    return standings(series, registry, months_with_data(series)[0])


def spaced(text: str) -> str:
    """One space for each run of white space (the ideographic space 　 too)."""
    return re.sub(r"\s+", " ", text)


def text_of(html: str) -> str:
    """What a reader sees: the markup dropped, entities decoded, one space per run of white space."""
    return spaced(unescape(re.sub(r"<[^>]+>", " ", html)))


def plotly_text(markup: str) -> list[str]:
    """A Plotly label's lines as shown (its <br>, <b> and <span> dropped)."""
    return [unescape(re.sub(r"<[^>]+>", "", line)).strip() for line in markup.split("<br>")]


def test_the_gauge_says_what_the_deck_gauge_says(rows, registry):
    for s in rows:
        ind, style = registry.indicators[s.indicator_code], registry.statuses[s.status]
        region = registry.regions[s.region_code].name
        source = agencies_line(s, registry)
        fig = gauge_figure(s, ind, style, region=region, source=source, width=CARD_WIDTH)  # lines broken alike
        shown = text_of(gauge_html(s, ind, style, region=region, source=source))
        wanted = [*plotly_text(fig.layout.title.text)]
        for ann in fig.layout.annotations:
            wanted += plotly_text(ann.text)
        wanted.append(qty(s.value, ind.unit, ind.decimals))  # the number: valueformat ",.{decimals}f" and the unit
        for line in wanted:
            assert spaced(line) in shown, (s.target_id, line)
        assert status_text(style) in shown and f"完成 {pct(s.completion)}" in shown
        # in the same order: the 序时进度 comparison, then the status, then the completion
        lead = plotly_text(next(a.text for a in fig.layout.annotations if "序时进度" in a.text))
        assert shown.index(spaced(lead[0])) < shown.index(status_text(style)) < shown.index(f"完成 {pct(s.completion)}")


def test_the_gauge_leads_with_the_schedule_at_the_status_size(rows, registry):
    """应达 / 实际 / 差 under the dial at the status's size (not the small grey line), before the completion."""
    s = next(s for s in rows if s.indicator_code == "seed_firms")
    ind, style = registry.indicators[s.indicator_code], registry.statuses[s.status]
    fig = gauge_figure(s, ind, style, width=CARD_WIDTH)
    by_text = {"".join(plotly_text(a.text)): a for a in fig.layout.annotations}
    lead = next(a for text, a in by_text.items() if "序时进度应达" in text)
    status = next(a for text, a in by_text.items() if status_text(style) in text)
    detail = next(a for text, a in by_text.items() if "完成" in text and a is not status)
    due, value = s.outlook.expected_linear, s.value
    assert plotly_text(lead.text) == [f"按序时进度应达 {qty(due, '家', 0)}",
                                      f"实际 {qty(value, '家', 0)}，差 {qty(round(due) - value, '家', 0)}"]
    assert lead.font.size == status.font.size > detail.font.size
    assert lead.font.color != detail.font.color  # the ink of the text, not the muted grey
    assert lead.yshift > status.yshift > (detail.yshift or 0)  # stacked above the status
    html = gauge_html(s, ind, style)
    at = html.index(">按序时进度应达")  # the line itself (the aria-label says it too)
    assert f"font-size:{lead.font.size}px" in html[html.rindex("<div", 0, at):at]
    block = html[at:]
    assert block.index("差 25家") < block.index(status_text(style)) < block.index("完成 87.4%")


def test_the_dial_has_plotlys_ticks_and_the_status_colour(rows, registry):
    assert nice_ticks(59.8) == [0, 20, 40]  # 52家 against 50家: Plotly's 0, 20, 40
    assert nice_ticks(3450) == [0, 1000, 2000, 3000]
    assert nice_ticks(5750) == [0, 2000, 4000]
    assert nice_ticks(11.5) == [0, 5, 10]
    s = rows[0]
    svg = dial_svg(s, registry.statuses[s.status])
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and registry.statuses[s.status].color in svg
    html = gauge_html(s, registry.indicators[s.indicator_code], registry.statuses[s.status])
    image = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert image and base64.b64decode(image[1]).decode() == svg
    assert "<svg" not in html.replace(image[1], "")  # st.html drops inline SVG: the dial is an image


def test_the_trend_encodes_its_values_and_escapes_its_labels():
    history = [(dt.date(2026, m, 1), v) for m, v in ((7, 10.0), (8, 30.0), (9, 20.0), (10, 40.0))]
    svg = sparkline_svg(history, "#2e7d32", height=72)
    line = re.search(r'<polyline points="([^"]+)"', svg)[1]
    points = [tuple(map(float, p.split(","))) for p in line.split()]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    assert xs == sorted(xs) and xs[0] > 0 and xs[-1] < SVG_WIDTH  # in order, inside the box (room for the dot)
    assert ys[3] < ys[1] < ys[2] < ys[0]  # higher value, higher on the page (smaller y): 40 > 30 > 20 > 10
    assert min(ys) >= 4 and max(ys) <= 72 - 4
    html = sparkline_html(history, "<b>亿元</b>", 1, "#2e7d32")
    assert html.count('title="') == 4 and "2026年10月：40.0&lt;b&gt;亿元&lt;/b&gt;" in html
    assert "<b>" not in html
    assert sparkline_html([], "亿元", 1, "#000") == "" and sparkline_svg([], "#000") == ""


def test_the_strip_names_every_target_with_value_schedule_and_status(rows, registry):
    groups = [("武汉市2027年目标", [s for s in rows if s.document == "WH2027"]),
              ("湖北省2026年目标", [s for s in rows if s.document == "HB2026"])]
    strip = status_strip(groups, registry)
    plain = strip.replace("\\", "")
    for s in rows:
        ind = registry.indicators[s.indicator_code]
        chip = next(c for c in re.findall(r":\w+-badge\[(.*?)\]", plain) if c.startswith(ind.short_zh))
        assert qty(s.value, ind.unit, ind.decimals) in chip
        assert status_text(registry.statuses[s.status]) in chip
        # its completion, and first where it stands against its 序时进度 (an achieved target: its completion alone)
        assert chip.endswith(f"完成 {pct(s.completion)}")
        if s.status != "achieved":
            assert chip.index("序时进度") < chip.index("完成")
    chips = re.findall(r":\w+-badge\[(.*?)\]", plain)
    assert next(c for c in chips if c.startswith("金银种子企业")).endswith("▼ 明显滞后 落后序时进度25家，完成 87.4%")
    assert "落后序时进度2.5个百分点，完成" in next(c for c in chips if c.startswith("科创类上市占比"))
    assert "超序时进度224.2亿元，完成" in next(c for c in chips if c.startswith("科技型企业贷款"))
    assert strip.count("-badge[") == len(rows) and strip.count("  \n") == 1  # one line per plan
    assert "4,595.9亿元" in strip  # as written: a figure needs no escaping
    hostile = status_strip([("[点此](http://evil.example) *粗* $x$ <b>", rows[:1])], registry)
    assert "\\[点此\\](http://evil.example) \\*粗\\* \\$x\\$ \\<b\\>" in hostile
    assert [palette_color(registry.statuses[c].color) for c in ("achieved", "on_track", "needs_acceleration",
                                                                 "limited_progress", "insufficient_data")] \
        == ["blue", "green", "orange", "red", "gray"]


def test_upload_text_in_a_card_stays_text(rows, registry):
    s = next(s for s in rows if s.sources)
    hostile = Source(file_name=f"{HOSTILE}.xlsx", agency=HOSTILE, uploaded_at=dt.datetime(2026, 11, 3, 9, 30),
                     origin=HOSTILE, is_computed=False, derivation="reported")
    s = dataclasses.replace(s, sources=[hostile])
    html = card_html(s, registry, source=agencies_line(s, registry))
    assert "<img" not in html.replace('<img src="data:image/svg+xml;base64,', "") and "<a " not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html or "&lt;img src=x onerror=\"alert(1)\"&gt;" in html
    assert HOSTILE in text_of(html)  # shown as written, in the gauge's source line and in the sources list
    assert "&amp;lt;" not in html  # escaped once, not twice (agencies_line escapes it for Plotly already)
