"""The real dashboard in a real headless Chromium: the overview draws every target's gauge."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import ROOT
from tests.streamlit_server import CHROMIUM, chromium, dashboard

ARTIFACTS = ROOT / "artifacts"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]


def test_overview_in_chromium(demo_dashboard, registry):
    url = demo_dashboard
    ARTIFACTS.mkdir(exist_ok=True)
    n_targets = len(registry.targets)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
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
        page.set_viewport_size({"width": 1600, "height": 2600})
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
        # a card opens its 指标详情
        page.locator(".tfm-card").filter(has_text="科技型企业贷款余额").get_by_text("查看指标详情").first.click()
        page.wait_for_url("**/indicator?indicator=tech_loan_balance*", timeout=60_000)
        page.get_by_role("heading", name="指标详情 · 科技型企业贷款余额").wait_for(timeout=60_000)
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
        nav = [t.split("\n")[-1] for t in page.locator('[data-testid="stSidebar"] a').all_inner_texts()]
        assert "总览" in nav and "数据上传" in nav and not any("common" in n or "region" in n for n in nav)
        assert "region=%E4%B8%9C%E6%B9%96%E9%AB%98%E6%96%B0%E5%8C%BA" in page.url  # 光谷, canonical in the address


def settled(page) -> None:
    """Until the app's script has stopped and stayed stopped for a second (a link can start two runs)."""
    page.wait_for_function("""() => {
        const app = document.querySelector('[data-testid="stApp"]');
        const now = app && app.getAttribute('data-test-script-state') === 'notRunning';
        window.__quiet = now ? (window.__quiet || Date.now()) : 0;
        return now && Date.now() - window.__quiet > 1000;
    }""", timeout=60_000, polling=200)


def sidebar_choice(page, label: str) -> str:
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label) \
        .locator("input").input_value()


def test_the_month_and_the_region_stay_on_every_page_and_in_the_address(demo_dashboard):
    from urllib.parse import parse_qs, urlparse

    url = demo_dashboard
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(url + "/?as_of=2025-12&region=光谷")
        settled(page)
        assert "东湖高新区的各项指标见“分区对比”" in page.inner_text("body")  # 总览 says it shows the city's
        for name, path, follows in (("指标详情", "/indicator", ("as_of", "region")),
                                    ("分区对比", "/districts", ("as_of", "region")),
                                    ("湖北目标", "/hubei", ("as_of", "region")),
                                    ("数据上传", "/upload", ()),
                                    ("总览", "/", ("as_of", "region"))):
            page.locator('[data-testid="stSidebar"] a').get_by_text(name, exact=True).click()
            page.wait_for_url(lambda u, path=path: urlparse(u).path == path, timeout=60_000)
            settled(page)
            address = urlparse(page.url)
            query = parse_qs(address.query)
            assert address.path == path, page.url
            if "as_of" in follows:
                assert query.get("as_of") == ["2025-12"], (name, page.url)
                assert sidebar_choice(page, "截至月份") == "2025年12月", name
            if "region" in follows:
                assert query.get("region") == ["东湖高新区"], (name, page.url)
                assert sidebar_choice(page, "地区") == "东湖高新区", name
            if not follows:  # a page that does not follow them shows neither, and keeps them for the next
                assert not query and page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() == 0
            assert page.locator('[data-testid="stException"]').count() == 0
        # a link naming an unknown month and region: one line each, and the address says what is shown
        page.goto(url + "/indicator?as_of=2099-12&region=不存在")
        settled(page)
        body = page.inner_text("body")
        assert "链接中的截至月份“2099-12”无法识别或没有数据，已显示2026年10月。" in body
        assert "链接中的地区“不存在”无法识别或没有数据，已显示武汉市。" in body
        assert "as_of" not in page.url and "region" not in page.url
