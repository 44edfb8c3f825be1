"""Learned mappings (store/mappings.mapping_table) as the 标题与名称对应 page shows them: Chinese headings, each
answer named as the analyst chose it (the indicator's name, the region's name, the month, 不导入)."""

from __future__ import annotations

import polars as pl

from domain.mappings import IGNORE, KINDS
from domain.model import Registry
from domain.months import month_label, parse_month_key

ANY_AGENCY = "所有单位"
ALL = "全部"  # the filters' choice of no filter
HEADINGS = ("编号", "类型", "文件中的写法", "对应为", "适用单位", "确认人", "确认时间", "出自文件", "单元格")


def answer_label(kind: str, target: str, registry: Registry) -> str:
    """What an answer means, in words: 科技型企业贷款余额 / 东湖高新区 / 2026年10月 / 不导入 (the code itself when
    the registry no longer knows it, so a stale answer is visible rather than hidden)."""
    if target == IGNORE:
        return "不导入"
    if kind == "indicator" and target in registry.indicators:
        return registry.indicators[target].name_zh
    if kind == "region" and target in registry.regions:
        return registry.regions[target].name
    if kind == "period":
        try:
            return month_label(parse_month_key(target))
        except ValueError:
            return target
    return target


def mapping_rows(table: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """One row per active answer, newest first, with the HEADINGS."""
    rows = [{"编号": r["id"], "类型": KINDS.get(r["kind"], r["kind"]), "文件中的写法": r["text"],
             "对应为": answer_label(r["kind"], r["target"], registry), "适用单位": r["agency"] or ANY_AGENCY,
             "确认人": r["created_by"], "确认时间": f"{r['created_at']:%Y-%m-%d %H:%M}",
             "出自文件": r["file_name"] or "", "单元格": r["cell"] or ""} for r in table.iter_rows(named=True)]
    return pl.DataFrame(rows, schema={h: (pl.Int64 if h == "编号" else pl.String) for h in HEADINGS})


def mapping_choice(row: dict) -> str:
    """How one answer is named in the removal picker: 3 · 指标「科技贷款（含票据）」→ 科技型企业贷款余额（人行湖北省分行）."""
    return f"{row['编号']} · {row['类型']}「{row['文件中的写法']}」→ {row['对应为']}（{row['适用单位']}）"


def filtered(rows: pl.DataFrame, *, kind: str = ALL, agency: str = ALL) -> pl.DataFrame:
    """mapping_rows limited to one 类型 and one 适用单位 (ALL: not limited)."""
    if kind != ALL:
        rows = rows.filter(pl.col("类型") == kind)
    if agency != ALL:
        rows = rows.filter(pl.col("适用单位") == agency)
    return rows
