"""Start the real dashboard (`streamlit run dashboard.py`) on a free loopback port, and a headless Chromium;
make an account and log in through the sidebar's form.

Used by the browser tests and by bench/page_speed.py.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard(db: Path, *, script: str = "dashboard.py", timeout: float = 90) -> Iterator[str]:
    """Yields the base URL of a running dashboard on `db`; stops it afterwards."""
    port = free_port()
    env = dict(os.environ, TFM_DB=str(db))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        start = time.time()
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.time() - start > timeout:
                err = proc.stderr.read().decode(errors="replace")[-2000:] if proc.stderr else ""
                raise RuntimeError(f"streamlit did not start: {err}")
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


TEST_PASSWORD = "测试密码-2026"


def make_account(db: Path, name: str, role: str = "analyst", unit: str | None = None) -> str:
    """An account in `db`, made as the command line makes it (password TEST_PASSWORD); its name."""
    from store import Store, accounts
    from store.access import operator

    store = Store(db)
    if accounts.get(store, name) is None:
        accounts.add(store, operator(), name, role, TEST_PASSWORD, unit)
    return name


def log_in(page, name: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the sidebar's form of the page open in Chromium, and wait until it says so."""
    form = page.locator('[data-testid="stSidebar"] [data-testid="stForm"]')
    form.wait_for(timeout=60_000)
    form.get_by_label("用户名").fill(name)
    form.get_by_label("密码").fill(password)
    form.get_by_role("button", name="登录").click()
    page.get_by_text(f"已登录：{name}").wait_for(timeout=60_000)
