"""The meeting deck carries the 督办清单: each unit's tasks by the state it reported, and the tasks to raise (滞后,
长期未更新) with their units — from check-ins loaded through the real upload path, read back from the .pptx."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook
from PIL import Image

from domain import clock
from domain.tasks import default_tasks
from loaders.checkins import checkin_template
from loaders.ingest import ingest
from reports.brief import load_brief
from reports.deck import build_deck
from reports.figures import all_charts
from reports.narrative import narrative
from store import Store
from tests.agency_files import loans_file
from tests.decks import slide_texts


def filled(unit: str, period: dt.date, states: dict[str, tuple[str, str]]) -> bytes:
    wb = load_workbook(io.BytesIO(checkin_template(unit, period, default_tasks())))
    for row in wb.active.iter_rows():
        if row[0].value in states:
            row[2].value, row[3].value = states[row[0].value]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_deck_carries_the_supervision_list(tmp_path, registry):
    store = Store(tmp_path / "t.duckdb")
    with clock.frozen(dt.datetime(2026, 11, 5, 9, 0)):
        for month in (9, 10):
            assert ingest(store, loans_file(month, {"武汉市": 4000.0 + month}), f"loans{month}.xlsx",
                          registry).status == "ok"
        assert ingest(store, filled("市委金融办", dt.date(2026, 5, 31), {"WH2027-10": ("推进中", "五月进展")}),
                      "may.xlsx", registry).status == "ok"
        assert ingest(store, filled("市委金融办", dt.date(2026, 10, 31), {"WH2027-9": ("滞后", "平台建设滞后")}),
                      "oct.xlsx", registry).status == "ok"
        brief = load_brief(store.path, registry)
    # The figures' pictures do not matter here: a blank PNG for each, without starting the exporter.
    charts = all_charts(brief, registry)
    blank = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(blank, "PNG")
    pngs = {c.key: blank.getvalue() for c in charts}
    slides = slide_texts(build_deck(brief, narrative(brief, registry), registry, pngs, charts))
    units = [t for t in slides if "督办清单：各单位任务进展" in t]
    assert units and "市委金融办" in units[0]
    raise_ = next(t for t in slides if "督办清单：需督办事项" in t)
    assert "WH2027-9" in raise_ and "滞后" in raise_          # reported behind
    assert "WH2027-10" in raise_ and "长期未更新" in raise_     # last word in May, five months ago
    assert "WH2027-1 " not in raise_                            # not reported: not raised, counted in the .xlsx
