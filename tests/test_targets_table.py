"""总览's 表格视图 (issue 11, item 7): every target in one compact table, the figures the cards show; on a phone every
cell readable without cutting at the right edge; a printed 总览 is that table alone."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from metrics.series import months_with_data, resolve
from metrics.standing import standings
from presentation.targets_table import COLUMNS, TABLE_CSS, targets_rows, targets_table_html
from store import Store
from tests.streamlit_server import chromium

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def rows(demo_db, registry):
    series = resolve(Store(demo_db).active_observations(), registry)
    return standings(series, registry, months_with_data(series)[0])


def groups(rows):
    return [("武汉市2027年目标", [s for s in rows if s.document == "WH2027"]),
            ("湖北省2026年目标", [s for s in rows if s.document == "HB2026"])]


def test_one_row_per_target_with_the_cards_figures(rows, registry):
    table = targets_rows(rows, registry)
    assert len(table) == len(rows) == 10 and all(tuple(r) == COLUMNS for r in table)
    seeds = next(r for r in table if r["指标"] == registry.indicators["seed_firms"].short_zh)
    assert seeds == {"指标": seeds["指标"], "地区": "武汉市", "目标": "2027年底500家以上", "截至": "2026年10月",
                     "实际": "437家", "按序时进度应达": "462家", "差/超": "差25家", "完成": "87.4%",
                     "状态": "▼ 明显滞后"}
    share = next(r for r in table if r["指标"] == registry.indicators["star_chinext_bse_share"].short_zh)
    assert share["差/超"] == "差2.5个百分点" and share["地区"] == "湖北省"  # a share moves in points


def test_the_table_escapes_its_text(rows, registry):
    html = targets_table_html(groups(rows), registry, caption="<b>总览</b>")
    assert "<b>" not in html and "&lt;b&gt;总览" in html
    assert html.count("<tr>") == 1 + 10  # the heading row and a row per target (plans have class="plan")
    assert targets_table_html(groups(rows), registry, caption="c", print_only=True).startswith(
        '<div class="tfm-print-only">')


PAGE = "<html><head>{css}</head><body style='margin:0;padding:16px'>{body}<p class='other'>卡片</p></body></html>"


@pytest.mark.browser
@needs_chromium
def test_on_a_phone_every_cell_is_inside_the_screen_and_in_print_the_table_alone(rows, registry):
    table = targets_table_html(groups(rows), registry, caption="武汉科技金融目标监测 · 截至2026年10月")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.set_content(PAGE.format(css=TABLE_CSS, body=table))
        cells = page.evaluate("""() => [...document.querySelectorAll('.tfm-targets td')].map(td => {
            const r = td.getBoundingClientRect(); return [td.textContent, r.left, r.right, td.scrollWidth, td.clientWidth]; })""")
        assert cells and all(left >= 0 and right <= 390 and scroll <= client for _, left, right, scroll, client in cells)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        # each figure with its label before it (the header row is hidden on a phone)
        labelled = page.evaluate("""() => [...document.querySelectorAll('.tfm-targets td[data-label]')].map(td =>
            getComputedStyle(td, '::before').content + td.textContent)""")
        assert '"按序时进度应达："462家' in labelled and '"差/超："差25家' in labelled
        assert not page.is_visible(".tfm-targets thead")
        page.close()

        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        printed = targets_table_html(groups(rows), registry, caption="c", print_only=True)
        page.set_content(PAGE.format(css=TABLE_CSS, body=printed))
        assert not page.is_visible("table.tfm-targets")  # on screen: the cards are the view
        page.emulate_media(media="print")
        assert page.is_visible("table.tfm-targets")
        page.close()


def test_the_overview_offers_the_table_view(open_page, demo_db):
    at = open_page(None, db=demo_db)
    link = next(p for p in at.get("page_link") if p.proto.label == "表格视图")
    assert dict(parse_qsl(link.proto.query_string)).get("view") == "table"
    html = [h.proto.body for h in at.get("html")]
    assert any("tfm-print-only" in h and "tfm-targets" in h for h in html)  # the printed page's table
    assert any('class="tfm-grid"' in h for h in html)
    at = open_page(None, db=demo_db, view="table")  # the view is in the address: a link opens it
    html = [h.proto.body for h in at.get("html")]
    assert any("tfm-targets" in h and "tfm-print-only" not in h for h in html)
    assert not any('class="tfm-grid"' in h for h in html)  # the table instead of the cards
    assert [p.proto.label for p in at.get("page_link") if p.proto.label.endswith("视图")] == ["卡片视图"]
