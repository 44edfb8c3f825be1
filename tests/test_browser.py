"""The real dashboard in a real headless Chromium: the overview draws every target's gauge."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import ROOT
from tests.streamlit_server import CHROMIUM, chromium, dashboard

ARTIFACTS = ROOT / "artifacts"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]


def test_overview_in_chromium(demo_db, registry):
    ARTIFACTS.mkdir(exist_ok=True)
    n_targets = len(registry.targets)
    with dashboard(demo_db) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
        page.goto(url + "/")
        # per target a card: its gauge's dial and its trend, each an SVG image the browser has decoded
        page.wait_for_function(f"document.querySelectorAll('.tfm-gauge').length >= {n_targets} && "
                               "[...document.querySelectorAll('.tfm-card img')]"
                               f".filter(i => i.complete && i.naturalWidth > 0).length >= {2 * n_targets}",
                               timeout=60_000)
        page.wait_for_timeout(500)
        body = page.inner_text("body")
        for target in registry.targets.values():
            assert registry.indicators[target.indicator].name_zh in body
        assert "演示数据" in body and "截至2026年10月" in body
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator(".tfm-gauge").count() == n_targets
        # a gauge's PNG is the meeting deck's Plotly figure, made when asked for
        with page.expect_download(timeout=90_000) as download:
            page.get_by_role("button", name="下载图片").first.click()
        png = Path(download.value.path()).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
        assert download.value.suggested_filename.endswith(".png")
        page.set_viewport_size({"width": 1600, "height": 2600})
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    assert (ARTIFACTS / "overview.png").stat().st_size > 50_000


def test_a_deep_link_is_the_first_request_after_start(demo_db):
    """A bookmark opened right after a restart still goes through dashboard.py (banner, page titles,
    地区 from the link, alias resolved), not Streamlit's file-per-page fallback."""
    with dashboard(demo_db) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(url + "/districts?region=光谷&indicator=seed_firms")
        page.get_by_text("东湖高新区：全部指标").wait_for(timeout=60_000)
        body = page.inner_text("body")
        assert "演示数据" in body and "分区对比" in body
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "总览" in nav and "数据上传" in nav and "common" not in nav and "region" not in nav
