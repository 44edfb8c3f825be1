"""Upload → preview → confirm → overview changes → rollback → overview restored, in real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import ROOT
from tests.streamlit_server import CHROMIUM, chromium, dashboard, log_in, make_account

FIXTURE = ROOT / "tests" / "fixtures" / "pboc_loans_202610.xlsx"
ARTIFACTS = ROOT / "artifacts"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]


def overview_text(page, url: str) -> str:
    page.goto(url + "/")
    page.wait_for_function("document.querySelectorAll('.tfm-gauge').length >= 10", timeout=60_000)
    return page.inner_text("body")


def test_upload_confirm_and_rollback_in_the_browser(demo_copy):
    ARTIFACTS.mkdir(exist_ok=True)
    analyst = make_account(demo_copy, "测试填报")
    with dashboard(demo_copy) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1400})
        assert "4,595.9亿元" in overview_text(page, url)  # the demo's October figure
        log_in(page, analyst)  # the login holds across the page loads below (its cookie)

        page.goto(url + "/upload")
        page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
        page.set_input_files("input[type=file]", str(FIXTURE))
        page.get_by_text("可以导入").wait_for(timeout=60_000)
        page.get_by_text("导入后的变化").wait_for()
        assert "将替代此前的提交" in page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / "upload_preview.png"), full_page=True)
        page.get_by_role("button", name="确认导入 1 个文件").click()
        page.get_by_text("已导入").wait_for(timeout=60_000)

        body = overview_text(page, url)
        assert "4,098.5亿元" in body and "4,595.9亿元" not in body

        page.goto(url + "/upload")
        page.get_by_role("tab", name="提交历史与撤销").click()
        page.get_by_role("button", name="撤销该提交").click()
        page.get_by_text("恢复了此前的提交").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0

        body = overview_text(page, url)
        assert "4,595.9亿元" in body and "4,098.5亿元" not in body
