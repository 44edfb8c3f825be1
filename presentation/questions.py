"""The reader's open questions (loaders/questions.py) as a table the analyst reads: where, what was written,
what kind of answer is wanted and the suggestions, best first. Pure; the upload page shows it, and the page that
answers the questions builds on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from domain.mappings import IGNORE, KINDS
from domain.model import Registry
from domain.months import add_months, month_key, month_label
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


OTHER_MONTHS = 24  # a period question also offers the months before the suggestions', this far back


def answer_choices(question: Question, registry: Registry, *, today_month: dt.date) -> dict[str, str]:
    """Every answer the analyst may pick, code → words, in order: the reader's suggestions (best first), then
    不导入此列/此行, then every other indicator / region / recent month (a suggestion is never listed twice)."""
    out: dict[str, str] = {}
    for s in question.suggestions:
        out[s.code] = _answer_words(question.kind, s.code, s.label, registry)
    out[IGNORE] = IGNORE_CHOICE[question.kind]
    if question.kind == "indicator":
        others = {code: ind.name_zh for code, ind in registry.indicators.items()}
    elif question.kind == "region":
        others = {code: r.name for code, r in registry.regions.items()}
    elif question.kind == "period":
        months = [add_months(today_month, -k) for k in range(OTHER_MONTHS)]
        others = {month_key(m): month_label(m) for m in months}
    else:
        others = {}
    for code, words in others.items():
        out.setdefault(code, words)
    return out


def _answer_words(kind: str, code: str, label: str, registry: Registry) -> str:
    if kind == "indicator" and code in registry.indicators:
        return registry.indicators[code].name_zh
    if kind == "region" and code in registry.regions:
        return registry.regions[code].name
    return label


def question_text(question: Question) -> str:
    """「科技贷款（含票据）」（表1!D4）是哪个指标？ — the prompt above the answer's picker (the text made inert for
    Markdown by the page: it comes from the file)."""
    where = f"（{question.where}）" if question.cell else f"（工作表「{question.sheet}」）"
    if question.kind == "period":
        return f"「{question.value}」{where}：这份报表是哪个月的？" if question.value else f"{where}：这份报表是哪个月的？"
    return f"「{question.value}」{where}是哪个{KINDS[question.kind]}？"


def answered_text(question: Question, answer_words: str, ignored: bool) -> str:
    """已记住：「江岸去」对应地区「江岸区」 (or 「备注」不导入此列), said once after the analyst picks an answer."""
    what = f"「{question.value}」" if question.value else f"工作表「{question.sheet}」的报告期"
    return f"已记住：{what}" + (IGNORE_CHOICE[question.kind] if ignored else f"对应{KINDS[question.kind]}「{answer_words}」")
