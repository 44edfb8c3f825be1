"""The peer cities' and the nation's figures of the July-2025 briefing (data/peers.toml), as typed records, read and
checked like the other registries: every problem with its file and line, all at once.

Each entry is one figure of another place — a target (目标) or an outcome (实绩) — quoted word for word from the
briefing's text in data/seeds/ (checked here: a quote that is not in the seed is refused), with the Wuhan indicators
it may be read beside and the caveat where the definitions differ. For comparison only: never a Wuhan target,
never a Wuhan observation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from domain.errors import RegistryError
from domain.model import Registry
from domain.registry import DATA_DIR, _File, _Problems, _unique, data_dir, default_registry

PEER_KINDS = ("target", "outcome")
PEER_COMPARATORS = (">", ">=", "=")
PEER_UNITS = ("亿元", "家", "%")
PLACES = ("天津市", "郑州市", "上海市", "广州市", "深圳市", "全国")


@dataclass(frozen=True)
class Peer:
    id: str
    place: str
    measures: str
    """What the figure counts, in the source's own terms."""
    comparator: str
    """> 突破/超过, >= 达到/以上, = an outcome as reported."""
    value: float
    unit: str
    value_wording: str
    kind: str
    """target (目标) | outcome (实绩)."""
    date: dt.date | None
    """A target's deadline or an outcome's date; None when the source does not say."""
    date_wording: str
    published: dt.date
    source: str
    quote: str
    """Verbatim from the briefing (data/seeds/<seed>)."""
    comparable: tuple[str, ...]
    """The Wuhan indicators (indicators.toml codes) it may be read beside; empty when none."""
    caveat: str


@dataclass(frozen=True)
class PeerRegistry:
    seed: str
    peers: tuple[Peer, ...]

    def on(self, indicator: str) -> list[Peer]:
        """The figures comparable to `indicator`, in registry order."""
        return [p for p in self.peers if indicator in p.comparable]


def load_peers(data: Path, registry: Registry) -> PeerRegistry:
    """Read and check data/peers.toml in `data` against `registry` (its indicator codes) and the seed text it
    quotes (data/seeds/); raises RegistryError listing every problem (file, line, fix)."""
    problems = _Problems()
    f = _File(data / "peers.toml", problems)
    seed_name = f.doc.get("seed", "") if f.ok else ""
    seed_text = ""
    if f.ok:
        # a registry folder without its own seeds/ (a staging copy of the *.toml) quotes the repository's
        seeds = data / "seeds" if (data / "seeds").is_dir() else DATA_DIR / "seeds"
        try:
            seed_text = (seeds / str(seed_name)).read_text(encoding="utf-8")
        except (FileNotFoundError, IsADirectoryError):
            f.fail(f"seed「{seed_name}」不在 data/seeds/ 中")
    peers = []
    for e in _unique(f.entries("peer"), "id", problems):
        with problems.checking():
            e.only("id", "place", "measures", "comparator", "value", "unit", "value_wording", "kind", "date",
                   "date_wording", "published", "source", "quote", "comparable", "caveat")
            comparable = e.get("comparable", list)
            if not all(isinstance(c, str) for c in comparable):
                raise e.fail("comparable 必须是指标代码（字符串）的列表，没有可对照的指标填 []")
            p = Peer(id=e.get("id", str), place=e.choice("place", PLACES), measures=e.get("measures", str),
                     comparator=e.choice("comparator", PEER_COMPARATORS), value=float(e.get("value", (int, float))),
                     unit=e.choice("unit", PEER_UNITS), value_wording=e.get("value_wording", str),
                     kind=e.choice("kind", PEER_KINDS), date=e.date("date", required=False),
                     date_wording=e.get("date_wording", str), published=e.date("published", required=True),
                     source=e.get("source", str), quote=e.get("quote", str), comparable=tuple(comparable),
                     caveat=e.get("caveat", str))
            unknown = [c for c in p.comparable if c not in registry.indicators]
            if unknown:
                raise e.fail(f"comparable 中的指标「{'」「'.join(unknown)}」不存在于 indicators.toml")
            if seed_text and p.quote not in seed_text:
                raise e.fail(f"原文 quote「{p.quote}」在简报原文 {seed_name} 中找不到（须逐字照录）")
            if p.comparable and not p.caveat.strip():
                raise e.fail("有可对照的武汉指标时须填写口径说明 caveat")
            peers.append(p)
    if problems.messages:
        raise RegistryError(problems.messages)
    return PeerRegistry(seed=str(seed_name), peers=tuple(peers))


@cache
def _peers_at(path: str) -> PeerRegistry:
    return load_peers(Path(path), default_registry())


def default_peers() -> PeerRegistry:
    """The peer registry in data_dir(), read once per process (edits need a restart)."""
    return _peers_at(str(data_dir()))
