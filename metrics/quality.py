"""Data quality, pure: each submission placed on the reporting calendar, what does not add up, what jumped.

- **Placing** (`place`): for each source (domain.calendar) and owed month, the versions received (withdrawn ones
  do not count). 按时 `on_time`: the first version arrived by the due day; 逾期 `late`: after it; 更正
  `corrected`: a later version superseded the first; 未报送 `missing`: nothing, and the due day has passed;
  未到期 `pending`: nothing yet, not due yet. "Today" is the caller's (domain.clock.today()).
- **Units** (`unit_cells`): for a month, each unit (and the 合计) of each source that reports by unit, per
  indicator: the state of the submission its figure came from, or 未报送.
- **Reconciliation** (`reconciliation`): a reported 合计/全市/全省 figure against the sum of its units in the same
  file (`total_mismatch`); a city's (or the province's) own reported figure against its units' figures of record
  when every unit reported and they came from other files (`city_mismatch`: the city's file vs the districts');
  and a count or sum a register gives against the same figure reported in a table (`register_mismatch`); each
  beyond `reconcile_tolerance` of the reported figure.
- **Anomalies** (`anomalies`): a figure that moved more than `jump_limit` against last month (`jump`; counts also
  by at least `count_noise`), and a unit whose year-on-year growth lies far from its sibling units'
  (`yoy_outlier`): robust z = 0.6745·(g − median) / MAD, MAD the median absolute deviation of the units' growth
  (Iglewicz & Hoaglin), beyond `mad_limit`.

Every line names the submission, file, sheet and cell it comes from; `Line.key` is what a review (已核实) is kept
under, so a corrected file, a new submission, brings a line back if it still fails.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from domain.calendar import Calendar, Checks, Obligation
from domain.model import STATUS_CODES, Registry
from domain.months import add_months, month_key

STATES = ("on_time", "late", "corrected", "missing", "pending")
KINDS = ("total_mismatch", "city_mismatch", "register_mismatch", "jump", "yoy_outlier")
COUNT_UNITS = ("家", "个", "款")
MAD_SCALE = 0.6745  # the MAD of a normal distribution is 0.6745 σ


@dataclass(frozen=True)
class Placement:
    """One owed file of one source for one month, and what came of it."""

    source_id: str
    period: dt.date
    due: dt.date
    state: str  # STATES
    received_at: dt.datetime | None = None  # the first version's upload
    days_late: int = 0  # of the first version
    submission_id: int | None = None  # the version in force
    file_name: str | None = None
    versions: int = 0

    @property
    def overdue(self) -> bool:
        return self.state in ("late", "missing") or (self.state == "corrected" and self.days_late > 0)


def place(calendar: Calendar, submissions: pl.DataFrame, months: Iterable[dt.date], today: dt.date
          ) -> list[Placement]:
    """Every source's owed month among `months` (month ends), with its state on `today`.

    `submissions`: store.Store.submissions() (id, file_name, dataset, period, uploaded_at, status)."""
    subs = submissions.filter(pl.col("status") != "rolled_back").sort("uploaded_at", "id")
    by_month: dict[dt.date, list[dict]] = {}
    for row in subs.iter_rows(named=True):
        by_month.setdefault(row["period"], []).append(row)
    out = []
    for source in calendar.sources:
        for period in months:
            if source.owes(period):
                versions = [r for r in by_month.get(period, []) if source.answers(r["dataset"])]
                out.append(_placement(source, period, versions, today))
    return out


def _placement(source: Obligation, period: dt.date, versions: list[dict], today: dt.date) -> Placement:
    due = source.due(period)
    if not versions:
        return Placement(source.id, period, due, "missing" if today > due else "pending")
    first = versions[0]
    active = next((v for v in reversed(versions) if v["status"] == "active"), versions[-1])
    days_late = max(0, (first["uploaded_at"].date() - due).days)
    state = "corrected" if len(versions) > 1 else ("late" if days_late else "on_time")
    return Placement(source.id, period, due, state, first["uploaded_at"], days_late, active["id"],
                     active["file_name"], len(versions))


def latest_owed(placements: list[Placement]) -> dict[str, Placement]:
    """Each source's latest owed month among the placements."""
    out: dict[str, Placement] = {}
    for p in placements:
        if p.source_id not in out or p.period > out[p.source_id].period:
            out[p.source_id] = p
    return out


def overdue(placements: list[Placement]) -> list[Placement]:
    """What an office chases: every month still missing, and each source's latest month if it came late."""
    latest = latest_owed(placements)
    out = [p for p in placements if p.state == "missing"]
    out += [p for p in latest.values() if p.state != "missing" and p.overdue]
    return sorted(out, key=lambda p: (p.period, p.source_id))


# -- units × indicators ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitCell:
    source_id: str
    scope: str
    indicator_code: str
    region_code: str
    state: str
    submission_id: int | None = None
    origin: str | None = None


