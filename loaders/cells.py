"""Cell values as agencies type them: full-width digits, thousands separators, dashes for 'no value'."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

# Cells that mean "no value" in agency files.
EMPTY_MARKS = {"", "-", "—", "——", "–", "/", "／", "\\", "无", "空", "N/A", "n/a", "NA", "…", "...", "--", "－"}

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# How NaN and infinity come out of programs that export a table (Python, pandas, R, Excel's #NUM!).
_NOT_FINITE = {"nan", "inf", "infinity", "#num!", "#div/0!"}


def norm_text(value: Any) -> str:
    """Text for matching: NFKC (full-width → half-width), no whitespace at all."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _norm_str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _norm_str(str(value))


@lru_cache(maxsize=1 << 16)
def _norm_str(text: str) -> str:
    # Registers repeat districts, types and managers on every row: the cache makes them free.
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


_LONGEST_MARK = max(len(m) for m in EMPTY_MARKS)


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    stripped = value.strip()
    # Marks are short: a long text is never one, and needs no normalising to know it.
    return not stripped or (len(stripped) <= _LONGEST_MARK + 2 and norm_text(stripped) in EMPTY_MARKS)


# No figure of the registries reaches this in any unit an agency writes (a balance in 元 has 12 digits): a
# number this large, or one that is no finite number (NaN, infinity), cannot be a true value.
MAX_MAGNITUDE = 1e15


class NotANumber(ValueError):
    """A cell that should hold a number and does not. `reason`: "text" (words in the cell), "not_finite"
    (NaN or infinity), "too_large" (more digits than any true figure: `digits` says how many)."""

    def __init__(self, value: Any, reason: str = "text", digits: int = 0) -> None:
        super().__init__(value)
        self.reason, self.digits = reason, digits


def _digits(text: str) -> int:
    """How many digits the integer part of a number written as text has (1e20 → 21)."""
    mantissa, _, exponent = text.lower().lstrip("+-").partition("e")
    whole = mantissa.split(".")[0].lstrip("0")
    return max(len(whole) + (int(exponent) if exponent else 0), 1)


def _checked(number: float, value: Any, text: str | None = None) -> float:
    if math.isnan(number) or (math.isinf(number) and text is None):
        raise NotANumber(value, "not_finite")
    if abs(number) >= MAX_MAGNITUDE:
        digits = _digits(text) if text is not None else len(f"{abs(number):.0f}")
        raise NotANumber(value, "too_large", digits)
    return number


def parse_number(value: Any) -> tuple[float | None, bool]:
    """(number, had_percent_sign). None for the marks that mean no value; NotANumber otherwise."""
    if value is None:
        return None, False
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, (int, float)):
        return _checked(float(value), value), False
    text = norm_text(value)
    if text in EMPTY_MARKS:
        return None, False
    text = text.replace("\u2212", "-")  # the typographic minus sign (−) that Word and WPS insert
    percent = text.endswith("%")
    text = text.rstrip("%").replace(",", "").replace("，", "")
    if text.startswith("(") and text.endswith(")"):  # accounting negative: (12.5)
        text = "-" + text[1:-1]
    if not _NUMBER.match(text):
        raise NotANumber(value, "not_finite" if text.lstrip("+-").lower() in _NOT_FINITE else "text")
    return _checked(float(text), value, text), percent


def parse_date(value: Any) -> dt.date | None:
    """A date cell or text such as 2025-03-01, 2025/3/1, 2025年3月1日, 2025.3 (→ first of month)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = norm_text(value)
    if text in EMPTY_MARKS:
        return None
    # (a time of day may follow: big sheets are read as text, where a date cell reads 2021-02-02 00:00:00)
    m = re.match(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?(?:\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$", text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3] or 1)
        try:
            return dt.date(y, mo, d)
        except ValueError:
            return None
    m = re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def col_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def a1(row: int, col: int) -> str:
    """Zero-based row/column → Excel A1 reference."""
    return f"{col_letter(col)}{row + 1}"


def quiet_number(raw: Any) -> float | None:
    """The number in a cell, or None for a blank or no number: for checks, where a bad cell is reported elsewhere."""
    try:
        return parse_number(raw)[0]
    except NotANumber:
        return None
