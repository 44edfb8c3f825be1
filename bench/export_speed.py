"""How long the meeting outputs take, with a warm figure-export server (kaleido + Chromium).

    .venv/bin/python bench/export_speed.py [--db PATH] [--as-of YYYY-MM] [--rounds 2]

Builds the demo database into a temporary folder when --db is not given (about half a minute, not
timed). Prints seconds for: reading the database into a brief, starting the export server (cold),
one figure (warm), the full deck (every figure exported, then the .pptx), the PDF (the deck converted
by LibreOffice) and the PNG zip; the last line is `deck X.XX s  pdf Y.YY s`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import demo_database
from domain.registry import default_registry
from reports import export, figures
from reports.brief import load_brief
from reports.deck import build_deck
from reports.images import png_zip
from reports.narrative import narrative
from reports.pdf import pptx_to_pdf


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<38} {seconds:7.2f} s")
    return result, seconds


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--as-of")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    registry = default_registry()
    db = args.db or str(demo_database(Path(tempfile.mkdtemp(prefix="tfm-bench-"))))

    brief, _ = timed("brief (database → metrics)", lambda: load_brief(db, registry, args.as_of))
    story = narrative(brief, registry)
    charts = figures.all_charts(brief, registry)
    timed("export server start (cold Chromium)", lambda: (export.start(), export.chart_png(charts[0])))
    timed("one gauge (warm)", lambda: export.chart_png(charts[0]))
    deck_s, pdf_s = [], []
    for i in range(1, args.rounds + 1):
        def deck():
            pngs = export.chart_pngs(charts)
            return pngs, build_deck(brief, story, registry, pngs, charts)

        (pngs, pptx), s = timed(f"round {i}: full deck ({len(charts)} figures + pptx)", deck)
        deck_s.append(s)
        _, s = timed(f"round {i}: pdf (LibreOffice)", lambda deck=pptx: pptx_to_pdf(deck))
        pdf_s.append(s)
        timed(f"round {i}: png zip", lambda images=pngs: png_zip(charts, images, story, "bench"))
    print(f"deck {min(deck_s):.2f} s  pdf {min(pdf_s):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
