"""Closed browser tabs give their memory back (issue 15 item 3): a real dashboard whose closed sessions expire
after 1 s (server.disconnectedSessionTTL) and whose memory thread (pages/memory.py) runs every second drops the
sessions of three Chromium tabs once they are closed, with nobody opening a new one, and says so in its log."""

from __future__ import annotations

import re
import time

import pytest

from tests.streamlit_server import chromium, serve

pytestmark = pytest.mark.browser

RELEASED = re.compile(r"released (\d+) closed sessions: memory (\d+) MB before, (\d+) MB after")


def released(log_text: str) -> int:
    return sum(int(m[1]) for m in RELEASED.finditer(log_text))


def test_closed_tabs_are_dropped_without_a_new_visitor(demo_copy, tmp_path):
    log = tmp_path / "server.log"
    with serve(demo_copy, log=log, env={"TFM_RELEASE_EVERY": "1"},
               options=("--server.disconnectedSessionTTL", "1")) as server, chromium() as browser:
        pages = [browser.new_page(viewport={"width": 1280, "height": 900}) for _ in range(3)]
        for page in pages:  # a page without figures: what is released is the session, whatever it showed
            page.goto(server.url + "/upload")
            page.get_by_text("请在左侧登录").first.wait_for(timeout=60_000)
        time.sleep(3)
        assert released(log.read_text(errors="replace")) == 0  # open tabs are kept, however long
        for page in pages:
            page.close()
        deadline = time.monotonic() + 30
        while released(log.read_text(errors="replace")) < 3 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert released(log.read_text(errors="replace")) == 3
