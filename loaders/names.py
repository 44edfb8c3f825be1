"""Headings and region names as agencies spell them, matched to the registries' codes."""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from domain.mappings import NONE, Mapping, Mappings
from domain.model import Registry
from domain.months import parse_month_key
from loaders.cells import is_blank, norm_text
from loaders.problems import closest
from loaders.questions import MAX_SUGGESTIONS
from loaders.units import strip_unit

_QUOTES = re.compile(r"[\"'“”‘’「」『』〝〞〈〉《》]")
# A period written in front of a heading: 2026年10月末科技贷款余额, 本月末…, 期末…
_PERIOD_PREFIX = re.compile(r"^((20\d{2}年)?(\d{1,2}月)?(末|底)?|本月末?|期末|截至\S*?末)")
# Numbering in front of a heading or label: 1. 1、 (1) (一) 一、 ①; and 其中: before a part of a column.
# (① is 1 after NFKC: a number right before a word other than 年/月/日 is numbering.)
_NUMBERING = re.compile(r"^(\d+(\.\d+)*[.、]|\(\d+\)|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、"
                        r"|\d{1,2}(?=[\u4e00-\u9fff])(?![年月日]))")
_OF_WHICH = re.compile(r"^其中[:：]?")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")

# Labels of a row that is the whole file's total, and the role (Registry.city / .province) of the region
# they name when no unit does. "<the city's or province's name>合计" (武汉市合计, 湖北省合计) names it too.
TOTAL_LABELS: dict[str, str | None] = {"合计": None, "总计": None, "总计合计": None, "全市": "city", "全市合计": "city",
                                       "全市总计": "city", "全省": "province", "全省合计": "province",
                                       "全省总计": "province"}
NOTE_PREFIXES = ("注", "说明", "数据来源", "资料来源", "备注", "填报人", "填表人", "制表", "审核", "联系人", "联系电话",
                 "填报单位", "报送单位", "负责人", "填报日期")
AGENCY_PREFIXES = ("数据来源", "资料来源", "填报单位", "报送单位")
# Lines that carry a date which is not the reporting period (the day the form was filled in).
NOT_PERIOD_PREFIXES = ("填报日期", "报送日期", "制表日期", "填表日期", "日期")
# Columns that number rows; never an indicator, never worth a warning.
ROW_NUMBER_HEADINGS = ("序号", "编号", "行次", "No", "No.")
# A sub-column that is its group's whole figure (科技型企业贷款余额 over 总数 | 其中：…).
GROUP_TOTAL_HEADINGS = ("总数", "总计", "合计", "小计", "合计数", "总额", "总量", "全部", "数量", "金额")
# The row under a header that names the columns (栏次 | A | B | C=A+B), never a member.
COLUMN_KEY_LABELS = ("栏次", "甲", "乙", "丙", "行次", "列次", "指标代码")
_COLUMN_KEY = re.compile(r"^([A-Z甲乙丙丁戊]|\d{1,2})([=＝][A-Z\d+\-*/×÷()（）]+)?$")
# Rows of a table that are no member of it: the level's own figure (市本级), a subtotal (县区合计, 小计).
_OWN_LEVEL = re.compile(r"^.{0,8}本级$")
_SUBTOTAL = re.compile(r"(合计|小计|总计|汇总)$")
# Words in brackets after a region that only say what it manages or includes: 武汉经开区（托管汉南区）.
_MANAGED_WORDS = re.compile(r"托管|代管|管辖|含|包括|原|辖")
# 江岸区* or 江岸区① (NFKC: 江岸区1): a mark pointing to a note under the table; no region's name ends so.
_FOOTNOTE = re.compile(r"[*※#△▲\d]+$")
_BRACKETED = re.compile(r"\([^()]*\)")

# Fuzzy matching of headings (rapidfuzz ratio, 0–100): used from ACCEPT up when the next indicator is at
# least MARGIN behind; from SUGGEST up the heading is a question (a warning with the nearest names).
ACCEPT, MARGIN, SUGGEST = 88.0, 8.0, 70.0
GUESS_CACHE = 20_000  # headings remembered per matcher
REGISTER_NEAR = 75.0  # a register heading this near a missing field's name is asked about