def unit_cells(calendar: Calendar, registry: Registry, placements: list[Placement], submissions: pl.DataFrame,
               obs: pl.DataFrame, month: dt.date) -> list[UnitCell]:
    """For `month`, every (unit, indicator) a table source owes: reported (with its submission's state) or not.

    `obs`: store.Store.active_observations(); `submissions` as for `place`."""
    placed = {(p.source_id, p.period): p for p in placements}
    subs = {r["id"]: r for r in submissions.iter_rows(named=True)}
    reported = {}
    for row in obs.filter((pl.col("period") == month) & ~pl.col("is_computed")).iter_rows(named=True):
        reported[(row["indicator_code"], row["region_code"])] = row
    out = []
    for source in calendar.sources:
        p = placed.get((source.id, month))
        if source.register is not None or source.scope is None or p is None:
            continue
        regions = [source.scope] + ([r.code for r in registry.children(source.scope)] if source.units else [])
        for code in source.indicators:
            for region in regions:
                row = reported.get((code, region))
                if row is None:
                    out.append(UnitCell(source.id, source.scope, code, region,
                                        "pending" if p.state == "pending" else "missing"))
                    continue
                sub = subs.get(row["submission_id"], {})
                late = sub.get("uploaded_at") is not None and sub["uploaded_at"].date() > p.due
                state = "corrected" if sub.get("supersedes") is not None else ("late" if late else "on_time")
                out.append(UnitCell(source.id, source.scope, code, region, state, row["submission_id"], row["origin"]))
    return out


# -- reconciliation and anomalies ------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One figure that does not add up or looks wrong, with where it was read."""

    kind: str  # KINDS
    indicator_code: str
    region_code: str
    period: dt.date
    submission_id: int
    file_name: str
    origin: str  # sheet!cell, or the register it was counted from
    value: float  # the figure (yoy_outlier: its growth)
    reference: float  # what it is compared with: the units' sum, the register's count, last month, the median growth
    measure: float  # (value − reference) / reference; yoy_outlier: the robust z
    units: int = 0  # how many units were summed or compared
    other_submission: int | None = None  # register_mismatch: the register's submission
    other_file: str | None = None

    @property
    def sheet(self) -> str:
        return self.origin.split("!", 1)[0] if "!" in self.origin else ""

    @property
    def cell(self) -> str:
        return self.origin.split("!", 1)[1] if "!" in self.origin else ""

    @property
    def key(self) -> str:
        """What a review is stored under: the kind, the figure and the submission it came from."""
        return f"{self.kind}:{self.indicator_code}:{self.region_code}:{month_key(self.period)}:{self.submission_id}"


def _of_record(obs: pl.DataFrame) -> dict[tuple[str, str, dt.date], dict]:
    """The latest upload's figure for each (indicator, region, month), reported before counted."""
    out: dict[tuple[str, str, dt.date], dict] = {}
    for row in obs.sort("is_computed", "uploaded_at", "submission_id", descending=[True, False, False]) \
            .iter_rows(named=True):
        out[(row["indicator_code"], row["region_code"], row["period"])] = row
    return out


def reconciliation(obs: pl.DataFrame, registry: Registry, checks: Checks, months: Iterable[dt.date]) -> list[Line]:
    """合计 rows that are not the sum of their units, and register counts that differ from a reported figure."""
    months = set(months)
    window = obs.filter(pl.col("period").is_in(list(months)))
    tol = checks.reconcile_tolerance
    out = []
    reported = window.filter(~pl.col("is_computed"))
    for (sid, code, period), group in reported.group_by(["submission_id", "indicator_code", "period"]):
        if registry.indicators[code].unit == "%":
            continue  # a rate's total is not the sum of its units' rates
        values = {r["region_code"]: r for r in group.iter_rows(named=True)}
        for region, total in values.items():
            parts = [values[c.code]["value"] for c in registry.children(region) if c.code in values]
            if not parts:
                continue
            summed = sum(parts)
            if abs(total["value"] - summed) > tol * max(abs(total["value"]), 1e-9):
                out.append(Line("total_mismatch", code, region, period, sid, total["file_name"], total["origin"],
                                total["value"], summed, _rel(total["value"], summed), len(parts)))
    record = _of_record(window)
    for (code, region, period), whole in record.items():
        children = registry.children(region)
        if whole["is_computed"] or not children or registry.indicators[code].unit == "%":
            continue
        parts = [record.get((code, c.code, period)) for c in children]
        if any(p is None or p["is_computed"] for p in parts):
            continue  # a unit missing (the completeness matrix says so), or a register's count
        others = [p for p in parts if p["submission_id"] != whole["submission_id"]]  # type: ignore[index]
        if not others:
            continue  # one file: its 合计 is checked above
        summed = sum(p["value"] for p in parts)  # type: ignore[index]
        if abs(whole["value"] - summed) > tol * max(abs(whole["value"]), 1e-9):
            out.append(Line("city_mismatch", code, region, period, whole["submission_id"], whole["file_name"],
                            whole["origin"], whole["value"], summed, _rel(whole["value"], summed), len(parts),
                            other_submission=others[0]["submission_id"], other_file=others[0]["file_name"]))
    counted = {(r["indicator_code"], r["region_code"], r["period"]): r
               for r in window.filter(pl.col("is_computed")).iter_rows(named=True)}
    for row in reported.iter_rows(named=True):
        count = counted.get((row["indicator_code"], row["region_code"], row["period"]))
        if count is not None and abs(row["value"] - count["value"]) > tol * max(abs(row["value"]), 1.0):
            out.append(Line("register_mismatch", row["indicator_code"], row["region_code"], row["period"],
                            row["submission_id"], row["file_name"], row["origin"], row["value"], count["value"],
                            _rel(row["value"], count["value"]), other_submission=count["submission_id"],
                            other_file=count["file_name"]))
    return _sorted(out)


