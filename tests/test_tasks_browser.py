"""任务清单 in a real headless Chromium: read a task with the indicator it moves, choose a unit (kept in the URL),
download the 督办清单, and read the page at a phone's width."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.paths import ROOT
from tests.streamlit_server import CHROMIUM, chromium

ARTIFACTS = ROOT / "artifacts"
TITLE = "text=任务清单 · 责任分工与落实"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]


def test_tasks_by_plan_by_unit_and_the_supervision_list(demo_dashboard):
    ARTIFACTS.mkdir(exist_ok=True)
    url = demo_dashboard
    with chromium() as browser:

        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(url + "/tasks?as_of=2026-10")
        page.wait_for_selector(TITLE, timeout=60_000)
        page.wait_for_selector("text=尚无进展报送", timeout=30_000)
        page.wait_for_selector("text=(五)实施科技金融生态优化行动", timeout=30_000)  # the last action: drawn
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.inner_text("body")
        assert "截至2026年10月，跟踪WH2027、WHC、HB2026共102项任务" in body

        page.get_by_text("9. 强化科技金融服务平台支撑 · 未报送").click()
        page.wait_for_selector("text=推出10款以上融资产品", timeout=30_000)
        link = page.get_by_role("link", name="“汉融通”平台科技融资产品数")
        assert link.get_attribute("href").startswith("/indicator?indicator=hanrongtong_products")

        page.get_by_text("按单位", exact=True).click()
        page.wait_for_selector("text=单位 × 角色", timeout=30_000)
        unit = page.locator('[data-testid="stSelectbox"]').filter(has_text="单位")
        unit.locator("input").click()
        page.keyboard.type("东湖高新区管委会")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=属各区人民政府", timeout=30_000)
        assert "unit=东湖高新区管委会" in unquote(page.url) and "view=unit" in page.url  # the link keeps the view

        page.get_by_text("督办清单", exact=True).click()
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="下载督办清单（.xlsx）").click()
        assert download.value.suggested_filename == "督办清单_截至2026年10月.xlsx"
        ws = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).worksheets[0]
        assert [c.value for c in ws[1]][:3] == ["责任单位", "角色", "文件"]
        units = {ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)}
        assert {"市委金融办", "湖北金融监管局", "各区人民政府", "东湖高新区管委会"} <= units
        assert "市金融工作局" not in units  # the archive is left out by default, and shown by current names

        page.set_viewport_size({"width": 1600, "height": 2400})
        page.goto(url + "/tasks?view=unit&unit=湖北金融监管局&plans=WHC,WH2016")
        page.wait_for_selector("text=承接原“湖北银监局”“湖北保监局”“湖北银保监局”的任务", timeout=60_000)
        drawn(page, tables=3)
        page.screenshot(path=str(ARTIFACTS / "tasks_unit.png"))

        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        phone.goto(url + "/tasks?plan=HB2026")
        phone.wait_for_selector(TITLE, timeout=60_000)
        phone.get_by_text("（九） 提高科技担保业务规模和服务质效 · 未报送").click()
        phone.wait_for_selector("text=力争 2026 年底科技担保在保余额突破 500 亿元", timeout=30_000)
        assert phone.locator('[data-testid="stException"]').count() == 0
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing runs off the screen
        phone.set_viewport_size({"width": 390, "height": 2600})
        drawn(phone, tables=1)
        phone.screenshot(path=str(ARTIFACTS / "tasks_phone.png"))


def drawn(page, *, tables: int) -> None:
    """Wait until the run has drawn `tables` data frames and settled, for a screenshot."""
    page.wait_for_function(f"document.querySelectorAll('[data-testid=\"stDataFrame\"] canvas').length >= {tables}",
                           timeout=60_000)
    page.wait_for_timeout(1500)
