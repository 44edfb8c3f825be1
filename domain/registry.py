"""The registries in data/*.toml, read into the typed records of domain.model and checked.

Every problem of every file is reported in one pass (MetricFlow-style validation): an administrator
edits these files by hand, so each message names the file, the line of the entry and the fix, and a
broken registry stops the app with all of them at once rather than one per restart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from domain.errors import RegistryError
from domain.model import (
    COMPARATORS,
    INDICATOR_KINDS,
    OBSERVATION_MONTHS,
    REGION_KINDS,
    REGISTER_FIELDS,
    STATUS_CODES,
    TARGET_KINDS,
    UNITS,
    Document,
    Indicator,
    Region,
    RegisterSpec,
    RegisterYield,
    Registry,
    StatusStyle,
    Target,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# -- reading -----------------------------------------------------------------------------------

_FIX = "请改正该文件后重新启动。"


def registry_problem(file_name: str, where: str, msg: str) -> str:
    """The one wording of a registry problem: 登记表有误：data/<file> <where>：<what>。请改正该文件后重新启动。"""
    return f"登记表有误：data/{file_name} {where}：{msg}。{_FIX}"


class _Issue(Exception):
    """One problem of one entry; collected, never shown as such."""


class _Problems:
    """Every problem found in one pass, in the order found."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    @contextmanager
    def checking(self) -> Iterator[None]:
        """Run one entry's checks; a problem is recorded and reading goes on with the next entry."""
        try:
            yield
        except _Issue as e:
            self.add(str(e))


class _Entry:
    """One [[table]] of a registry file, with what is needed to name it in an error."""

    def __init__(self, path: Path, table: str, line: int, raw: dict[str, Any]):
        self.path, self.table, self.line, self.raw = path, table, line, raw

    def fail(self, msg: str) -> _Issue:
        key = self.raw.get("id") or self.raw.get("code")
        name = f"「{key}」" if key else ""
        return _Issue(registry_problem(self.path.name, f"第{self.line}行 [[{self.table}]]{name}", msg))

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
        if isinstance(value, str) and required and not value.strip() and key not in ("parent", "number", "issuer"):
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

    def date(self, key: str, *, required: bool) -> dt.date | None:
        value = self.get(key, dt.date, required=required)
        return value.date() if isinstance(value, dt.datetime) else value

    def aliases(self) -> tuple[str, ...]:
        return self.words("aliases")

    def words(self, key: str) -> tuple[str, ...]:
        words = self.get(key, list, required=False, default=[])
        if not all(isinstance(a, str) and a.strip() for a in words):
            raise self.fail(f"{key} 必须是非空字符串的列表")
        return tuple(words)


class _File:
    """One registry file, parsed once; None-like (ok False) when it is missing or not TOML."""

    def __init__(self, path: Path, problems: _Problems):
        self.path, self.problems, self.doc, self.text = path, problems, {}, ""
        try:
            self.text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.add(f"登记表有误：找不到文件 data/{path.name}。请从代码仓库恢复该文件。")
            self.ok = False
            return
        try:
            self.doc = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as e:
            problems.add(f"登记表有误：data/{path.name} 不是有效的 TOML（{e}）。{_FIX}")
            self.ok = False
            return
        self.ok = True

    def fail(self, msg: str) -> None:
        self.problems.add(f"登记表有误：data/{self.path.name} {msg}。{_FIX}")

    def codes(self, table: str) -> set[str] | None:
        """The `code` of every [[table]] entry, well-formed or not; None when the file could not be read."""
        if not self.ok:
            return None
        raw = self.doc.get(table, [])
        return {r.get("code") for r in raw if isinstance(r, dict)} if isinstance(raw, list) else set()

    def entries(self, table: str, *, optional: bool = False) -> list[_Entry]:
        if not self.ok:
            return []
        raw = self.doc.get(table, [])
        if not isinstance(raw, list) or not raw:
            if not optional:
                self.fail(f"中没有任何 [[{table}]] 条目")
            return []
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
        lines = [i + 1 for i, ln in enumerate(self.text.splitlines()) if header.match(ln)]
        return [_Entry(self.path, table, lines[i] if i < len(lines) else 0, r) for i, r in enumerate(raw)]


