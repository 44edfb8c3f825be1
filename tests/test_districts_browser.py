"""分区对比 in a real headless Chromium: choose a unit, see and download the register rows behind its
counts, and carry the choice (in the URL) to the 湖北目标 page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from urllib.parse import unquote

import polars as pl
import pytest
from openpyxl import load_workbook

from metrics import districts
from metrics.series import resolve
from store import Store
from tests.paths import ROOT
from tests.streamlit_server import CHROMIUM, chromium

ARTIFACTS = ROOT / "artifacts"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]


def test_choose_a_unit_and_see_its_registers(demo_db, demo_dashboard, registry):
    series = resolve(Store(demo_db).active_observations(), registry)
    seeds = districts.district_table(series, registry, "seed_firms", dt.date(2026, 10, 31), registry.city)
    n_seeds = int(seeds.filter(pl.col("region_code") == "WH_DHGX")["value"][0])
    rows = Store(demo_db).register_rows("seed_firms")
    firm = rows.filter((pl.col("region_code") == "WH_DHGX") & (pl.col("period") == pl.date(2026, 10, 31)))["name"][0]
    ARTIFACTS.mkdir(exist_ok=True)
    url = demo_dashboard
    with chromium() as browser:

        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.goto(url + "/districts")
        page.wait_for_selector("text=选择本单位", timeout=60_000)
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0

        region = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="地区")
        region.locator("input").click()
        page.keyboard.type("东湖高新区")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=东湖高新区名录明细", timeout=60_000)
        assert "region=东湖高新区" in unquote(page.url)  # the link reproduces the view
        body = page.inner_text("body")
        assert "东湖高新区：全部指标" in body and "全市第1名" in body
        assert f"金种子·银种子企业（{n_seeds}家）" in body

        page.get_by_role("tab", name="金种子·银种子企业").click()
        page.wait_for_selector(f"text=东湖高新区共{n_seeds}家", timeout=30_000)
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="下载名录（Excel）").click()
        wb = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        sheet = wb["金种子·银种子企业"]
        assert sheet["A1"].value == "企业名称" and sheet.max_row == n_seeds + 1
        assert firm in [c.value for c in sheet["A"]]

        # Searching narrows the list to that firm.
        search = page.get_by_role("textbox", name="搜索名录")
        search.fill(firm)
        search.press("Enter")
        page.wait_for_selector(f"text=其中含“{firm}”的1家", timeout=30_000)

        page.set_viewport_size({"width": 1600, "height": 3200})
        page.evaluate("document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "districts.png"), full_page=True)

        # The choice follows to the 湖北目标 page through the URL.
        page.get_by_role("link", name="湖北目标").click()
        page.wait_for_selector("text=湖北目标 · 17个市州", timeout=60_000)
        page.wait_for_selector("text=东湖高新区属武汉市", timeout=30_000)
        assert "region=东湖高新区" in unquote(page.url)
        assert page.locator('[data-testid="stException"]').count() == 0
    assert (ARTIFACTS / "districts.png").stat().st_size > 50_000
