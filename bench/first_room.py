"""Thirty officials open the dashboard right after it started, when every first run imports the pages' libraries
and fills the caches at once (pages/preload.py, pages/common.through_dashboard).

    .venv/bin/python bench/first_room.py [--db PATH] [--sessions 30] [--pages overview|all]

Builds a demo database in a temporary folder unless --db is given (copied, never written). Over Streamlit's
websocket protocol (tests/streamlit_client: the server's part; nothing is drawn). On a server just started, one
session alone; on another just started, N sessions at once, each opening the overview (with --pages all: the
pages anonymous viewers see, in turn, as bookmarks); then the same N again on that server, warm. Times are
seconds from each session's request until the overview's every figure arrived (another page: until its run
finished). Prints p50 and p95 of each, the errors (exception elements, error alerts, tracebacks in the server's
log), and LAST `p95 ratio X.XX errors N`: the N cold sessions' p95 ÷ the one cold session's.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import demo_database, overview_figures, serve
from bench.load import percentile
from tests.streamlit_client import ANONYMOUS_PAGES, Session


async def visit(url: str, page: str, wanted: list) -> tuple[float, list[str]]:
    async with Session(url, timeout=180) as tab:
        run = await tab.run(page, wanted=wanted if page == "" else None)
        waited = run.marks_at if page == "" else run.done
        return (waited if waited is not None else float("inf")), run.errors


async def room(url: str, pages: list[str], wanted: list) -> list[tuple[float, list[str]]]:
    return await asyncio.gather(*(visit(url, page, wanted) for page in pages))


def line(name: str, visits: list[tuple[float, list[str]]]) -> str:
    times = [t for t, _ in visits]
    return f"{name}: p50 {statistics.median(times):.2f} s, p95 {percentile(times, 95):.2f} s, max {max(times):.2f} s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="the demo database to copy (default: build one, about a minute, not timed)")
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--pages", choices=("overview", "all"), default="overview")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "first_room.duckdb"
        if args.db:
            shutil.copy(args.db, db)
        else:
            shutil.move(demo_database(folder), db)
        wanted = [[list(figures)] for figures in overview_figures(db)]
        cycle = [page for page, _ in ANONYMOUS_PAGES] if args.pages == "all" else [""]
        pages = [cycle[i % len(cycle)] for i in range(args.sessions)]
        with serve(db) as server:
            alone = asyncio.run(room(server.url, [""], wanted))
            log = server.log.read_text(errors="replace")
        with serve(db) as server:
            cold = asyncio.run(room(server.url, pages, wanted))
            warm = asyncio.run(room(server.url, pages, wanted))
            log += server.log.read_text(errors="replace")
    errors = sum(len(e) for _, e in alone + cold + warm) + log.count("Traceback")
    print(f"{args.sessions} sessions, pages: {', '.join(p or '总览' for p in cycle)}")
    print(line("one session on a server just started", alone))
    print(line(f"{args.sessions} at once on a server just started", cold))
    print(line(f"the same {args.sessions} again, warm", warm))
    for message in sorted({e for _, es in cold + warm + alone for e in es})[:10]:
        print(f"  error: {message}")
    print(f"p95 ratio {percentile([t for t, _ in cold], 95) / alone[0][0]:.2f} errors {errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
