"""Big register sheets go through a columnar reader (loaders/register_frame.py): same rows, counts and
problems as the row-by-row reader, cell for cell."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

from loaders import workbook
from loaders.ingest import parse_upload

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def messy_register() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "名录"
    ws["C2"] = "武汉市“金种子”“银种子”企业名录（截至2026年10月末）"  # the table does not start at A1
    ws.append([None, None, "序号", "企业名称", "类别", "梯队层级", "所在区", "入库日期"])
    ws.append([None, None, 1, "武汉甲科技有限公司", "金种子", "冲刺层", "光谷", dt.datetime(2025, 3, 1)])
    ws.append([None, None, 2, "武汉乙科技有限公司", "银种子", "孵化层", "江岸去", "2025年4月1日"])
    ws.append([None, None, 3, "武汉丙科技有限公司", "银种子", "加速层", None, "不详"])
    ws.append([None, None, 4, "武汉甲科技有限公司", "金种子", "冲刺层", "汉阳", "2025.5"])
    ws.append([None, None, 5, None, "银种子", None, "江汉区", None])
    ws.append([None, None, "注：梯队层级分为孵化层、加速层、冲刺层。"])
    ws.append([None, None, "填报人：张三", None, "填报单位：市委金融办"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def funds_in_wan_yuan() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["武汉市股权投资基金名录（2026年10月）"])
    ws.append(["序号", "基金名称", "基金类型", "注册地", "认缴规模（万元）", "备案日期"])
    ws.append([1, "甲基金", "天使基金", "江岸区", "12,345", dt.datetime(2024, 1, 1)])
    ws.append([2, "乙基金", "产业基金", "江岸区", 50000, dt.datetime(2024, 2, 1)])
    ws.append([3, "丙基金", "种子基金", "洪山区", "约一亿", dt.datetime(2024, 3, 1)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CASES = {
    "seed_fixture": lambda: (FIXTURES / "seed_firms_202610.xlsx").read_bytes(),
    "funds_fixture": lambda: (FIXTURES / "funds_202610.xlsx").read_bytes(),
    "messy_register": messy_register,
    "funds_in_wan_yuan": funds_in_wan_yuan,
}


def both_paths(content: bytes, registry, monkeypatch):
    slow = parse_upload(content, "名录.xlsx", registry)
    monkeypatch.setattr(workbook, "BIG_SHEET_XML_BYTES", 0)  # every sheet counts as big
    fast = parse_upload(content, "名录.xlsx", registry)
    return slow, fast


def key(problem):
    return (problem.severity, problem.sheet, problem.cell, problem.value, problem.message)


@pytest.mark.parametrize("case", list(CASES))
def test_columnar_reader_matches_the_row_reader(case, registry, monkeypatch):
    slow, fast = both_paths(CASES[case](), registry, monkeypatch)
    assert sorted(map(key, fast.problems)) == sorted(map(key, slow.problems))
    assert fast.ok == slow.ok
    if not slow.ok:
        return
    sort = ["indicator_code", "region_code"]
    assert fast.observations.sort(sort).equals(slow.observations.sort(sort))
    for table, frame in slow.registers.items():
        assert fast.registers[table].sort("row_no").equals(frame.sort("row_no")), table
    assert fast.agency == slow.agency and fast.period == slow.period


def test_messy_register_problems_point_at_their_cells(registry, monkeypatch):
    _, fast = both_paths(messy_register(), registry, monkeypatch)
    by_cell = {p.cell: p for p in fast.problems}
    # title in C2, header in row 3, firms from row 4
    [q] = fast.questions  # the unknown 所在区 is asked at its cell, 江岸区 suggested first
    assert (q.kind, q.cell, q.suggestions[0].code) == ("region", "G5", "420102")
    assert by_cell["G6"].severity == "warning" and "未填写所在区" in by_cell["G6"].message
    assert by_cell["H6"].severity == "warning" and "日期无法识别" in by_cell["H6"].message
    assert "与第4行重复" in by_cell["D7"].message
    assert by_cell["D8"].severity == "error" and "未填写名称" in by_cell["D8"].message


def test_wan_yuan_sizes_are_converted_and_text_amounts_refused(registry, monkeypatch):
    _, fast = both_paths(funds_in_wan_yuan(), registry, monkeypatch)
    assert [(p.cell, p.value) for p in fast.errors] == [("E5", "约一亿")]


def test_big_sheet_path_really_used(registry, monkeypatch):
    monkeypatch.setattr(workbook, "BIG_SHEET_XML_BYTES", 0)
    sheets = workbook.read_sheets(messy_register(), "名录.xlsx")
    assert sheets[0].frame is not None and (sheets[0].row_offset, sheets[0].col_offset) == (1, 2)
    assert isinstance(sheets[0].frame, pl.DataFrame)


def test_unsaved_formulas_are_refused_on_the_big_sheet_path_too(registry, monkeypatch):
    wb = Workbook()
    ws = wb.active
    ws.append(["武汉市股权投资基金名录（2026年10月）"])
    ws.append(["序号", "基金名称", "基金类型", "注册地", "认缴规模（亿元）"])
    ws.append([1, "甲基金", "天使基金", "江岸区", 10])
    ws.append([2, "乙基金", "产业基金", "江岸区", "=E3*2"])
    buf = io.BytesIO()
    wb.save(buf)
    monkeypatch.setattr(workbook, "BIG_SHEET_XML_BYTES", 0)  # read in the columnar path, scanned alongside
    out = parse_upload(buf.getvalue(), "名录.xlsx", registry)
    assert not out.ok and "E4" in out.errors[0].message and "公式" in out.errors[0].message
