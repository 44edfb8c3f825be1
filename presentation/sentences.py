"""How a target stands, said the way officials say it, generated from its standing only (no hand-written figures).

This is the one home of the progress sentence: the overview's cards and gauges, 指标详情, the meeting slides,
the deck and the narrative all take their words from here.

Officials judge progress by 序时进度 ("时间过半、任务过半"): where the target should be by now if it moved evenly
from the baseline to the target (metrics' linear path, `outlook.expected_linear`), against where it is. So every
progress sentence leads with that comparison — 按序时进度应达462家，实际437家，差25家 — then the status, and
the completion only after it: "完成87.4%，时间进度53.3%" side by side reads as ahead of schedule when the
target is 25 firms behind (87.4% is of the target's level, 53.3% of the time since the baseline).

Figures in a sentence add up as shown: the difference is taken between the two figures as rounded for display
(462 − 437 = 25), so the reader's own subtraction agrees with it. Counts are whole, a % indicator's differences
and changes are in 个百分点.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.model import Indicator, Registry
from domain.months import month_label
from metrics.progress import annualised
from metrics.standing import Standing
from presentation.fmt import POINTS, amount, is_count, num, pace_qty, pct, qty, target_phrase, whole_pace
from presentation.labels import observation_note

ON_SCHEDULE = "按序时进度"


@dataclass(frozen=True)
class Schedule:
    """A target against its 序时进度, as shown: the value due by now, the value, and the difference between them
    (both rounded for display first, so that 应达 − 实际 = 差 as printed)."""

    due: str  # 462家
    actual: str  # 437家
    gap: str  # 25家 (no sign; `behind` says which way)
    behind: bool | None  # None: level with it

    @property
    def verdict(self) -> str:
        """差25家 / 超224.2亿元 / 持平."""
        return "持平" if self.behind is None else f"{'差' if self.behind else '超'}{self.gap}"

    @property
    def phrase(self) -> str:
        """按序时进度应达462家，实际437家，差25家."""
        return f"{ON_SCHEDULE}应达{self.due}，实际{self.actual}，{self.verdict}"

    @property
    def against(self) -> str:
        """落后序时进度25家 / 超序时进度224.2亿元 / 与序时进度持平: the comparison in a few words."""
        if self.behind is None:
            return "与序时进度持平"
        return f"{'落后' if self.behind else '超'}序时进度{self.gap}"


def _decimals(ind: Indicator) -> int:
    return 0 if is_count(ind.unit) else ind.decimals


def schedule(s: Standing, ind: Indicator) -> Schedule | None:
    """The standing against its 序时进度 (metrics' linear path from the baseline to the target); None when there
    is no value or no path (no baseline, no target, a unit without a sub-target), and in the target's 观察期
    (差/超序时进度 after a few months would be the verdict the observation period withholds)."""
    due = s.outlook.expected_linear
    if s.value is None or due is None or not s.has_target or s.in_observation:
        return None
    d = _decimals(ind)
    difference = round(s.value, d) - round(due, d)  # as shown: 437 − 462 = −25
    behind = None if round(difference, d) == 0 else (difference < 0) == ind.higher_is_better
    return Schedule(due=qty(due, ind.unit, d), actual=qty(s.value, ind.unit, d),
                    gap=amount(difference, ind.unit, d), behind=behind)


def completion_phrase(s: Standing, ind: Indicator) -> str:
    """What has been done of the target, after the comparison: 完成目标（500家以上）的87.4% / 较基期（2024年8月，
    14,200家）增长49.2%（目标增长70%），完成目标增幅的70.2% / 2024年8月以来年均增长21.0%（目标年均20%）."""
    if s.kind == "growth_vs_baseline":
        growth = s.value / s.baseline_value - 1 if s.baseline_value and s.value is not None else None
        return (f"较基期（{month_label(s.baseline_period)}，{qty(s.baseline_value, ind.unit, _decimals(ind))}）"
                f"增长{pct(growth)}（目标增长{pct(s.target_raw - 1, 0)}），完成目标增幅的{pct(s.completion)}")
    if s.kind == "cagr":
        return (f"{month_label(s.baseline_period)}以来年均增长{pct(annualised(s.growth_observed_monthly))}"
                f"（目标年均{pct(s.target_raw, 0)}）")
    if s.target_value is None:
        return "目标值待定"
    decimals = 0 if float(s.target_value).is_integer() else ind.decimals
    return f"完成目标（{target_phrase(s.comparator, s.target_value, ind.unit, decimals)}）的{pct(s.completion)}"


def progress_clause(s: Standing, registry: Registry, *, symbol: bool = False) -> str:
    """The heart of every progress sentence, without whose figure it is: 按序时进度应达462家，实际437家，差25家，
    明显滞后；完成目标（500家以上）的87.4% (with `symbol`, ▼明显滞后). Achieved: 完成目标（…）的104.0%，已达标."""
    ind = registry.indicators[s.indicator_code]
    style = registry.statuses[s.status]
    label = f"{style.symbol}{style.label}" if symbol else style.label
    done = completion_phrase(s, ind)
    if s.status == "achieved":
        return f"{done}，{label}"
    if s.status == "insufficient_data":
        return f"{done}，数据点不足，暂无法判断进度"
    if s.in_observation:  # 完成目标（…）的12.3%，观察期（基期后不足6个月，暂不判定进度）
        return f"{done}，{label}（{observation_note(s.observation_months)}）"
    plan = schedule(s, ind)
    if plan is None:
        return f"{done}，{label}"
    return f"{plan.phrase}，{label}；{done}"


def _where(s: Standing, registry: Registry) -> str:
    region = registry.regions[s.region_code]
    target = registry.targets.get(s.target_id)
    if target is not None and target.region != region.code:  # a unit of the target's region: 武汉市 among the 市州
        return region.name
    # 全市/全省 as officials say it; another region is named in full.
    return ("全省" if region.code == registry.province else "全市") if registry.is_whole(region.code) else region.name


def target_sentence(s: Standing, registry: Registry) -> str:
    """截至2026年10月，全市“金种子”“银种子”企业数按序时进度应达462家，实际437家，差25家，明显滞后；完成目标
    （500家以上）的87.4%。"""
    ind = registry.indicators[s.indicator_code]
    name = f"{_where(s, registry)}{ind.name_zh}"
    if s.value is None or s.as_of is None:
        return f"{name}暂无数据，请上传报送表。"
    value = qty(s.value, ind.unit, ind.decimals)
    head = f"截至{month_label(s.as_of)}，{name}"
    if s.is_stale:
        head = f"{name}最新数据为{month_label(s.as_of)}（所选月份未报送）"
    if not s.has_target:  # a unit without a sub-target: measured, not judged
        return f"{head}{'，' if s.is_stale else ''}{value}（未设分解目标）。"
    if s.target_value is None or (s.baseline_value is None and s.kind != "level"):
        return f"{head}{'，' if s.is_stale else ''}{value}，基期数据不足，暂无法判断进度。"
    plan = schedule(s, ind) if s.status not in ("achieved", "insufficient_data") else None
    if plan is not None:  # the comparison says the value (实际…)
        return f"{head}{'：' if s.is_stale else ''}{progress_clause(s, registry)}。"
    return f"{head}{'，' if s.is_stale else ''}{value}，{progress_clause(s, registry)}。"


def behind_sentence(s: Standing, registry: Registry) -> str:
    """A target behind, as the meeting says it (the month is on the slide; the region named in full): 武汉市
    “金种子”“银种子”企业数按序时进度应达462家，实际437家，差25家，▼明显滞后；完成目标（500家以上）的87.4%。
    then where this pace ends and what the rest of the way needs (outlook_sentence)."""
    ind = registry.indicators[s.indicator_code]
    name = f"{registry.regions[s.region_code].name}{ind.name_zh}"
    clause = progress_clause(s, registry, symbol=True)
    if schedule(s, ind) is None or s.status in ("achieved", "insufficient_data"):
        clause = f"{qty(s.value, ind.unit, ind.decimals)}，{clause}"
    return f"{name}{clause}。{outlook_sentence(s, registry)}"


def watch_line(s: Standing, registry: Registry) -> str:
    """A target to watch, in a line: ▼ 金银种子企业：按序时进度应达462家，实际437家，差25家，明显滞后；如期完成还需新增
    63家，此后需年均增长12.2%、每月新增约5家。"""
    ind = registry.indicators[s.indicator_code]
    style = registry.statuses[s.status]
    plan = schedule(s, ind)
    head = f"{plan.phrase if plan is not None else completion_phrase(s, ind)}，{style.label}"
    need = required_phrase(s, registry).removeprefix("，")
    return f"{style.symbol} {ind.short_zh}：{head}" + (f"；{need}" if need else "") + "。"


def gauge_lines(s: Standing, ind: Indicator) -> list[str]:
    """The comparison under a gauge's dial, in two short lines at the size of the status (the value itself is the
    dial's number): 按序时进度应达 462家 / 实际 437家，差 25家. None without a path."""
    if s.in_observation:  # where the comparison would be: why there is none
        return [observation_note(s.observation_months)]
    plan = schedule(s, ind)
    if plan is None:
        return []
    verdict = "与序时进度持平" if plan.behind is None else f"{'差' if plan.behind else '超'} {plan.gap}"
    return [f"{ON_SCHEDULE}应达 {plan.due}", f"实际 {plan.actual}，{verdict}"]


def verdict_line(s: Standing, registry: Registry, sep: str = "　｜　") -> str:
    """The line beside a target's status on 指标详情: 按序时进度应达462家，实际437家，差25家　｜　完成目标的87.4%
    (an achieved target, or one without a path, its completion alone; one in its 观察期 why it has no status:
    基期后不足6个月，暂不判定进度　｜　完成目标的12.3%)."""
    ind = registry.indicators[s.indicator_code]
    growth = s.kind in ("growth_vs_baseline", "cagr")
    done = f"完成目标{'增幅' if growth else ''}的{pct(s.completion)}"
    if s.in_observation:
        return f"{observation_note(s.observation_months)}{sep}{done}"
    plan = schedule(s, ind)
    if plan is None or s.status == "achieved":
        return done
    return f"{plan.phrase}{sep}{done}"


def strip_phrase(s: Standing, registry: Registry) -> str:
    """What a target's chip on the overview's strip says after its status: where it stands against its 序时进度,
    then its completion (落后序时进度25家，完成 87.4%; 超序时进度224.2亿元，完成 91.9%), so that the first line a
    viewer sees reads whole; an achieved target (or one without a path) its completion alone: 完成 104.0%."""
    plan = schedule(s, registry.indicators[s.indicator_code])
    done = f"完成 {pct(s.completion)}"
    if plan is None or s.status == "achieved":
        return done
    return f"{plan.against}，{done}"


def since_phrase(s: Standing, ind: Indicator, base: str | None = None) -> tuple[str, str] | None:
    """How fast it went since the baseline, as (label, figure): a share in points (2024年8月以来提高, 4.3个百分点;
    以来下降…; 2024年8月以来, 持平), anything else as annual growth (2025年6月以来年均增速, 3.4%); None without a
    baseline. `base` names the baseline instead of its month (基期以来…)."""
    if s.baseline_period is None:
        return None
    since = f"{base or month_label(s.baseline_period)}以来"
    if ind.unit == "%":
        if s.value is None or s.baseline_value is None:
            return f"{since}提高", "—"
        change = s.value - s.baseline_value
        if round(change, ind.decimals) == 0:
            return since, "持平"
        return f"{since}{'提高' if change > 0 else '下降'}", amount(change, ind.unit, ind.decimals)
    return f"{since}年均增速", pct(s.outlook.growth_observed_annual)


def outlook_sentence(s: Standing, registry: Registry) -> str:
    """Where this pace ends up and what the rest of the way needs (metrics/trajectory.py); "" when unknown.

    A required pace is given as annual growth only when a year or more is left (annualising two months
    misleads); for a % indicator the change is in points, never a growth rate of a percentage. In its 观察期 only
    what the rest of the way needs: a projection from a few months would be the verdict it withholds.
    """
    o = s.outlook
    if s.value is None or s.status == "achieved":
        return ""
    if s.in_observation:
        need = required_phrase(s, registry).removeprefix("，")
        return f"{need}。" if need else ""
    if o.projected_at_deadline is None:
        return ""
    ind = registry.indicators[s.indicator_code]
    deadline = f"{s.deadline.year}年{s.deadline.month}月"
    since = month_label(s.baseline_period)
    projected = qty(o.projected_at_deadline, ind.unit, ind.decimals)
    if ind.unit == "%" and s.baseline_value is not None:
        label, moved = since_phrase(s, ind)
        head = f"{label}{moved}，按此趋势到{deadline}预计达{projected}"
    elif o.growth_observed_annual is not None:
        head = f"按{since}以来的增速（年均{pct(o.growth_observed_annual)}），到{deadline}预计达{projected}"
    else:
        head = f"按{since}以来的平均增量，到{deadline}预计达{projected}"
    if not s.has_target or s.target_value is None:
        return f"{head}。"
    if o.projected_attainment is not None:
        return f"{head}，预计{month_label(o.projected_attainment)}达到目标。"
    return f"{head}，到期达不到目标{required_phrase(s, registry)}。"


def still_needed(s: Standing, ind: Indicator) -> str | None:
    """How far the value is from the target, as shown (63家; 3.0个百分点; 404.1亿元); None once met or unknown."""
    if s.value is None or s.target_value is None or s.outlook.increase_required_monthly is None:
        return None
    d = _decimals(ind)
    if is_count(ind.unit):  # a target of 24,140.4家 needs 24,141: a whole firm more, not fewer
        rest = float(whole_pace(s.target_value - s.value))
    else:
        rest = round(s.target_value, d) - round(s.value, d)
    return amount(rest, ind.unit, d) if round(rest, d) > 0 else None


def required_phrase(s: Standing, registry: Registry) -> str:
    """"，如期完成还需新增63家，此后需年均增长12.2%、每月新增约5家" — what the rest of the way needs; "" when
    nothing. A % indicator in points a month; counts whole, rounded up (presentation.fmt.whole_pace)."""
    o = s.outlook
    ind = registry.indicators[s.indicator_code]
    if o.increase_required_monthly is None:
        return ""
    rest = still_needed(s, ind)
    if ind.unit == "%":
        head = f"，如期完成还需提高{rest}" if rest else "，如期完成"
        return f"{head}，此后每月需提高{num(o.increase_required_monthly, 2)}{POINTS}"
    head = f"，如期完成还需新增{rest}" if rest else "，如期完成"
    monthly = pace_qty(o.increase_required_monthly, ind.unit, ind.decimals)
    if o.growth_required_annual is not None and (o.months_left or 0) >= 12:
        return f"{head}，此后需年均增长{pct(o.growth_required_annual)}、每月新增{monthly}"
    return f"{head}，此后{o.months_left}个月每月需新增{monthly}"


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
