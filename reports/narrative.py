"""The meeting's Chinese text, generated from a Brief (reports/brief.py) only: no figure is written by hand.

The meeting page and the deck both print `narrative(brief, registry)`, so they say the same thing:

- headline: how many targets stand where (status counts), overall and per plan (naming the targets that
  are not simply 进度正常);
- changes: against the month before, the targets whose status changed, then each target's move
  (metrics.changes: 增加/减少 in its unit, the relative change, points for a %), and which were not
  updated this month;
- behind: each target behind, furthest first: where it stands against its 序时进度 (应达 / 实际 / 差), its
  status, its completion, and the pace it now needs (presentation.sentences.behind_sentence and watch_line, the
  one home of the progress sentence: the projection at the observed growth, and the growth and the monthly
  increase needed from now to the deadline, counts whole);
- units: for each ranking, the three largest units, the fastest and the slowest growth, the units'
  standing against their sub-targets where set, and who did not report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from domain.model import Registry
from domain.months import month_label
from metrics.standing import Standing
from presentation.fmt import amount, growth_text, pace_qty, pct, qty, signed_pct
from presentation.labels import MEMBERS, observation_note, subtarget_word
from presentation.sentences import (
    behind_sentence,
    schedule,
    since_phrase,
    still_needed,
    target_label,
    watch_line,
)
from reports.brief import Brief, MonthChange, Ranking

LEADERS = 3


@dataclass(frozen=True)
class Narrative:
    headline: list[str]
    changes: list[str]
    behind: list[str]  # in the order of brief.behind
    groups: dict[str, str] = field(default_factory=dict)  # document id → its plan's sentence
    units: dict[str, str] = field(default_factory=dict)  # ranking target id → its sentence
    watch: dict[str, str] = field(default_factory=dict)  # target id behind → its short line (plan slides)
    moves: list[str] = field(default_factory=list)  # each target's move this month, one phrase each

    def summary(self) -> list[str]:
        """Headline, changes and the targets behind: the text of the overview slide."""
        return [*self.headline, *self.changes, *self.behind]

    def as_text(self) -> str:
        parts = ["【总体情况】", *self.headline, *self.groups.values(), "", "【与上月相比】", *self.changes]
        if self.behind:
            parts += ["", "【进度滞后的目标】", *self.behind]
        if self.units:
            parts += ["", "【各单位情况】", *self.units.values()]
        return "\n".join(parts) + "\n"


def _count_phrase(rows: list[Standing], registry: Registry, *, name_others: bool) -> str:
    """已达标1项（科技金融专营机构数）、进度正常3项、需加快1项（…）: in the order of data/status.toml; targets in
    their 观察期 counted apart and said why: 观察期1项（科技型企业贷款余额；基期后不足6个月，暂不判定进度）."""
    parts = []
    for code, style in registry.statuses.items():
        mine = [s for s in rows if s.status == code]
        if not mine:
            continue
        text = f"{style.label}{len(mine)}项"
        notes = []
        if name_others and code != "on_track":
            notes.append("、".join(registry.indicators[s.indicator_code].name_zh for s in mine))
        if code == "observation":
            notes.append(_observation_note(mine))
        if notes:
            text += f"（{'；'.join(notes)}）"
        parts.append(text)
    return "、".join(parts)


def _observation_note(rows: list[Standing]) -> str:
    """基期后不足6个月，暂不判定进度; targets with spans of their own (data/status.toml): each span, 6/3."""
    spans = sorted({s.observation_months for s in rows}, reverse=True)
    return observation_note("/".join(str(n) for n in spans))


def plan_name(rows: list[Standing], registry: Registry) -> str:
    """武汉市2027年目标 / 湖北省2026年目标: the region and the deadline year of a plan's targets."""
    s = rows[0]
    return f"{registry.regions[s.region_code].name}{s.deadline.year}年目标"


