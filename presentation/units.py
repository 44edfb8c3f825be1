"""Units among their peers (metrics.districts results) as the district pages, the indicator page and their
downloads show them: one unit's facts in a line, all units on one indicator, one unit on every indicator."""

from __future__ import annotations

import polars as pl

from domain.model import Indicator, Registry
from domain.months import month_label
from presentation.fmt import POINTS, growth_text, num, pct, qty, status_text, why_missing
from presentation.labels import MEMBERS, WHOLE


def unit_facts(me: dict, ind: Indicator, n_reported: int, parent_kind: str) -> str:
    """One unit's line under a ranking: value (or why there is none), rank, share, y/y growth.

    `parent_kind` ("city" / "province") says how the parent is named (全市 / 全省) and its units (单位 / 市州)."""
    whole, members = WHOLE[parent_kind], MEMBERS[parent_kind]
    facts = [f"{ind.short_zh} {qty(me['value'], ind.unit, ind.decimals)}" if me["value"] is not None
             else f"{ind.short_zh} {why_missing(me)}"]
    if me["rank"] is not None:
        facts.append(f"{whole}第{me['rank']}名（共{n_reported}个{members}有数据）")
    if me["share"] is not None:
        facts.append(f"占{whole}{pct(me['share'])}")
    if me["value"] is not None:
        facts.append(f"同比 {growth_text(me)}")
    return "　｜　".join(facts)


def _rank_text(rank: int | None, n: int | None) -> str:
    return f"{rank}/{n}" if rank is not None and n else "—"


def _status(registry: Registry, status: str | None) -> str:
    return status_text(registry.statuses[status]) if status is not None else "—"


def profile_rows(profile: pl.DataFrame, registry: Registry, parent_name: str) -> pl.DataFrame:
    """metrics.districts.unit_profile → the one-unit table, Chinese headings, formatted text; the trend
    stays numeric for st.column_config.LineChartColumn ("近24个月走势")."""
    rows = []
    for r in profile.iter_rows(named=True):
        ind = registry.indicators[r["indicator_code"]]
        value = qty(r["value"], ind.unit, ind.decimals) if r["value"] is not None else why_missing(r)
        if r["value"] == 0 and r["note"]:
            value = f"0{ind.unit}（{r['note']}）"
        rows.append({
            "指标": ind.name_zh, "数值": value,
            "月份": month_label(r["period"]) if r["period"] else "—",
            "同比": growth_text(r),
            f"{parent_name}排名": _rank_text(r["rank"], r["n_ranked"]),
            f"占{parent_name}": pct(r["share"]),
            "分解目标": qty(r["subtarget"], ind.unit, ind.decimals) if r["subtarget"] is not None else "—",
            "完成分解目标": pct(r["subtarget_completion"]),
            "状态": _status(registry, r["status"]),
            "近24个月走势": r["history"],
        })
    return pl.DataFrame(rows, schema={"指标": pl.String, "数值": pl.String, "月份": pl.String, "同比": pl.String,
                                      f"{parent_name}排名": pl.String, f"占{parent_name}": pl.String,
                                      "分解目标": pl.String, "完成分解目标": pl.String, "状态": pl.String,
                                      "近24个月走势": pl.List(pl.Float64)})


def change_heading(ind: Indicator) -> str:
    """The heading of the change since the end of last year: 较上年末增加（亿元）; a share's in points
    (较上年末变化（个百分点）), never "%" for a change of a percentage."""
    return f"较上年末变化（{POINTS}）" if ind.unit == "%" else f"较上年末增加（{ind.unit}）"


def district_rows(table: pl.DataFrame, registry: Registry, indicator: str, parent_name: str) -> pl.DataFrame:
    """metrics.districts.district_table → every unit on one indicator, for display and download."""
    ind = registry.indicators[indicator]
    rows = []
    for r in table.iter_rows(named=True):
        rows.append({
            "单位": r["region_name"],
            f"数值（{ind.unit}）": num(r["value"], ind.decimals) if r["value"] is not None else why_missing(r),
            "排名": str(r["rank"]) if r["rank"] is not None else "—",
            f"占{parent_name}": pct(r["share"]),
            "同比": growth_text(r),
            change_heading(ind): num(r["change_ytd"], ind.decimals) if r["change_ytd"] is not None else "—",
            "增量贡献": pct(r["contribution"]),
            f"分解目标（{ind.unit}）": num(r["subtarget"], ind.decimals) if r["subtarget"] is not None else "—",
            "完成分解目标": pct(r["subtarget_completion"]),
            "状态": _status(registry, r["status"]),
        })
    return pl.DataFrame(rows)
