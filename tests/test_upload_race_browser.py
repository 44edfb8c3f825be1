"""Two analysts in two browser sessions confirm at the same moment: the same file is stored once (the other
is told it was uploaded already), and of two versions of the same data and month exactly one stays active."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from store import Store
from tests.paths import FIXTURES
from tests.streamlit_server import CHROMIUM, chromium, dashboard, log_in, make_account

FIXTURE = FIXTURES / "pboc_loans_202610.xlsx"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")]


def _second_version(tmp_path: Path) -> Path:
    """The same table for the same month with one figure corrected: a different file of the same dataset."""
    wb = load_workbook(FIXTURE)
    ws = wb.worksheets[0]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float)) and c.value > 1000)
    cell.value = cell.value + 1
    out = tmp_path / "pboc_loans_202610_更正.xlsx"
    wb.save(out)
    return out


def _confirm_together(browser, url: str, files: list[Path]) -> list[str]:
    """Each file checked in its own session (each logged in as its own analyst), then both confirm buttons pressed
    at once; the messages shown."""
    pages = []
    for i, f in enumerate(files):
        page = browser.new_context(viewport={"width": 1400, "height": 1200}).new_page()
        page.goto(url + "/upload")
        log_in(page, f"填报{i + 1}")
        page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
        page.set_input_files("input[type=file]", str(f))
        page.get_by_role("button", name="确认导入 1 个文件").wait_for(timeout=60_000)
        pages.append(page)
    # Playwright's sync pages belong to this thread, so the presses are timed by the browsers themselves.
    for page in pages:
        page.evaluate("""() => { window.__go = () => [...document.querySelectorAll('button')]
                                  .find(b => b.innerText.includes('确认导入')).click(); }""")
    for page in pages:
        page.evaluate("() => setTimeout(window.__go, 300)")  # both fire within the same 300 ms
    messages = []
    for page in pages:
        page.locator('[data-testid="stAlertContentSuccess"]').first.wait_for(timeout=60_000)
        messages.append(page.locator('[data-testid="stAlertContentSuccess"]').first.inner_text())
        assert page.locator('[data-testid="stException"]').count() == 0
    return messages


def test_two_sessions_confirming_the_same_file_store_it_once(demo_copy):
    before = Store(demo_copy).submissions().height
    make_account(demo_copy, "填报1"), make_account(demo_copy, "填报2")
    with dashboard(demo_copy) as url, chromium() as browser:
        messages = _confirm_together(browser, url, [FIXTURE, FIXTURE])
    assert sum("已导入" in m for m in messages) == 1, messages
    assert sum("上传过" in m for m in messages) == 1, messages
    assert Store(demo_copy).submissions().height == before + 1


def test_two_versions_confirmed_at_once_leave_one_active(demo_copy, tmp_path):
    second = _second_version(tmp_path)
    make_account(demo_copy, "填报1"), make_account(demo_copy, "填报2")
    with dashboard(demo_copy) as url, chromium() as browser:
        messages = _confirm_together(browser, url, [FIXTURE, second])
    assert all("已导入" in m for m in messages), messages
    subs = Store(demo_copy).submissions()
    mine = subs.filter(subs["file_name"].is_in([FIXTURE.name, second.name]))
    assert mine.height == 2
    dataset, period = mine["dataset"][0], mine["period"][0]
    same = subs.filter((subs["dataset"] == dataset) & (subs["period"] == period))
    assert same.filter(same["status"] == "active").height == 1