def _unique(entries: list[_Entry], key: str, problems: _Problems) -> list[_Entry]:
    """The entries whose `key` is not a repeat of an earlier one (each repeat is a problem)."""
    seen: set[Any] = set()
    out = []
    for e in entries:
        value = e.raw.get(key)
        if value in seen:
            problems.add(str(e.fail(f"{key}「{value}」重复")))
            continue
        seen.add(value)
        out.append(e)
    return out


def _read_indicators(f: _File, problems: _Problems) -> dict[str, Indicator]:
    entries = _unique(f.entries("indicator"), "code", problems)
    out: dict[str, Indicator] = {}
    alias_owner: dict[str, str] = {}
    for e in entries:
        with problems.checking():
            e.only("code", "name_zh", "short_zh", "name_en", "unit", "kind", "decimals", "higher_is_better", "source",
                   "aliases", "numerator", "denominator", "requires", "forbids")
            ind = Indicator(
                code=e.get("code", str), name_zh=e.get("name_zh", str), short_zh=e.get("short_zh", str),
                name_en=e.get("name_en", str), unit=e.choice("unit", UNITS), kind=e.choice("kind", INDICATOR_KINDS),
                decimals=e.get("decimals", int), higher_is_better=e.get("higher_is_better", bool),
                source=e.get("source", str), aliases=e.aliases(),
                numerator=e.get("numerator", str, required=False),
                denominator=e.get("denominator", str, required=False),
                requires=e.words("requires"), forbids=e.words("forbids"),
            )
            out[ind.code] = ind
            for alias in {ind.name_zh, *ind.aliases}:
                other = alias_owner.get(alias)
                if other and other != ind.code:
                    raise e.fail(f"别名「{alias}」已属于指标 {other}，一个表头只能对应一个指标")
                alias_owner[alias] = ind.code
    for e in entries:
        ind = out.get(e.raw.get("code"))
        if ind is None:
            continue
        with problems.checking():
            for part in (ind.numerator, ind.denominator):
                if part is not None and part not in out:
                    raise e.fail(f"分子/分母指标「{part}」不存在于 indicators.toml")
            if (ind.numerator is None) != (ind.denominator is None):
                raise e.fail("numerator 与 denominator 须同时填写")
    return out


def _read_regions(f: _File, problems: _Problems) -> tuple[dict[str, Region], dict[str, str]]:
    entries = _unique(f.entries("region"), "code", problems)
    out: dict[str, Region] = {}
    for e in entries:
        with problems.checking():
            e.only("code", "name", "short", "kind", "parent", "sums_to_parent", "aliases", "adcode", "reported_by")
            adcode = e.get("adcode", str, required=False)
            if adcode is not None and not re.fullmatch(r"\d{6}", adcode):
                raise e.fail(f"adcode「{adcode}」应为6位数字的行政区划代码")
            out[e.raw["code"]] = Region(
                code=e.get("code", str), name=e.get("name", str), short=e.get("short", str),
                kind=e.choice("kind", REGION_KINDS), parent=e.get("parent", str),
                sums_to_parent=e.get("sums_to_parent", bool), aliases=e.aliases(), adcode=adcode,
                reported_by=e.get("reported_by", str, required=False),
            )
    names: dict[str, str] = {}
    for e in entries:
        r = out.get(e.raw.get("code"))
        if r is None:
            continue
        with problems.checking():
            if r.parent and r.parent not in out:
                raise e.fail(f"上级区域 parent「{r.parent}」不存在")
            if r.reported_by and r.reported_by not in out:
                raise e.fail(f"reported_by「{r.reported_by}」不存在")
            for name in (r.name, *r.aliases):
                if names.get(name, r.code) != r.code:
                    raise e.fail(f"名称或别名「{name}」已属于区域 {names[name]}，无法区分")
                names[name] = r.code
    roles: dict[str, str] = {}
    raw = f.doc.get("roles", {}) if f.ok else {}
    for role, kind in (("city", "city"), ("province", "province")):
        code = raw.get(role) if isinstance(raw, dict) else None
        if not f.ok:
            continue
        if not isinstance(code, str) or code not in out:
            f.fail(f"[roles] 须以 {role} = \"地区代码\" 指明{'本系统服务的城市' if role == 'city' else '所在省份'}"
                   f"（当前为 {code!r}）")
        elif out[code].kind != kind:
            f.fail(f"[roles] {role}「{code}」的类型应为 {kind}")
        else:
            roles[role] = code
    return out, roles


