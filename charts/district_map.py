"""A map of units coloured by value or by y/y growth, drawn from the committed GeoJSON in data/geo/.

Each area is a filled SVG path on plain axes (longitude, latitude scaled for the latitude), not a
Plotly map trace: the MapLibre traces draw no text without fetching glyphs from a server and
`go.Choropleth` fetches a world topojson, whereas SVG labels use the browser's own CJK fonts, work
offline and export the same through kaleido.

- Units without a polygon (Wuhan's functional zones) are tiles beside the map, on the same scale.
- Areas too small to label at city scale (Wuhan's central districts) are labelled in an enlarged
  inset instead (`inset`: a lon/lat box); the main map outlines that box.
- Missing units are hatched grey and read 未报送: neither a colour nor a zero stands in for them.
- An area reported by another unit (汉南区 → 武汉经开区) takes that unit's colour, hatched, and says so.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl
from plotly.colors import sample_colorscale

from charts.theme import INK, MUTED, base_layout, standalone
from domain.model import Registry
from metrics.districts import growth_key
from presentation.fmt import growth_text, num, qty, why_missing

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
MISSING_FILL = "#f3f4f6"
MISSING_HATCH = "#9ca3af"
SELECTED_LINE = "#111827"
VALUE_SCALE = "Blues"
GROWTH_SCALE = "RdBu"  # red = falling, blue = rising; the sign is printed in every label too
WUHAN_CENTRE = (114.13, 114.47, 30.47, 30.70)  # lon0, lon1, lat0, lat1: the central districts' inset
# Areas too small for their label, labelled outside the outline with a leader line: (lon, lat) of the label, in
# the empty ground west of the map (神农架林区's label would otherwise lie over 十堰 and 宜昌).
CALLOUTS = {"神农架林区": (108.95, 31.75)}
INSET_EDGE = 0.09  # an inset's labels stay this share of its width and height inside its edges (青山 at the edge)
HATCHED_LABEL = "rgba(255,255,255,0.85)"  # the ground of a label on a hatched area, so it reads over the stripes
COLORBAR_BAND = 0.11  # the share of the plot's height, at its foot, kept for the colour bar (above the source line)


@cache
def load_geojson(name: str) -> dict[str, Any]:
    """A committed GeoJSON (wuhan_districts, hubei_cities), read once per process."""
    return json.loads((GEO_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [lean_ring(poly[0]) for poly in polygons]  # outer rings; the files have no holes


def lean_ring(ring: list[list[float]]) -> list[list[float]]:
    """The same outline with fewer points: a point repeating the one before it, and a point in the middle of a
    straight run, are dropped (the Wuhan outlines lie on a grid, 42% of their points are such), so every viewer
    of a map is sent and draws fewer. Nothing else moves: the points kept are the ring's own corners."""
    kept: list[list[float]] = []
    for point in ring:
        if kept and kept[-1] == point:
            continue
        if len(kept) >= 2:
            (x0, y0), (x1, y1) = kept[-2], kept[-1]
            if abs((x1 - x0) * (point[1] - y0) - (y1 - y0) * (point[0] - x0)) <= 1e-12 and \
                    (x1 - x0) * (point[0] - x1) + (y1 - y0) * (point[1] - y1) >= 0:  # straight on, not back
                kept[-1] = point
                continue
        kept.append(point)
    return kept


