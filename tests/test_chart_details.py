"""Small things a screenshot shows (issue 11, item 6), each checked where it can go wrong: the source a figure names,
the map's title in 按同比增速 mode, and the places where one text lay over another — measured in Chromium, the
figure drawn by plotly.js at the size a page or a slide draws it, every box read back with getBoundingClientRect.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import plotly
import plotly.graph_objects as go
import polars as pl
import pytest

from charts.district_map import CALLOUTS, GEO_DIR, WUHAN_CENTRE, district_map_figure, lean_ring
from charts.gauge import gauge_figure
from charts.ranking import REFERENCE_LABEL, VALUE_LABEL, ranking_figure
from charts.trajectory import LINEAR_PATH, VERDICT, trajectory_figure
from domain.model import StatusStyle
from metrics import districts
from metrics.series import months_with_data, resolve
from metrics.standing import standings
from store import Store
from tests.streamlit_server import chromium

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
BEHIND = StatusStyle(code="needs_acceleration", label="需加快", label_en="", symbol="▲", color="#d97706")


# -- sources ---------------------------------------------------------------------------------------------------


def test_a_figure_from_a_register_names_the_registers_agency(registry):
    """An indicator summed from a register comes from the agency that keeps the register: 创业投资规模 is the seed,
    angel and venture funds of 市财政局's fund register, not 湖北证监局's."""
    for spec in registry.registers.values():
        for y in spec.yields:
            assert registry.indicators[y.indicator].source == spec.agency, (y.indicator, spec.agency)
    assert registry.indicators["venture_capital_size"].source == "市财政局"


# -- the map's title -------------------------------------------------------------------------------------------


def test_the_map_title_names_the_indicator_in_growth_mode(open_page, demo_db):
    at = open_page("pages/districts.py", db=demo_db, indicator="seed_firms", color="yoy")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any(t.startswith("武汉市各单位金银种子企业同比增速") for t in titles), titles
    at = open_page("pages/districts.py", db=demo_db, indicator="seed_firms")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any(t.startswith("武汉市各单位金银种子企业<br>") for t in titles), titles


def test_the_hint_on_districts_has_an_icon_chromium_can_draw(open_page, demo_db):
    """No emoji (Chromium here has no emoji font: 👈 was a box): a Material icon."""
    at = open_page("pages/districts.py", db=demo_db)
    hint = next(i for i in at.info if "点击地图" in i.value)
    assert hint.icon == ":material/touch_app:"


# -- the figures, structurally ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_db, registry):
    series = resolve(Store(demo_db).active_observations(), registry)
    return series, months_with_data(series)[0]


def _ranking(registry, demo, indicator="tech_loan_balance", measure="value") -> go.Figure:
    series, as_of = demo
    table = districts.district_table(series, registry, indicator, as_of, registry.city)
    growth = measure == "yoy"
    reference = (districts.parent_growth(series, registry, indicator, as_of, registry.city) if growth
                 else districts.unit_average(table))
    return ranking_figure(table, registry, indicator=indicator, measure=measure, reference=reference,
                          reference_label="全市同比" if growth else "各单位平均", title="科技贷款余额：各单位排名",
                          as_of="截至2026年10月", source="数据来源：人行武汉分行营管部")


def test_the_ranking_prints_its_figures_on_a_white_ground_over_the_reference_line(registry, demo):
    fig = _ranking(registry, demo)
    bars = fig.data[0]
    assert not bars.text  # the figures are not the bars' own text, which Plotly draws with no ground
    labels = [a for a in fig.layout.annotations if a.name == VALUE_LABEL]
    top = max(v for v in bars.x if v is not None)
    outside = [a for a in labels if a.x < 0.6 * top]
    assert len(labels) == len(bars.y) and outside and all(a.bgcolor == "white" for a in outside)
    # the longest bar's figures inside its end (right-aligned there), where a bar hides the line anyway
    assert all(a.xanchor == "right" for a in labels if a.x >= 0.6 * top)
    line = next(s for s in fig.layout.shapes if s.type == "line")
    assert line.layer == "below"  # under the bars


def test_the_trend_says_sequential_progress_and_the_gap_between_the_shown_figures(registry):
    ind = registry.indicators["star_chinext_bse_share"]
    months = [dt.date(2024, 8, 31), dt.date(2025, 8, 31), dt.date(2026, 10, 31)]
    fig = trajectory_figure(
        [(months[0], 42.7), (months[1], 44.5), (months[2], 46.951)], ind=ind, style=BEHIND,
        paths=[(months[0], 42.7, 42.7), (dt.date(2026, 12, 31), 50.0, 50.0)],
        projection=[(months[2], 46.951), (dt.date(2026, 12, 31), 47.3)], target_value=50.0, target_label="超过50%",
        deadline=dt.date(2026, 12, 31), baseline=(months[0], 42.7), expected_now=(months[2], 49.437),
        gap_text="实际落后 2.5个百分点", title="t", as_of="截至2026年10月", source="数据来源：x")
    names = [t.name for t in fig.data if t.name]
    assert LINEAR_PATH in names and not any("线性路径" in n or "→" in n for n in names)
    due = next(a.text for a in fig.layout.annotations if a.text.startswith("应达"))
    # 49.4% and 47.0% are shown: the gap is 2.4 points (the unrounded 2.486 would print 2.5)
    assert due == "应达 49.4%<br><b>实际落后 2.4个百分点</b>"


# -- the figures, drawn ----------------------------------------------------------------------------------------

BOXES_JS = """async ([fig, width, height]) => {
  const gd = document.getElementById('gd');
  await Plotly.newPlot(gd, fig.data, {...fig.layout, width, height}, {staticPlot: true});
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const all = sel => [...gd.querySelectorAll(sel)];
  return {
    annotations: all('g.annotation').map(g => ({index: +g.getAttribute('data-index'), box: box(g.querySelector('.annotation-text-g') || g),
      text: g.textContent})),
    title: all('.g-gtitle text').map(box),
    ticks: all('g.xangularaxistick text, g.xtick text, g.ytick text').filter(t => t.textContent).map(t => ({text: t.textContent, box: box(t)})),
    points: all('g.textpoint text').filter(t => t.textContent).map(t => ({text: t.textContent, box: box(t)})),
    shapes: all('.shapelayer path').map(box),
    colorbar: all('g.colorbar').map(box),
    legend: all('g.legend text').map(t => t.textContent),
    main: gd._fullLayout.xaxis && gd._fullLayout.yaxis ?
      [gd._fullLayout.xaxis, gd._fullLayout.yaxis].map(a => [a._offset, a._length, ...a.range]) : null,
    inset: gd._fullLayout.xaxis3 ? [gd._fullLayout.xaxis3._offset, gd._fullLayout.xaxis3._offset + gd._fullLayout.xaxis3._length] : null,
  };
}"""


@pytest.fixture(scope="module")
def draw() -> Iterator:
    """draw(fig, width, height) → the boxes of its texts, as plotly.js lays them out in Chromium."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed")
    script = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    with chromium() as browser:
        page = browser.new_page()
        page.set_content("<html><body style='margin:0'><div id='gd'></div></body></html>")
        page.add_script_tag(path=str(script))

        def run(fig: go.Figure, width: int, height: int) -> dict:
            return page.evaluate(BOXES_JS, [json.loads(fig.to_json()), width, height])

        yield run
        page.close()