def _read_documents(f: _File, problems: _Problems) -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for e in _unique(f.entries("document"), "id", problems):
        with problems.checking():
            e.only("id", "title", "number", "issuer", "issued")
            docs[e.raw["id"]] = Document(id=e.get("id", str), title=e.get("title", str), number=e.get("number", str),
                                         issuer=e.get("issuer", str), issued=e.date("issued", required=False))
    return docs


def _read_targets(f: _File, problems: _Problems, docs: dict[str, Document], indicators: set[str] | None,
                  regions: set[str] | None) -> dict[str, Target]:
    """`indicators` / `regions`: the codes declared there; None when that file could not be read, so
    references to it are not checked."""
    targets: dict[str, Target] = {}
    for e in _unique(f.entries("target"), "id", problems):
        with problems.checking():
            e.only("id", "document", "indicator", "region", "kind", "comparator", "value", "deadline", "clause",
                   "wording", "sentence", "baseline_date", "baseline_value", "note")
            kind = e.choice("kind", TARGET_KINDS)
            baseline_value = e.get("baseline_value", (int, float), required=False)
            t = Target(
                id=e.get("id", str), document=e.get("document", str), indicator=e.get("indicator", str),
                region=e.get("region", str), kind=kind, comparator=e.choice("comparator", COMPARATORS),
                value=float(e.get("value", (int, float))), deadline=e.date("deadline", required=True),
                clause=e.get("clause", str), wording=e.get("wording", str), sentence=e.get("sentence", str),
                baseline_date=e.date("baseline_date", required=False),
                baseline_value=None if baseline_value is None else float(baseline_value),
                note=e.get("note", str, required=False, default=""),
            )
            if t.document not in docs:
                raise e.fail(f"文件 document「{t.document}」未在 [[document]] 中登记")
            if indicators is not None and t.indicator not in indicators:
                raise e.fail(f"指标 indicator「{t.indicator}」不存在于 indicators.toml")
            if regions is not None and t.region not in regions:
                raise e.fail(f"区域 region「{t.region}」不存在于 regions.toml")
            if kind == "growth_vs_baseline" and t.value <= 0:
                raise e.fail("growth_vs_baseline 的 value 是基期值的倍数，必须大于0（如 1.7）")
            if kind == "cagr" and not -1 < t.value < 10:
                raise e.fail("cagr 的 value 是年均增速（小数，如 0.20 表示20%）")
            if kind in ("growth_vs_baseline", "cagr") and t.baseline_date is None:
                raise e.fail(f"{kind} 类目标必须填写基期日期 baseline_date")
            if t.baseline_value is not None and t.baseline_date is None:
                raise e.fail("填写了 baseline_value 时必须同时填写 baseline_date")
            issued = docs[t.document].issued
            if issued is None and t.baseline_date is None:
                raise e.fail(f"文件「{t.document}」未载明印发日期：目标须填写基期日期 baseline_date")
            if issued is not None and t.deadline <= issued:
                raise e.fail("截止日期 deadline 早于文件印发日期")
            targets[t.id] = t
    return targets