def anomalies(obs: pl.DataFrame, registry: Registry, checks: Checks, months: Iterable[dt.date]) -> list[Line]:
    """Jumps against last month and year-on-year outliers among units, in `months`."""
    months = sorted(set(months))
    record = _of_record(obs)
    wholes = {c for c in registry.regions if registry.is_whole(c)}
    out = []
    for (code, region, period), row in record.items():
        if period not in months or (row["is_computed"] and region not in wholes):
            continue  # a register's count by unit is a small number: its total is checked instead
        prev = record.get((code, region, add_months(period, -1)))
        if prev is None or prev["value"] == 0:
            continue
        change = row["value"] / prev["value"] - 1
        if abs(change) <= checks.jump_limit:
            continue
        if registry.indicators[code].unit in COUNT_UNITS and abs(row["value"] - prev["value"]) < checks.count_noise:
            continue
        out.append(Line("jump", code, region, period, row["submission_id"], row["file_name"], row["origin"],
                        row["value"], prev["value"], change))
    out += _outliers(record, registry, checks, months)
    return _sorted(out)


def _outliers(record: dict[tuple[str, str, dt.date], dict], registry: Registry, checks: Checks,
              months: list[dt.date]) -> list[Line]:
    parents = {r.parent for r in registry.regions.values() if r.parent and r.sums_to_parent}
    out = []
    for code, ind in registry.indicators.items():
        if ind.unit == "%":
            continue
        for parent in parents:
            units = [r.code for r in registry.children(parent)]
            for period in months:
                growth = {}
                for unit in units:
                    now, before = record.get((code, unit, period)), record.get((code, unit, add_months(period, -12)))
                    if now is None or before is None or now["is_computed"] or before["value"] <= 0:
                        continue
                    if ind.unit in COUNT_UNITS and abs(now["value"] - before["value"]) < checks.count_noise:
                        continue
                    growth[unit] = (now["value"] / before["value"] - 1, now)
                if len(growth) < checks.min_units:
                    continue
                rates = [g for g, _ in growth.values()]
                median = statistics.median(rates)
                mad = statistics.median(abs(g - median) for g in rates)
                if mad == 0:
                    continue
                for unit, (g, row) in growth.items():
                    z = MAD_SCALE * (g - median) / mad
                    if abs(z) > checks.mad_limit:
                        out.append(Line("yoy_outlier", code, unit, period, row["submission_id"], row["file_name"],
                                        row["origin"], g, median, z, len(growth)))
    return out


def _rel(value: float, reference: float) -> float:
    return (value - reference) / reference if reference else float("inf") if value else 0.0


def _sorted(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda x: (-x.period.toordinal(), KINDS.index(x.kind), x.indicator_code, x.region_code))


def unresolved(lines: list[Line], reviewed: Iterable[str]) -> list[Line]:
    """The lines no one has marked 已核实 (by their key)."""
    done = set(reviewed)
    return [x for x in lines if x.key not in done]


# -- targets that slipped ---------------------------------------------------------------------------------

# The verdicts, best first; 数据不足 and 观察期 are no verdict either way.
VERDICTS = ("achieved", "on_track", "needs_acceleration", "limited_progress", "regressing")
_RANK = {code: i for i, code in enumerate(VERDICTS)}
assert set(VERDICTS) <= set(STATUS_CODES)


def worsened(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str, str]]:
    """(target id, status last month, status now) for each target whose status is worse now: 已达标 → 进度正常
    → 需加快 → 明显滞后 → 逆向变化 (数据不足 and 观察期 are no verdict either way). Arguments: target id → status code."""
    return [(t, before[t], s) for t, s in after.items()
            if t in before and s in _RANK and before[t] in _RANK and _RANK[s] > _RANK[before[t]]]
