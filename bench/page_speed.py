"""How soon the overview is readable and fully drawn, against an empty Streamlit page served and measured in the
same run, with a cold and with a warm browser cache.

    .venv/bin/python bench/page_speed.py [--db PATH] [--runs 3]

Builds a demo database in a temporary folder unless --db is given. Both servers run side by side (the
overview: dashboard.py on the database; the baseline: bench/empty_page.py), with the project's
.streamlit/config.toml; each is visited once first, uncounted (it warms Streamlit's caches and imports). Then,
`--runs` times and alternating between the two: a new browser context opens the page (cold cache), then the
same page reloads (warm cache).

Times are read inside the page (bench/_common.PROBE), in seconds since navigation started:
- first meaningful paint: the frame in which, for every target, its value (4,595.9亿元), its completion
  (91.9%) and its status (进度正常) are in the page's text; for the empty page, its one line (空白页);
- all drawn: the first meaningful paint, the script finished, and every Plotly figure the server sent drawn.
Its breakdown (medians): when the first websocket message arrived (page, scripts and connection loaded; the
script starts), the script as received (from that message to the one saying the script finished, both timed by
the browser's network stack; Chromium reads websocket messages only as fast as the page handles them, so this
holds the page's own work on them as well as the server's run), the client drawing (from the script's
end to all drawn), and the bytes received (HTTP transfer, 0 for what came from the cache; websocket messages).

The last two lines: `all drawn ratio X.XX` then `ratio X.XX` (first meaningful paint); both cold cache,
overview ÷ empty page. The warm-cache ratios are on the line before.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    HTTP_BYTES,
    SCRIPT_DONE,
    demo_database,
    drawn_js,
    finish,
    first_at_least,
    launch,
    overview_marks,
    playwright,
    probe_script,
    serve,
)

TIMEOUT_MS = 120_000
QUIET = 1.0  # seconds of rest before each visit, so the last one's closing work does not slow the next
VIEWPORT = {"width": 1600, "height": 1000}


@dataclass(frozen=True)
class Visit:
    fmp: float  # seconds since navigation started
    drawn: float
    connected: float  # the first websocket message (the script starts)
    script: float  # from it to the script's end (the message saying so)
    http_kb: float
    ws_kb: float
    figures: int
    title: float | None


class Frames:
    """The page's Streamlit websocket messages with the times the browser's network stack received them (CDP's
    Network.webSocketFrameReceived: not held up by the page's own busy thread), in seconds since the document
    was requested, decoded: when the script finished, how many Plotly figures it sent, how many bytes."""

    def __init__(self, context, page) -> None:
        self.frames: list[tuple[float, bytes]] = []
        self.start = 0.0
        cdp = context.new_cdp_session(page)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.send("Network.enable")

    def _request(self, event) -> None:
        if event.get("type") == "Document":  # a navigation: a new visit begins
            self.start, self.frames = event["timestamp"], []

    def _frame(self, event) -> None:
        response = event["response"]
        data = response["payloadData"]
        payload = base64.b64decode(data) if response.get("opcode") == 2 else data.encode()
        self.frames.append((event["timestamp"] - self.start, payload))

    def read(self) -> tuple[float, float | None, int, int]:
        """(first message, script finished or None, Plotly figures, bytes)."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        finished, figures = None, 0
        for t, payload in self.frames:
            msg = ForwardMsg.FromString(payload)
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                finished = t
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                figures += msg.delta.new_element.WhichOneof("type") == "plotly_chart"
        first = self.frames[0][0] if self.frames else 0.0
        return first, finished, figures, sum(len(p) for _, p in self.frames)


def finish_visit(page, frames: Frames) -> Visit:
    """Wait until the visit that just began is fully drawn; read the probe and the websocket."""
    page.wait_for_function(SCRIPT_DONE, timeout=TIMEOUT_MS, polling=100)
    n = frames.read()[2]
    page.wait_for_function(drawn_js(n), timeout=TIMEOUT_MS, polling=100)
    probe = page.evaluate("() => window.__probe")
    http = page.evaluate(HTTP_BYTES)
    connected, finished, n, ws_bytes = frames.read()
    fmp = probe["marks"]["fmp"] / 1000
    drawn = max(fmp, probe["states"][-1][0] / 1000, (first_at_least(probe["plots"], n) or 0) / 1000)
    finished = finished if finished is not None else probe["states"][-1][0] / 1000
    title = probe["marks"].get("title")
    return Visit(fmp, drawn, connected, finished - connected, http / 1024, ws_bytes / 1024, n,
                 title / 1000 if title else None)


def visits(browser, url: str, probe: str) -> tuple[Visit, Visit, Visit]:
    """Three visits with one browser context: the first (cold cache); a new tab after that one closed (warm cache:
    an official opening the link again); that tab reloaded (warm cache, and the page it shows torn down first)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(probe)
    try:
        found = []
        for _ in range(2):
            page = context.new_page()
            frames = Frames(context, page)
            time.sleep(QUIET)
            page.goto(url, wait_until="commit")
            found.append(finish_visit(page, frames))
            if not found[1:]:
                page.close()
        time.sleep(QUIET)
        page.reload(wait_until="commit")
        found.append(finish_visit(page, frames))
        return found[0], found[1], found[2]
    finally:
        context.close()


def med(values) -> float:
    return statistics.median(values)


def describe(name: str, visits: list[Visit]) -> list[str]:
    runs = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    fmp, drawn = [v.fmp for v in visits], [v.drawn for v in visits]
    titles = [v.title for v in visits if v.title is not None]
    return [f"{name}: first meaningful paint {med(fmp):.2f} s ({runs(fmp)}), "
            f"all drawn {med(drawn):.2f} s ({runs(drawn)})" + (f", title {med(titles):.2f} s" if titles else ""),
            f"    breakdown: first websocket message {med(v.connected for v in visits):.2f} s, "
            f"script as received {med(v.script for v in visits):.2f} s, "
            f"client drawing after the script {med(v.drawn - v.connected - v.script for v in visits):.2f} s, "
            f"{visits[0].figures} Plotly figures; received: HTTP {med(v.http_kb for v in visits):,.0f} kB, "
            f"websocket {med(v.ws_kb for v in visits):,.0f} kB"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Path(args.db) if args.db else demo_database(folder)
        overview_probe = probe_script([[marks] for marks in overview_marks(db)])
        empty_probe = probe_script([[["空白页"]]])
        with (serve(db, log=folder / "overview.log") as overview,
              serve(db, log=folder / "empty.log", script="bench/empty_page.py") as empty,
              playwright() as p):
            browser = launch(p)
            pages = {"overview": (overview.url + "/", overview_probe), "empty page": (empty.url + "/", empty_probe)}
            for url, probe in pages.values():  # warm up each server (not counted)
                visits(browser, url, probe)
            seen: dict[str, list[tuple[Visit, Visit, Visit]]] = {name: [] for name in pages}
            for _ in range(args.runs):
                for name, (url, probe) in pages.items():
                    seen[name].append(visits(browser, url, probe))
            browser.close()
    lines = []
    kinds = ("cold cache", "warm cache, new tab", "warm cache, reload")
    for name in pages:
        for i, kind in enumerate(kinds):
            lines += describe(f"{name}, {kind}", [v[i] for v in seen[name]])
    ratio = {(what, kind): med(getattr(v[i], what) for v in seen["overview"])
             / med(getattr(v[i], what) for v in seen["empty page"])
             for what in ("fmp", "drawn") for i, kind in enumerate(kinds)}
    lines += [f"{kind}: first meaningful paint ratio {ratio['fmp', kind]:.2f}, all drawn ratio {ratio['drawn', kind]:.2f}"
              for kind in kinds[1:]]
    lines.append(f"all drawn ratio {ratio['drawn', 'cold cache']:.2f}")
    return finish(lines, ratio["fmp", "cold cache"])


if __name__ == "__main__":
    sys.exit(main())
