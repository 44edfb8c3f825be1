"""The registries in data/*.toml, parsed into typed records and checked.

A broken registry stops the app with one Chinese sentence naming the file, the entry (and its line)
and what is wrong: an administrator edits these files by hand, so the message must point at the fix.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

UNITS = ("亿元", "家", "个", "款", "%")
INDICATOR_KINDS = ("stock", "flow", "count", "ratio")
TARGET_KINDS = ("level", "growth_vs_baseline", "cagr", "share")
COMPARATORS = (">", ">=", "<", "<=")
REGION_KINDS = ("province", "city", "district", "functional_zone")
STATUS_CODES = ("achieved", "on_track", "needs_acceleration", "limited_progress", "regressing",
                "insufficient_data")


class RegistryError(ValueError):
    """A registry file is malformed; str(self) is the Chinese message for the administrator."""


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    short_zh: str
    name_en: str
    unit: str
    kind: str
    decimals: int
    higher_is_better: bool
    source: str
    aliases: tuple[str, ...]
    numerator: str | None = None
    denominator: str | None = None


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    number: str
    issuer: str
    issued: dt.date


@dataclass(frozen=True)
class Target:
    id: str
    document: str
    indicator: str
    region: str
    kind: str
    comparator: str
    value: float
    deadline: dt.date
    clause: str
    wording: str
    sentence: str
    baseline_date: dt.date | None = None
    baseline_value: float | None = None


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short: str
    kind: str
    parent: str
    sums_to_parent: bool
    aliases: tuple[str, ...]
    adcode: str | None = None
    reported_by: str | None = None


@dataclass(frozen=True)
class StatusStyle:
    code: str
    label: str
    label_en: str
    symbol: str
    color: str


@dataclass(frozen=True)
class RegisterYield:
    indicator: str
    how: str  # count | sum
    column: str | None = None
    where_column: str | None = None
    where_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegisterSpec:
    table: str
    label: str
    agency: str
    keywords: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    yields: tuple[RegisterYield, ...]


# The fields each register table stores, and how a cell in it is read.
REGISTER_FIELDS: dict[str, dict[str, str]] = {
    "institutions": {"name": "text", "type": "text", "parent_org": "text", "region_code": "region",
                     "opened_on": "date"},
    "funds": {"name": "text", "type": "text", "manager": "text", "region_code": "region",
              "size_yi_yuan": "money", "registered_on": "date"},
    "seed_firms": {"name": "text", "category": "text", "tier": "text", "industry": "text",
                   "region_code": "region", "selected_on": "date"},
}


@dataclass(frozen=True)
class Registry:
    indicators: dict[str, Indicator]
    documents: dict[str, Document]
    targets: dict[str, Target]
    regions: dict[str, Region]
    statuses: dict[str, StatusStyle]
    thresholds: dict[str, float]
    registers: dict[str, RegisterSpec]
    data_dir: Path = field(default=DATA_DIR)
    # target id → unit code → the unit's share of the target, in the indicator's unit ([[subtarget]]).
    subtargets: dict[str, dict[str, float]] = field(default_factory=dict)

    def children(self, code: str, *, summing: bool = True) -> list[Region]:
        return [r for r in self.regions.values()
                if r.parent == code and (r.sums_to_parent or not summing)]


# -- reading -----------------------------------------------------------------------------------


class _Entry:
    """One [[table]] of a registry file, with what is needed to name it in an error."""

    def __init__(self, path: Path, table: str, index: int, line: int, raw: dict[str, Any]):
        self.path, self.table, self.index, self.line, self.raw = path, table, index, line, raw

    def where(self) -> str:
        key = self.raw.get("id") or self.raw.get("code")
        name = f"「{key}」" if key else ""
        return f"data/{self.path.name} 第{self.line}行 [[{self.table}]]{name}"

    def fail(self, msg: str) -> RegistryError:
        return RegistryError(f"登记表有误：{self.where()}：{msg}。请改正该文件后重新启动。")

    def get(self, key: str, typ: type | tuple[type, ...], *, required: bool = True, default: Any = None) -> Any:
        if key not in self.raw:
            if required:
                raise self.fail(f"缺少字段 {key}")
            return default
        value = self.raw[key]
        # bool is an int in Python; a number field must not accept true/false.
        if isinstance(value, bool) and bool not in (typ if isinstance(typ, tuple) else (typ,)):
            raise self.fail(f"字段 {key} 的值 {value!r} 类型不对")
        if not isinstance(value, typ):
            raise self.fail(f"字段 {key} 的值 {value!r} 类型不对")
        if isinstance(value, str) and required and not value.strip() and key not in ("parent", "number"):
            raise self.fail(f"字段 {key} 不能为空")
        return value

    def only(self, *keys: str) -> None:
        """Refuse unknown fields: a misspelt optional field (baselin_value) must not be ignored silently."""
        unknown = [k for k in self.raw if k not in keys]
        if unknown:
            raise self.fail(f"未知字段 {'、'.join(unknown)}（可用字段：{'、'.join(keys)}）")

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.get(key, str)
        if value not in allowed:
            raise self.fail(f"字段 {key} 的值「{value}」无效，应为 {'、'.join(allowed)} 之一")
        return value


def _entries(path: Path, table: str) -> list[_Entry]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise RegistryError(f"登记表有误：找不到文件 data/{path.name}。请从代码仓库恢复该文件。") from e
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RegistryError(f"登记表有误：data/{path.name} 不是有效的 TOML（{e}）。请改正该文件后重新启动。") from e
    raw = doc.get(table, [])
    if not isinstance(raw, list) or not raw:
        raise RegistryError(f"登记表有误：data/{path.name} 中没有任何 [[{table}]] 条目。请改正该文件后重新启动。")
    header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
    lines = [i + 1 for i, ln in enumerate(text.splitlines()) if header.match(ln)]
    return [_Entry(path, table, i, lines[i] if i < len(lines) else 0, r) for i, r in enumerate(raw)]


def _unique(entries: list[_Entry], key: str) -> None:
    seen: set[str] = set()
    for e in entries:
        value = e.raw.get(key)
        if value in seen:
            raise e.fail(f"{key}「{value}」重复")
        seen.add(value)


def _as_date(e: _Entry, key: str, *, required: bool) -> dt.date | None:
    value = e.get(key, dt.date, required=required)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _aliases(e: _Entry) -> tuple[str, ...]:
    aliases = e.get("aliases", list, required=False, default=[])
    if not all(isinstance(a, str) and a.strip() for a in aliases):
        raise e.fail("aliases 必须是非空字符串的列表")
    return tuple(aliases)


def _read_indicators(path: Path) -> dict[str, Indicator]:
    entries = _entries(path, "indicator")
    _unique(entries, "code")
    out: dict[str, Indicator] = {}
    alias_owner: dict[str, str] = {}
    for e in entries:
        e.only("code", "name_zh", "short_zh", "name_en", "unit", "kind", "decimals", "higher_is_better", "source",
               "aliases", "numerator", "denominator")
        ind = Indicator(
            code=e.get("code", str), name_zh=e.get("name_zh", str), short_zh=e.get("short_zh", str),
            name_en=e.get("name_en", str), unit=e.choice("unit", UNITS), kind=e.choice("kind", INDICATOR_KINDS),
            decimals=e.get("decimals", int), higher_is_better=e.get("higher_is_better", bool),
            source=e.get("source", str), aliases=_aliases(e),
            numerator=e.get("numerator", str, required=False), denominator=e.get("denominator", str, required=False),
        )
        for alias in {ind.name_zh, *ind.aliases}:
            other = alias_owner.get(alias)
            if other and other != ind.code:
                raise e.fail(f"别名「{alias}」已属于指标 {other}，一个表头只能对应一个指标")
            alias_owner[alias] = ind.code
        out[ind.code] = ind
    for e in entries:
        ind = out[e.raw["code"]]
        for part in (ind.numerator, ind.denominator):
            if part is not None and part not in out:
                raise e.fail(f"分子/分母指标「{part}」不存在于 indicators.toml")
        if (ind.numerator is None) != (ind.denominator is None):
            raise e.fail("numerator 与 denominator 须同时填写")
    return out


def _read_regions(path: Path) -> dict[str, Region]:
    entries = _entries(path, "region")
    _unique(entries, "code")
    out: dict[str, Region] = {}
    for e in entries:
        e.only("code", "name", "short", "kind", "parent", "sums_to_parent", "aliases", "adcode", "reported_by")
        adcode = e.get("adcode", str, required=False)
        if adcode is not None and not re.fullmatch(r"\d{6}", adcode):
            raise e.fail(f"adcode「{adcode}」应为6位数字的行政区划代码")
        out[e.raw["code"]] = Region(
            code=e.get("code", str), name=e.get("name", str), short=e.get("short", str),
            kind=e.choice("kind", REGION_KINDS), parent=e.get("parent", str),
            sums_to_parent=e.get("sums_to_parent", bool), aliases=_aliases(e), adcode=adcode,
            reported_by=e.get("reported_by", str, required=False),
        )
    names: dict[str, str] = {}
    for e in entries:
        r = out[e.raw["code"]]
        if r.parent and r.parent not in out:
            raise e.fail(f"上级区域 parent「{r.parent}」不存在")
        if r.reported_by and r.reported_by not in out:
            raise e.fail(f"reported_by「{r.reported_by}」不存在")
        for name in (r.name, *r.aliases):
            if names.get(name, r.code) != r.code:
                raise e.fail(f"名称或别名「{name}」已属于区域 {names[name]}，无法区分")
            names[name] = r.code
    return out


def _read_targets(path: Path, indicators: dict[str, Indicator], regions: dict[str, Region]
                  ) -> tuple[dict[str, Document], dict[str, Target]]:
    docs: dict[str, Document] = {}
    doc_entries = _entries(path, "document")
    _unique(doc_entries, "id")
    for e in doc_entries:
        e.only("id", "title", "number", "issuer", "issued")
        docs[e.raw["id"]] = Document(id=e.get("id", str), title=e.get("title", str), number=e.get("number", str),
                                     issuer=e.get("issuer", str), issued=_as_date(e, "issued", required=True))
    entries = _entries(path, "target")
    _unique(entries, "id")
    targets: dict[str, Target] = {}
    for e in entries:
        e.only("id", "document", "indicator", "region", "kind", "comparator", "value", "deadline", "clause",
               "wording", "sentence", "baseline_date", "baseline_value")
        kind = e.choice("kind", TARGET_KINDS)
        baseline_value = e.get("baseline_value", (int, float), required=False)
        t = Target(
            id=e.get("id", str), document=e.get("document", str), indicator=e.get("indicator", str),
            region=e.get("region", str), kind=kind, comparator=e.choice("comparator", COMPARATORS),
            value=float(e.get("value", (int, float))), deadline=_as_date(e, "deadline", required=True),
            clause=e.get("clause", str), wording=e.get("wording", str), sentence=e.get("sentence", str),
            baseline_date=_as_date(e, "baseline_date", required=False),
            baseline_value=None if baseline_value is None else float(baseline_value),
        )
        if t.document not in docs:
            raise e.fail(f"文件 document「{t.document}」未在 [[document]] 中登记")
        if t.indicator not in indicators:
            raise e.fail(f"指标 indicator「{t.indicator}」不存在于 indicators.toml")
        if t.region not in regions:
            raise e.fail(f"区域 region「{t.region}」不存在于 regions.toml")
        if kind == "growth_vs_baseline" and t.value <= 0:
            raise e.fail("growth_vs_baseline 的 value 是基期值的倍数，必须大于0（如 1.7）")
        if kind == "cagr" and not -1 < t.value < 10:
            raise e.fail("cagr 的 value 是年均增速（小数，如 0.20 表示20%）")
        if kind in ("growth_vs_baseline", "cagr") and t.baseline_date is None:
            raise e.fail(f"{kind} 类目标必须填写基期日期 baseline_date")
        if t.baseline_value is not None and t.baseline_date is None:
            raise e.fail("填写了 baseline_value 时必须同时填写 baseline_date")
        if t.deadline <= docs[t.document].issued:
            raise e.fail("截止日期 deadline 早于文件印发日期")
        targets[t.id] = t
    return docs, targets


def _read_subtargets(path: Path, targets: dict[str, Target], regions: dict[str, Region]
                     ) -> dict[str, dict[str, float]]:
    """[[subtarget]] (optional): a unit's share of a city or provincial target, e.g. a district's loans."""
    if "subtarget" not in tomllib.loads(path.read_text(encoding="utf-8")):
        return {}
    out: dict[str, dict[str, float]] = {}
    for e in _entries(path, "subtarget"):
        e.only("target", "region", "value", "note")
        target_id, code = e.get("target", str), e.get("region", str)
        value = float(e.get("value", (int, float)))
        e.get("note", str, required=False)
        target = targets.get(target_id)
        if target is None:
            raise e.fail(f"目标 target「{target_id}」未在 [[target]] 中登记")
        region = regions.get(code)
        if region is None:
            raise e.fail(f"区域 region「{code}」不存在于 regions.toml")
        parent = regions[target.region].name
        if region.parent != target.region:
            raise e.fail(f"区域「{region.name}」不是目标所在地区「{parent}」的下级单位")
        if not region.sums_to_parent:
            raise e.fail(f"区域「{region.name}」不计入「{parent}」合计（其数据由上级或其他单位代报），不能单独分解目标")
        if not 0 < value < float("inf"):
            raise e.fail(f"分解目标值 value 必须大于0（当前为 {value:g}）")
        if code in out.get(target_id, {}):
            raise e.fail(f"目标「{target_id}」在区域「{region.name}」的分解目标重复")
        out.setdefault(target_id, {})[code] = value
    return out


def _read_statuses(path: Path) -> tuple[dict[str, StatusStyle], dict[str, float]]:
    entries = _entries(path, "status")
    _unique(entries, "code")
    statuses = {}
    for e in entries:
        e.only("code", "label", "label_en", "symbol", "color")
        s = StatusStyle(code=e.choice("code", STATUS_CODES), label=e.get("label", str),
                        label_en=e.get("label_en", str), symbol=e.get("symbol", str), color=e.get("color", str))
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", s.color):
            raise e.fail(f"颜色 color「{s.color}」应为 #RRGGBB 形式")
        statuses[s.code] = s
    missing = [c for c in STATUS_CODES if c not in statuses]
    if missing:
        raise RegistryError(f"登记表有误：data/{path.name} 缺少状态 {'、'.join(missing)}。请改正该文件后重新启动。")
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    raw = doc.get("thresholds", {})
    thresholds = {}
    for key in ("on_track", "needs_acceleration", "limited_progress"):
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RegistryError(f"登记表有误：data/{path.name} [thresholds] 缺少数值字段 {key}。请改正该文件后重新启动。")
        thresholds[key] = float(value)
    if not thresholds["on_track"] > thresholds["needs_acceleration"] > thresholds["limited_progress"]:
        raise RegistryError(f"登记表有误：data/{path.name} [thresholds] 须满足 on_track > needs_acceleration > "
                            "limited_progress。请改正该文件后重新启动。")
    return statuses, thresholds


def _read_registers(path: Path, indicators: dict[str, Indicator]) -> dict[str, RegisterSpec]:
    entries = _entries(path, "register")
    _unique(entries, "table")
    out: dict[str, RegisterSpec] = {}
    for e in entries:
        e.only("table", "label", "agency", "keywords", "columns", "yields")
        table = e.choice("table", tuple(REGISTER_FIELDS))
        fields = REGISTER_FIELDS[table]
        columns = e.get("columns", dict)
        for key, aliases in columns.items():
            if key not in fields:
                raise e.fail(f"columns 中的字段「{key}」不属于表 {table}（可用：{'、'.join(fields)}）")
            if not isinstance(aliases, list) or not aliases or not all(isinstance(a, str) for a in aliases):
                raise e.fail(f"columns.{key} 必须是非空的列标题列表")
        for key in ("name", "region_code"):
            if key not in columns:
                raise e.fail(f"columns 缺少必填字段 {key}")
        yields = []
        for raw in e.get("yields", list):
            y = RegisterYield(indicator=raw.get("indicator", ""), how=raw.get("how", ""), column=raw.get("column"),
                              where_column=raw.get("where_column"), where_in=tuple(raw.get("where_in", ())))
            if y.indicator not in indicators:
                raise e.fail(f"yields 中的指标「{y.indicator}」不存在于 indicators.toml")
            if y.how not in ("count", "sum") or (y.how == "sum" and y.column not in fields):
                raise e.fail(f"yields「{y.indicator}」的 how/column 无效：how 为 count 或 sum，sum 须指定本表的数值列")
            yields.append(y)
        out[table] = RegisterSpec(table=table, label=e.get("label", str), agency=e.get("agency", str),
                                  keywords=tuple(e.get("keywords", list)),
                                  columns={k: tuple(v) for k, v in columns.items()}, yields=tuple(yields))
    return out


def load_registry(data_dir: Path = DATA_DIR) -> Registry:
    """Read and check every registry; raises RegistryError with a Chinese message on the first problem."""
    indicators = _read_indicators(data_dir / "indicators.toml")
    regions = _read_regions(data_dir / "regions.toml")
    documents, targets = _read_targets(data_dir / "targets.toml", indicators, regions)
    subtargets = _read_subtargets(data_dir / "targets.toml", targets, regions)
    statuses, thresholds = _read_statuses(data_dir / "status.toml")
    registers = _read_registers(data_dir / "registers.toml", indicators)
    return Registry(indicators=indicators, documents=documents, targets=targets, regions=regions,
                    statuses=statuses, thresholds=thresholds, registers=registers, data_dir=data_dir,
                    subtargets=subtargets)


def data_dir() -> Path:
    """The registry folder: $TFM_DATA_DIR (tests, staging copies), else the repository's data/."""
    return Path(os.environ.get("TFM_DATA_DIR") or DATA_DIR)


@cache
def _registry_at(path: str) -> Registry:
    return load_registry(Path(path))


def default_registry() -> Registry:
    """The registries in data_dir(), read once per process (edits need a restart, as the message says)."""
    return _registry_at(str(data_dir()))
