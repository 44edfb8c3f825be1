"""The clock, injectable: every "now" and "today" of the product comes from here.

Production reads the system clock; a test (or a report generated for a past date) fixes it with
`frozen(...)`, so nothing depends on the wall clock at the moment a test runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_now: Callable[[], dt.datetime] = dt.datetime.now


def now() -> dt.datetime:
    """The current local time, to the second (what the audit log and submissions record)."""
    return _now().replace(microsecond=0)


def today() -> dt.date:
    return _now().date()


@contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Within the block, now() and today() answer `at`."""
    global _now
    before = _now
    _now = lambda: at  # noqa: E731
    try:
        yield
    finally:
        _now = before
