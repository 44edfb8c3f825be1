"""Live figures, in real Chromium: an upload confirmed in one browser shows in a second browser that is already
open, within 30 seconds, without a reload, and the second viewer keeps their page."""

from __future__ import annotations

import time

import pytest

from tests.paths import FIXTURES
from tests.streamlit_server import chromium, dashboard, log_in, make_account

FIXTURE = FIXTURES / "pboc_loans_202610.xlsx"  # October's loans again, corrected: 武汉市 4,595.9 → 4,098.5亿元

pytestmark = pytest.mark.browser


def test_an_upload_in_one_browser_shows_in_another_already_open_one(demo_copy):
    analyst = make_account(demo_copy, "测试填报")
    with dashboard(demo_copy) as url, chromium() as browser:
        viewer = browser.new_context(viewport={"width": 1600, "height": 1200}).new_page()
        viewer.goto(url + "/indicator?indicator=tech_loan_balance")
        viewer.get_by_text("4,595.9亿元").first.wait_for(timeout=60_000)
        viewer.evaluate("window.__same_document = true")  # gone if the page were loaded again

        uploader = browser.new_context(viewport={"width": 1600, "height": 1200}).new_page()
        uploader.goto(url + "/upload")
        log_in(uploader, analyst)
        uploader.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
        uploader.set_input_files("input[type=file]", str(FIXTURE))
        uploader.get_by_text("导入后的变化").wait_for(timeout=60_000)
        uploader.get_by_role("button", name="确认导入 1 个文件").click()
        uploader.get_by_text("已导入").wait_for(timeout=60_000)
        confirmed = time.monotonic()

        viewer.get_by_text("4,098.5亿元").first.wait_for(timeout=30_000)
        waited = time.monotonic() - confirmed
        viewer.get_by_text("页面已更新").wait_for(timeout=10_000)  # and they are told why it changed
        print(f"the open browser showed the upload {waited:.1f} s after it was confirmed")
        assert "4,595.9亿元" not in viewer.inner_text("body")
        assert viewer.evaluate("window.__same_document === true"), "the page was reloaded"
        assert viewer.url == url + "/indicator?indicator=tech_loan_balance"  # the viewer's page is kept
