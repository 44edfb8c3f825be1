"""Small agency-shaped workbooks written in a test: the city's monthly loans table (title with the month, a
unit line, 地区 × 科技型企业贷款余额)."""

from __future__ import annotations

import io

from openpyxl import Workbook


def loans_file(month: int, values: dict[str, float], *, note: str = "", year: int = 2026) -> bytes:
    """武汉市科技型企业贷款情况表（<year>年<month>月）<note>, one row per unit named in `values` (亿元)."""
    wb = Workbook()
    ws = wb.active
    ws.append([f"武汉市科技型企业贷款情况表（{year}年{month}月）{note}"])
    ws.append(["单位：亿元"])
    ws.append(["地区", "科技型企业贷款余额"])
    for name, value in values.items():
        ws.append([name, value])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
