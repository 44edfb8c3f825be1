"""What the reader asks instead of guessing (issue 10 item 3): a heading, a name or a period it is not sure of.

Pure. A question names its cell and what was written there, what kind of answer it wants (domain/mappings.KINDS:
an indicator, a region, a month, a register field) and the reader's ranked suggestions; the analyst's answer is
remembered by `key`, the reader's normalised text (loaders/names: the same heading spelt with other quotes,
brackets or spaces is one question), and found again through loaders/names.Matcher. 不导入此列/此行 is always an
answer (domain/mappings.IGNORE), never listed as a suggestion. A column or row whose question is unanswered
gives no value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Suggestion:
    code: str  # an indicator code, a region code, YYYY-MM or a register field
    label: str  # as the analyst reads it (the indicator's or region's name, 2026年10月)
    score: float  # 0–100, the higher the likelier

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "score": round(self.score, 1)}


@dataclass(frozen=True)
class Question:
    kind: str  # domain/mappings.KINDS: indicator | region | period | register_field
    sheet: str
    cell: str  # A1, or "" when it is about the sheet (a period found nowhere)
    value: str  # the text as written
    key: str  # what the answer is remembered by
    suggestions: tuple[Suggestion, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "cell": self.cell, "value": self.value, "kind": self.kind,
                "suggestions": [s.as_json() for s in self.suggestions]}

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet
