"""The reporting calendar (data/calendar.toml): what each source owes, for which months, by which day.

Read and checked like the other registries (every problem with file and line, in one pass); which submission
answers which obligation is decided here too, from the submission's dataset (what the file carries, see
loaders.ingest): `table:<indicators>@<scope>` or `register:<table>`. Placing submissions on the calendar
(on time, late, corrected, missing) is metrics.quality's.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from domain.errors import RegistryError
from domain.model import Registry
from domain.months import add_months, month_end, parse_month_key
from domain.registry import _File, _Problems, _unique, data_dir, default_registry

FILE = "calendar.toml"
FREQUENCIES = ("monthly", "quarterly", "yearly")
FREQUENCY_LABELS = {"monthly": "月报", "quarterly": "季报", "yearly": "年报"}
_MONTHS_OWED = {"monthly": range(1, 13), "quarterly": (3, 6, 9, 12), "yearly": (12,)}


@dataclass(frozen=True)
class Obligation:
    """One source's duty: a dataset, how often, and the day it is due after the end of each period."""

    id: str
    name: str
    agency: str
    frequency: str  # monthly | quarterly | yearly
    due_day: int
    months_after: int = 1
    indicators: tuple[str, ...] = ()
    register: str | None = None
    scope: str | None = None  # the region the indicators are for
    units: bool = False  # the scope's units report one by one, with the scope's 合计
    since: dt.date | None = None  # the first month owed

    def owes(self, period: dt.date) -> bool:
        """Whether a file for this month (a month end) is owed at all."""
        return period.month in _MONTHS_OWED[self.frequency] and (self.since is None or period >= self.since)

    def due(self, period: dt.date) -> dt.date:
        """The last day a file for `period` is on time."""
        month = add_months(period, self.months_after)
        return dt.date(month.year, month.month, min(self.due_day, _cal.monthrange(month.year, month.month)[1]))

    def answers(self, dataset: str) -> bool:
        """Whether a submission of this dataset is (part of) what this source owes."""
        for part in dataset.split("|"):
            kind, _, what = part.partition(":")
            if kind == "register" and self.register is not None and what == self.register:
                return True
            # By the indicators alone: the reader's scope is the rows' parent (a file of the city's own figures
            # is @420000), and a source's indicators are its own.
            if kind == "table" and self.register is None:
                codes, _, _scope = what.rpartition("@")
                if set(codes.split(",")) & set(self.indicators):
                    return True
        return False

    @property
    def what(self) -> str:
        return f"{self.agency}·{self.name}"


@dataclass(frozen=True)
class Checks:
    """The thresholds of the reconciliation and anomaly checks ([checks] in calendar.toml)."""

    reconcile_tolerance: float = 0.005
    jump_limit: float = 0.5
    count_noise: float = 5.0
    mad_limit: float = 3.5
    min_units: int = 5
    window_months: int = 12


@dataclass(frozen=True)
class Calendar:
    sources: tuple[Obligation, ...]
    checks: Checks = field(default_factory=Checks)

    def source(self, source_id: str) -> Obligation:
        return next(s for s in self.sources if s.id == source_id)

    def answered_by(self, dataset: str) -> list[Obligation]:
        return [s for s in self.sources if s.answers(dataset)]


def load_calendar(folder: Path, registry: Registry) -> Calendar:
    """Read and check data/calendar.toml against the registry; RegistryError lists every problem."""
    problems = _Problems()
    f = _File(folder / FILE, problems)
    checks = _read_checks(f)
    sources = []
    for e in _unique(f.entries("source"), "id", problems):
        with problems.checking():
            e.only("id", "name", "agency", "frequency", "due_day", "months_after", "indicators", "register", "scope",
                   "units", "since")
            due_day = e.get("due_day", int)
            if not 1 <= due_day <= 31:
                raise e.fail(f"due_day 应为 1 至 31，现为 {due_day}")
            months_after = e.get("months_after", int, required=False, default=1)
            if not 0 <= months_after <= 12:
                raise e.fail(f"months_after 应为 0 至 12，现为 {months_after}")
            indicators = tuple(e.get("indicators", list, required=False, default=[]))
            register = e.get("register", str, required=False)
            if bool(indicators) == (register is not None):
                raise e.fail("indicators 与 register 须二选一")
            unknown = [c for c in indicators if c not in registry.indicators]
            if unknown:
                raise e.fail(f"indicators 中的「{'、'.join(map(str, unknown))}」不在 indicators.toml 中")
            if register is not None and register not in registry.registers:
                raise e.fail(f"register「{register}」不在 registers.toml 中（可用：{'、'.join(registry.registers)}）")
            scope = e.get("scope", str, required=bool(indicators))
            if scope is not None and scope not in registry.regions:
                raise e.fail(f"scope「{scope}」不在 regions.toml 中")
            since_text = e.get("since", str, required=False)
            try:
                since = parse_month_key(since_text) if since_text else None
            except ValueError:
                raise e.fail(f"since 应为 YYYY-MM，现为「{since_text}」") from None
            sources.append(Obligation(
                id=e.get("id", str), name=e.get("name", str), agency=e.get("agency", str),
                frequency=e.choice("frequency", FREQUENCIES), due_day=due_day, months_after=months_after,
                indicators=indicators, register=register, scope=scope,
                units=e.get("units", bool, required=False, default=False), since=since))
    if problems.messages:
        raise RegistryError(problems.messages)
    return Calendar(tuple(sources), checks)


def _read_checks(f: _File) -> Checks:
    raw = f.doc.get("checks", {}) if f.ok else {}
    defaults = Checks()
    values = {}
    for key, default in defaults.__dict__.items():
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            f.fail(f"[checks] {key} 应为不小于0的数，现为「{value}」")
            value = default
        values[key] = type(default)(value)
    unknown = sorted(set(raw) - set(values))
    if unknown:
        f.fail(f"[checks] 中没有设置项 {'、'.join(unknown)}（可用：{'、'.join(values)}）")
    return Checks(**values)


@cache
def _calendar_at(path: str) -> Calendar:
    return load_calendar(Path(path), default_registry())


def default_calendar() -> Calendar:
    """data/calendar.toml in data_dir() ($TFM_DATA_DIR in tests), read once per process."""
    return _calendar_at(str(data_dir()))


def month_ends(last: dt.date, n: int) -> list[dt.date]:
    """The `n` months up to `last` (a month end), oldest first."""
    return [add_months(month_end(last.year, last.month), -k) for k in range(n - 1, -1, -1)]
