"""The plans' trend indicators (WHC's five key indicators, 突破性增长 without a number) in words: growth since the
baseline and a trend label (metrics.trend_label), never a target status."""

from __future__ import annotations

from domain.model import Registry
from domain.months import month_label
from domain.trends import Trend, TrendThresholds
from metrics.trend_label import LABELS, SYMBOLS, TrendReading
from presentation.fmt import md_text, pct, qty, signed_pct

NO_STATUS = "只看趋势，不判定进度"


def trend_label_text(r: TrendReading) -> str:
    """明显增长 ↑↑."""
    return f"{LABELS[r.label]} {SYMBOLS[r.label]}"


def trend_sentence(trend: Trend, r: TrendReading, registry: Registry) -> str:
    """武汉市科技贷款余额：2024年12月 1,000.0亿元 → 2026年10月 1,300.0亿元，基期以来增长30.0%，年均增长15.3%，明显增长 ↑↑."""
    ind = registry.indicators[trend.indicator]
    where = registry.regions[trend.region].name
    flow = "（近12个月合计）" if ind.kind == "flow" else ""
    head = f"{where}{ind.name_zh}{flow}"
    if r.label == "insufficient":
        base = (f"，基期{month_label(r.baseline_period)} {qty(r.baseline_value, ind.unit, ind.decimals)}"
                if r.baseline_value is not None else f"，基期{month_label(r.baseline_period)}")
        return f"{head}{base}：{LABELS['insufficient']}（{r.why}）"
    return (f"{head}：{month_label(r.baseline_period)} {qty(r.baseline_value, ind.unit, ind.decimals)} → "
            f"{month_label(r.period)} {qty(r.value, ind.unit, ind.decimals)}，基期以来{signed_pct(r.change)}，"
            f"年均{signed_pct(r.growth_annual)}：{trend_label_text(r)}")


def trend_markdown(trend: Trend, r: TrendReading, registry: Registry, doc_title: str) -> str:
    """For 指标详情: the plan's words, the reading, and how the label is given."""
    return "\n".join([
        f"{md_text(doc_title)}要求“{md_text(trend.wording)}”，没有数字目标：{NO_STATUS}。",
        "", f"**{md_text(trend_sentence(trend, r, registry))}**", "",
        f"> {md_text(trend.sentence)}"])


def method_text(t: TrendThresholds) -> str:
    """How the label is given (Statistics Canada's method for indicators without a target)."""
    return (f"趋势标签按基期以来的年均增速 g 判断（Statistics Canada 无目标指标方法）：g ≥ {pct(t.strong)} {LABELS['strong']}；"
            f"{pct(t.moderate)} ≤ g < {pct(t.strong)} {LABELS['moderate']}；{pct(t.flat)} ≤ g < {pct(t.moderate)} "
            f"{LABELS['flat']}；g < {pct(t.flat)} {LABELS['falling']}；基期后不足{t.min_months}个月为{LABELS['insufficient']}。"
            "流量指标以近12个月合计比较。阈值由系统管理员统一设定。")
