"""What makes a row a 合计 (a total, not a member) and how a stated total is checked against its rows (pure).

Shared by the row-by-row reader (tables.py) and the columnar reader of big registers (register_frame.py).
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from loaders import messages as msg
from loaders.cells import is_blank, norm_text, quiet_number
from loaders.names import Matcher

RECONCILE_TOLERANCE = 0.005  # a 合计 row may differ from the sum of units by 0.5% (rounding)
# The words every 合计 name of a list has, in one regex a whole column can be searched with (register_frame.py):
# only names that match are asked about with is_register_total.
TOTAL_WORDS = r"合计|总计|共计|小计|汇总|全市|全省|^共[\d０-９]"
_TOTAL_NAME = re.compile(r"^(合计|总计|共计|小计|汇总)|^共\d")  # not 共青城…基金
_COUNT_IN_TOTAL = re.compile(r"(\d+)\s*(家|户|个|只|支|项)")


def is_register_total(name: Any, matcher: Matcher) -> bool:
    """A 合计 row under a list (合计, 总计：20家, 共20只): a check on the list, not one of its members."""
    key = norm_text(name)
    return matcher.total(key)[0] or bool(_TOTAL_NAME.match(key)) or matcher.not_a_member(key) == "subtotal"


def check_register_total(row: list[Any], r: int, columns: dict[str, int], fields: dict[str, str],
                         frame: pl.DataFrame, money_factor: float, report: Any) -> None:
    """Warn where a list's 合计 row differs from its rows (`frame`): the count it names (合计：20家), its amounts."""
    c, label = next((c, v) for c, v in enumerate(row) if not is_blank(v))
    m = _COUNT_IN_TOTAL.search(norm_text(label))
    if m and int(m[1]) != frame.height:
        report("warning", r, c, label, msg.register_count_differs(int(m[1]), m[2], frame.height))
    for f, kind in fields.items():
        c = columns.get(f)
        if kind != "money" or c is None or c >= len(row):
            continue
        stated = quiet_number(row[c])
        if stated is None:
            continue
        stated *= money_factor
        summed = float(frame[f].fill_null(0.0).sum())
        if abs(stated - summed) > RECONCILE_TOLERANCE * max(abs(stated), 1e-9):
            report("warning", r, c, row[c], msg.register_sum_differs(stated, summed))
