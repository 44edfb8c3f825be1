"""Thirty sessions open the real dashboard at once while a command-line ingest commits to its database (issue 15:
a room full of officials before a meeting). Every session must read every target's value, completion and
status, choose a month and open a unit, and none may see an error; the ingest must commit; a session opened
afterwards shows its figure. And thirty sessions opening its pages right after it started, when every page's
libraries are imported for the first time, see those pages whole.

The sessions speak Streamlit's websocket protocol (tests/streamlit_client) rather than drawing in Chromium:
thirty tabs take minutes on two cores, thirty protocol sessions seconds, and what can go wrong here (the
database shared by the server's threads, the ingest of another process, the caches keyed on the store's
revision) is the server's. bench/load.py measures the same walk with real browsers.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.__main__ import main as loaders_main
from pages.account import COOKIE
from store import Store, accounts
from tests.paths import FIXTURES, ROOT
from tests.streamlit_client import ANONYMOUS_PAGES, Run, Session, overview_figures
from tests.streamlit_server import TEST_PASSWORD, make_account, serve

SESSIONS = 30
UNIT = "东湖高新区"
FILE = FIXTURES / "pboc_loans_202610.xlsx"


async def walk(url: str, wanted: list, month: str, runs: list[Run], read: list[int],
               overview_read: asyncio.Event, cookie: str | None) -> None:
    """The overview, then the month chosen in 截至月份, then the unit on 分区对比: what one official does."""
    async with Session(url, timeout=120, cookie=cookie) as tab:
        runs.append(await tab.run(wanted=wanted))
        read.append(1)
        if len(read) >= SESSIONS // 2:  # half the room has read the overview: the ingest starts
            overview_read.set()
        runs.append(await tab.choose(runs[-1], "截至月份", month))
        runs.append(await tab.run("districts", f"region={UNIT}"))


async def room(url: str, db: Path, wanted: list, month: str, cookies: list[str | None]
               ) -> tuple[list[list[Run]], subprocess.CompletedProcess]:
    overview_read = asyncio.Event()
    runs: list[list[Run]] = [[] for _ in range(SESSIONS)]
    read: list[int] = []
    sessions = [asyncio.create_task(walk(url, wanted, month, r, read, overview_read, cookie))
                for r, cookie in zip(runs, cookies, strict=True)]

    async def ingest() -> subprocess.CompletedProcess:
        await overview_read.wait()  # while the others still run: the ingest is another process, as in production
        return await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "loaders", "ingest", str(FILE), "--db", str(db)],
            cwd=ROOT, capture_output=True, text=True, timeout=120)

    writer = asyncio.create_task(ingest())
    await asyncio.gather(*sessions)
    return runs, await writer


async def first_visits(url: str) -> list[tuple[str, Run]]:
    async def visit(page: str, heading: str) -> tuple[str, Run]:
        async with Session(url, timeout=120) as tab:
            return heading, await tab.run(page)

    return await asyncio.gather(*(visit(*ANONYMOUS_PAGES[i % len(ANONYMOUS_PAGES)]) for i in range(SESSIONS)))


async def one_overview(url: str, wanted: list, cookie: str | None = None) -> Run:
    async with Session(url, timeout=120, cookie=cookie) as tab:
        return await tab.run(wanted=wanted)


def logged_in_room(db: Path, data_dir: Path) -> list[str]:
    """Every page asks for a login (data/access.toml), and thirty browsers hold the cookies of ten accounts' logins:
    each run of theirs checks its session in the database."""
    (data_dir / "access.toml").write_text("[access]\nanonymous_viewing = false\n", encoding="utf-8")
    store = Store(db)
    actors = [accounts.authenticate(store, make_account(db, f"查看{i}", "viewer"), TEST_PASSWORD) for i in range(10)]
    return [f"{COOKIE}={accounts.open_session(store, actors[i % 10])}" for i in range(SESSIONS)]


@pytest.mark.parametrize("who", ["anonymous", "logged in"])
def test_thirty_sessions_at_once_while_an_ingest_commits(who: str, demo_copy: Path, tmp_path: Path, data_copy: Path,
                                                         cheap_hashes: None) -> None:
    after = tmp_path / "after.duckdb"  # what the overview shows once the file is in: worked out on a copy
    shutil.copy(demo_copy, after)
    assert loaders_main(["ingest", str(FILE), "--db", str(after)]) == 0
    before_figures, after_figures = overview_figures(demo_copy), overview_figures(after)
    changed = [new for old, new in zip(before_figures, after_figures, strict=True) if old != new]
    assert changed, "the file changes no figure of the overview: the test could not tell before from after"
    wanted = [[list(old), list(new)] for old, new in zip(before_figures, after_figures, strict=True)]

    cookies = logged_in_room(demo_copy, data_copy) if who == "logged in" else [None] * SESSIONS
    with serve(demo_copy, env={"TFM_DATA_DIR": str(data_copy)}) as server:
        asyncio.run(one_overview(server.url, wanted, cookies[0]))  # the server's first run: imports, caches
        first = asyncio.run(one_overview(server.url, wanted, cookies[0]))
        month = first.selectboxes["截至月份"][1][6]  # six months before the latest
        runs, ingest = asyncio.run(room(server.url, demo_copy, wanted, month, cookies))
        later = asyncio.run(one_overview(server.url, wanted, cookies[-1]))
        log = server.log.read_text(errors="replace")

    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert all(len(r) == 3 for r in runs)
    problems = [(i, e) for i, r in enumerate(runs) for run in r for e in run.errors]
    assert problems == [], log[-6000:]  # the server's log says what went wrong
    assert "Traceback" not in log, log[-6000:]
    assert all(r[0].marks_at is not None for r in runs), "a session lacked a target's value, completion or status"
    assert all(f"截至{month}，共监测" in r[1].text() for r in runs)
    assert all(f"{UNIT}：全部指标" in r[2].text() for r in runs)
    assert all(text in later.text() for text in changed[0])  # the ingest's figure, once committed
    if who == "logged in":
        assert all("已登录：" in run.text() for r in runs for run in r), "a session was not (or no longer) logged in"



def test_thirty_first_visits_to_every_page_right_after_the_start(demo_copy: Path) -> None:
    """No warm-up: the first run of each page imports its libraries in many threads at once (pages/preload.py)."""
    with serve(demo_copy) as server:
        visits = asyncio.run(first_visits(server.url))
        log = server.log.read_text(errors="replace")

    assert [(heading, e) for heading, run in visits for e in run.errors] == [], log[-6000:]
    assert "Traceback" not in log, log[-6000:]
    assert [heading for heading, run in visits if heading not in run.text()] == []
    # through dashboard.py: its pages in the navigation, not every file of pages/ as Streamlit's fallback lists them
    assert [sorted(run.pages) for _, run in visits if "common" in run.pages or "indicator" not in run.pages] == []
