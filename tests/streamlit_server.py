"""Start the real dashboard (`streamlit run dashboard.py`) on a free loopback port, and a headless Chromium;
make an account and log in through the sidebar's form.

Used by the browser tests and by the benchmarks (bench/page_speed.py, bench/load.py).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
# Chromium 156 builds the address bar's pop-up (chrome://omnibox-popup.top-chrome/, two WebUI pages in a renderer of
# their own) for every new window, headless too: 0.6 CPU-s a page before the page itself, which a headless browser
# never shows. A --disable-features of our own replaces Playwright's, so its list (playwright 1.65's
# chromiumSwitches) is repeated here.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin", "OptimizationHints",
    "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch")
OMNIBOX_POPUP_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + OMNIBOX_POPUP_FEATURES)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:PORT
    pid: int  # the `streamlit run` process (bench/load.py watches its memory)
    log: Path  # its standard output and error: tracebacks land here


@contextmanager
def serve(db: Path, *, script: str = "dashboard.py", log: Path | None = None, timeout: float = 90,
          env: dict[str, str] | None = None, options: tuple[str, ...] = ()) -> Iterator[Server]:
    """`streamlit run <script>` on `db` on a free loopback port, with the project's .streamlit/config.toml (and
    further `options`, e.g. --secrets.files), its output in `log` (a temporary file unless given: a pipe nobody
    reads would stall the server once full); stopped afterwards."""
    port = free_port()
    env = dict(os.environ, TFM_DB=str(db), **(env or {}))
    with tempfile.TemporaryDirectory() as tmp:
        log = log or Path(tmp) / "streamlit.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port",
                 str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", *options],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
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
                    raise RuntimeError(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.3)
            yield Server(url, proc.pid, log)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@contextmanager
def dashboard(db: Path, *, script: str = "dashboard.py", timeout: float = 90) -> Iterator[str]:
    """Yields the base URL of a running dashboard on `db`; stops it afterwards."""
    with serve(db, script=script, timeout=timeout) as server:
        yield server.url


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


def cheap_hasher():
    """argon2id at its lowest cost: the same code path as the product's, a fraction of its CPU."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def make_account(db: Path, name: str, role: str = "analyst", unit: str | None = None,
                 agency: str | None = None) -> str:
    """An account in `db`, made as the command line makes it (password TEST_PASSWORD); its name. Its hash is
    cheap_hasher's: a server verifies a password with the parameters written in the hash, so the tests' failed
    logins cost little, and the first right one rehashes at the product's cost, as for an account set long ago."""
    from unittest import mock

    from store import Store, accounts
    from store.access import operator

    store = Store(db)
    with store.kept_open(), mock.patch.object(accounts, "_hasher", cheap_hasher):
        if accounts.get(store, name) is None:
            accounts.add(store, operator(), name, role, TEST_PASSWORD, unit, agency)
    return name


def login_button(page):
    """The sidebar's 登录 popover button. By test id, not by role and name: a name matches as a substring, so
    "登录" would also find 退出登录 while a logout's rerun is still replacing the sidebar."""
    return page.locator('[data-testid="stSidebar"] [data-testid="stPopoverButton"]').filter(has_text="登录")


def login_form(page):
    """The login form of the page open in Chromium: the sidebar's 登录 opens it (a popover)."""
    form = page.locator('[data-testid="stPopoverBody"] [data-testid="stForm"]')
    login_button(page).click(timeout=60_000)
    form.wait_for(timeout=60_000)
    return form


def log_in(page, name: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the sidebar's form of the page open in Chromium, and wait until it says so."""
    form = login_form(page)
    form.get_by_label("用户名").fill(name)
    form.get_by_label("密码").fill(password)
    form.get_by_role("button", name="登录").click()
    page.get_by_text(f"已登录：{name}").wait_for(timeout=60_000)
    # The session cookie is set by a script in the same run; a page opened next must find it (a busy browser may
    # run that script a moment after it shows the text).
    page.wait_for_function("document.cookie.split('; ').some(c => c.startsWith('tfm_session=') && c.length > 12)",
                           timeout=30_000)
