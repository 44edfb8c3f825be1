"""Accounts in real Chromium against the real app: anonymous and 查看 sessions get no upload, withdraw or clear;
a login survives a reload and 退出登录 ends it; a unit-scoped analyst's citywide file is refused; 5 wrong
passwords lock the account; 审计日志 renders for an administrator only; each of these leaves its audit row.
(That the store itself refuses such writes is tests/test_roles.py.)"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.paths import FIXTURES
from tests.streamlit_server import CHROMIUM, chromium, dashboard, log_in, login_button, login_form, make_account

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]

FIXTURE = FIXTURES / "pboc_loans_202610.xlsx"  # the city and all 16 units


def open_(page, url: str, path: str):
    """`path` opened in `page` as a new visitor does: without the cookies of the one before. (One tab for every
    visitor: a new browser context would cost Chromium a renderer of its own, a second a page.)"""
    page.context.clear_cookies()
    page.goto(url + path)
    page.locator('[data-testid="stSidebar"]').wait_for(timeout=60_000)
    return page


def settled(page) -> str:
    """The page's text once its run has finished."""
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(500)
    return page.inner_text("body")


def history_tab(page) -> str:
    page.get_by_role("tab", name="提交历史与撤销").click()
    page.get_by_text("次提交").first.wait_for(timeout=60_000)
    return settled(page)


def test_roles_logins_and_the_audit_page_in_the_browser(demo_copy):
    for name, role, unit in (("查看员", "viewer", None), ("江岸填报", "analyst", "420102"), ("王主任", "admin", None),
                             ("被锁者", "analyst", None)):
        make_account(demo_copy, name, role, unit)
    with dashboard(demo_copy) as url, chromium() as browser:
        # Anonymous: the page reads, but offers no upload, no withdrawal, no clearing, and no 审计日志.
        page = open_(browser.new_context(viewport={"width": 1400, "height": 1200}).new_page(), url, "/upload")
        page.get_by_text("请在左侧登录").first.wait_for(timeout=60_000)
        assert page.locator("input[type=file]").count() == 0
        body = history_tab(page)
        assert "撤销该提交" not in body and "撤销全部演示数据" not in body
        page.goto(url + "/audit")
        page.get_by_text("审计日志仅管理员可查看").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stDataFrame"]').count() == 0

        # 查看: the same; the login survives a reload, 退出登录 ends it (also after a reload).
        log_in(page, "查看员")
        page.goto(url + "/upload")
        page.get_by_text("当前账号为查看账号").wait_for(timeout=60_000)
        assert page.locator("input[type=file]").count() == 0
        assert "撤销该提交" not in history_tab(page)
        page.reload()
        page.get_by_text("已登录：查看员").wait_for(timeout=60_000)
        assert "审计日志" not in " ".join(page.locator('[data-testid="stSidebar"] a').all_inner_texts())
        page.get_by_role("button", name="退出登录").click()
        login_button(page).wait_for(timeout=60_000)
        settled(page)
        page.reload()
        login_button(page).wait_for(timeout=60_000)
        assert "已登录" not in settled(page)

        # A unit-scoped analyst: a citywide file is refused before it can be confirmed.
        page = open_(page, url, "/upload")
        log_in(page, "江岸填报")
        page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
        page.set_input_files("input[type=file]", str(FIXTURE))
        page.get_by_text("只能报送江岸区的数据").first.wait_for(state="attached", timeout=60_000)  # in the problems table
        page.get_by_text("个文件有错误，不会导入").wait_for(timeout=60_000)
        assert page.get_by_role("button", name="确认导入 1 个文件").count() == 0

        # Five wrong passwords lock the account; then even the right one is refused.
        # Each attempt on a freshly loaded page, which shows no message yet: the message seen after the click is
        # that attempt's own, not the previous one's still on screen (on a loaded machine a click could
        # otherwise land while the previous attempt's run was still clearing the form).
        page = open_(page, url, "/upload")  # a page without figures: six loads of it
        for attempt in range(1, 7):
            if attempt > 1:
                page.reload()
            settled(page)
            form = login_form(page)
            assert page.locator('[data-testid="stSidebar"] [data-testid="stAlertContentError"]').count() == 0
            form.get_by_label("用户名").fill("被锁者")
            form.get_by_label("密码").fill("wrong-password" if attempt <= 5 else "测试密码-2026")
            form.get_by_role("button", name="登录").click()
            expected = "用户名或密码不正确" if attempt < 5 else "锁定"
            page.locator('[data-testid="stSidebar"] [data-testid="stAlertContentError"]').filter(
                has_text=expected).wait_for(timeout=60_000)
            settled(page)
        assert "已登录" not in page.inner_text("body")

        # 管理: 审计日志 in the navigation, and the page with every row above.
        page = open_(page, url, "/upload")
        log_in(page, "王主任")
        page.locator('[data-testid="stSidebar"] a').get_by_text("审计日志", exact=True).click()
        page.get_by_role("heading", name="审计日志").wait_for(timeout=60_000)
        page.locator('[data-testid="stDataFrame"]').wait_for(timeout=60_000)
        assert "下载审计日志（Excel）" in settled(page)
        assert page.locator('[data-testid="stException"]').count() == 0

    with duckdb.connect(str(demo_copy), read_only=True) as con:
        rows = con.execute("SELECT actor, action FROM audit_log WHERE action NOT IN "
                           "('ingest', 'supersede', 'user_add')").fetchall()
    assert sorted(rows) == sorted([("查看员", "login"), ("查看员", "logout"), ("江岸填报", "login"),
                                   ("王主任", "login"), *[("被锁者", "login_failed")] * 6, ("被锁者", "login_locked")])