def overlap(a: list[float], b: list[float], slack: float = 0.5) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize(("indicator", "measure", "width"), [("seed_firms", "value", 620), ("seed_firms", "yoy", 620),
                                                             ("tech_loan_balance", "value", 350)])
def test_the_reference_line_crosses_no_figure_and_its_label_no_text(registry, demo, draw, indicator, measure, width):
    fig = _ranking(registry, demo, indicator, measure)
    drawn = draw(fig, width, fig.layout.height)
    names = [a.name for a in fig.layout.annotations]
    labelled = [(fig.layout.annotations[a["index"]], a["box"]) for a in drawn["annotations"]
                if names[a["index"]] == VALUE_LABEL]
    values = [box for _, box in labelled]
    ref = next(a["box"] for a in drawn["annotations"] if names[a["index"]] == REFERENCE_LABEL)
    line = drawn["shapes"][0]
    # where the line passes a label, the label is on a white ground (drawn above the shapes) or on its bar (which is
    # drawn above the line)
    crossed = [(ann, box) for ann, box in labelled if box[0] < line[0] < box[2]]
    assert all(ann.bgcolor == "white" or ann.xanchor == ("right" if ann.x > 0 else "left") for ann, _ in crossed)
    assert all(box[0] >= 0 and box[2] <= width for box in values)  # whole inside the figure, on a phone too
    others = [a["box"] for a in drawn["annotations"] if names[a["index"]] != REFERENCE_LABEL] + drawn["title"]
    assert not [o for o in others if overlap(ref, o)]
    assert not [(v, w) for i, v in enumerate(values) for w in values[i + 1:] if overlap(v, w)]


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("width", [290, 375])
def test_the_gauges_top_tick_leaves_the_unit_line_alone(registry, demo, draw, width):
    """The meeting's 汉融通 gauge (room 1.3, 385 px high): its top tick label under, not on, 截至…　单位：款."""
    series, as_of = demo
    s = next(s for s in standings(series, registry, as_of) if s.indicator_code == "hanrongtong_products")
    ind = registry.indicators[s.indicator_code]
    fig = gauge_figure(s, ind, registry.statuses[s.status], region="武汉市", height=385, room=1.3, width=width)
    drawn = draw(fig, width, 385)
    bottom_of_title = max(b[3] for b in drawn["title"])
    ticks = [t for t in drawn["ticks"] if t["text"]]
    assert ticks and min(t["box"][1] for t in ticks) >= bottom_of_title, (ticks, bottom_of_title)