def headline(brief: Brief, registry: Registry) -> list[str]:
    n = len(brief.standings)
    if not n:
        return [f"截至{month_label(brief.as_of)}，没有登记的目标。"]
    return [f"截至{month_label(brief.as_of)}，监测的{n}项目标中，{_count_phrase(brief.standings, registry, name_others=False)}。"]


def group_sentence(rows: list[Standing], registry: Registry) -> str:
    return f"{plan_name(rows, registry)}{len(rows)}项：{_count_phrase(rows, registry, name_others=True)}。"


def _move(s: Standing, change: MonthChange, registry: Registry) -> str | None:
    """专营机构数增加1家（+2.0%） / 科创类上市占比提高0.6个百分点 / 汉融通产品数持平; None when unknown."""
    ind = registry.indicators[s.indicator_code]
    if change.mom is None:
        return None
    name = ind.short_zh
    if round(change.mom, ind.decimals) == 0:
        return f"{name}持平"
    if ind.unit == "%":
        verb = "提高" if change.mom > 0 else "下降"
        return f"{name}{verb}{amount(change.mom, ind.unit, ind.decimals)}"
    verb = "增加" if change.mom > 0 else "减少"
    rel = f"（{signed_pct(change.mom_rel)}）" if change.mom_rel is not None else ""
    return f"{name}{verb}{amount(change.mom, ind.unit, ind.decimals)}{rel}"


def moves(brief: Brief, registry: Registry) -> list[str]:
    """专营机构数增加1家（+2.0%）, … for every target with a value this month and the month before."""
    return [m for s in brief.standings if (m := _move(s, brief.changes[s.target_id], registry))]


def changes(brief: Brief, registry: Registry) -> list[str]:
    if brief.previous is None:
        return ["暂无上月数据，本月无法与上月比较。"]
    before = month_label(brief.previous)
    moved = []
    for s in brief.standings:
        was = brief.changes[s.target_id].status_before
        if was is not None and was != s.status:
            moved.append(f"{registry.indicators[s.indicator_code].name_zh}由{registry.statuses[was].label}"
                         f"转为{registry.statuses[s.status].label}")
    out = [f"与{before}相比，{len(moved)}项目标状态变化：{'；'.join(moved)}。" if moved
           else f"与{before}相比，各项目标状态均未变化。"]
    moved_values = moves(brief, registry)
    if moved_values:
        out.append(f"本月数值变化：{'，'.join(moved_values)}。")
    stale = [f"{registry.indicators[s.indicator_code].short_zh}（最新为{month_label(s.as_of)}）"
             for s in brief.standings if s.as_of is not None and s.is_stale]
    missing = [registry.indicators[s.indicator_code].short_zh for s in brief.standings if s.as_of is None]
    if stale:
        out.append(f"本月未更新：{'、'.join(stale)}。")
    if missing:
        out.append(f"尚无数据：{'、'.join(missing)}。")
    return out


def key_figures(s: Standing, registry: Registry) -> list[tuple[str, str]]:
    """(label, value) pairs beside a target's chart: where it is against its 序时进度 first, then the target and
    its completion, how fast it went, where that ends, what the rest of the way needs (presentation.sentences'
    words and roundings: counts whole, a share in points)."""
    ind = registry.indicators[s.indicator_code]
    o = s.outlook
    d = ind.decimals
    deadline = month_label(s.deadline)
    rows = [(f"最新值（{month_label(s.as_of)}）" if s.as_of else "最新值", qty(s.value, ind.unit, d))]
    plan = schedule(s, ind)
    if plan is not None:
        rows += [("按序时进度应达", plan.due), ("与序时进度相比", plan.verdict)]
    done = "完成目标增幅" if s.kind in ("growth_vs_baseline", "cagr") else "完成目标"
    rows += [(f"目标（{deadline}）", target_label(s, registry)), (done, pct(s.completion))]
    since = since_phrase(s, ind, base="基期")
    if since is not None:
        rows.append(since)
    if o.projected_at_deadline is not None:
        rows.append(("按此趋势到期预计" if ind.unit == "%" else "按此增速到期预计",
                     qty(o.projected_at_deadline, ind.unit, d)))
    rows.append(("预计达标", month_label(o.projected_attainment) if o.projected_attainment else "到期前达不到"))
    if o.increase_required_monthly is not None:
        rest = still_needed(s, ind)
        if rest is not None:
            rows.append(("如期完成还需提高" if ind.unit == "%" else "如期完成还需新增", rest))
        if ind.unit == "%":
            rows.append(("此后每月需提高", pace_qty(o.increase_required_monthly, ind.unit, d)))
        else:
            rows.append(("此后每月需新增", pace_qty(o.increase_required_monthly, ind.unit, d)))
            if o.growth_required_annual is not None and (o.months_left or 0) >= 12:
                rows.append(("折合年均需增长", pct(o.growth_required_annual)))
    return rows


