"""Reporting periods as agencies write them, resolved to the month end they report on."""

from __future__ import annotations

import datetime as dt
import re

from domain import clock
from domain.months import month_end
from loaders.cells import norm_text

_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Ordered: the most specific wording first. Each yields (year, month).
_PATTERNS: list[tuple[re.Pattern[str], object]] = [
    # A range across years (2025年12月-2026年10月, 2026年1月1日至2026年10月31日) ends in its second date.
    (re.compile(r"20\d{2}年\d{1,2}月(?:\d{1,2}日)?[-—~至到－–](20\d{2})年(\d{1,2})月"),
     lambda m: (int(m[1]), int(m[2]))),
    # A range (1-10月, 1月至10月, 7月-9月) reports on the month it ends on, never the one it starts on.
    (re.compile(r"(20\d{2})年(?:\d{1,2}|一)?月?[-—~至到－–](\d{1,2})月"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"(20\d{2})年(?:前|第)?([一二三四1-4])(?:个)?季度"), lambda m: (int(m[1]), 3 * _QUARTER[m[2]])),
    (re.compile(r"(20\d{2})[Qq]([1-4])"), lambda m: (int(m[1]), 3 * int(m[2]))),
    (re.compile(r"(20\d{2})年上半年"), lambda m: (int(m[1]), 6)),
    (re.compile(r"(20\d{2})年(?:末|底|全年|度)"), lambda m: (int(m[1]), 12)),
    (re.compile(r"(20\d{2})年(\d{1,2})月"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"(20\d{2})[.\-/_](\d{1,2})(?!\d)"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"(?<!\d)(20\d{2})(0[1-9]|1[0-2])(?!\d)"), lambda m: (int(m[1]), int(m[2]))),
    # a full date in a file name: 20261031_人行_科技贷款.xlsx
    (re.compile(r"(?<!\d)(20\d{2})(0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"), lambda m: (int(m[1]), int(m[2]))),
]


def find_period(text: str) -> dt.date | None:
    """The month end a title, cell or file name reports on, or None when it names no period.

    2026年10月, 2026年1-10月, 截至2026年10月末, 2026.10, 202610 → 2026-10-31;
    2026年三季度, 2026Q3 → 2026-09-30; 2026年末 → 2026-12-31.
    """
    s = norm_text(text)
    for pattern, to_ym in _PATTERNS:
        m = pattern.search(s)
        if m:
            year, month = to_ym(m)  # type: ignore[operator]
            if 1 <= month <= 12:
                return month_end(year, month)
    return None


def current_month() -> dt.date:
    """The end of the month we are in (domain.clock): the latest period a file can already report on."""
    today = clock.today()
    return month_end(today.year, today.month)


def in_future(period: dt.date | None) -> bool:
    """A period after the current month: no agency can have its figures yet (a file dated 2099年12月)."""
    return period is not None and period > current_month()