def _read_subtargets(f: _File, problems: _Problems, targets: dict[str, Target], regions: dict[str, Region]
                     ) -> dict[str, dict[str, float]]:
    """[[subtarget]] (optional): a unit's share of a city or provincial target, e.g. a district's loans."""
    out: dict[str, dict[str, float]] = {}
    for e in f.entries("subtarget", optional=True):
        with problems.checking():
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
            parent = regions[target.region].name if target.region in regions else target.region
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


def _read_statuses(f: _File, problems: _Problems) -> tuple[dict[str, StatusStyle], dict[str, float]]:
    statuses: dict[str, StatusStyle] = {}
    for e in _unique(f.entries("status"), "code", problems):
        with problems.checking():
            e.only("code", "label", "label_en", "symbol", "color")
            s = StatusStyle(code=e.choice("code", STATUS_CODES), label=e.get("label", str),
                            label_en=e.get("label_en", str), symbol=e.get("symbol", str), color=e.get("color", str))
            if not re.fullmatch(r"#[0-9a-fA-F]{6}", s.color):
                raise e.fail(f"颜色 color「{s.color}」应为 #RRGGBB 形式")
            statuses[s.code] = s
    if not f.ok:
        return statuses, {}
    missing = [c for c in STATUS_CODES if c not in statuses]
    if missing:
        f.fail(f"缺少状态 {'、'.join(missing)}")
    raw = f.doc.get("thresholds", {})
    thresholds = {}
    for key in ("on_track", "needs_acceleration", "limited_progress"):
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            f.fail(f"[thresholds] 缺少数值字段 {key}")
            continue
        thresholds[key] = float(value)
    if len(thresholds) == 3 and not (thresholds["on_track"] > thresholds["needs_acceleration"]
                                     > thresholds["limited_progress"]):
        f.fail("[thresholds] 须满足 on_track > needs_acceleration > limited_progress")
    return statuses, thresholds


MAX_OBSERVATION_MONTHS = 60