def _unit_names(rows: list[dict[str, Any]], registry: Registry) -> str:
    return "、".join(registry.regions[r["region_code"]].name for r in rows)


def units_sentence(r: Ranking, registry: Registry, as_of: dt.date) -> str:
    """The leaders by size, the fastest and slowest growth, sub-target standing, who did not report."""
    ind = registry.indicators[r.indicator]
    parent = registry.regions[r.parent]
    noun = MEMBERS[parent.kind]
    table = r.table
    reported = table.filter(pl.col("value").is_not_null())
    head = f"{parent.name}各{noun}{ind.name_zh}"
    if r.month is not None and r.month != as_of:
        head += f"（数据为{month_label(r.month)}）"
    if reported.is_empty():
        return f"{head}：各{noun}均未报送。"

    def shown(row: dict[str, Any]) -> str:
        share = f"，占{pct(row['share'])}" if row.get("share") is not None else ""
        return f"{registry.regions[row['region_code']].name}（{qty(row['value'], ind.unit, ind.decimals)}{share}）"

    leaders = list(reported.sort(["rank", "region_code"]).head(LEADERS).iter_rows(named=True))
    parts = [f"{'、'.join(shown(x) for x in leaders)}居前"]
    key = "yoy_points" if ind.unit == "%" else "yoy"
    grown = list(reported.filter(pl.col(key).is_not_null()).sort(key, descending=True).iter_rows(named=True))
    if len(grown) >= 2:
        high, low = ("升幅最大", "最小") if ind.unit == "%" else ("增速最高", "最低")
        parts.append(f"同比{high}的是{registry.regions[grown[0]['region_code']].name}（{growth_text(grown[0])}），"
                     f"{low}的是{registry.regions[grown[-1]['region_code']].name}（{growth_text(grown[-1])}）")
    judged = reported.filter(pl.col("status").is_not_null())
    if judged.height:
        counts = "、".join(f"{style.label}{n}个" for code, style in registry.statuses.items()
                           if (n := judged.filter(pl.col("status") == code).height))
        low = judged.sort("subtarget_completion").row(0, named=True)
        parts.append(f"对照{subtarget_word(registry.subtargets_are_examples(r.target_id))}，{counts}，完成分解目标比例最低的是"
                     f"{registry.regions[low['region_code']].name}（{pct(low['subtarget_completion'])}）")
    missing = list(table.filter(pl.col("value").is_null() & pl.col("note").is_null()).iter_rows(named=True))
    text = f"{head}：{'；'.join(parts)}。"
    if missing:
        text += f"{_unit_names(missing, registry)}未报送。"
    return text


def narrative(brief: Brief, registry: Registry) -> Narrative:
    groups = {doc: group_sentence(rows, registry) for doc in brief.documents if (rows := brief.by_document(doc))}
    return Narrative(
        headline=headline(brief, registry), changes=changes(brief, registry),
        behind=[behind_sentence(s, registry) for s in brief.behind], groups=groups,
        units={r.target_id: units_sentence(r, registry, brief.as_of) for r in brief.rankings},
        watch={s.target_id: watch_line(s, registry) for s in brief.behind}, moves=moves(brief, registry),
    )
