"""The reader's question answered in real Chromium (issue 10): upload a file with a name the reader is unsure of →
the question with its suggestions → pick the answer → the preview shows the row → confirm → next month's file with
the same spelling goes in without a question → 标题与名称对应 lists the answer."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.paths import ROOT
from tests.streamlit_server import CHROMIUM, chromium, dashboard, log_in, make_account

ARTIFACTS = ROOT / "artifacts"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]


def loans(month: int, jiangan: float, jianghan: float) -> bytes:
    """A district table as an agency types it, with 江岸区 misspelt as 江岸去."""
    wb = Workbook()
    ws = wb.active
    ws.append([f"武汉市科技型企业贷款余额情况表（2026年{month}月末）"])
    ws.append(["单位：亿元"])
    ws.append(["地区", "科技型企业贷款余额"])
    ws.append(["江岸去", jiangan])
    ws.append(["江汉区", jianghan])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_question_answered_in_the_browser_is_not_asked_next_month(demo_copy, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    analyst = make_account(demo_copy, "测试填报")
    first, second = tmp_path / "202611_贷款.xlsx", tmp_path / "202612_贷款.xlsx"
    first.write_bytes(loans(11, 321.5, 402.25))
    second.write_bytes(loans(12, 330.0, 410.0))
    with dashboard(demo_copy) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.goto(url + "/upload")
        log_in(page, analyst)
        page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
        page.set_input_files("input[type=file]", str(first))
        page.get_by_text("有待确认的标题或名称").filter(visible=True).first.wait_for(timeout=60_000)
        assert page.get_by_role("button", name="确认导入 1 个文件").count() == 0
        picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="江岸去")
        picker.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "upload_question.png"), full_page=True)
        picker.locator("input").click()
        options = page.get_by_role("option")
        options.first.wait_for(timeout=30_000)
        assert options.first.inner_text().strip() == "江岸区"  # the reader's best suggestion first
        options.first.click()

        page.get_by_text("已记住").filter(visible=True).first.wait_for(timeout=60_000)
        page.get_by_text("导入后的变化").wait_for(timeout=60_000)
        # Both rows now come in (the answered one too); the grid's cells are drawn on a canvas, so the count says it.
        assert "新增 2 条" in page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / "upload_question_answered.png"), full_page=True)
        page.get_by_role("button", name="确认导入 1 个文件").click()
        page.get_by_text("已导入").filter(visible=True).first.wait_for(timeout=60_000)

        # Next month: the same spelling goes in without a question.
        page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
        page.set_input_files("input[type=file]", str(second))
        page.get_by_text("可以导入").filter(visible=True).first.wait_for(timeout=60_000)
        assert page.locator('[data-testid="stSelectbox"]').filter(has_text="江岸去").count() == 0
        page.get_by_role("button", name="确认导入 1 个文件").click()
        page.get_by_text("已导入").filter(visible=True).first.wait_for(timeout=60_000)

        page.goto(url + "/mappings")
        page.get_by_role("heading", name="标题与名称对应").wait_for(timeout=60_000)
        page.locator('[data-testid="stDataFrame"]').wait_for(timeout=60_000)
        assert "共 1 条" in page.inner_text("body")
        assert page.locator('[data-testid="stException"]').count() == 0
