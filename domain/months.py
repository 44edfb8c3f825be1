"""Months, the one time unit of the project: month ends, month arithmetic and the ways months are written.

Every period is stored and computed as the last day of its month (2026-10-31). Month arithmetic goes
through a month index (months since year 0), so differences count months and adding wraps years.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month: month_end(2026, 2) → 2026-02-28."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_of(day: dt.date) -> dt.date:
    """The month end of any day in that month: 2026-10-07 → 2026-10-31."""
    return month_end(day.year, day.month)


def month_index(day: dt.date) -> int:
    """Months since year 0, so that differences count months."""
    return day.year * 12 + day.month - 1


def month_at(index: int) -> dt.date:
    """The month end of a month index (the inverse of month_index)."""
    return month_end(index // 12, index % 12 + 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The month end `months` later (earlier when negative): add_months(2026-01-31, -2) → 2025-11-30."""
    return month_at(month_index(day) + months)


def months_between(start: dt.date, end: dt.date) -> int:
    """How many months `end` lies after `start` (negative when before)."""
    return month_index(end) - month_index(start)


def month_label(day: dt.date) -> str:
    """2026-10-31 → 2026年10月, as officials write it."""
    return f"{day.year}年{day.month}月"


def month_key(day: dt.date) -> str:
    """2026-10-31 → "2026-10", the machine-readable form."""
    return f"{day.year:04d}-{day.month:02d}"


def parse_month_key(text: str) -> dt.date:
    """"2026-10" → 2026-10-31; ValueError with a Chinese message otherwise."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValueError(f"月份「{text}」格式不对，应写作 YYYY-MM，例如 2026-10")
    return month_end(int(m[1]), int(m[2]))