@pytest.mark.browser
@needs_chromium
def test_the_verdict_box_covers_no_label(registry, demo_db, draw):
    from reports.brief import load_brief
    from reports.figures import trend_chart

    brief = load_brief(demo_db, registry, generated=dt.date(2026, 11, 30))
    checked = 0
    for s in brief.standings:
        if s.target_id not in brief.views:
            continue
        chart = trend_chart(s, brief.views[s.target_id], registry, height=640)
        fig = chart.for_export()
        names = [a.name for a in fig.layout.annotations]
        if VERDICT not in names:
            continue
        drawn = draw(fig, chart.width, chart.height)
        verdict = next(a["box"] for a in drawn["annotations"] if names[a["index"]] == VERDICT)
        texts = [p["box"] for p in drawn["points"]] + [a["box"] for a in drawn["annotations"]
                                                        if names[a["index"]] != VERDICT]
        assert not [t for t in texts if overlap(verdict, t)], s.target_id
        assert verdict[2] <= chart.width and verdict[3] <= chart.height
        checked += 1
    assert checked  # the share target (47.0% under the box before) among them


def _map(registry, demo, geojson: str, parent: str, indicator: str, measure: str = "value", **kw) -> go.Figure:
    series, as_of = demo
    table = districts.district_table(series, registry, indicator, as_of, parent)
    return district_map_figure(table, registry, geojson=geojson, indicator=indicator, measure=measure,
                               title="各单位", as_of="截至2026年10月",
                               source="数据来源：人行湖北省分行；区划边界为示意", **kw)


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("width", [360, 680])
def test_the_hubei_map_keeps_its_labels_and_colour_bar_apart(registry, demo, draw, width):
    fig = _map(registry, demo, "hubei_cities", registry.province, "tech_sme_borrowers", height=600)
    drawn = draw(fig, width, 600)
    source = next(a["box"] for a in drawn["annotations"] if "区划边界为示意" in a["text"])
    assert not overlap(drawn["colorbar"][0], source)
    callout = next(a["box"] for a in drawn["annotations"] if "神农架" in a["text"])
    labels = [p["box"] for p in drawn["points"]]
    assert not [b for b in labels if overlap(callout, b)]
    # beside the map, at the callout's place, not on the area (whose point the line leads to)
    (x0, xlen, lon0, lon1), (y0, ylen, lat0, lat1) = drawn["main"]
    lon, lat = CALLOUTS["神农架林区"]
    ann = next(a for a in fig.layout.annotations if "神农架" in (a.text or ""))
    px = x0 + (lon - lon0) / (lon1 - lon0) * xlen
    py = y0 + (lat1 - lat) / (lat1 - lat0) * ylen
    assert (ann.ax, ann.ay) == (lon, lat) and callout[0] - 1 <= px <= callout[2] + 1 and callout[1] - 1 <= py <= callout[3] + 1
    area_x = x0 + (ann.x - lon0) / (lon1 - lon0) * xlen
    area_y = y0 + (lat1 - ann.y) / (lat1 - lat0) * ylen
    assert not (callout[0] <= area_x <= callout[2] and callout[1] <= area_y <= callout[3])


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("measure", ["value", "yoy"])
def test_the_wuhan_map_labels_stay_inside_the_inset_and_read_over_hatching(registry, demo, draw, measure):
    tiles = tuple(r.code for r in registry.children(registry.city) if r.kind == "functional_zone")
    fig = _map(registry, demo, "wuhan_districts", registry.city, "seed_firms", measure, tiles=tiles,
               inset=WUHAN_CENTRE, height=700)
    drawn = draw(fig, 1140, 700)
    inset = drawn["inset"]  # the inset's left and right edge, in pixels
    qingshan = [a["box"] for a in drawn["annotations"] if a["text"].startswith("青山")]
    qingshan += [p["box"] for p in drawn["points"] if p["text"].startswith("青山")]
    in_inset = [b for b in qingshan if b[0] < inset[1]]
    assert in_inset and all(inset[0] <= b[0] and b[2] <= inset[1] for b in in_inset), (in_inset, inset)
    hannan = next(a for a in fig.layout.annotations if (a.text or "").startswith("汉南"))
    assert hannan.bgcolor and hannan.bgcolor != "rgba(0,0,0,0)"  # on a white ground over its stripes
    source = next(a["box"] for a in drawn["annotations"] if "区划边界为示意" in a["text"])
    assert not overlap(drawn["colorbar"][0], source)


