"""Seconds from navigation until the overview's gauges are all drawn, against an empty Streamlit page.

    .venv/bin/python bench/page_speed.py [--db PATH] [--runs 3]

Builds a demo database in a temporary folder unless --db is given. Prints the median of each
measurement and, on its last line, `ratio X.XX` (overview / empty page).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import demo_database, finish
from domain.registry import default_registry
from tests.streamlit_server import chromium, dashboard


def measure(browser, url: str, ready_js: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs + 1):  # the first visit warms Streamlit's caches and is not counted
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(ready_js, timeout=120_000, polling=50)
        times.append(time.perf_counter() - start)
        page.close()
    return times[1:]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    n_gauges = len(default_registry().targets)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else demo_database(Path(tmp))
        gauges_js = f"document.querySelectorAll('.js-plotly-plot .indicatorlayer .numbers').length >= {n_gauges}"
        empty_js = "document.body.innerText.includes('空白页')"
        with chromium() as browser:
            with dashboard(db) as url:
                overview = measure(browser, url + "/", gauges_js, args.runs)
            with dashboard(db, script="bench/empty_page.py") as url:
                empty = measure(browser, url + "/", empty_js, args.runs)
    o, e = statistics.median(overview), statistics.median(empty)
    return finish([f"overview, all {n_gauges} gauges drawn: {o:.2f} s (runs: {', '.join(f'{t:.2f}' for t in overview)})",
                   f"empty Streamlit page drawn:        {e:.2f} s (runs: {', '.join(f'{t:.2f}' for t in empty)})"],
                  o / e)


if __name__ == "__main__":
    sys.exit(main())
