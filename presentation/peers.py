"""The peer cities' figures (domain.peers) as officials read them: one table of every figure with its quote, and
for 指标详情 the figures comparable to one Wuhan indicator, each with the caveat where definitions differ.

Only text and tables: no figure here is Wuhan's, and none is a target of Wuhan's.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from domain.model import Registry
from domain.peers import Peer, PeerRegistry
from presentation.fmt import date_label, md_text

KIND_LABELS = {"target": "目标", "outcome": "实绩"}
BRIEFING = "简报·第288期(上)（2025年7月）"
SECTION_TITLE = "兄弟城市对照"
NOT_WUHAN = "以下为外地与全国的数字，原文照录，只作对照，不是武汉的目标或数据。"
COLUMNS = ("地区", "所计内容", "数字", "性质", "时间", "可对照的武汉指标", "口径说明", "原文", "出处")


def when(p: Peer) -> str:
    """The source's words, with the date where they do not name the year: 截至6月末（2025年6月30日）, 2027年年底."""
    if p.date is None or str(p.date.year) in p.date_wording:
        return p.date_wording
    return f"{p.date_wording}（{date_label(p.date)}）"


def comparable_names(p: Peer, registry: Registry) -> str:
    return "、".join(registry.indicators[c].name_zh for c in p.comparable) or "无同口径指标"


def peer_row(p: Peer, registry: Registry) -> dict[str, Any]:
    return {"地区": p.place, "所计内容": p.measures, "数字": p.value_wording, "性质": KIND_LABELS[p.kind],
            "时间": when(p), "可对照的武汉指标": comparable_names(p, registry), "口径说明": p.caveat,
            "原文": f"“{p.quote}”", "出处": p.source}


def peers_table(peers: PeerRegistry, registry: Registry, indicator: str | None = None) -> pl.DataFrame:
    """Every figure (or those comparable to `indicator`), one row each, in registry order."""
    chosen = peers.peers if indicator is None else peers.on(indicator)
    return pl.DataFrame([peer_row(p, registry) for p in chosen],
                        schema=dict.fromkeys(COLUMNS, pl.String), orient="row")


def peer_markdown(p: Peer) -> str:
    """One figure as a list item: place, what, figure, target or outcome, when; the quote; the caveat."""
    return (f"- **{md_text(p.place)}**　{md_text(p.measures)}：**{md_text(p.value_wording)}**"
            f"（{KIND_LABELS[p.kind]}，{md_text(when(p))}）  \n"
            f"　原文：“{md_text(p.quote)}”  \n"
            f"　说明：{md_text(p.caveat)}")


def peers_section_markdown(peers: PeerRegistry, indicator: str, registry: Registry) -> str | None:
    """For 指标详情: the figures comparable to `indicator`, beside Wuhan's own; None when there are none."""
    chosen = peers.on(indicator)
    if not chosen:
        return None
    ind = registry.indicators[indicator]
    head = f"与武汉“{md_text(ind.name_zh)}”可对照的外地数字，出自{BRIEFING}。{NOT_WUHAN}"
    return "\n".join([head, "", *(peer_markdown(p) for p in chosen)])


def peer_json(p: Peer) -> dict[str, Any]:
    """For scripts (python -m reports peers --json): the registry's fields, dates as ISO text."""
    return {"id": p.id, "place": p.place, "measures": p.measures, "comparator": p.comparator, "value": p.value,
            "unit": p.unit, "value_wording": p.value_wording, "kind": p.kind,
            "date": p.date.isoformat() if p.date else None, "date_wording": p.date_wording,
            "published": p.published.isoformat(), "source": p.source, "quote": p.quote,
            "comparable": list(p.comparable), "caveat": p.caveat}


def peer_line(p: Peer, registry: Registry) -> str:
    """One line for the terminal: 郑州市｜合计贷款余额｜突破3000亿元｜目标｜2027年年底｜可对照：科技型企业贷款余额."""
    return "｜".join((p.place, p.measures, p.value_wording, KIND_LABELS[p.kind], when(p),
                     f"可对照：{comparable_names(p, registry)}")) + f"\n　原文：“{p.quote}”\n　说明：{p.caveat}"
