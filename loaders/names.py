"""Headings and region names as agencies spell them, matched to the registries' codes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.model import Registry
from loaders.cells import norm_text
from loaders.problems import closest
from loaders.units import strip_unit

_QUOTES = re.compile(r"[\"'“”‘’「」『』〝〞]")
# A period written in front of a heading: 2026年10月末科技贷款余额, 本月末…, 期末…
_PERIOD_PREFIX = re.compile(r"^((20\d{2}年)?(\d{1,2}月)?(末|底)?|本月末?|期末|截至\S*?末)")

# Labels of a row that is the whole file's total, and the role (Registry.city / .province) of the region
# they name when no unit does. "<the city's or province's name>合计" (武汉市合计, 湖北省合计) names it too.
TOTAL_LABELS: dict[str, str | None] = {"合计": None, "总计": None, "总计合计": None, "全市": "city", "全市合计": "city",
                                       "全省": "province", "全省合计": "province"}
NOTE_PREFIXES = ("注", "说明", "数据来源", "资料来源", "备注", "填报人", "填表人", "制表", "审核", "联系人", "联系电话",
                 "填报单位", "报送单位", "负责人", "填报日期")
AGENCY_PREFIXES = ("数据来源", "资料来源", "填报单位", "报送单位")
# Lines that carry a date which is not the reporting period (the day the form was filled in).
NOT_PERIOD_PREFIXES = ("填报日期", "报送日期", "制表日期", "填表日期", "日期")
# Columns that number rows; never an indicator, never worth a warning.
ROW_NUMBER_HEADINGS = ("序号", "编号", "行次", "No", "No.")


def heading_key(text: object) -> str:
    """A heading reduced to what identifies it: no spaces, quotes, unit or leading period."""
    key = _QUOTES.sub("", strip_unit(norm_text(text)))
    return key


@dataclass
class Matcher:
    registry: Registry
    _indicators: dict[str, str] = field(default_factory=dict)
    _regions: dict[str, str] = field(default_factory=dict)
    _register_fields: dict[str, dict[str, str]] = field(default_factory=dict)
    _totals: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        roles = {"city": self.registry.city, "province": self.registry.province}
        self._totals = {label: roles[role] if role else None for label, role in TOTAL_LABELS.items()}
        for code in roles.values():
            self._totals[norm_text(f"{self.registry.regions[code].name}合计")] = code
        for ind in self.registry.indicators.values():
            for alias in (ind.name_zh, *ind.aliases):
                self._indicators[heading_key(alias)] = ind.code
        for reg in self.registry.regions.values():
            for name in (reg.name, reg.short, *reg.aliases):
                self._regions.setdefault(norm_text(name), reg.code)
        for spec in self.registry.registers.values():
            self._register_fields[spec.table] = {heading_key(a): f for f, aliases in spec.columns.items()
                                                 for a in aliases}

    def indicator(self, heading: object) -> str | None:
        key = heading_key(heading)
        if not key:
            return None
        if key in self._indicators:
            return self._indicators[key]
        stripped = _PERIOD_PREFIX.sub("", key)
        return self._indicators.get(stripped) if stripped else None

    def indicator_in_text(self, text: object) -> str | None:
        """The indicator a title names (武汉市各区科技型企业贷款余额（亿元）): the longest alias it contains."""
        key = heading_key(text)
        best = max((alias for alias in self._indicators if len(alias) >= 4 and alias in key), key=len, default=None)
        return self._indicators[best] if best else None

    def region(self, name: object) -> str | None:
        return self._regions.get(norm_text(name))

    def unit_region(self, name: object) -> str | None:
        """A register's 所在区: a district reported by another unit counts there (汉南区 → 武汉经开区)."""
        code = self.region(name)
        return None if code is None else (self.registry.regions[code].reported_by or code)

    def suggest_region(self, name: object, scope: str | None = None) -> str | None:
        """The standard name nearest to a misspelt one (by any of its spellings: 光古 → 东湖高新区 by 光谷)."""
        spellings = {norm_text(s): r.name for r in self.registry.regions.values() if scope is None or r.parent == scope
                     for s in (r.name, r.short, *r.aliases)}
        return closest(norm_text(name), spellings)

    def suggest_unit(self, name: object) -> str | None:
        """The city's reporting unit nearest to a misspelt register 所在区."""
        return self.suggest_region(name, self.registry.city)

    def register_field(self, table: str, heading: object) -> str | None:
        return self._register_fields[table].get(heading_key(heading))

    def total(self, label: object) -> tuple[bool, str | None]:
        """(is a total row or column, the region it names if it names one: 全市 → the city)."""
        key = norm_text(label)
        if key in self._totals:
            return True, self._totals[key]
        return False, None


def is_note(text: object) -> bool:
    key = norm_text(text)
    # A numbered line (1.…, 2、…, （3）…, 一、…) followed by words; "1.5" or a lone "1、" is not one.
    return key.startswith(NOTE_PREFIXES) or bool(re.match(r"^(\d+[.、]|\(\d+\)|[一二三四五六七八九十]+、)\D", key))


def agency_in(text: object) -> str | None:
    """数据来源：人行武汉分行营管部 → 人行武汉分行营管部."""
    key = norm_text(text)
    for prefix in AGENCY_PREFIXES:
        if key.startswith(prefix):
            rest = key[len(prefix):].lstrip(":：")
            return rest.split("；")[0].split(";")[0].rstrip("。") or None
    return None
