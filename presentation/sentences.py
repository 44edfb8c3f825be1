"""One Chinese sentence per target, generated from its standing only (no hand-written figures)."""

from __future__ import annotations

from domain.model import Registry
from domain.months import month_label
from metrics.progress import annualised
from metrics.standing import Standing
from presentation.fmt import num, pct, qty, target_phrase


def target_sentence(s: Standing, registry: Registry) -> str:
    ind = registry.indicators[s.indicator_code]
    label = registry.statuses[s.status].label
    region = registry.regions[s.region_code]
    # 全市/全省 as officials say it; another region is named in full.
    where = ("全省" if region.code == registry.province else "全市") if registry.is_whole(region.code) else region.name
    name = f"{where}{ind.name_zh}"
    if s.value is None or s.as_of is None:
        return f"{name}暂无数据，请上传报送表。"
    head = f"截至{month_label(s.as_of)}，{name}{qty(s.value, ind.unit, ind.decimals)}"
    if s.is_stale:
        head = f"{name}最新数据为{month_label(s.as_of)}（所选月份未报送），{qty(s.value, ind.unit, ind.decimals)}"
    if not s.has_target:  # a unit without a sub-target: measured, not judged
        return f"{head}（未设分解目标）。"
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


def outlook_sentence(s: Standing, registry: Registry) -> str:
    """Where this pace ends up and what the rest of the way needs (metrics/trajectory.py); "" when unknown.

    A required pace is given as annual growth only when a year or more is left (annualising two months
    misleads), and for a % indicator as percentage points a month.
    """
    o = s.outlook
    if s.value is None or s.status == "achieved" or o.projected_at_deadline is None:
        return ""
    ind = registry.indicators[s.indicator_code]
    deadline = f"{s.deadline.year}年{s.deadline.month}月"
    since = month_label(s.baseline_period)
    pace = f"按{since}以来的增速（年均{pct(o.growth_observed_annual)}）" if o.growth_observed_annual is not None \
        else f"按{since}以来的平均增量"
    head = f"{pace}，到{deadline}预计达{qty(o.projected_at_deadline, ind.unit, ind.decimals)}"
    if not s.has_target or s.target_value is None:
        return f"{head}。"
    if o.projected_attainment is not None:
        return f"{head}，预计{month_label(o.projected_attainment)}达到目标。"
    return f"{head}，到期达不到目标{required_phrase(s, registry)}。"


def required_phrase(s: Standing, registry: Registry) -> str:
    """"，如期完成需此后年均增长12.2%（每月新增4.5家）" — what the rest of the way needs; "" when nothing."""
    o = s.outlook
    ind = registry.indicators[s.indicator_code]
    if o.increase_required_monthly is None:
        return ""
    if ind.unit == "%":
        return f"，如期完成需此后每月提高{num(o.increase_required_monthly, 2)}个百分点"
    monthly = qty(o.increase_required_monthly, ind.unit, max(1, ind.decimals))
    if o.growth_required_annual is not None and (o.months_left or 0) >= 12:
        return f"，如期完成需此后年均增长{pct(o.growth_required_annual)}（每月新增{monthly}）"
    return f"，如期完成需此后{o.months_left}个月每月新增{monthly}"


def target_label(s: Standing, registry: Registry) -> str:
    """The target in a few words, as a chart or a heading shows it: 突破5,000亿元; 年均增长20%（到期4,744亿元以上）."""
    ind = registry.indicators[s.indicator_code]
    if s.target_value is None:
        return "—"
    phrase = target_phrase(s.comparator, s.target_value, ind.unit, 0)
    if s.kind == "cagr":
        return f"年均增长{pct(s.target_raw, 0)}（到期{phrase}）"
    if s.kind == "growth_vs_baseline":
        return f"较基期增长{pct(s.target_raw - 1, 0)}（{phrase}）"
    return phrase