def nice_ticks(high: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to about `high` (0, 500, 1000, 1500)."""
    if high <= 0:
        return [0.0]
    raw = high / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(int(high // step) + 1)]


class _Scale:
    """Value → colour. Values: sequential on a square-root scale, so that one large unit (东湖高新区,
    武汉市 in Hubei) does not wash every other unit out to the same pale shade; growth: diverging
    around 0 on a linear scale. The colour bar is drawn in the same transformed space."""

    def __init__(self, values: Sequence[float], growth: bool, points: bool = False):
        self.growth, self.points = growth, points
        if growth:
            top = max((abs(v) for v in values), default=0.0) or 0.01
            self.low, self.high, self.name = -top, top, GROWTH_SCALE
        else:
            self.low, self.high, self.name = 0.0, max([0.0, *values]) or 1.0, VALUE_SCALE

    def _t(self, v: float) -> float:
        return v if self.growth else math.sqrt(max(v, 0.0))

    def position(self, v: float) -> float:
        low, high = self._t(self.low), self._t(self.high)
        return 0.5 if high == low else min(1.0, max(0.0, (self._t(v) - low) / (high - low)))

    def color(self, v: float) -> str:
        # Keep the lightest end off white, so a small value still reads as filled.
        t = self.position(v)
        return sample_colorscale(self.name, [t if self.growth else 0.12 + 0.88 * t])[0]

    def colorbar_marker(self, title: str) -> dict[str, Any]:
        bar: dict[str, Any] = {"orientation": "h", "y": 0.02, "yanchor": "top", "thickness": 12,
                               "tickfont": {"size": 10}, "title": {"text": title, "side": "top", "font": {"size": 11}}}
        if self.growth:
            bar["tickformat"] = "+.1f" if self.points else "+.0%"
            return {"colorscale": self.name, "cmin": self.low, "cmax": self.high, "colorbar": bar}
        ticks = nice_ticks(self.high)
        bar |= {"tickvals": [self._t(v) for v in ticks], "ticktext": [f"{v:,.0f}" for v in ticks]}
        scale = [[0, sample_colorscale(VALUE_SCALE, [0.12])[0]], [1, sample_colorscale(VALUE_SCALE, [1.0])[0]]]
        return {"colorscale": scale, "cmin": 0.0, "cmax": self._t(self.high), "colorbar": bar}

    def ink(self, v: float | None) -> str:
        """Label colour that stays legible on the fill."""
        if v is None:
            return INK
        t = self.position(v)
        return "white" if (abs(t - 0.5) > 0.3 if self.growth else t > 0.6) else INK


@dataclass(frozen=True)
class _Area:
    code: str
    name: str
    short: str
    reporter: str | None  # the unit whose figures include this area
    row: dict[str, Any]
    measured: float | None
    xs: list[float | None]
    ys: list[float | None]
    label_at: tuple[float, float]
    selected: bool


def _label_text(area: _Area, registry: Registry, growth: bool, decimals: int) -> str:
    short = f"<b>{area.short}</b>" if area.selected else area.short
    if area.reporter:
        return f"{short}<br>（计入{registry.regions[area.reporter].short}）"
    if area.row.get("value") is None:
        return f"{short}<br>{why_missing(area.row)}"
    if growth:
        return f"{short}<br>{growth_text(area.row) if area.measured is not None else '无同比'}"
    return f"{short}<br>{num(area.row['value'], decimals)}"


def _hover(name: str, row: dict[str, Any], unit: str, decimals: int, extra: str = "") -> str:
    if row.get("value") is None:
        return f"<b>{name}</b><br>{why_missing(row)}{extra}"
    rank = f"第{row['rank']}名" if row.get("rank") else ""
    return (f"<b>{name}</b><br>{qty(row['value'], unit, decimals)}　{rank}<br>"
            f"同比 {growth_text(row)}{extra}")


def _inside(point: tuple[float, float], box: tuple[float, float, float, float] | None) -> bool:
    return box is not None and box[0] <= point[0] <= box[1] and box[2] <= point[1] <= box[3]


def _missing(area: _Area) -> bool:
    return area.row.get("value") is None and not area.row.get("note")


def _hatched(area: _Area) -> bool:
    """Drawn with stripes: not reported, or counted in another unit."""
    return _missing(area) or area.reporter is not None


def _draw_areas(fig: go.Figure, areas: list[_Area], scale: _Scale, registry: Registry, *, unit: str,
                decimals: int, growth: bool, axes: tuple[str, str], labelled: list[_Area], font_size: int,
                moved: frozenset[str] = frozenset()) -> None:
    """`moved`: the codes of areas whose label was moved off its point (it may lie on a neighbour): on a white ground."""
    for a in areas:
        fill = scale.color(a.measured) if a.measured is not None else MISSING_FILL
        pattern = None
        if _missing(a):
            pattern = {"shape": "/", "fgcolor": MISSING_HATCH, "bgcolor": MISSING_FILL, "size": 8, "solidity": 0.15}
        elif a.reporter:
            pattern = {"shape": "/", "fgcolor": "white", "bgcolor": fill, "size": 8, "solidity": 0.3}
        extra = f"<br>（数据计入{registry.regions[a.reporter].name}）" if a.reporter else ""
        fig.add_trace(go.Scatter(
            x=a.xs, y=a.ys, mode="lines", fill="toself", fillcolor=fill, fillpattern=pattern,
            line={"color": SELECTED_LINE if a.selected else "white", "width": 3 if a.selected else 1},
            hoveron="fills", hoverinfo="text", text=_hover(a.name, a.row, unit, decimals, extra),
            name=a.name, showlegend=False, xaxis=axes[0], yaxis=axes[1]))
    if labelled:
        # A label on a hatched area (未报送, or counted in another unit) is an annotation on a white ground, so it reads
        # over the stripes; so is one called out beside the map. The others are the text of the marker trace.
        boxed = {a.code for a in labelled if _hatched(a) or a.name in CALLOUTS or a.code in moved}
        for a in labelled:
            if a.code not in boxed:
                continue
            callout = CALLOUTS.get(a.name)  # the text there (ax, ay), a line from it to the area's point (x, y)
            fig.add_annotation(
                name=f"label:{a.code}", x=a.label_at[0], y=a.label_at[1], xref=axes[0], yref=axes[1],
                text=_label_text(a, registry, growth, decimals), font={"size": font_size, "color": INK},
                bgcolor=HATCHED_LABEL, borderpad=1, showarrow=callout is not None, arrowhead=0, arrowwidth=1,
                arrowcolor=MUTED, ax=(callout or a.label_at)[0], ay=(callout or a.label_at)[1], axref=axes[0],
                ayref=axes[1], standoff=0)
        # The labels are what a click chooses (st.plotly_chart's point selection): an invisible marker under each
        # carries the unit's code (an area reported by another unit chooses that unit).
        fig.add_trace(go.Scatter(
            x=[a.label_at[0] for a in labelled], y=[a.label_at[1] for a in labelled], mode="markers+text",
            text=["" if a.code in boxed else _label_text(a, registry, growth, decimals) for a in labelled],
            customdata=[a.reporter or a.code for a in labelled], marker={"size": 30, "opacity": 0},
            selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
            hovertext=[_hover(a.name, a.row, unit, decimals) for a in labelled], hoverinfo="text",
            textfont={"size": font_size, "color": [scale.ink(a.measured) for a in labelled]}, showlegend=False,
            xaxis=axes[0], yaxis=axes[1]))


def district_map_figure(
    table: pl.DataFrame, registry: Registry, *, geojson: str, indicator: str, measure: str = "value",
    selected: str | None = None, title: str, as_of: str, source: str, tiles: Sequence[str] = (),
    inset: tuple[float, float, float, float] | None = None, height: int = 700,
) -> go.Figure:
    """`table`: metrics.districts.district_table. `measure`: "value" or "yoy" (colour by y/y growth).

    `tiles`: unit codes drawn as tiles beside the map; `inset`: (lon0, lon1, lat0, lat1) of an
    enlarged view whose areas are labelled there rather than on the main map.
    """
    ind = registry.indicators[indicator]
    growth = measure == "yoy"
    key = growth_key(registry, indicator) if growth else "value"
    rows = {r["region_code"]: r for r in table.iter_rows(named=True)}
    scale = _Scale([r[key] for r in rows.values() if r.get(key) is not None], growth, key == "yoy_points")
    by_adcode = {reg.adcode: reg for reg in registry.regions.values() if reg.adcode}
    areas = []
    for feature in load_geojson(geojson)["features"]:
        props = feature["properties"]
        region = by_adcode.get(props["adcode"])
        code = region.code if region else props["adcode"]
        reporter = region.reported_by if region else None
        row = rows.get(reporter or code, {})
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in _rings(feature["geometry"]):
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
        areas.append(_Area(code=code, name=region.name if region else props["name"],
                           short=region.short if region else props["name"], reporter=reporter, row=row,
                           measured=row.get(key), xs=xs, ys=ys, label_at=tuple(props["label_point"]),
                           selected=selected is not None and selected in (code, reporter)))
    lat_mid = sum(a.label_at[1] for a in areas) / len(areas)
    ratio = 1 / math.cos(math.radians(lat_mid))
    fig = go.Figure()
    in_inset = [a for a in areas if _inside(a.label_at, inset)]
    _draw_areas(fig, areas, scale, registry, unit=ind.unit, decimals=ind.decimals, growth=growth, axes=("x", "y"),
                labelled=[a for a in areas if a not in in_inset], font_size=11)
    # Domains: [inset][main map][tiles], each present only when asked for.
    left = 0.30 if inset else 0.0
    right = 0.74 if tiles else 1.0
    fig.update_layout(xaxis={"visible": False, "domain": [left, right]},
                      yaxis={"visible": False, "scaleanchor": "x", "scaleratio": ratio, "domain": [COLORBAR_BAND, 1]})
    if inset:
        _add_inset(fig, areas, in_inset, inset, scale, registry, ind.unit, ind.decimals, growth, ratio)
    if tiles:
        _add_tiles(fig, tiles, rows, registry, scale, key, growth, ind.unit, ind.decimals, selected)
    # The colour scale, drawn by an invisible marker trace, under the tiles (or the map).
    marker = scale.colorbar_marker(("同比（个百分点）" if scale.points else "同比") if growth else ind.unit)
    marker["colorbar"] |= {"x": 0.78 if tiles else 0.5, "xanchor": "left" if tiles else "center",
                           "len": 0.22 if tiles else 0.4, "y": 0, "yanchor": "bottom"}
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False,
                             marker={**marker, "color": [marker["cmin"]], "showscale": True}))
    fig.update_layout(hovermode="closest", dragmode=False)
    base_layout(fig, height=height, margin={"l": 10, "r": 10, "t": 80, "b": 60})
    return standalone(fig, title=title, unit=None if growth else ind.unit, as_of=as_of, source=source)


def _add_inset(fig: go.Figure, areas: list[_Area], labelled: list[_Area], box: tuple[float, float, float, float],
               scale: _Scale, registry: Registry, unit: str, decimals: int, growth: bool, ratio: float) -> None:
    """The same areas again on axes x3/y3 zoomed to `box`; the main map outlines the box."""
    lon0, lon1, lat0, lat1 = box
    # A label near the inset's edge moves inward, so that it is not cut there (青山, 洪山).
    dx, dy = INSET_EDGE * (lon1 - lon0), INSET_EDGE * (lat1 - lat0)
    inside = [replace(a, label_at=(min(max(a.label_at[0], lon0 + dx), lon1 - dx),
                                   min(max(a.label_at[1], lat0 + dy), lat1 - dy))) for a in labelled]
    moved = frozenset(a.code for a, b in zip(labelled, inside, strict=True) if a.label_at != b.label_at)
    _draw_areas(fig, areas, scale, registry, unit=unit, decimals=decimals, growth=growth, axes=("x3", "y3"),
                labelled=inside, font_size=12, moved=moved)
    fig.update_layout(
        xaxis3={"domain": [0.0, 0.28], "range": [lon0, lon1], "visible": False, "anchor": "y3", "fixedrange": True},
        yaxis3={"domain": [COLORBAR_BAND, 0.92], "range": [lat0, lat1], "visible": False, "anchor": "x3", "fixedrange": True,
                "scaleanchor": "x3", "scaleratio": ratio, "constrain": "domain"},
    )
    fig.add_shape(type="rect", xref="x", yref="y", x0=lon0, x1=lon1, y0=lat0, y1=lat1,
                  line={"color": MUTED, "width": 1, "dash": "dot"})
    fig.add_shape(type="rect", xref="x3 domain", yref="y3 domain", x0=0, x1=1, y0=0, y1=1,
                  line={"color": MUTED, "width": 1})
    fig.add_annotation(text="中心城区放大", xref="x3 domain", yref="y3 domain", x=0, y=1, xanchor="left",
                       yanchor="bottom", showarrow=False, font={"size": 12, "color": MUTED})


def _add_tiles(fig: go.Figure, tiles: Sequence[str], rows: dict[str, dict[str, Any]], registry: Registry,
               scale: _Scale, key: str, growth: bool, unit: str, decimals: int, selected: str | None) -> None:
    """Units without a polygon, as a column of coloured tiles on axes x2/y2."""
    n = len(tiles)
    xs, ys, texts, inks, hovers = [], [], [], [], []
    for i, code in enumerate(tiles):
        row = rows.get(code, {})
        region = registry.regions[code]
        measured = row.get(key)
        top = n - i
        is_selected = code == selected
        fig.add_shape(type="rect", xref="x2", yref="y2", x0=0, x1=1, y0=top - 0.92, y1=top - 0.08, layer="below",
                      fillcolor=scale.color(measured) if measured is not None else MISSING_FILL,
                      line={"color": SELECTED_LINE if is_selected else MISSING_HATCH, "width": 3 if is_selected else 1})
        xs.append(0.5)
        ys.append(top - 0.5)
        name = f"<b>{region.name}</b>" if is_selected else region.name
        if row.get("value") is None:
            shown = why_missing(row)
        elif growth:
            shown = growth_text(row) if measured is not None else "无同比"
        else:
            shown = qty(row["value"], unit, decimals)
        texts.append(f"{name}<br>{shown}")
        inks.append(scale.ink(measured))
        hovers.append(_hover(region.name, row, unit, decimals))
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers+text", text=texts, textfont={"size": 13, "color": inks},
                             customdata=list(tiles), marker={"size": 40, "opacity": 0, "symbol": "square"},
                             selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
                             hovertext=hovers, hoverinfo="text", xaxis="x2", yaxis="y2", showlegend=False))
    fig.update_layout(
        xaxis2={"domain": [0.78, 1.0], "range": [0, 1], "visible": False, "fixedrange": True, "anchor": "y2"},
        yaxis2={"domain": [0.16, 0.95], "range": [0, n + 0.5], "visible": False, "fixedrange": True, "anchor": "x2"},
    )
    fig.add_annotation(text="功能区（无行政区划边界）", xref="x2", yref="y2", x=0.5, y=n + 0.25, showarrow=False,
                       font={"size": 12, "color": MUTED})
