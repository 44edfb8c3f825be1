"""Memory goes back to the system once viewers leave.

Streamlit keeps a closed browser tab's session for server.disconnectedSessionTTL (120 s) so that it can reconnect,
but drops it only when some later session is stored: after a meeting, with nobody opening the dashboard, thirty
closed sessions would stay in memory. And what Python frees stays with the process's allocator unless it is
handed back. So every RELEASE_EVERY seconds a thread (one per server process) lets Streamlit drop the sessions
whose time is up, collects garbage and gives the freed pages back (glibc's malloc_trim).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import logging
import os
import threading
import time
from pathlib import Path

# What was let go goes to the server's log (standard error), for whoever watches its memory.
log = logging.getLogger(__name__)
if not log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)

RELEASE_EVERY = float(os.environ.get("TFM_RELEASE_EVERY", "30"))  # seconds; the tests shorten it

_lock = threading.Lock()
_thread: threading.Thread | None = None


def keep_releasing() -> None:
    """Start the releasing thread of this process, once (dashboard.py calls this at every run)."""
    global _thread
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_loop, name="tfm-release-memory", daemon=True)
            _thread.start()


def _loop() -> None:
    while True:
        time.sleep(RELEASE_EVERY)
        try:
            release()
        except Exception:  # never the server's end: the next round tries again
            log.exception("could not release memory")


def release() -> int:
    """Drop expired closed sessions, collect garbage, hand freed memory back to the system; how many sessions
    were dropped."""
    before = rss_mb()
    dropped = _expire_closed_sessions()
    gc.collect()
    _trim()
    if dropped:
        log.info("released %d closed sessions: memory %s MB before, %s MB after", dropped, before, rss_mb())
    return dropped


def rss_mb() -> int | None:
    """This process's resident memory in MB (Linux), else None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def _expire_closed_sessions() -> int:
    # Streamlit's session storage (closed sessions only) is a TTL cache that removes expired entries only when
    # written to or asked to expire; it is not thread-safe, so the request goes to the server's event loop, where
    # Streamlit uses it. These are Streamlit's private attributes: if they change, nothing is dropped here and
    # tests/test_memory_browser.py says so.
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    runtime = Runtime.instance()
    storage = getattr(getattr(runtime, "_session_mgr", None), "_session_storage", None)
    expire = getattr(getattr(storage, "_cache", None), "expire", None)
    objs = getattr(runtime, "_async_objs", None)
    loop = getattr(objs, "eventloop", None)
    if not callable(expire) or loop is None or loop.is_closed():
        return 0
    done, removed = threading.Event(), []

    def on_loop() -> None:
        try:
            removed.extend(expire())
            for _, info in removed:  # as Streamlit closes a session: its script thread, files, listeners
                info.session.shutdown()
        finally:
            done.set()

    loop.call_soon_threadsafe(on_loop)
    done.wait(timeout=5)
    return len(removed)


def _trim() -> None:
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):  # glibc only
        libc.malloc_trim(0)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    # Looked up once: find_library runs ldconfig in a new process.
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name else None
