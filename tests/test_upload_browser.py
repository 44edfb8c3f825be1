"""Upload → preview → confirm → overview changes → rollback → overview restored, in real Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.agency_files import loans_file
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
        picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="选择要撤销的生效提交")
        picker.locator("input").click()
        page.get_by_role("option", name=FIXTURE.name, exact=False).first.click()
        page.get_by_role("button", name="撤销该提交").click()
        page.get_by_text("确认撤销提交").wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "upload_withdraw_confirm.png"), full_page=True)
        other = browser.new_page(viewport={"width": 1600, "height": 1000})
        assert "4,098.5亿元" in overview_text(other, url)  # asking is not withdrawing
        other.close()
        page.get_by_role("button", name="确认撤销", exact=True).click()
        page.get_by_text("恢复了此前的提交").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0

        body = overview_text(page, url)
        assert "4,595.9亿元" in body and "4,098.5亿元" not in body


def test_a_files_problems_are_shown_whole_and_its_figures_exactly_in_the_browser(demo_copy, tmp_path):
    """Every message of a refused file reads to its end: the problems table wraps instead of cutting a line. The
    preview of a good file uploaded with it shows its figures as typed: 4,649.6 and 14,170, not 4650 or 1.417e+04."""
    ARTIFACTS.mkdir(exist_ok=True)
    analyst = make_account(demo_copy, "测试填报")
    bad = tmp_path / "202610_错误.csv"
    # a figure that is no number, and a negative balance: two errors, one of them a long sentence
    bad.write_bytes("地区,科技型企业贷款余额\n江岸区,-12\n硚口区,abc\n".encode("gbk"))
    good = tmp_path / "202611_贷款.xlsx"
    good.write_bytes(loans_file(11, {"江岸区": 4649.6, "江汉区": 14170.0}))
    with dashboard(demo_copy) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(url + "/upload")
        log_in(page, analyst)
        page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
        page.set_input_files("input[type=file]", [str(bad), str(good)])
        # visible: the summary grid also holds the words, in its hidden accessible table
        page.get_by_text("有错误，不能导入").filter(visible=True).first.wait_for(timeout=60_000)
        page.get_by_text("导入后的变化").wait_for(timeout=60_000)
        # the preview grid draws on a canvas; its cells are also in an accessible table: the figures as text
        grid = page.locator('[data-testid="stDataFrame"]:visible').last
        for shown in ("4,649.6", "14,170"):
            grid.locator("td", has_text=re.compile(f"^{re.escape(shown)}$")).first.wait_for(state="attached")
        assert not grid.locator("td", has_text=re.compile(r"^(4650|1\.417e\+04|None)$")).count()
        table = page.locator('[data-testid="stTable"]').first
        table.wait_for()
        page.screenshot(path=str(ARTIFACTS / "upload_problems.png"), full_page=True)
        cells = table.locator("td")
        texts = [cells.nth(i).inner_text() for i in range(cells.count())]
        longest = max(texts, key=len)
        assert len(longest) > 40 and longest.rstrip().endswith(("。", "）"))
        # each cell shows all of its text: nothing is clipped by the cell's width
        clipped = table.evaluate("t => [...t.querySelectorAll('td')].filter(td => td.scrollWidth > td.clientWidth + 1)"
                                 ".length")
        assert clipped == 0
        assert page.locator('[data-testid="stException"]').count() == 0


def test_a_column_in_yuan_waits_for_the_unit_and_is_imported_converted_in_the_browser(demo_copy, tmp_path):
    import polars as pl

    from store import Store

    ARTIFACTS.mkdir(exist_ok=True)
    analyst = make_account(demo_copy, "测试填报")
    in_yuan = tmp_path / "202611_元.xlsx"
    in_yuan.write_bytes(loans_file(11, {"江岸区": 22700000000.0, "江汉区": 31000000000.0}))
    with dashboard(demo_copy) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.goto(url + "/upload")
        log_in(page, analyst)
        page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
        page.set_input_files("input[type=file]", str(in_yuan))
        page.get_by_text("单位待确认，确认后可导入").wait_for(timeout=60_000)
        page.get_by_text("个文件的数值单位待确认").wait_for()
        page.screenshot(path=str(ARTIFACTS / "upload_unit_doubt.png"), full_page=True)
        assert page.get_by_role("button", name="确认导入 1 个文件").count() == 0

        page.get_by_text("按元换算为亿元").first.click()
        page.get_by_text("导入后的变化").wait_for(timeout=60_000)
        grid = page.locator('[data-testid="stDataFrame"]:visible').last
        for shown in ("227", "310"):
            grid.locator("td", has_text=re.compile(f"^{shown}$")).first.wait_for(state="attached")
        page.screenshot(path=str(ARTIFACTS / "upload_unit_confirmed.png"), full_page=True)
        page.get_by_role("button", name="确认导入 1 个文件").click()
        page.get_by_text("已导入").wait_for(timeout=60_000)
    stored = Store(demo_copy).current_values().filter((pl.col("indicator_code") == "tech_loan_balance")
                                                      & (pl.col("period") == pl.date(2026, 11, 30)))
    assert sorted(stored["value"].to_list()) == [227.0, 310.0]
