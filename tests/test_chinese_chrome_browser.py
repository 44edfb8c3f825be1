"""Streamlit's and Plotly's own words, in Chromium: the uploader's button and limit line in Chinese (and the limit
the reader's own), Plotly's toolbar tooltips in Chinese, axis ticks without "k", no ⋮ menu with "Made with
Streamlit", no English table toolbar."""

from __future__ import annotations

import re

import pytest

from loaders.ingest import MAX_FILE_BYTES
from tests.streamlit_server import chromium, dashboard, log_in, make_account

pytestmark = pytest.mark.browser

LATIN_WORD = re.compile(r"[A-Za-z]*[a-z]{2,}")  # an English word; PNG, a format, is no word


def drawn_text(page, selector: str) -> str:
    """What the eye reads in an element: its ::after content where CSS draws one, else its text."""
    return page.eval_on_selector(selector, """el => {
        const after = getComputedStyle(el, '::after').content;
        return after && after !== 'none' ? after.replace(/^"|"$/g, '') : el.innerText; }""")


def test_streamlit_and_plotly_speak_chinese(demo_copy):
    analyst = make_account(demo_copy, "测试填报")
    with dashboard(demo_copy) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(url + "/upload")  # the login form is in every page's sidebar; the upload page draws no figure
        log_in(page, analyst)
        page.wait_for_selector('[data-testid="stFileUploaderDropzone"]', timeout=60_000)
        button = drawn_text(page, '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p')
        limit = drawn_text(page, '[data-testid="stFileUploaderDropzoneInstructions"] span')
        assert button == "选择文件"
        assert f"不超过{MAX_FILE_BYTES // 2**20}MB" in limit and "per file" not in limit
        english = page.eval_on_selector('[data-testid="stFileUploaderDropzoneInstructions"] span',
                                        "el => getComputedStyle(el).fontSize")
        assert english == "0px"  # Streamlit's "50MB per file" is there but not drawn
        assert page.locator('[data-testid="stMainMenu"]').count() == 0  # no ⋮ menu, no "Made with Streamlit"

        page.goto(url + "/indicator?indicator=tech_sme_borrowers")
        page.wait_for_selector(".modebar-btn", state="attached", timeout=60_000)
        page.wait_for_selector(".ytick text", state="attached", timeout=60_000)
        titles = page.eval_on_selector_all(".modebar-btn", "els => els.filter(e => e.offsetParent !== null)"
                                                          ".map(e => e.getAttribute('data-title'))")
        assert titles and not [t for t in titles if LATIN_WORD.search(t or "")], titles
        ticks = page.eval_on_selector_all(".xtick text, .ytick text", "els => els.map(e => e.textContent)")
        assert ticks and not [t for t in ticks if re.search(r"\d[kMG]$", t)], ticks
        toolbars = page.eval_on_selector_all('[data-testid="stDataFrame"]', """els => els.map(el => {
            const bar = el.closest('.stElementContainer').querySelector('[data-testid="stElementToolbar"]');
            return bar ? getComputedStyle(bar).display : 'none'; })""")
        assert toolbars and set(toolbars) == {"none"}
