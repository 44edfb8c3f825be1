"""The plans' trend indicators: figures a plan asks to grow without a number (WHC's five key indicators, "突破性增长"),
from data/targets.toml's [[trend]], and the thresholds of their trend label, data/status.toml's [trend]; read and
checked like the other registries (file and line, every problem at once).

A trend indicator is followed from its baseline month (`since`) and labelled by its annual growth (Statistics
Canada's method for indicators without a target: metrics.trend_label); it is never given a target status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from domain.errors import RegistryError
from domain.model import Registry
from domain.registry import _File, _Problems, data_dir, default_registry

THRESHOLD_KEYS = ("strong", "moderate", "flat")


@dataclass(frozen=True)
class Trend:
    document: str
    indicator: str
    region: str
    since: dt.date
    """The baseline month's end: growth is measured from the value of this month."""
    until: dt.date
    """The plan's horizon (到2027年底)."""
    wording: str
    clause: str
    sentence: str
    """The plan's sentence, verbatim."""


@dataclass(frozen=True)
class TrendThresholds:
    strong: float
    """Annual growth at or above: 明显增长."""
    moderate: float
    """At or above (below strong): 小幅增长."""
    flat: float
    """At or above (below moderate): 基本持平; below: 下降."""
    min_months: int
    """Fewer months since the baseline: 数据不足 (an annual rate of a few months is noise)."""


@dataclass(frozen=True)
class TrendRegistry:
    trends: tuple[Trend, ...]
    thresholds: TrendThresholds

    def of(self, indicator: str) -> Trend | None:
        return next((t for t in self.trends if t.indicator == indicator), None)


def _read_thresholds(f: _File) -> TrendThresholds | None:
    raw = f.doc.get("trend") if f.ok else None
    if not isinstance(raw, dict):
        f.fail("缺少 [trend]（趋势标签的阈值 strong、moderate、flat 与 min_months）")
        return None
    values: dict[str, float] = {}
    for key in THRESHOLD_KEYS:
        v = raw.get(key)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not -1 < v < 10:
            f.fail(f"[trend] {key} 应为年增速的小数（如 0.015 表示1.5%），当前为 {v!r}")
            continue
        values[key] = float(v)
    months = raw.get("min_months")
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 60:
        f.fail(f"[trend] min_months 应为1到60之间的整数月数，当前为 {months!r}")
        return None
    unknown = [k for k in raw if k not in (*THRESHOLD_KEYS, "min_months")]
    if unknown:
        f.fail(f"[trend] 中有未知字段 {'、'.join(unknown)}（可用字段：strong、moderate、flat、min_months）")
    if len(values) < 3:
        return None
    if not values["strong"] > values["moderate"] > values["flat"]:
        f.fail("[trend] 须满足 strong > moderate > flat")
        return None
    return TrendThresholds(**values, min_months=months)


def load_trends(data: Path, registry: Registry) -> TrendRegistry:
    """Read and check targets.toml's [[trend]] and status.toml's [trend] in `data` against `registry`; raises
    RegistryError listing every problem."""
    problems = _Problems()
    targets, status = _File(data / "targets.toml", problems), _File(data / "status.toml", problems)
    trends: list[Trend] = []
    seen: set[tuple[str, str]] = set()
    for e in targets.entries("trend", optional=True):
        with problems.checking():
            e.only("document", "indicator", "region", "since", "until", "wording", "clause", "sentence")
            t = Trend(document=e.get("document", str), indicator=e.get("indicator", str), region=e.get("region", str),
                      since=e.date("since", required=True), until=e.date("until", required=True),
                      wording=e.get("wording", str), clause=e.get("clause", str), sentence=e.get("sentence", str))
            if t.document not in registry.documents:
                raise e.fail(f"文件 document「{t.document}」未在 [[document]] 中登记")
            if t.indicator not in registry.indicators:
                raise e.fail(f"指标 indicator「{t.indicator}」不存在于 indicators.toml")
            if t.region not in registry.regions:
                raise e.fail(f"区域 region「{t.region}」不存在于 regions.toml")
            if registry.targets_on(t.indicator):
                raise e.fail(f"指标「{t.indicator}」已有量化目标：趋势指标只用于没有数字目标的指标")
            if t.until <= t.since:
                raise e.fail("until 须晚于基期 since")
            if (t.indicator, t.region) in seen:
                raise e.fail(f"指标「{t.indicator}」在区域「{t.region}」的趋势重复")
            seen.add((t.indicator, t.region))
            trends.append(t)
    thresholds = _read_thresholds(status)
    if problems.messages or thresholds is None:
        raise RegistryError(problems.messages or ["登记表有误：data/status.toml 的 [trend] 无法读取。"])
    return TrendRegistry(trends=tuple(trends), thresholds=thresholds)


@cache
def _trends_at(path: str) -> TrendRegistry:
    return load_trends(Path(path), default_registry())


def default_trends() -> TrendRegistry:
    """The trend registry in data_dir(), read once per process (edits need a restart)."""
    return _trends_at(str(data_dir()))
