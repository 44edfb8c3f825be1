"""One Chinese sentence per target, generated from its standing only (no hand-written figures)."""

from __future__ import annotations

from charts.fmt import pct, qty, target_phrase
from loaders.periods import month_label
from loaders.registry import Registry
from metrics.progress import annualised
from metrics.standing import Standing


def target_sentence(s: Standing, registry: Registry) -> str:
    ind = registry.indicators[s.indicator_code]
    label = registry.statuses[s.status].label
    region = registry.regions[s.region_code]
    # 全市/全省 as officials say it; another region is named in full.
    where = {"province": "全省", "city": "全市"}.get(region.kind, region.name) if region.code in ("420000", "420100") \
        else region.name
    name = f"{where}{ind.name_zh}"
    if s.value is None or s.as_of is None:
        return f"{name}暂无数据，请上传报送表。"
    head = f"截至{month_label(s.as_of)}，{name}{qty(s.value, ind.unit, ind.decimals)}"
    if s.is_stale:
        head = f"{name}最新数据为{month_label(s.as_of)}（所选月份未报送），{qty(s.value, ind.unit, ind.decimals)}"
    if s.target_value is None or (s.baseline_value is None and s.kind != "level"):
        return f"{head}，基期数据不足，暂无法判断进度。"
    elapsed = f"时间进度{pct(s.time_elapsed)}" if s.time_elapsed is not None else ""
    if s.kind == "growth_vs_baseline":
        growth = s.value / s.baseline_value - 1 if s.baseline_value else None
        body = (f"较基期（{month_label(s.baseline_period)}，{qty(s.baseline_value, ind.unit, ind.decimals)}）"
                f"增长{pct(growth)}（目标增长{pct(s.target_raw - 1, 0)}），完成目标增幅的{pct(s.completion)}")
    elif s.kind == "cagr":
        body = (f"自{month_label(s.baseline_period)}以来年均增长{pct(annualised(s.growth_observed_monthly))}"
                f"（目标年均{pct(s.target_raw, 0)}）")
    else:
        phrase = target_phrase(s.comparator, s.target_value, ind.unit, 0)
        body = f"完成目标（{phrase}）的{pct(s.completion)}"
    if s.status == "achieved":
        return f"{head}，{body}，已达标。"
    if s.status == "insufficient_data":
        return f"{head}，{body}，数据点不足，暂无法判断进度。"
    return f"{head}，{body}，{elapsed}，{label}。"