def _read_observation(f: _File, targets: set[str] | None) -> tuple[int, dict[str, int]]:
    """[observation] (optional): `months` of data since the baseline before a target is given a status (default
    OBSERVATION_MONTHS), and [observation.targets] "目标编号" = months for a target of its own. `targets`: the
    target ids declared in targets.toml (None when it could not be read: not checked)."""
    raw = f.doc.get("observation", {}) if f.ok else {}
    if not isinstance(raw, dict):
        f.fail("[observation] 应为一个表（months = 6）")
        return OBSERVATION_MONTHS, {}
    unknown = [k for k in raw if k not in ("months", "targets")]
    if unknown:
        f.fail(f"[observation] 中有未知字段 {'、'.join(unknown)}（可用字段：months、targets）")

    def span(where: str, value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_OBSERVATION_MONTHS:
            f.fail(f"{where} 应为0到{MAX_OBSERVATION_MONTHS}之间的整数月数（当前为 {value!r}）")
            return None
        return value

    months = span("[observation] months", raw.get("months", OBSERVATION_MONTHS))
    by_target: dict[str, int] = {}
    own = raw.get("targets", {})
    if not isinstance(own, dict):
        f.fail('[observation.targets] 应为 "目标编号" = 月数 的表')
        own = {}
    for target_id, value in own.items():
        if targets is not None and target_id not in targets:
            f.fail(f"[observation.targets] 中的目标「{target_id}」未在 targets.toml 的 [[target]] 中登记")
            continue
        if (n := span(f"[observation.targets]「{target_id}」", value)) is not None:
            by_target[target_id] = n
    return OBSERVATION_MONTHS if months is None else months, by_target


def _read_registers(f: _File, problems: _Problems, indicators: set[str] | None) -> dict[str, RegisterSpec]:
    out: dict[str, RegisterSpec] = {}
    for e in _unique(f.entries("register"), "table", problems):
        with problems.checking():
            e.only("table", "label", "agency", "keywords", "columns", "yields", "address")
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
                if indicators is not None and y.indicator not in indicators:
                    raise e.fail(f"yields 中的指标「{y.indicator}」不存在于 indicators.toml")
                if y.how not in ("count", "sum") or (y.how == "sum" and y.column not in fields):
                    raise e.fail(f"yields「{y.indicator}」的 how/column 无效：how 为 count 或 sum，sum 须指定本表的数值列")
                yields.append(y)
            out[table] = RegisterSpec(table=table, label=e.get("label", str), agency=e.get("agency", str),
                                      keywords=tuple(e.get("keywords", list)),
                                      columns={k: tuple(v) for k, v in columns.items()}, yields=tuple(yields),
                                      address=e.words("address"))
    return out


def load_registry(data_dir: Path = DATA_DIR) -> Registry:
    """Read and check every registry; raises RegistryError listing every problem (file, line, fix)."""
    problems = _Problems()
    files = {name: _File(data_dir / f"{name}.toml", problems)
             for name in ("indicators", "regions", "targets", "status", "registers")}
    indicators = _read_indicators(files["indicators"], problems)
    regions, roles = _read_regions(files["regions"], problems)
    # References are checked against every declared code, also of an entry with a problem of its own,
    # so one mistake is reported once, not again by every entry that names it.
    known_indicators = files["indicators"].codes("indicator")
    known_regions = files["regions"].codes("region")
    documents = _read_documents(files["targets"], problems)
    targets = _read_targets(files["targets"], problems, documents, known_indicators, known_regions)
    subtargets = _read_subtargets(files["targets"], problems, targets, regions)
    statuses, thresholds = _read_statuses(files["status"], problems)
    known_targets = ({e.get("id") for e in files["targets"].doc.get("target", []) if isinstance(e, dict)}
                     if files["targets"].ok and isinstance(files["targets"].doc.get("target"), list) else None)
    observation_months, observation_by_target = _read_observation(files["status"], known_targets)
    registers = _read_registers(files["registers"], problems, known_indicators)
    if problems.messages:
        raise RegistryError(problems.messages)
    return Registry(indicators=indicators, documents=documents, targets=targets, regions=regions,
                    statuses=statuses, thresholds=thresholds, registers=registers, data_dir=data_dir,
                    city=roles["city"], province=roles["province"], subtargets=subtargets,
                    observation_months=observation_months, observation_by_target=observation_by_target)


DEMO_SUBTARGETS = "demo_subtargets.toml"


def with_demo_subtargets(registry: Registry) -> Registry:
    """The registry with the demo's illustrative sub-targets (data/demo_subtargets.toml) added where no real split
    is set: what the pages show while the database holds demo data. Checked like targets.toml's own."""
    problems = _Problems()
    f = _File(registry.data_dir / DEMO_SUBTARGETS, problems)
    examples = _read_subtargets(f, problems, registry.targets, registry.regions)
    if problems.messages:
        raise RegistryError(problems.messages)
    added = {t: split for t, split in examples.items() if t not in registry.subtargets}
    return dataclasses.replace(registry, subtargets={**registry.subtargets, **added},
                               example_subtargets=frozenset(added))


def data_dir() -> Path:
    """The registry folder: $TFM_DATA_DIR (tests, staging copies), else the repository's data/."""
    return Path(os.environ.get("TFM_DATA_DIR") or DATA_DIR)


@cache
def _registry_at(path: str, demo: bool) -> Registry:
    registry = load_registry(Path(path))
    return with_demo_subtargets(registry) if demo else registry


def default_registry(*, demo: bool = False) -> Registry:
    """The registries in data_dir(), read once per process (edits need a restart, as the message says); with
    `demo` (the database holds demo data), also the demo's illustrative sub-targets."""
    return _registry_at(str(data_dir()), demo)
