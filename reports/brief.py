"""Everything a meeting is shown, gathered once from the metrics (pure: frames in, records out).

The meeting page, the deck, the PDF and the PNG export all read one `Brief`, so a figure or a sentence
is the same in each. Nothing here computes a metric: it calls metrics.standing (each target now and a
month before), metrics.changes (the month-on-month change), metrics.indicator (a target's paths and
projections for its chart) and metrics.districts (the units' table), and picks from their results:

- the targets behind: status 逆向变化, 明显滞后 or 需加快, furthest behind first (lowest pace ratio R,
  the figure the status is judged on); the meeting page shows the first MEETING_BEHIND of them;
- the rankings: each target whose region has units with data (Wuhan's 16, Hubei's 17 市州), targets
  with sub-targets for their units first, then in registry order;
- the sources: the active submissions whose values the series uses up to the month, by agency and
  what they carry (dataset).

`load_brief` is the one function that reads the database (for the command line and the bench).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from domain import clock
from domain.errors import UserError
from domain.model import Registry
from domain.months import add_months, parse_month_key
from domain.tasks import default_tasks
from metrics import districts
from metrics.changes import monthly_table
from metrics.indicator import IndicatorView, indicator_view
from metrics.series import months_with_data
from metrics.standing import Standing, latest_month, standings
from metrics.tasks import supervision_rows, task_standings

BEHIND = ("regressing", "limited_progress", "needs_acceleration")
MEETING_BEHIND = 3


@dataclass(frozen=True)
class MonthChange:
    """A target's move since the month before (metrics.changes.monthly_table's row for the month)."""

    mom: float | None  # the change in the indicator's unit (points for a %)
    mom_rel: float | None  # the relative change (None for a % indicator or a non-positive base)
    status_before: str | None  # the status a month earlier (None when there was no standing then)


@dataclass(frozen=True)
class Ranking:
    """The units of `parent` on the indicator of `target_id` (metrics.districts.district_table)."""

    target_id: str
    indicator: str
    parent: str
    table: pl.DataFrame
    month: dt.date | None  # the reference month the units are compared on
    average: float | None  # the mean of the units that reported (the chart's reference line)
    has_subtargets: bool


@dataclass(frozen=True)
class SourceGroup:
    """Submissions of one agency carrying one dataset, used for the brief."""

    agency: str
    content: str  # what they carry, in Chinese (科技贷款余额、科技企业获贷数 · 武汉市; 金种子·银种子企业名录)
    files: int
    first: dt.date
    last: dt.date
    latest_file: str
    latest_uploaded: dt.datetime


@dataclass(frozen=True)
class Brief:
    as_of: dt.date
    previous: dt.date | None  # the month before, when it has data
    generated: dt.date
    standings: list[Standing]
    changes: dict[str, MonthChange]  # target id → its change since `previous`
    behind: list[Standing]  # furthest behind first
    views: dict[str, IndicatorView]  # target id → chart data, for the targets behind
    rankings: list[Ranking]
    sources: list[SourceGroup]
    n_submissions: int
    is_demo: bool
    documents: list[str] = field(default_factory=list)  # the plans' ids, in registry order
    supervision: pl.DataFrame | None = None  # metrics.tasks.supervision_rows of the followed plans (督办清单)

    def by_document(self, document: str) -> list[Standing]:
        return [s for s in self.standings if s.document == document]

    @property
    def meeting_behind(self) -> list[Standing]:
        return self.behind[:MEETING_BEHIND]


def furthest_behind(rows: list[Standing]) -> list[Standing]:
    """The targets behind (BEHIND), lowest pace ratio R first; registry order breaks ties."""
    behind = [s for s in rows if s.status in BEHIND and s.has_target]
    return sorted(behind, key=lambda s: -math.inf if s.pace_ratio is None else s.pace_ratio)


def previous_month(series: pl.DataFrame, as_of: dt.date) -> dt.date | None:
    """The month before `as_of`, if any indicator has data in or before it."""
    before = add_months(as_of, -1)
    return before if any(m <= before for m in months_with_data(series)) else None


def month_change(series: pl.DataFrame, registry: Registry, s: Standing, before: Standing | None) -> MonthChange:
    ind = registry.indicators[s.indicator_code]
    mom = mom_rel = None
    if s.as_of is not None and s.as_of == s.requested_as_of:
        table = monthly_table(series, s.indicator_code, s.region_code, s.as_of, ind.kind)
        if table.height and table["period"][0] == s.as_of:
            mom, mom_rel = table["mom"][0], table["mom_rel"][0]
    return MonthChange(mom=mom, mom_rel=mom_rel, status_before=before.status if before is not None else None)


def rankings_for(series: pl.DataFrame, registry: Registry, as_of: dt.date) -> list[Ranking]:
    out = []
    for t in registry.targets.values():
        if not registry.children(t.region) or t.indicator not in districts.indicators_with_units(series, registry,
                                                                                                  t.region):
            continue
        table = districts.district_table(series, registry, t.indicator, as_of, t.region)
        if not table.get_column("value").is_not_null().any():
            continue
        out.append(Ranking(target_id=t.id, indicator=t.indicator, parent=t.region, table=table,
                           month=districts.reference_month(series, registry, t.indicator, as_of, t.region),
                           average=districts.unit_average(table), has_subtargets=bool(registry.subtargets.get(t.id))))
    return sorted(out, key=lambda r: not r.has_subtargets)  # stable: registry order within each group


def dataset_label(dataset: str, registry: Registry) -> str:
    """register:seed_firms → 金种子·银种子企业名录; table:a,b@420100 → 指标A、指标B (the scope after @ is
    the loader's key for corrections, not always the region the file is about, so it is not shown)."""
    kind, _, rest = dataset.partition(":")
    if kind == "register":
        spec = registry.registers.get(rest)
        return spec.label if spec else rest
    codes = rest.partition("@")[0]
    return "、".join(registry.indicators[c].short_zh if c in registry.indicators else c for c in codes.split(",") if c)


def sources_used(series: pl.DataFrame, submissions: pl.DataFrame, registry: Registry, as_of: dt.date
                 ) -> tuple[list[SourceGroup], int, bool]:
    """(groups by agency and dataset, number of submissions, whether any is demo data)."""
    ids = series.filter(pl.col("period") <= as_of).get_column("submission_id").unique()
    used = submissions.filter(pl.col("id").is_in(ids.implode()) & (pl.col("status") == "active"))
    if used.is_empty():
        return [], 0, False
    groups = (used.sort("period", "uploaded_at")
              .group_by("agency", "dataset", maintain_order=True)
              .agg(pl.len().alias("files"), pl.col("period").min().alias("first"), pl.col("period").max().alias("last"),
                   pl.col("file_name").last().alias("latest_file"), pl.col("uploaded_at").max().alias("uploaded"))
              .sort("agency", "dataset"))
    out = [SourceGroup(agency=r["agency"], content=dataset_label(r["dataset"] or "", registry), files=r["files"],
                       first=r["first"], last=r["last"], latest_file=r["latest_file"], latest_uploaded=r["uploaded"])
           for r in groups.iter_rows(named=True)]
    return out, used.height, bool(used.get_column("is_demo").any())


def build_brief(series: pl.DataFrame, submissions: pl.DataFrame, registry: Registry, as_of: dt.date,
                *, generated: dt.date | None = None, checkins: pl.DataFrame | None = None) -> Brief:
    """`series`: metrics.series.resolve of the active observations; `submissions`: Store.submissions();
    `checkins`: Store.checkins(), for the 督办清单 of the followed plans' tasks."""
    now = standings(series, registry, as_of)
    previous = previous_month(series, as_of)
    before = {s.target_id: s for s in standings(series, registry, previous)} if previous else {}
    behind = furthest_behind(now)
    views = {s.target_id: indicator_view(series, registry, s.indicator_code, s.region_code, as_of) for s in behind}
    groups, n, demo = sources_used(series, submissions, registry, as_of)
    return Brief(
        as_of=as_of, previous=previous, generated=generated or clock.today(), standings=now,
        changes={s.target_id: month_change(series, registry, s, before.get(s.target_id)) for s in now},
        behind=behind, views=views, rankings=rankings_for(series, registry, as_of), sources=groups,
        n_submissions=n, is_demo=demo, documents=list(dict.fromkeys(t.document for t in registry.targets.values())),
        supervision=_supervision(as_of, checkins),
    )


def _supervision(as_of: dt.date, checkins: pl.DataFrame | None) -> pl.DataFrame:
    tasks = default_tasks()
    followed = [s for s in task_standings(tasks, as_of, checkins) if not s.task.archived]
    return supervision_rows(tasks, followed)


class BriefError(UserError):
    """A message in Chinese for the person at the command line."""

    exit_code = 1  # no database or no data yet


def load_brief(db: Path | str, registry: Registry, as_of: str | None = None, *,
               generated: dt.date | None = None) -> Brief:
    """Read the database once and build the brief for `as_of` ("YYYY-MM"; default the latest month)."""
    from metrics.series import resolve
    from store import Store

    if not Path(db).exists():
        raise BriefError(f"数据库 {db} 不存在。请先导入数据，或用 python -m loaders demo --db {db} 生成演示数据库。")
    store = Store(db)
    series = resolve(store.active_observations(), registry)
    try:
        month = parse_month_key(as_of) if as_of else latest_month(series)
    except ValueError as e:
        raise BriefError(str(e)) from e
    if month is None:
        raise BriefError("数据库中还没有任何数据，无法生成会议材料。请先上传各单位报表。")
    return build_brief(series, store.submissions(), registry, month, generated=generated, checkins=store.checkins())