def heading_key(text: object) -> str:
    """A heading reduced to what identifies it: NFKC, no spaces or line breaks, no quotes, unit, numbering,
    其中 or leading period; 户数 read as 家数 (one unit for a count of firms)."""
    key = _QUOTES.sub("", strip_unit(norm_text(text)))
    key = key.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    key = _EMPTY_BRACKETS.sub("", key)
    for _ in range(2):
        key = _OF_WHICH.sub("", _NUMBERING.sub("", key))
    return key.replace("户数", "家数")


def indicator_key(text: object) -> str:
    """What an answer about a heading is remembered by: its heading_key without a period in front, so that
    2026年10月末科技贷款 and next month's 2026年11月末科技贷款 are one question."""
    key = heading_key(text)
    return _PERIOD_PREFIX.sub("", key) or key


def region_key(text: object) -> str:
    """A row or region name reduced to what identifies it (NFKC, no spaces, no numbering or footnote mark):
    what region() looks up and what an answer about a name is remembered by."""
    return _NUMBERING.sub("", _FOOTNOTE.sub("", norm_text(text).replace("（", "(").replace("）", ")")))


def _words_ok(key: str, requires: tuple[str, ...], forbids: tuple[str, ...]) -> bool:
    """Every required word (a|b: either) is in the heading, and no forbidden one."""
    return (all(any(w in key for w in word.split("|")) for word in requires)
            and not any(w in key for w in forbids))


@dataclass(frozen=True)
class Guess:
    """What a heading names: `code` when certain; else the nearest indicators (codes), best first, if any."""

    code: str | None
    suggestions: tuple[str, ...] = ()
    scores: tuple[float, ...] = field(default=(), compare=False)  # of the suggestions, 0–100
    ignored: bool = False  # answered 不导入: not data, without a word


