"""What the benchmarks share: a demo database to measure on, and the closing lines each prints (its
timings, then `ratio X.XX` on the last line, which scripts look for).

A benchmark runs as a script (`.venv/bin/python bench/page_speed.py`): it puts the project root on
sys.path itself, then imports this module as bench._common (the leading "_": a helper, not a benchmark).
"""

from __future__ import annotations

from pathlib import Path


def demo_database(folder: Path) -> Path:
    """Build the demo database in `folder` (not timed: about a minute) and return its path."""
    from domain.registry import default_registry
    from loaders.demo import build_demo

    print("building the demo database (not timed)…", flush=True)
    db = folder / "demo.duckdb"
    build_demo(db, folder / "workbooks", default_registry())
    return db


def finish(lines: list[str], ratio: float) -> int:
    """Print the timings, then `ratio X.XX` (what is measured / its baseline); 0, the exit status."""
    for line in lines:
        print(line)
    print(f"ratio {ratio:.2f}")
    return 0
