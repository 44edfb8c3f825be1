"""What the benchmarks share: a demo database to measure on, a dashboard server whose process they can watch,
the in-page probe that times what a browser shows, and the closing lines each prints (its timings, then
`ratio X.XX` on the last line, which scripts look for).

A benchmark runs as a script (`.venv/bin/python bench/page_speed.py`): it puts the project root on
sys.path itself, then imports this module as bench._common (the leading "_": a helper, not a benchmark).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.streamlit_client import overview_figures
from tests.streamlit_server import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: F401  (re-exported: the benchmarks use them)

ROOT = Path(__file__).resolve().parent.parent
# Many pages at once (bench/load.py): every page is served as if in front, none throttled as a background tab.
FOREGROUND_ARGS = ["--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
                   "--disable-renderer-backgrounding"]


def demo_database(folder: Path) -> Path:
    """Build the demo database in `folder` (not timed: about a minute) and return its path."""
    from domain.registry import default_registry
    from loaders.demo import build_demo

    print("building the demo database (not timed)…", flush=True)
    db = folder / "demo.duckdb"
    build_demo(db, folder / "workbooks", default_registry())
    return db


def finish(lines: list[str], ratio: float) -> int:
    """Print the timings, then `ratio X.XX` (what is measured / its baseline); 0, the exit status."""
    for line in lines:
        print(line)
    print(f"ratio {ratio:.2f}")
    return 0


# -- the server -----------------------------------------------------------------------------------
# tests.streamlit_server starts it (serve: its URL, process and log), as for the browser tests.


def rss_kb(pid: int) -> int:
    """The resident memory of a process in kB (VmRSS in /proc/<pid>/status); 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used so far (user + system, /proc/<pid>/stat); 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


@contextmanager
def playwright() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def launch(p) -> object:
    """A headless Debian Chromium (its own browser process)."""
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# -- what the overview must show ---------------------------------------------------------------------


def _js_regex(text: str) -> str:
    return "".join("\\" + c if c in "\\^$.*+?()[]{}|/" else c for c in text)


def overview_marks(db: Path) -> list[list[str]]:
    """Per target, the JS regular expressions that must all match the page's text for the target to be readable:
    its value, its completion and its status (tests.streamlit_client.overview_figures)."""
    return [[_js_regex(text) for text in texts] for texts in overview_figures(db)]


# -- the in-page probe ------------------------------------------------------------------------------

# Installed before any of the page's own scripts (context.add_init_script). It keeps, in window.__probe, times
# in ms since navigation started (performance.now()), each taken in the animation frame that paints the change:
#   states: Streamlit's script state (stApp's data-test-script-state: initial, running, notRunning), [t, state];
#   plots: the number of Plotly figures drawn (a .js-plotly-plot holding its .main-svg), [t, n] at each change;
#   marks.fmp: the first frame in which, for every target, one of its alternatives (a list of regular
#     expressions, all of which must match document.body.textContent) is met; marks.title: the first <h1>.
PROBE = """
(() => {
  const want = %s;
  const P = window.__probe = {states: [], plots: [], marks: {}};
  const wanted = want.map(alts => alts.map(all => all.map(r => new RegExp(r))));
  let pending = false;
  function check() {
    pending = false;
    const t = performance.now();
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    if (state && (!P.states.length || P.states[P.states.length - 1][1] !== state)) P.states.push([t, state]);
    let drawn = 0;
    for (const p of document.querySelectorAll('.js-plotly-plot')) if (p.querySelector('.main-svg')) drawn++;
    if (!P.plots.length || P.plots[P.plots.length - 1][1] !== drawn) P.plots.push([t, drawn]);
    if (!('title' in P.marks) && document.querySelector('h1')) P.marks.title = t;
    if (!('fmp' in P.marks) && document.body) {
      const text = document.body.textContent;
      if (wanted.every(alts => alts.some(all => all.every(r => r.test(text))))) P.marks.fmp = t;
    }
  }
  // the frame that paints a change; a timer as well, for a page the browser draws no frames for (one of many
  // windows of a headless browser), whose times are then those of the DOM, not of a paint
  new MutationObserver(() => {
    if (!pending) { pending = true; requestAnimationFrame(check); setTimeout(() => pending && check(), 200); }
  }).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
})();
"""


def probe_script(targets: list[list[list[str]]]) -> str:
    """The probe for a page whose first meaningful paint is: every target has one alternative all of whose
    regular expressions match (overview_marks gives one alternative per target)."""
    return PROBE % json.dumps(targets, ensure_ascii=False)


# A visit is over when the first meaningful paint happened and Streamlit's script ran and stopped.
SCRIPT_DONE = """() => {
  const P = window.__probe;
  if (!P || !('fmp' in P.marks)) return false;
  const s = P.states;  // initial until the script first starts, then running / notRunning / rerunRequested
  return s.length > 0 && s[s.length - 1][1] === 'notRunning';
}"""

# Bytes the page received over HTTP: the document and every resource (0 for what came from the cache).
HTTP_BYTES = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .reduce((sum, e) => sum + (e.transferSize || 0), 0)"""


def drawn_js(n: int) -> str:
    """True once `n` Plotly figures are drawn."""
    return f"() => {{ const p = window.__probe.plots; return p.length && p[p.length - 1][1] >= {n}; }}"


def first_at_least(timeline: list[list[float]], n: int) -> float | None:
    """The first time at which a [t, count] timeline reaches n."""
    return next((t for t, count in timeline if count >= n), None)
