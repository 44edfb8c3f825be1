"""The domain model: the registries (data/*.toml) as typed records.

Read and checked by domain.registry; every layer above reads these types, none writes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

UNITS = ("亿元", "家", "个", "款", "%")
INDICATOR_KINDS = ("stock", "flow", "count", "ratio")
TARGET_KINDS = ("level", "growth_vs_baseline", "cagr", "share")
COMPARATORS = (">", ">=", "<", "<=")
REGION_KINDS = ("province", "city", "district", "functional_zone")
STATUS_CODES = ("achieved", "on_track", "needs_acceleration", "limited_progress", "regressing",
                "insufficient_data", "observation")
# The months of data since the baseline a target needs before it is given a status (data/status.toml
# [observation] months, when it does not say otherwise); before them it is in its 观察期 (status observation).
OBSERVATION_MONTHS = 6


@dataclass(frozen=True)
class Indicator:
    code: str
    """Stable code (TARGETS.md), used verbatim in the database and every machine-readable output."""
    name_zh: str
    short_zh: str
    name_en: str
    unit: str
    """The canonical unit (UNITS); uploads in 万元 or 元 are converted to it."""
    kind: str
    """stock | flow | count | ratio; a flow counts year to date."""
    decimals: int
    higher_is_better: bool
    source: str
    """The agency that reports it."""
    aliases: tuple[str, ...]
    numerator: str | None = None
    """For a ratio computed from two indicators (the STAR/ChiNext/BSE share): their codes."""
    denominator: str | None = None
    requires: tuple[str, ...] = ()
    """Words a heading must have to be read as this indicator by likeness (余额; a|b: either)."""
    forbids: tuple[str, ...] = ()
    """Words that make a heading another figure (科技型中小企业 is not 科技型企业; 比年初增加 is no 余额)."""


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    number: str
    """文号 as the text prints it; "" when the text carries none (never guessed)."""
    issuer: str
    """发文单位 as the text names it; "" when the text does not say."""
    issued: dt.date | None
    """印发日期; None when the text does not say (WHC)."""


@dataclass(frozen=True)
class Target:
    id: str
    document: str
    indicator: str
    region: str
    kind: str
    """level | growth_vs_baseline | cagr | share"""
    comparator: str
    value: float
    """As written: the level, 1.7 for +70%, 0.20 for 20% a year."""
    deadline: dt.date
    clause: str
    wording: str
    sentence: str
    baseline_date: dt.date | None = None
    baseline_value: float | None = None
    note: str = ""
    """Where the target sits in its plan, shown beside it (the 60 insurance products: task 14's demonstration zone)."""


@dataclass(frozen=True)
class Region:
    code: str
    """GB/T 2260 where one exists, else a fixed WH_* code for a functional zone."""
    name: str
    short: str
    kind: str
    """province | city | district | functional_zone"""
    parent: str
    sums_to_parent: bool
    """Whether its figures add up to the parent's (Wuhan's 16 reporting units, Hubei's 17 市州)."""
    aliases: tuple[str, ...]
    adcode: str | None = None
    reported_by: str | None = None
    """The unit whose figures include this region's (汉南区 → 武汉经开区)."""


@dataclass(frozen=True)
class StatusStyle:
    code: str
    label: str
    label_en: str
    symbol: str
    color: str


@dataclass(frozen=True)
class RegisterYield:
    indicator: str
    how: str  # count | sum
    column: str | None = None
    where_column: str | None = None
    where_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegisterSpec:
    table: str
    label: str
    agency: str
    keywords: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    yields: tuple[RegisterYield, ...]
    address: tuple[str, ...] = ()
    """Headings of an address column, where the district is read when the list has no district column."""


# The fields each register table stores, and how a cell in it is read.
REGISTER_FIELDS: dict[str, dict[str, str]] = {
    "institutions": {"name": "text", "type": "text", "parent_org": "text", "region_code": "region",
                     "opened_on": "date"},
    "funds": {"name": "text", "type": "text", "manager": "text", "region_code": "region",
              "size_yi_yuan": "money", "registered_on": "date"},
    "seed_firms": {"name": "text", "category": "text", "tier": "text", "industry": "text",
                   "region_code": "region", "selected_on": "date"},
}


@dataclass(frozen=True)
class Registry:
    indicators: dict[str, Indicator]
    documents: dict[str, Document]
    targets: dict[str, Target]
    regions: dict[str, Region]
    statuses: dict[str, StatusStyle]
    thresholds: dict[str, float]
    registers: dict[str, RegisterSpec]
    data_dir: Path  # the folder the registries were read from (templates.toml sits beside them)
    city: str  # [roles] in regions.toml: the city this dashboard serves (武汉市)
    province: str  # and its province (湖北省)
    # target id → unit code → the unit's share of the target, in the indicator's unit ([[subtarget]]).
    subtargets: dict[str, dict[str, float]] = field(default_factory=dict)
    # The targets whose split is the demo's illustrative one (data/demo_subtargets.toml), not an assigned one:
    # every view of them says 示例.
    example_subtargets: frozenset[str] = frozenset()
    # data/status.toml [observation]: the months of data since the baseline before a status is given, and any
    # target's own span (target id → months).
    observation_months: int = OBSERVATION_MONTHS
    observation_by_target: dict[str, int] = field(default_factory=dict)

    def observation_months_for(self, target_id: str) -> int:
        """The months of data since the baseline the target needs before it is judged (its own, else the setting)."""
        return self.observation_by_target.get(target_id, self.observation_months)

    def subtargets_are_examples(self, target_id: str | None = None) -> bool:
        """Whether the target's split (any target's, without one) is the demo's example, not an assigned split."""
        return target_id in self.example_subtargets if target_id is not None else bool(self.example_subtargets)

    def children(self, code: str, *, summing: bool = True) -> list[Region]:
        return [r for r in self.regions.values()
                if r.parent == code and (r.sums_to_parent or not summing)]

    def is_whole(self, code: str) -> bool:
        """The city or the province: a region whose own total (全市/全省) is reported beside its units'."""
        return code in (self.city, self.province)

    def target_for(self, indicator: str, region: str) -> Target | None:
        """The target that applies to `indicator` in `region`: the region's own, else its parent's when the
        region is a unit that sums to it (a district under the city's target)."""
        own = [t for t in self.targets.values() if t.indicator == indicator]
        r = self.regions.get(region)
        return (next((t for t in own if t.region == region), None)
                or next((t for t in own if r is not None and r.sums_to_parent and t.region == r.parent), None))

    def targets_on(self, indicator: str) -> list[Target]:
        """Every target set on `indicator`, in registry order (a trend indicator has none)."""
        return [t for t in self.targets.values() if t.indicator == indicator]

    def deadline_of(self, document: str) -> dt.date | None:
        """The earliest deadline among a document's targets."""
        return min((t.deadline for t in self.targets.values() if t.document == document), default=None)

    def target_of(self, indicator: str, region: str) -> Target | None:
        """The region's own target on `indicator` (not its parent's)."""
        return next((t for t in self.targets.values() if t.indicator == indicator and t.region == region), None)