def test_the_value_labels_survive_an_empty_unit(registry, demo):
    """A unit without a figure still gets its 未报送 label (an annotation at 0)."""
    series, as_of = demo
    table = districts.district_table(series, registry, "tech_loan_balance", as_of, registry.city)
    table = table.with_columns(pl.when(pl.col("region_code") == table["region_code"][0]).then(None)
                               .otherwise(pl.col("value")).alias("value"))
    fig = ranking_figure(table, registry, indicator="tech_loan_balance", reference=None, title="t", as_of="a",
                         source="s")
    labels = [a for a in fig.layout.annotations if a.name == VALUE_LABEL]
    assert any(a.x == 0 and "报送" in a.text for a in labels)


def _area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def test_a_lean_outline_keeps_every_corner_and_drops_the_rest():
    square = [[0, 0], [1, 0], [1, 0], [2, 0], [2, 1], [2, 2], [1, 2], [0, 2], [0, 1], [0, 0]]
    assert lean_ring(square) == [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]
    spike = [[0, 0], [2, 0], [3, 0], [1, 0], [1, 1], [0, 0]]  # out along the edge and back: the tip stays
    assert [3, 0] in lean_ring(spike)


@pytest.mark.parametrize("name", ["wuhan_districts", "hubei_cities"])
def test_the_maps_outlines_keep_their_shape_with_fewer_points(name):
    """Each outline drawn is its own ring less repeated points and points inside straight runs: the same area,
    only its own points, the same start and end."""
    sent = drawn = 0
    for feature in json.loads((GEO_DIR / f"{name}.geojson").read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            ring, lean = polygon[0], lean_ring(polygon[0])
            assert lean[0] == ring[0] and lean[-1] == ring[-1]
            assert {tuple(p) for p in lean} <= {tuple(p) for p in ring}
            assert _area(lean) == pytest.approx(_area(ring), rel=1e-9, abs=1e-12)
            sent, drawn = sent + len(ring), drawn + len(lean)
    assert drawn < sent
