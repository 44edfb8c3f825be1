"""A room full of officials: N real browser sessions open the overview at once, each then changes the month and
opens a unit on 分区对比, while an upload's ingest commits to the same database in the middle.

    .venv/bin/python bench/load.py [--db PATH] [--sessions 30] [--clients browser|protocol] [--browsers 3]
                                   [--deadline 570]

The dashboard runs (`streamlit run dashboard.py`, loopback only) on a copy of the demo database (built into a
temporary folder unless --db is given; --db is copied, never written). First one viewer alone: a visit to warm
the server (not counted), then one timed visit to the overview. Then the N sessions, spread over --browsers
Chromium processes, all started at once; with --cache warm (the default) each browser's sessions are tabs of one
context that has visited the dashboard before (an official's browser: the HTTP cache and compiled scripts are
there, so the two cores of this machine go to the server more than to parsing Streamlit's JavaScript thirty
times), with --cache cold each session is a new context. The browsers run at idle priority (Linux SCHED_IDLE,
--client-priority idle): on this machine they stand for the officials' own computers, so they take only the CPU
the server leaves (a nice value does not do it: Chromium, run as root, sets its own, -8 for its browser processes'
main threads and 0 or 5 for its renderers). Each session:
  1. the overview, until its first meaningful paint (every target's value, completion and status in the page's
     text, bench/_common.PROBE: the values before the ingest or after it) and the end of its script;
  2. the month: 截至月份 in the sidebar set to six months earlier, until the overview says 截至<that month>;
  3. a unit: /districts?region=东湖高新区, until it shows 东湖高新区：全部指标.
When half the sessions have drawn the overview, `python -m loaders ingest tests/fixtures/pboc_loans_202610.xlsx
--db <the copy>` runs as a separate process (DuckDB lets one process hold the file at a time; the dashboard lets
go of it between uses and the ingest retries for 10 s).

An error: traceback text on the page, a Streamlit exception box ([data-testid="stException"]), an error alert
of the app (st.error, e.g. a database it could not read) or another alert saying Error or 错误, a connection error, or a step that fails or times out (navigation included); each is
listed. The server's log is searched for tracebacks too. The server's memory is its RSS (/proc/<pid>/status):
before the sessions (after one official's whole walk, not counted: the pages' imports are loaded), at peak
(sampled every 0.25 s), and after they all closed and Streamlit's wait for a reconnection (--settle).

With --clients protocol the sessions draw nothing: each speaks Streamlit's websocket protocol as a browser does
(tests/streamlit_client: the same three steps, the month chosen in the same selectbox, the same ingest), so
the machine's two cores go to the server, as they would with thirty officials on computers of their own. The
overview counts as readable once every target's value, completion and status have arrived; errors are exception
elements, error alerts, other alerts naming an error, and failed runs. One Chromium visit alone is measured as well, and the report
adds the server's p95 wait to it: an estimate of what those officials would wait, printed as one.

Prints p50 and p95 of the time to the overview's first meaningful paint (seconds since each session's
navigation began) and of the two further steps, the ingest's outcome, the errors, the memory, and LAST
`p95 ratio X.XX errors N` (p95 of the N sessions' first meaningful paint ÷ the single viewer's). Everything is
bounded in time: each step by --step-timeout, the whole run by --deadline seconds (it then stops the sessions
still running and counts them as errors).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FOREGROUND_ARGS,
    ROOT,
    SCRIPT_DONE,
    cpu_seconds,
    demo_database,
    overview_figures,
    overview_marks,
    probe_script,
    rss_kb,
    serve,
)
from tests import streamlit_client

FIXTURE = ROOT / "tests" / "fixtures" / "pboc_loans_202610.xlsx"
UNIT = "东湖高新区"
UNIT_HEADING = f"{UNIT}：全部指标"
VIEWPORT = {"width": 1600, "height": 1000}
IDLE = "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"


@dataclass
class Session:
    n: int
    fmp: float | None = None  # s since navigation began
    script: float | None = None  # s the server took to run the overview: its first message to script_finished
    month: float | None = None  # s from choosing the month to the overview of that month
    unit: float | None = None  # s from navigating to /districts?region=… to the unit shown
    errors: list[str] = field(default_factory=list)
    saw_ingest: bool = False


class TooLong(Exception):
    pass


async def problems(page, where: str) -> list[str]:
    """What on the page counts as an error: traceback text, an exception box, an error alert (st.error, such as a
    database the page could not read) or another alert saying Error/错误, a lost connection."""
    found = []
    boxes = page.locator('[data-testid="stException"]')
    if await boxes.count():
        found.append(f"{where}: exception box: {(await boxes.first.inner_text())[:300]!r}")
    body = await page.locator("body").inner_text()
    if "Traceback" in body:
        i = body.index("Traceback")
        found.append(f"{where}: traceback text: {body[i:i + 300]!r}")
    for alert in await page.locator('[data-testid="stAlertContentError"]').all_inner_texts():  # st.error
        found.append(f"{where}: error alert: {alert.strip()[:300]!r}")
    for alert in await page.locator('[data-testid="stAlert"]:not(:has([data-testid="stAlertContentError"]))') \
            .all_inner_texts():
        if "Error" in alert or "错误" in alert:
            found.append(f"{where}: alert: {alert.strip()[:300]!r}")
    if "Connection error" in body or "连接错误" in body:
        found.append(f"{where}: connection error")
    return found


async def open_page(place, probe: str):
    """A page and what to close after it: in a new context of `place` (a browser: a cold cache), or a new tab of
    `place` (a context already warmed: its HTTP cache and compiled scripts shared, as an official's browser)."""
    if hasattr(place, "new_context"):
        context = await place.new_context(viewport=VIEWPORT)
        await context.add_init_script(probe)
        return await context.new_page(), context
    page = await place.new_page()
    return page, page


async def watch_websocket(page) -> list[tuple[float, str]]:
    """The page's websocket messages as its browser's network stack receives them (CDP): [(time, payload)]."""
    frames: list[tuple[float, str]] = []
    cdp = await page.context.new_cdp_session(page)
    cdp.on("Network.webSocketFrameReceived", lambda e: frames.append((e["timestamp"], e["response"]["payloadData"])))
    await cdp.send("Network.enable")
    return frames


def script_time(frames: list[tuple[float, str]]) -> float | None:
    """From the first message of the script's run to the one saying it finished (binary frames: base64)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    for t, data in frames:
        with contextlib.suppress(Exception):
            if ForwardMsg.FromString(base64.b64decode(data)).WhichOneof("type") == "script_finished":
                return t - frames[0][0]
    return None


async def run_session(s: Session, place, url: str, probe: str, month: str | None, new_value: str, step_ms: int,
                      overview_done: asyncio.Event, drawn: list[int], half: int) -> None:
    """The three steps; only the first (the page, until drawn) when `month` is None (the empty page)."""
    step, page, closing = "overview", None, None
    try:
        page, closing = await open_page(place, probe)
        page.set_default_timeout(step_ms)  # reading the page's text too: it can take long with thirty at once
        frames = await watch_websocket(page)
        await page.goto(url + "/", wait_until="commit", timeout=step_ms)
        await page.wait_for_function(SCRIPT_DONE, timeout=step_ms, polling=100)
        s.fmp = await page.evaluate("window.__probe.marks.fmp") / 1000
        s.script = script_time(frames)
        s.saw_ingest = new_value in await page.locator("body").inner_text()
        s.errors += await problems(page, step)
        drawn.append(s.n)
        if len(drawn) >= half:
            overview_done.set()
        if month is None:
            return

        step = "month"
        start = time.perf_counter()
        await page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="截至月份").click(
            timeout=step_ms)
        await page.get_by_role("option", name=month, exact=True).click(timeout=step_ms)
        await page.wait_for_function(f"document.body.innerText.includes('截至{month}，共监测') && {IDLE}",
                                     timeout=step_ms, polling=100)
        s.month = time.perf_counter() - start
        s.errors += await problems(page, step)

        step = "unit"
        start = time.perf_counter()
        await page.goto(f"{url}/districts?region={UNIT}", wait_until="commit", timeout=step_ms)
        await page.get_by_text(UNIT_HEADING).wait_for(timeout=step_ms)
        await page.wait_for_function(IDLE, timeout=step_ms, polling=100)
        s.unit = time.perf_counter() - start
        s.errors += await problems(page, step)
    except asyncio.CancelledError:
        s.errors.append(f"{step}: stopped at the deadline")
        raise
    except Exception as e:  # a navigation or a wait that failed: that step did not work for this official
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        s.errors.append(f"{step}: {type(e).__name__}: {first[:200]}")
        if page is not None:
            with contextlib.suppress(Exception):
                s.errors += await problems(page, step)
    finally:
        if closing is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(closing.close(), 30)


async def single_viewer(place, url: str, probe: str, step_ms: int) -> tuple[float, str]:
    """One visit to the overview, alone: seconds to its first meaningful paint, and the page's text."""
    page, closing = await open_page(place, probe)
    try:
        await page.goto(url + "/", wait_until="commit", timeout=step_ms)
        await page.wait_for_function(SCRIPT_DONE, timeout=step_ms, polling=100)
        return await page.evaluate("window.__probe.marks.fmp") / 1000, await page.locator("body").inner_text()
    finally:
        await closing.close()


async def protocol_session(s: Session, url: str, wanted: list, month: str | None, new_value: str, timeout: float,
                           overview_done: asyncio.Event, drawn: list[int], half: int) -> None:
    """The same three steps over Streamlit's websocket protocol (tests/streamlit_client): what the server sends,
    nothing drawn. The overview counts as readable once every target's value, completion and status arrived."""
    step = "overview"
    try:
        start = time.perf_counter()
        async with streamlit_client.Session(url, timeout=timeout) as tab:
            run = await tab.run(wanted=wanted, since=start)
            s.errors += [f"{step}: {e}" for e in run.errors]
            if run.marks_at is None:
                s.errors.append(f"{step}: not every target's value, completion and status arrived")
            s.fmp, s.script = run.marks_at, (run.done or 0) - (run.first or 0)
            s.saw_ingest = new_value in run.text()
            drawn.append(s.n)
            if len(drawn) >= half:
                overview_done.set()
            if month is None:
                return
            step = "month"
            start = time.perf_counter()
            run = await tab.choose(run, "截至月份", month)
            s.errors += [f"{step}: {e}" for e in run.errors]
            if f"截至{month}，共监测" not in run.text():
                s.errors.append(f"{step}: the overview does not say 截至{month}")
            s.month = time.perf_counter() - start
            step = "unit"
            start = time.perf_counter()
            run = await tab.run("districts", urlencode({"region": UNIT}))
            s.errors += [f"{step}: {e}" for e in run.errors]
            if UNIT_HEADING not in run.text():
                s.errors.append(f"{step}: no {UNIT_HEADING}")
            s.unit = time.perf_counter() - start
    except asyncio.CancelledError:
        s.errors.append(f"{step}: stopped at the deadline")
        raise
    except Exception as e:  # a connection or a run that failed or timed out
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        s.errors.append(f"{step}: {type(e).__name__}: {first[:200]}")


async def protocol_viewer(url: str, wanted: list, timeout: float) -> tuple[float, str]:
    """One visit to the overview over the protocol, alone: seconds until every target's figures arrived, and its
    text."""
    start = time.perf_counter()
    async with streamlit_client.Session(url, timeout=timeout) as tab:
        run = await tab.run(wanted=wanted, since=start)
    if run.marks_at is None or run.errors:
        raise RuntimeError(f"the overview alone is not readable: {run.errors}")
    return run.marks_at, run.text()


async def load_protocol(args, server, wanted: list, probe: str, month: str | None, new_value: str,
                        db: Path) -> tuple[float, list[Session], dict, dict]:
    """bench/load.py --clients protocol: the sessions speak Streamlit's websocket protocol, no browser draws.
    What thirty officials on computers of their own would wait for the server; the one browser visit alone
    (memory['browser_alone']) gives what a browser adds to it."""
    from playwright.async_api import async_playwright

    timeout = args.step_timeout
    memory: dict = {}
    async with async_playwright() as p:  # one browser visit alone: what drawing adds to the server's part
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport=VIEWPORT)
            await context.add_init_script(probe)
            await single_viewer(context, server.url, probe, int(timeout * 1000))  # fills the cache: not counted
            memory["browser_alone"] = (await single_viewer(context, server.url, probe, int(timeout * 1000)))[0]
        finally:
            await browser.close()
    await protocol_viewer(server.url, wanted, timeout)  # warms the server: not counted
    alone = statistics.median([(await protocol_viewer(server.url, wanted, timeout))[0] for _ in range(3)])
    sessions, outcome, room = await the_room(
        args, server, db, month, new_value,
        lambda s, done, drawn, half: protocol_session(s, server.url, wanted, month, new_value, timeout, done, drawn,
                                                      half),
        lambda: protocol_viewer(server.url, wanted, timeout))
    memory.update(room)
    await asyncio.sleep(args.settle)
    memory["after"] = rss_kb(server.pid)
    return alone, sessions, outcome, memory


