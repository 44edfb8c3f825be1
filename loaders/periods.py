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


# -- month labels of a cross-tab, and whether a flow's figure is for the month or the year so far -------------

_DASH = r"[-—~至到－–]"
# Words a month label may carry besides the month: how the figure runs (累计, 当月), and filler.
_LABEL_WORDS = re.compile(r"累计数?|累计值|当月数?|本月|单月|发生额|合计|本年|当年|今年|止|份|末|底|[()（）\s]")
# A flow's figure for the year so far: 累计, 本年, 年初至今, or a range from January (1-10月, 1月至10月).
_YTD = re.compile(r"累计|本年|当年|今年以来|年初至今|年初以来|自年初|(?<!\d)1月?\s*" + _DASH + r"\s*\d{1,2}\s*月")
# A range that does not start in January (7-9月): neither the month nor the year so far.
_SPAN = re.compile(r"(?<!\d)(?:[2-9]|1[0-2])月?\s*" + _DASH + r"\s*\d{1,2}\s*月")
# …for the month alone: 当月, 本月 (not 本月末, a month-end stock), 单月.
_MONTHLY = re.compile(r"当月|本月(?!末|底)|单月|月度发生")


def flow_convention(text: object) -> str | None:
    """"ytd" when words say the figure is the year so far (累计, 1-10月, 本年, 年初至今), "monthly" when they say
    it is the month's own (当月, 本月), "span" for a range not from January (7-9月), None when they say neither."""
    if text is None:
        return None
    s = norm_text(text)
    if _MONTHLY.search(s):
        return "monthly"
    if _SPAN.search(s):
        return "span"
    if _YTD.search(s):
        return "ytd"
    return None


def month_label_period(value: object, year: int | None) -> dt.date | None:
    """A label that is a month and nothing else (a row or column of a cross-tab): a date cell, 2026年1月, 2026-01,
    2026.1, 202601, 1月 / 10月末 (with `year`), 1-10月累计 / 2026年1-10月 (its last month), 10月当月. None for
    anything with other words (2026年10月科技贷款余额 is a heading, not a month)."""
    if isinstance(value, dt.datetime | dt.date):
        return month_end(value.year, value.month)
    if not isinstance(value, str):
        return None
    s = _LABEL_WORDS.sub("", norm_text(value))
    m = re.fullmatch(r"(?:(20\d{2})年)?(?:(\d{1,2})月?" + _DASH + r")?(\d{1,2})月", s)
    if m:
        y = int(m[1]) if m[1] else year
        first, last = int(m[2] or m[3]), int(m[3])
        if y and 1 <= first <= last <= 12:
            return month_end(y, last)
        return None
    m = (re.fullmatch(r"(20\d{2})[.\-/_](\d{1,2})(?:[.\-/_]\d{1,2})?(?:\s*0?0:00(:00)?)?", s)
         or re.fullmatch(r"(20\d{2})(0[1-9]|1[0-2])", s))
    if m and 1 <= int(m[2]) <= 12:
        return month_end(int(m[1]), int(m[2]))
    return None
