"""Units written in agency files, and their conversion to an indicator's canonical unit."""

from __future__ import annotations

import re
from collections.abc import Iterable

from loaders.cells import norm_text

# unit → (dimension, factor to the dimension's canonical unit)
UNITS: dict[str, tuple[str, float]] = {
    "亿元": ("money", 1.0),
    "万元": ("money", 1e-4),
    "元": ("money", 1e-8),
    "家": ("count", 1.0),
    "户": ("count", 1.0),
    "个": ("count", 1.0),
    "款": ("count", 1.0),
    "只": ("count", 1.0),
    "项": ("count", 1.0),
    "%": ("percent", 1.0),
}

_UNITS = r"(亿元|万元|元|家|户|个|款|只|项|%)"
_UNIT_LINE = re.compile(r"单位[:：]?\s*" + _UNITS)
# In a heading: 余额（万元）, 余额（单位：万元）, 余额/亿元 or 余额 单位:万元 at its end.
_IN_HEADING = re.compile(r"[（(]\s*(?:单位[:：]?\s*)?" + _UNITS + r"\s*[)）]|(?:[/／]|单位[:：]?)\s*" + _UNITS + r"\s*$")


def unit_line(text: str) -> str | None:
    """单位：万元 → 万元 (the first unit on a 单位 line)."""
    m = _UNIT_LINE.search(norm_text(text).replace("(", "（").replace(")", "）"))
    return m[1] if m else None


# A bracket saying how a flow's figure runs, with or without the unit: （累计）, （1-9月累计，亿元）, （当月数）.
_FLOW_BRACKET = re.compile(r"[（(]\s*(?:(?:\d{1,2}月?\s*[-—~至到－–]\s*)?\d{1,2}月)?\s*(?:本年|当年|年初至今|年初以来)?"
                           r"(?:累计|当月|本月|单月)(?:数|值|额|发生额)?\s*(?:[,，、;；]\s*(?:单位[:：]?)?\s*"
                           + _UNITS + r")?\s*[)）]")


def unit_in_heading(heading: str) -> str | None:
    """贷款余额（万元） → 万元; 保费收入（1-9月累计，亿元） → 亿元."""
    text = norm_text(heading)
    m = _IN_HEADING.search(text)
    if m:
        return m[1] or m[2]
    m = _FLOW_BRACKET.search(text)
    return m[1] if m else None


def strip_unit(heading: str) -> str:
    """The heading without its unit, nor a bracket saying how a flow runs (（累计）, （1-9月累计，亿元）): the
    words stay for loaders.periods.flow_convention, which reads the heading as written."""
    return _IN_HEADING.sub("", _FLOW_BRACKET.sub("", norm_text(heading)))


def factor(found: str, canonical: str) -> float | None:
    """Multiplier from `found` to `canonical`, or None when they measure different things."""
    a, b = UNITS.get(found), UNITS.get(canonical)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] / b[1]


def percent_factor(cells: Iterable[tuple[float | None, bool]]) -> float:
    """What the plain numbers given for one percent indicator in one table are multiplied by to be in percent.

    `cells`: every value the table gives for the indicator, as cells.parse_number returns them
    (number, written with a % sign). A number written with % (“12.3%”) is in percent as it stands.
    The plain numbers are read together, on one scale: when every one of them lies between -1 and 1
    they are fractions (0.123 for 12.3%, as Excel stores a cell formatted as a percentage) → 100;
    otherwise they are already in percent (12.3, and then 0.5 is 0.5%) → 1.
    """
    plain = [value for value, had_percent in cells if value is not None and not had_percent]
    return 100.0 if plain and all(-1 <= v <= 1 for v in plain) else 1.0


def in_percent(value: float, had_percent: bool, plain_factor: float) -> float:
    """One cell's number in percent, given its table's `percent_factor`."""
    return value if had_percent else value * plain_factor


def unit_cell(text: object) -> str | None:
    """A 计量单位 column's cell: 万元, （亿元）, 户 → the unit; anything else None."""
    if text is None:
        return None
    s = re.sub(r"[()（）\s]|^单位[:：]?", "", norm_text(str(text)))
    return s if s in UNITS else None
