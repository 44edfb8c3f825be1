"""Learned mappings: an analyst's answer to a question the reader asked about a file (which indicator a heading
means, which region a name is, which month a period label is, or 不导入), remembered so that the next file from
the same agency goes in without the question. Pure: the store keeps them (store/mappings.py), the reader
consults them (loaders/names.Matcher).

A mapping is found by its kind and the normalised text (`key`, made by the reader, so that 「金种子」企业数 and
“金种子”企业数 are one answer); an answer given for one agency is used for that agency's files first, an answer
given without an agency for every file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# What a question is about; each kind's answer is a code of its registry ("" for 不导入).
KINDS = {"indicator": "指标", "region": "地区", "period": "月份", "register_field": "名录字段"}
IGNORE = ""  # the answer 不导入此列/此行: the heading or name is read as not data, without a question


@dataclass(frozen=True)
class Mapping:
    id: int
    kind: str  # KINDS
    agency: str  # the reporting agency the answer was given for; "" = any agency
    text: str  # as the file wrote it
    key: str  # the reader's normalised text: what is looked up
    target: str  # indicator code, region code, YYYY-MM or register field; IGNORE
    created_by: str
    created_at: dt.datetime
    file_name: str | None = None  # where the question was asked
    cell: str | None = None  # sheet!cell

    @property
    def ignored(self) -> bool:
        return self.target == IGNORE


@dataclass(frozen=True)
class Mappings:
    """The active answers; `find` prefers the file's agency's own answer to one given for any agency."""

    items: tuple[Mapping, ...] = ()

    def find(self, kind: str, key: str, agency: str | None = None) -> Mapping | None:
        own = generic = None
        for m in self.items:
            if m.kind == kind and m.key == key:
                if agency and m.agency == agency:
                    own = m
                elif not m.agency:
                    generic = m
        return own or generic

    def of_kind(self, kind: str) -> list[Mapping]:
        return [m for m in self.items if m.kind == kind]


NONE = Mappings()