async def the_room(args, server, db: Path, month: str | None, new_value: str, walk, look) -> tuple[list[Session], dict, dict]:
    """What both kinds of client do: one official's whole walk alone (not counted: the pages' imports and the
    month's figures are in memory before it is read, so that what the sessions add, and give back, is theirs),
    then the N sessions at once, `walk(session, overview_done, drawn, half)` each, with the ingest once half of
    them read the overview; then whether the overview (`look()`: its seconds and text) shows the ingest's value.
    The sessions, the ingest's outcome and the server's memory and CPU (not yet its memory after closing)."""
    memory: dict = {}
    warm = Session(-1)
    await walk(warm, asyncio.Event(), [], args.sessions + 1)
    if warm.errors:
        print(f"the walk alone failed: {warm.errors}")
    await asyncio.sleep(2)
    memory["before"] = rss_kb(server.pid)
    sessions = [Session(i) for i in range(args.sessions)]
    overview_done, drawn, outcome, peak, stop = asyncio.Event(), [], {}, [memory["before"]], asyncio.Event()
    sampler = asyncio.create_task(sample_rss(server.pid, peak, stop))
    memory["cpu"], memory["wall"] = cpu_seconds(server.pid), time.perf_counter()
    memory["machine"] = machine_cpu_seconds()
    writer = (asyncio.create_task(ingest_in_the_middle(db, overview_done, outcome)) if month is not None
              else asyncio.create_task(asyncio.sleep(0)))  # the empty page: no ingest
    tasks = [asyncio.create_task(walk(s, overview_done, drawn, max(1, args.sessions // 2))) for s in sessions]
    # what is left of the deadline, less the time kept for the ingest, a last visit, the wait and closing
    budget = max(30.0, args.deadline - (time.perf_counter() - args.t0) - 150)
    _, pending = await asyncio.wait(tasks, timeout=budget)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    overview_done.set()  # if too few sessions drew the overview, the ingest still runs
    try:
        await asyncio.wait_for(writer, 90)
    except TimeoutError:
        outcome.setdefault("out", "the ingest did not finish in time")
    with contextlib.suppress(Exception):  # the overview after the ingest: does it show the new value?
        if month is not None:
            outcome["shown"] = new_value in (await look())[1]
    stop.set()
    await sampler
    memory["peak"] = peak[0]
    memory["cpu"], memory["wall"] = cpu_seconds(server.pid) - memory["cpu"], time.perf_counter() - memory["wall"]
    memory["machine"] = machine_cpu_seconds() - memory["machine"]
    return sessions, outcome, memory


async def sample_rss(pid: int, peak: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], rss_kb(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.25)


def ingest(db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders", "ingest", str(FIXTURE), "--db", str(db), "--uploader",
                           "bench/load.py"], cwd=ROOT, capture_output=True, text=True, timeout=80)


async def ingest_in_the_middle(db: Path, overview_done: asyncio.Event, outcome: dict) -> None:
    await overview_done.wait()
    outcome["started"] = time.perf_counter()
    try:
        done = await asyncio.to_thread(ingest, db)
        outcome.update(seconds=time.perf_counter() - outcome["started"], code=done.returncode,
                       out=(done.stdout + done.stderr).strip())
    except subprocess.TimeoutExpired:
        outcome.update(seconds=time.perf_counter() - outcome["started"], code=None, out="timed out after 80 s")


def log_tracebacks(log: str) -> dict[str, list[str]]:
    """The server log's tracebacks by their last line (the exception), in order of first appearance."""
    found: dict[str, list[str]] = {}
    for block in log.split("Traceback (most recent call last):")[1:]:
        body = []
        for line in block.splitlines()[1:]:
            body.append(line)
            if line and not line.startswith((" ", "\t")):  # the exception line ends the traceback
                break
        found.setdefault(body[-1].strip() if body else "?", []).append("Traceback (most recent call last):\n"
                                                                          + "\n".join(body))
    return found


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank, as a 95th of 30 runs reads: the 29th fastest)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def spread(name: str, values: list[float], n: int) -> str:
    if not values:
        return f"{name}: none finished (of {n})"
    return (f"{name}: p50 {statistics.median(values):.2f} s, p95 {percentile(values, 95):.2f} s, "
            f"max {max(values):.2f} s ({len(values)} of {n} finished)")


def copy_database(source: Path, folder: Path, name: str) -> Path:
    target = folder / name
    shutil.copy2(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copy2(wal, target.with_name(target.name + ".wal"))
    return target


def client_chromium(folder: Path, priority: str) -> Path:
    """Chromium as the sessions' browsers: at idle priority (SCHED_IDLE, which its processes and threads inherit
    and which Chromium's own nice values do not undo), thirty browsers on the server's two cores stand for thirty
    officials' own computers and take only the CPU the server leaves; `normal`: as the server."""
    if priority == "normal":
        return Path(CHROMIUM)
    wrapper = folder / "chromium-idle"
    wrapper.write_text(f'#!/bin/sh\nexec chrt --idle 0 {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def idle_threads(root: int) -> tuple[int, int]:
    """Of the threads of the Chromium processes under `root` (this bench): how many run at idle priority (policy 5
    in /proc/<pid>/task/<tid>/sched), and how many there are."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            children.setdefault(int(stat.read_text().rsplit(")", 1)[1].split()[1]), []).append(int(stat.parent.name))
    idle = total = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            if "chrom" not in os.readlink(f"/proc/{pid}/exe"):
                continue
        except OSError:  # gone, or not ours to read: not counted
            continue
        for task in Path(f"/proc/{pid}/task").glob("*/sched"):
            with contextlib.suppress(OSError):
                policy = next(line for line in task.read_text().splitlines() if line.startswith("policy"))
                idle += policy.split()[-1] == "5"
                total += 1
    return idle, total


def machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy so far, all cores (/proc/stat: all but idle and iowait)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


async def load(args, server, probe: str, month: str | None, new_value: str, db: Path) -> tuple[float, list[Session], dict,
                                                                                        dict]:
    from playwright.async_api import async_playwright

    step_ms = int(args.step_timeout * 1000)
    memory = {}
    async with async_playwright() as p:
        browsers = [await p.chromium.launch(executable_path=str(client_chromium(db.parent, args.client_priority)),
                                            args=CHROMIUM_ARGS + FOREGROUND_ARGS)
                    for _ in range(max(1, args.browsers))]
        try:
            places = list(browsers)
            if args.cache == "warm":  # one context per browser, its cache filled by a first visit (not counted)
                places = []
                for b in browsers:
                    context = await b.new_context(viewport=VIEWPORT)
                    await context.add_init_script(probe)
                    await single_viewer(context, server.url, probe, step_ms)
                    places.append(context)
            else:
                await single_viewer(places[0], server.url, probe, step_ms)  # warms the server: not counted
            alone = (await single_viewer(places[0], server.url, probe, step_ms))[0]
            sessions, outcome, room = await the_room(
                args, server, db, month, new_value,
                lambda s, done, drawn, half: run_session(s, places[s.n % len(places)], server.url, probe, month,
                                                         new_value, step_ms, done, drawn, half),
                lambda: single_viewer(places[0], server.url, probe, step_ms))
            memory.update(room)
            memory["idle"] = idle_threads(os.getpid())
        finally:
            for b in browsers:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(b.close(), 30)
    await asyncio.sleep(args.settle)
    memory["after"] = rss_kb(server.pid)
    return alone, sessions, outcome, memory


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="the demo database to copy (default: build one, about a minute, not timed)")
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--page", choices=("dashboard", "empty"), default="dashboard",
                    help="empty: the same sessions on bench/empty_page.py, only its first step and no ingest: what "
                         "thirty browsers on this machine take for the smallest page Streamlit draws")
    ap.add_argument("--clients", choices=("browser", "protocol"), default="browser",
                    help="browser: each session a Chromium tab that draws the pages; protocol: each session speaks "
                         "Streamlit's websocket protocol and draws nothing (tests/streamlit_client), so the two cores "
                         "go to the server: what officials on computers of their own wait for it")
    ap.add_argument("--browsers", type=int, default=3, help="Chromium processes the sessions are spread over")
    ap.add_argument("--cache", choices=("warm", "cold"), default="warm",
                    help="warm: each browser's sessions are tabs of one context that visited the dashboard before "
                         "(as officials who have opened it before); cold: each session a new context")
    ap.add_argument("--client-priority", choices=("idle", "normal"), default="idle",
                    help="idle: the browsers take only the CPU the server leaves (they stand for computers of their "
                         "own); normal: they compete with the server")
    ap.add_argument("--step-timeout", type=float, default=180, help="seconds each step of a session may take")
    ap.add_argument("--settle", type=float, default=165,
                    help="seconds to wait after the sessions closed (Streamlit keeps a closed session's state for "
                         "server.disconnectedSessionTTL, 120 s, so that a phone that lost its connection resumes; "
                         "pages/memory.py then lets it go within 30 s)")
    ap.add_argument("--deadline", type=float, default=570, help="seconds the whole run may take")
    args = ap.parse_args()
    args.t0 = time.perf_counter()

    def too_long(*_):
        raise TooLong(f"the run passed its deadline of {args.deadline:.0f} s")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(int(args.deadline) + 20)  # the last resort; the sessions are stopped well before

    from domain.months import month_label
    from domain.registry import default_registry
    from metrics.series import months_with_data, resolve
    from store import Store

    with tempfile.TemporaryDirectory(prefix="tfm-load-") as tmp:
        folder = Path(tmp)
        source = Path(args.db) if args.db else demo_database(folder)
        db = copy_database(source, folder, "load.duckdb")
        if args.page == "empty":  # the floor: the same sessions on the smallest page Streamlit draws
            with serve(db, log=folder / "server.log", script="bench/empty_page.py") as server:
                empty = probe_script([[["空白页"]]])
                alone, sessions, outcome, memory = asyncio.run(
                    load_protocol(args, server, [[["空白页"]]], empty, None, "空白页", db)
                    if args.clients == "protocol" else load(args, server, empty, None, "空白页", db))
                log = server.log.read_text(errors="replace")
            return report(args, server, alone, sessions, outcome, memory, log, None, "空白页", "the empty page")
        # What the overview shows before the ingest, and after it (worked out on a second copy, not timed).
        after = copy_database(source, folder, "after.duckdb")
        done = ingest(after)
        if done.returncode != 0:
            print(f"the ingest fails even on an idle copy: {(done.stdout + done.stderr)[-500:]}")
            return 1
        marks = [[old, new] for old, new in zip(overview_marks(db), overview_marks(after), strict=True)]
        changed = [new[0] for old, new in zip(overview_figures(db), overview_figures(after), strict=True) if old != new]
        new_value = changed[0] if changed else "(unchanged)"
        months = months_with_data(resolve(Store(db).active_observations(), default_registry()))
        month = month_label(months[min(6, len(months) - 1)])
        probe = probe_script(marks)
        wanted = [[list(old), list(new)] for old, new in zip(overview_figures(db), overview_figures(after), strict=True)]
        with serve(db, log=folder / "server.log") as server:
            alone, sessions, outcome, memory = asyncio.run(
                load_protocol(args, server, wanted, probe, month, new_value, db) if args.clients == "protocol"
                else load(args, server, probe, month, new_value, db))
            log = server.log.read_text(errors="replace")
    return report(args, server, alone, sessions, outcome, memory, log, month, new_value, "the overview")


def report(args, server, alone: float, sessions: list[Session], outcome: dict, memory: dict, log: str,
           month: str | None, new_value: str, page: str) -> int:
    """Print the figures, the last line `p95 ratio X.XX errors N`; `month` None: the empty page (one step, no
    ingest)."""
    protocol = args.clients == "protocol"
    clients = ("over Streamlit's websocket protocol, nothing drawn" if protocol else
               f"over {args.browsers} Chromium processes ({args.cache} cache, {args.client_priority} priority)")
    lines = [f"server: pid {server.pid}, {page}, {args.sessions} sessions {clients}"
             + (f", month chosen: {month}, unit: {UNIT}" if month else ""),
             f"single viewer: first meaningful paint of {page} {alone:.2f} s"
             + (" (every target's figures arrived)" if protocol else "")]
    fmp = [s.fmp for s in sessions if s.fmp is not None]
    lines += [spread(f"{args.sessions} sessions at once, {page}'s first meaningful paint", fmp, args.sessions),
              spread(f"  of which {page}'s script as received (first websocket message to script_finished)",
                     [s.script for s in sessions if s.script is not None], args.sessions),
              *([] if month is None else [
                  spread("  then the month changed (截至月份)", [s.month for s in sessions if s.month is not None],
                         args.sessions),
                  spread(f"  then a unit opened (/districts?region={UNIT})",
                         [s.unit for s in sessions if s.unit is not None], args.sessions)])]
    if month is not None and "code" not in outcome:
        lines.append(f"ingest: did not run ({outcome.get('out', 'no session drew the overview')})")
    elif month is not None:
        verdict = "committed" if outcome["code"] == 0 else f"FAILED (exit {outcome['code']})"
        shown = {True: "shows", False: "does NOT show"}.get(outcome.get("shown"), "could not be checked for")
        lines.append(f"ingest during the load: {verdict} after {outcome['seconds']:.1f} s; "
                     f"{sum(s.saw_ingest for s in sessions)} of {args.sessions} sessions drew the overview after it; "
                     f"the overview opened after the load {shown} its value ({new_value})")
        if outcome["code"] != 0:
            lines.append("  " + outcome["out"][-600:].replace("\n", "\n  "))
    errors = [(s.n, e) for s in sessions for e in s.errors]
    tracebacks = log_tracebacks(log)
    lines.append(f"errors: {len(errors)} in {len({n for n, _ in errors})} sessions; "
                 f"server log: {sum(len(v) for v in tracebacks.values())} tracebacks")
    kinds: dict[str, list[int]] = {}
    for n, e in errors:
        kinds.setdefault(e, []).append(n)
    for e, ns in sorted(kinds.items(), key=lambda kv: -len(kv[1]))[:12]:
        lines.append(f"  {len(ns)}× {e}")
    for last, blocks in tracebacks.items():
        lines.append(f"  server log, {len(blocks)}× {last[:300]}")
        lines.append("    " + blocks[0][-1800:].replace("\n", "\n    "))
    others = memory["machine"] - memory["cpu"]
    if protocol:
        lines.append(f"CPU during the sessions ({memory['wall']:.1f} s): the server {memory['cpu']:.1f} s "
                     f"({memory['cpu'] / max(1, args.sessions) * 1000:.0f} ms per session), everything else "
                     f"{others:.1f} s (the clients, the ingest)")
    else:
        lines.append(f"CPU during the sessions ({memory['wall']:.1f} s, two cores: {2 * memory['wall']:.0f} s): the server "
                 f"{memory['cpu']:.1f} s ({memory['cpu'] / memory['wall']:.0%} of one core), everything else "
                 f"{others:.1f} s, about {others / max(1, args.sessions):.1f} s per session (the browsers, the ingest, "
                 f"Playwright): the browsers' work alone keeps both cores busy for {others / 2:.0f} s; browser threads "
                 f"at idle priority: {memory['idle'][0]} of {memory['idle'][1]}")
    p95 = percentile(fmp, 95) if fmp else float("nan")
    if protocol:  # the server's wait under the load, added to what one browser takes alone
        browser = memory["browser_alone"]
        guess = browser + p95 - alone
        lines.append(f"officials on computers of their own (an estimate from two measurements, not a measurement): "
                     f"one browser alone {browser:.2f} s to the first meaningful paint; with the server's p95 wait "
                     f"under {args.sessions} at once ({p95:.2f} − {alone:.2f} s alone) added, about {guess:.2f} s, "
                     f"{guess / browser:.2f}× the viewer alone")
    mb = {k: memory[k] / 1024 for k in ("before", "peak", "after")}
    lines.append(f"server memory (RSS): before {mb['before']:.0f} MB, peak {mb['peak']:.0f} MB, "
                 f"after all sessions closed (+{args.settle:.0f} s) {mb['after']:.0f} MB; "
                 f"per extra session {(mb['peak'] - mb['before']) / max(1, args.sessions):.1f} MB")
    for line in lines:
        print(line)
    print(f"p95 ratio {p95 / alone:.2f} errors {len(errors)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
