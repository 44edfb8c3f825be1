"""Plotly figures → PNG bytes through kaleido, with one warm export server per process.

kaleido 1.x drives a headless Chromium (Debian's `chromium`; Chinese needs `fonts-noto-cjk`). Starting
it costs a few seconds; `start()` keeps one running (kaleido.start_sync_server) so each further figure
takes a fraction of a second. kaleido's sync server is one queue for the whole process, so calls are
serialised with a lock (the dashboard may export for two sessions at once).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Sequence

import plotly.graph_objects as go

from domain.errors import UserError
from reports.figures import Chart

SCALE = 2  # PNGs at twice the CSS size: sharp on a projector and in print
_LOCK = threading.Lock()
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


class ExportError(UserError):
    """A message in Chinese saying what is missing and how to install it."""


def browser_path() -> str | None:
    return next((p for name in _BROWSERS if (p := shutil.which(name))), None)


def available() -> bool:
    return browser_path() is not None


def start() -> None:
    """Start the process's export server once (later calls return at once)."""
    import kaleido

    if browser_path() is None:
        raise ExportError("导出图片需要 Chromium 浏览器：请运行 python3 dev.py serve（或 apt-get install chromium "
                          "fonts-noto-cjk）后重试。")
    with _LOCK:
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)  # no MathJax: no CDN to wait for


def png(fig: go.Figure, width: int, height: int, *, scale: float = SCALE) -> bytes:
    """One figure as PNG bytes, `width`×`height` CSS pixels at `scale`."""
    import kaleido

    start()
    with _LOCK:
        return kaleido.calc_fig_sync(fig, opts={"format": "png", "width": width, "height": height, "scale": scale})


def chart_png(chart: Chart, *, scale: float = SCALE) -> bytes:
    return png(chart.for_export(), chart.width, chart.height, scale=scale)


def chart_pngs(charts: Sequence[Chart], *, progress: Callable[[int, int, Chart], None] | None = None,
               scale: float = SCALE) -> dict[str, bytes]:
    """Chart key → PNG bytes, in order; `progress(done, total, chart)` after each."""
    out = {}
    for i, chart in enumerate(charts, start=1):
        out[chart.key] = chart_png(chart, scale=scale)
        if progress is not None:
            progress(i, len(charts), chart)
    return out
