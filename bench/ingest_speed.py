"""Seconds to ingest a 200,000-row register workbook, against a bare `pl.read_excel` of it.

    .venv/bin/python bench/ingest_speed.py [--rows 200000]

Prints the two timings and, on its last line, `ratio X.XX` (full ingest / bare read). The full
ingest is what an upload does: read, find the table, map names, check, count by district, and
commit to a fresh DuckDB file in one transaction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polars as pl
from openpyxl import Workbook

from bench._common import finish
from domain.registry import default_registry
from loaders.ingest import ingest
from store import Store

UNITS = ["江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区", "蔡甸区", "江夏区", "黄陂区",
         "新洲区", "东湖高新区", "武汉经开区", "长江新区", "东湖风景区"]


def build(path: Path, rows: int) -> None:
    rng = random.Random(7)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名录")
    ws.append(["武汉市股权投资基金名录（截至2026年10月末）"])
    ws.append(["序号", "基金名称", "基金类型", "基金管理人", "注册地", "认缴规模（亿元）", "备案日期"])
    types = ["种子基金", "天使基金", "创业投资基金", "产业基金", "并购基金"]
    for i in range(1, rows + 1):
        ws.append([i, f"武汉测试第{i}号股权投资基金合伙企业（有限合伙）", types[i % 5], f"管理人{i % 97}",
                   UNITS[i % 16], round(rng.uniform(0.1, 50), 2), dt.datetime(2020 + i % 6, 1 + i % 12, 1 + i % 28)])
    ws.append(["数据来源：市财政局"])
    wb.save(path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=200_000)
    args = ap.parse_args()
    registry = default_registry()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "202610_基金名录.xlsx"
        t = time.perf_counter()
        build(path, args.rows)
        print(f"built {args.rows:,}-row register workbook in {time.perf_counter() - t:.1f} s "
              f"({path.stat().st_size / 1048576:.1f} MB)")
        t = time.perf_counter()
        frame = pl.read_excel(path)
        bare = time.perf_counter() - t
        t = time.perf_counter()
        report = ingest(Store(Path(tmp) / "bench.duckdb"), path.read_bytes(), path.name, registry, uploader="bench")
        full = time.perf_counter() - t
        assert report.status == "ok", report.outcome.errors[:3]
        assert report.outcome.registers["funds"].height == args.rows
    return finish([f"bare pl.read_excel: {bare:.2f} s ({frame.height:,} rows)",
                   f"full ingest (read, validate, commit): {full:.2f} s"], full / bare)


if __name__ == "__main__":
    sys.exit(main())