@dataclass
class Matcher:
    """Headings and names → codes, with the analysts' remembered answers (`mappings`) for the file's `agency`
    (its own answers first, then those given for any agency); `file_key` names the file being read, for answers
    that hold for one file only (its period). Build one per registry (costly) and `with_answers` per file."""

    registry: Registry
    mappings: Mappings = NONE
    agency: str | None = None
    file_key: str = ""
    _indicators: dict[str, str] = field(default_factory=dict)
    _regions: dict[str, str] = field(default_factory=dict)
    _register_fields: dict[str, dict[str, str]] = field(default_factory=dict)
    _addresses: dict[str, set[str]] = field(default_factory=dict)
    _totals: dict[str, str | None] = field(default_factory=dict)
    _guesses: dict[str, Guess] = field(default_factory=dict)
    _answers: dict[tuple[str, str], Mapping] = field(default_factory=dict)

    def __post_init__(self) -> None:
        roles = {"city": self.registry.city, "province": self.registry.province}
        self._totals = {label: roles[role] if role else None for label, role in TOTAL_LABELS.items()}
        for code in roles.values():
            for word in ("合计", "总计"):
                self._totals[norm_text(f"{self.registry.regions[code].name}{word}")] = code
        for ind in self.registry.indicators.values():
            for alias in (ind.name_zh, *ind.aliases):
                self._indicators[heading_key(alias)] = ind.code
        for reg in self.registry.regions.values():
            for name in (reg.name, reg.short, *reg.aliases):
                self._regions.setdefault(norm_text(name), reg.code)
        for spec in self.registry.registers.values():
            self._register_fields[spec.table] = {heading_key(a): f for f, aliases in spec.columns.items()
                                                 for a in aliases}
            self._addresses[spec.table] = {heading_key(a) for a in spec.address}
        self._alias_keys = list(self._indicators)
        self._region_spellings = {norm_text(s): r.code for r in self.registry.regions.values()
                                  for s in (r.name, r.short, *r.aliases)}
        self._index_answers()

    def with_answers(self, mappings: Mappings, agency: str | None = None, file_key: str = "") -> Matcher:
        """This matcher (its tables and memory of headings shared) reading with `mappings` for `agency`."""
        view = copy.copy(self)
        view.mappings, view.agency, view.file_key = mappings, agency or None, file_key
        view._index_answers()
        return view

    def _index_answers(self) -> None:
        # Looked up per cell: the answers that hold here, the agency's own over the general ones (Mappings.find).
        items = self.mappings.items
        self._answers = {(m.kind, m.key): m for m in items if not m.agency}
        self._answers |= {(m.kind, m.key): m for m in items if self.agency and m.agency == self.agency}

    def answer(self, kind: str, key: str) -> Mapping | None:
        """The remembered answer to a question, if any (an answer naming a code no longer registered is none)."""
        if not self._answers or not key:
            return None
        m = self._answers.get((kind, key))
        if m is None or m.ignored:
            return m
        known = {"indicator": self.registry.indicators, "region": self.registry.regions}.get(kind)
        return m if known is None or m.target in known else None

    # -- indicators --------------------------------------------------------------------------------------

    def indicator(self, heading: object) -> str | None:
        """The indicator a heading names, when that is certain."""
        return self.indicator_guess(heading).code

    def indicator_guess(self, heading: object) -> Guess:
        """Exactly a name or alias (after heading_key), or close to one of only one indicator whose required
        words it has and forbidden words it lacks; else the nearest candidates, for a question."""
        key = heading_key(heading)
        answered = self.answer("indicator", _PERIOD_PREFIX.sub("", key) or key)
        if answered is not None:
            return Guess(answered.target or None, ignored=answered.ignored)
        if key not in self._guesses:
            if len(self._guesses) >= GUESS_CACHE:  # the matcher lives as long as the app: keep it bounded
                self._guesses.clear()
            self._guesses[key] = self._guess(key)
        return self._guesses[key]

    def _guess(self, key: str) -> Guess:
        if not key:
            return Guess(None)
        stripped = _PERIOD_PREFIX.sub("", key)
        for k in (key, stripped):
            if k in self._indicators:
                return Guess(self._indicators[k])
        if not stripped:
            return Guess(None)
        inds = self.registry.indicators
        best: dict[str, float] = {}  # the indicators a heading may be, by their closest alias
        for alias, score, _ in process.extract(stripped, self._alias_keys, scorer=fuzz.ratio, limit=None,
                                               score_cutoff=SUGGEST):
            code = self._indicators[alias]
            if _words_ok(stripped, (), inds[code].forbids):
                best[code] = max(best.get(code, 0.0), score)
        ranked = sorted(best, key=lambda c: -best[c])
        if not ranked:
            return Guess(None)
        top, first = best[ranked[0]], ranked[0]
        runner_up = best[ranked[1]] if len(ranked) > 1 else 0.0
        # A heading lacking a required word (科技型企业贷款 without 余额) is only ever a question.
        if top >= ACCEPT and top - runner_up >= MARGIN and _words_ok(stripped, inds[first].requires, ()):
            return Guess(first)
        top_ranked = ranked[:MAX_SUGGESTIONS]
        return Guess(None, tuple(top_ranked), tuple(best[c] for c in top_ranked))

    def indicator_exact(self, heading: object) -> str | None:
        """Only a name or alias as written (after heading_key): for a part of a column, never a guess."""
        key = heading_key(heading)
        return self._indicators.get(key) or self._indicators.get(_PERIOD_PREFIX.sub("", key))

    def indicator_in_context(self, sub: object, parent: object) -> str | None:
        """A 其中 sub-column read under its group: 其中：科技型中小企业 under 科技型企业贷款余额 is
        科技型中小企业贷款余额 (the part's subject with the parent's measure). Exact names only."""
        s, p = heading_key(sub), heading_key(parent)
        if not s:
            return None
        for k in range(len(p) + 1):
            code = self.indicator_exact(s + p[k:])
            if code:
                return code
        return None

    def indicator_in_text(self, text: object) -> str | None:
        """The indicator a title names (武汉市各区科技型企业贷款余额（亿元）): the longest alias it contains."""
        key = heading_key(text)
        best = max((alias for alias in self._indicators if len(alias) >= 4 and alias in key), key=len, default=None)
        return self._indicators[best] if best else None

    # -- regions -----------------------------------------------------------------------------------------

    def region(self, name: object) -> str | None:
        """A region as agencies write it: any registered spelling (full, short, with or without 市/区/州: the
        aliases), with or without 湖北省/武汉市 in front; 武汉经开区（汉南区）, 东湖高新区（光谷）, 经开区（托管汉南区） name the outer
        region, unless the bracket names an unrelated region (then nothing: a question, not a guess)."""
        key = region_key(name)
        if not key:
            return None
        answered = self.answer("region", key)
        if answered is not None:
            return answered.target or None
        code = self._plain_region(key)
        if code is not None:
            return code
        m = re.fullmatch(r"([^()]+)\(([^()]*)\)", key)
        if not m:
            return None
        outer = self._plain_region(m[1])
        if outer is None:
            return None
        inner_text = _MANAGED_WORDS.sub("", m[2])
        inner = self._plain_region(inner_text) if inner_text else None
        if inner is None or self._related(outer, inner):
            return outer
        return None

    def _plain_region(self, key: str) -> str | None:
        if key in self._regions:
            return self._regions[key]
        for prefix in (self.registry.regions[self.registry.province].name,
                       self.registry.regions[self.registry.city].name):
            if key.startswith(prefix) and len(key) > len(prefix):
                key = key[len(prefix):]
                if key in self._regions:
                    return self._regions[key]
        # No 市/区/州 dropped or added beyond the aliases: 恩施市 is a city inside 恩施州, not the 州.
        return None

    def _related(self, a: str, b: str) -> bool:
        regions = self.registry.regions
        return a == b or regions[a].reported_by == b or regions[b].reported_by == a

    def unit_region(self, name: object) -> str | None:
        """A register's 所在区: a district reported by another unit counts there (汉南区 → 武汉经开区)."""
        code = self.region(name)
        return None if code is None else (self.registry.regions[code].reported_by or code)

    def region_in_address(self, address: object) -> str | None:
        """The reporting unit an address lies in (武汉市洪山区珞喻路… → 洪山区): the longest full name of one
        of the city's regions at its start, after 湖北省/武汉市; short forms (洪山) are street names too."""
        key = norm_text(address)
        for prefix in (self.registry.regions[self.registry.province].name, "湖北",
                       self.registry.regions[self.registry.city].name):
            key = key.removeprefix(prefix)
        city = self.registry.city
        names = [norm_text(n) for r in self.registry.regions.values() if r.parent == city
                 for n in (r.name, *r.aliases) if norm_text(n).endswith(("区", "开发区", "新城"))]
        found = max((n for n in names if key.startswith(n)), key=len, default=None)
        return self.unit_region(found) if found else None

    def suggest_region(self, name: object, scope: str | None = None) -> str | None:
        """The standard name nearest to a misspelt one (by any of its spellings: 光古 → 东湖高新区 by 光谷)."""
        spellings = {norm_text(s): r.name for r in self.registry.regions.values() if scope is None or r.parent == scope
                     for s in (r.name, r.short, *r.aliases)}
        return closest(norm_text(name), spellings)

    def region_suggestions(self, name: object) -> list[tuple[str, float]]:
        """The regions a name may be, (code, score 0–100) best first, at most MAX_SUGGESTIONS: by rapidfuzz over
        every spelling, the name's bracketed parts scored too (经开区（江岸区） may be either)."""
        key = region_key(name)
        if not key:
            return []
        parts = {key, *(p for p in re.split(r"[()]", key) if p)}
        best: dict[str, float] = {}
        for part in parts:
            for spelling, score, _ in process.extract(part, list(self._region_spellings), scorer=fuzz.ratio,
                                                      limit=None, score_cutoff=40):
                code = self._region_spellings[spelling]
                best[code] = max(best.get(code, 0.0), score)
        hint = self.suggest_region(name)  # by sound too: 江安区 → 江岸区
        if hint is not None:
            code = self._regions.get(norm_text(hint))
            if code is not None:
                best[code] = max(best.get(code, 0.0), 90.0)
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SUGGESTIONS]

    def answered_period(self, sheet: str) -> dt.date | None:
        """The month the analyst gave for a sheet of this file (a period answer holds for one file only)."""
        m = self.answer("period", f"{self.file_key}!{sheet}") if self.file_key else None
        if m is None or m.ignored:
            return None
        try:
            return parse_month_key(m.target)
        except ValueError:
            return None

    def suggest_unit(self, name: object) -> str | None:
        """The city's reporting unit nearest to a misspelt register 所在区."""
        return self.suggest_region(name, self.registry.city)

    # -- registers and rows ------------------------------------------------------------------------------

    def register_field(self, table: str, heading: object) -> str | None:
        """A register's column by any of its headings, also with a bracketed remark (基金名称（全称）)."""
        key = heading_key(heading)
        fields = self._register_fields[table]
        answered = self.answer("register_field", key)
        if answered is not None and (answered.ignored or answered.target in fields.values()):
            return answered.target or None
        return fields.get(key) or fields.get(_BRACKETED.sub("", key))

    def register_field_guess(self, table: str, heading: object, missing: list[str]) -> list[tuple[str, float]]:
        """The `missing` fields of a register a heading may be, (field, score) best first, when it is near one of
        their names (REGISTER_NEAR) but names no field, no address and was not answered; else none."""
        key = heading_key(heading)
        if not key or not missing or self.answer("register_field", key) is not None or self.is_address(table, key):
            return []
        best: dict[str, float] = {}
        for alias, f in self._register_fields[table].items():
            if f in missing:
                score = fuzz.ratio(key, alias)
                if score >= REGISTER_NEAR:
                    best[f] = max(best.get(f, 0.0), score)
        return sorted(best.items(), key=lambda kv: -kv[1])[:MAX_SUGGESTIONS]

    def is_address(self, table: str, heading: object) -> bool:
        return heading_key(heading) in self._addresses.get(table, set())

    def total(self, label: object) -> tuple[bool, str | None]:
        """(is a total row or column, the region it names if it names one: 全市 → the city)."""
        key = norm_text(label)
        if key in self._totals:
            return True, self._totals[key]
        return False, None

    def not_a_member(self, label: object) -> str | None:
        """Why a row label that is no region names no member of the table: "own_level" (市本级, 本级),
        "subtotal" (县区合计, 各区合计, 小计), "column_keys" (栏次), "note" (注：…, 填报人：…), "ignored" (answered
        不导入此行); else None."""
        if is_blank(label) or self.total(label)[0]:
            return None
        answered = self.answer("region", region_key(label))
        if answered is not None and answered.ignored:
            return "ignored"  # answered 不导入此行
        key = norm_text(label)
        if _OWN_LEVEL.match(key):
            return "own_level"
        if _SUBTOTAL.search(key) and self.region(key) is None:
            return "subtotal"
        if key in COLUMN_KEY_LABELS:
            return "column_keys"
        if key.startswith(NOTE_PREFIXES):  # not a numbered line: 1.江岸区 with figures is a region's row
            return "note"
        return None


def is_column_key_row(cells: list[object]) -> bool:
    """A row that names the columns (栏次 | 1 | 2 | 3=1+2, or A | B | C=A+B) rather than giving figures."""
    texts = [norm_text(v) for v in cells if not is_blank(v)]
    if not texts or not all(_COLUMN_KEY.match(t) for t in texts):
        return False
    if any(not t.isdigit() for t in texts):
        return True
    numbers = [int(t) for t in texts]
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1


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
