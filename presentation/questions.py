"""The reader's open questions (loaders/questions.py) as a table the analyst reads: where, what was written,
what kind of answer is wanted and the suggestions, best first. Pure; the upload page shows it, and the page that
answers the questions builds on it."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from domain.mappings import KINDS
from domain.model import Registry
from loaders.questions import Question

COLUMNS = ("工作表", "单元格", "原文", "类型", "建议")
IGNORE_CHOICE = {"indicator": "不导入此列", "region": "不导入此行", "period": "不导入此表", "register_field": "不导入此列"}
NEEDS_ANSWERS = ("？", "有待确认的标题或名称，确认前不能导入")  # (mark, label) beside INGEST_STATUS's


def suggestion_text(question: Question, registry: Registry | None = None) -> str:
    """The suggestions, best first (a region's or indicator's name as the registry writes it)."""
    names = []
    for s in question.suggestions:
        label = s.label
        if registry is not None and question.kind == "indicator" and s.code in registry.indicators:
            label = registry.indicators[s.code].name_zh
        elif registry is not None and question.kind == "region" and s.code in registry.regions:
            label = registry.regions[s.code].name
        names.append(label)
    return "、".join(names) if names else "（无相近项）"


def question_rows(questions: Iterable[Question], registry: Registry | None = None) -> pl.DataFrame:
    """One row a question: 工作表, 单元格 (blank for the whole sheet), 原文, 类型 (指标/地区/月份/名录字段), 建议."""
    rows = [{"工作表": q.sheet, "单元格": q.cell, "原文": q.value, "类型": KINDS.get(q.kind, q.kind),
             "建议": suggestion_text(q, registry)} for q in questions]
    return pl.DataFrame(rows, schema=dict.fromkeys(COLUMNS, pl.String))
