"""A check-in round trip in Chromium: the unit's template downloaded from /tasks, filled in, uploaded on 数据上传,
confirmed, and the task's state and history on /tasks."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from tests.streamlit_server import chromium, dashboard, log_in, make_account

pytestmark = pytest.mark.browser


def test_a_check_in_round_trip_in_the_browser(demo_copy, tmp_path):
    analyst = make_account(demo_copy, "金融办填报", agency="市委金融办")
    with dashboard(demo_copy) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.goto(url + "/upload")  # the login form is in every page's sidebar; the upload page draws no figure
        log_in(page, analyst)
        page.goto(url + "/tasks?view=report&as_of=2026-10")
        with page.expect_download(timeout=60_000) as got:
            page.get_by_role("button", name="下载市委金融办的任务进展报送模板（.xlsx）").click()
        template = tmp_path / "template.xlsx"
        got.value.save_as(template)
        wb = load_workbook(template)
        ws = wb.active
        assert "市委金融办任务进展报送表（2026年10月）" in str(ws["A1"].value)
        row = next(r for r in ws.iter_rows() if r[0].value == "WH2027-9")
        row[2].value, row[3].value, row[5].value = "推进中", "汉融通已上线8款融资产品", "年底前再推出2款"
        filled = tmp_path / "市委金融办_任务进展_2026年10月.xlsx"
        wb.save(filled)

        page.goto(url + "/upload")
        page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
        page.set_input_files("input[type=file]", str(filled))
        page.get_by_role("button", name="确认导入 1 个文件").click(timeout=60_000)
        page.get_by_text("已导入").filter(visible=True).first.wait_for(timeout=60_000)

        page.goto(url + "/tasks?plan=WH2027&as_of=2026-10")
        heading = page.get_by_text("9. 强化科技金融服务平台支撑 · 推进中")
        heading.wait_for(timeout=60_000)
        heading.click()
        page.get_by_text("报送历史").wait_for(timeout=30_000)
        body = page.inner_text("body")
        assert "汉融通已上线8款融资产品" in body and "年底前再推出2款" in body
        assert page.locator('[data-testid="stException"]').count() == 0
