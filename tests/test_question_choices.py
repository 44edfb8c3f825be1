"""What the upload page offers for a question (presentation/questions.py): the reader's suggestions first, then
不导入, then every other choice once; the sentences said before and after the answer."""

from __future__ import annotations

import datetime as dt

from domain.mappings import IGNORE
from loaders.questions import Question, Suggestion
from presentation.questions import answer_choices, answered_text, question_text

OCT = dt.date(2026, 10, 31)


def test_a_region_question_offers_its_suggestions_then_ignore_then_every_region_once(registry):
    q = Question("region", "表1", "A4", "江岸去", "江岸去", (Suggestion("420102", "江岸区", 90.0),
                                                           Suggestion("420103", "江汉区", 60.0)))
    choices = answer_choices(q, registry, today_month=OCT)
    codes = list(choices)
    assert codes[:3] == ["420102", "420103", IGNORE]
    assert choices[IGNORE] == "不导入此行" and choices["420102"] == "江岸区"
    assert set(codes[3:]) == set(registry.regions) - {"420102", "420103"}  # each region once
    assert question_text(q) == "「江岸去」（表1!A4）是哪个地区？"
    assert answered_text(q, "江岸区", False) == "已记住：「江岸去」对应地区「江岸区」"
    assert answered_text(q, "", True) == "已记住：「江岸去」不导入此行"


def test_an_indicator_question_names_indicators_as_the_registry_does(registry):
    q = Question("indicator", "表1", "C3", "科技贷款（含票据）", "科技贷款含票据",
                 (Suggestion("tech_loan_balance", "tech", 80.0),))
    choices = answer_choices(q, registry, today_month=OCT)
    assert list(choices)[:2] == ["tech_loan_balance", IGNORE]
    assert choices["tech_loan_balance"] == registry.indicators["tech_loan_balance"].name_zh
    assert choices[IGNORE] == "不导入此列" and len(choices) == len(registry.indicators) + 1


def test_a_period_question_offers_the_last_two_years_latest_first():
    q = Question("period", "表1", "", "", "sha:period", (Suggestion("2026-09", "2026年9月", 50.0),))
    choices = answer_choices(q, None, today_month=OCT)  # type: ignore[arg-type]  (periods need no registry)
    codes = list(choices)
    assert codes[0] == "2026-09" and codes[1] == IGNORE and codes[2] == "2026-10"
    assert codes[-1] == "2024-11" and len(codes) == 2 + 23  # 24 months back from October, September said once
    assert question_text(q) == "（工作表「表1」）：这份报表是哪个月的？"
    assert answered_text(q, "2026年9月", False) == "已记住：工作表「表1」的报告期对应月份「2026年9月」"
