"""Numbers, percentages and months the way official documents write them."""

from __future__ import annotations

import datetime as dt

from domain.months import month_label


def num(value: float | None, decimals: int = 1) -> str:
    """4595.93 → "4,595.9"; None → "—"."""
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}"


def qty(value: float | None, unit: str, decimals: int = 1) -> str:
    """A value with its unit: "4,595.9亿元", "52家", "47.0%"."""
    if value is None:
        return "—"
    return f"{num(value, decimals)}{unit}"


def pct(ratio: float | None, decimals: int = 1) -> str:
    """0.919 → "91.9%"."""
    if ratio is None:
        return "—"
    return f"{ratio * 100:.{decimals}f}%"


def as_of_label(day: dt.date | None) -> str:
    """截至2026年10月 — the dating line every chart carries."""
    return f"截至{month_label(day)}" if day else "暂无数据"


def target_phrase(comparator: str, value: float, unit: str, decimals: int = 0) -> str:
    """The target as the plans word it: 突破5,000亿元, 50家以上, 超过50%."""
    shown = qty(value, unit, decimals)
    if comparator == ">":
        return f"超过{shown}" if unit == "%" else f"突破{shown}"
    if comparator == ">=":
        return f"{shown}以上"
    if comparator == "<":
        return f"低于{shown}"
    return f"不高于{shown}"
