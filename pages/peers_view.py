"""What 指标详情 shows beside Wuhan's own figures, drawn by one call from pages/indicator.py:

- the target's note, where its plan places it (the 60 insurance products: WH2027 task 14, the 东湖 demonstration zone);
- for a plan's trend indicator (WHC's key indicators, 突破性增长 without a number): growth since the baseline and a
  trend label, never a target status (metrics.trend_label);
- 兄弟城市对照: the July-2025 briefing's figures comparable to the indicator, each quoted with its caveat, and the
  briefing's full table of peer figures (data/peers.toml).

Layout only: every figure comes from metrics and every sentence from presentation.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from domain.model import Region, Registry
from domain.peers import default_peers
from domain.trends import default_trends
from metrics.trend_label import trend_of
from pages import common
from presentation.fmt import document_origin, document_title, md_text
from presentation.labels import SUBTARGETS_ARE_EXAMPLES
from presentation.peers import BRIEFING, NOT_WUHAN, SECTION_TITLE, peers_section_markdown, peers_table
from presentation.trends import method_text, trend_markdown


def target_note(reg: Registry, indicator: str, region: Region) -> None:
    """The target's note (data/targets.toml note): where the target sits in its plan; and, where the target is split
    over units, that the split is an example (no document splits it)."""
    target = reg.target_for(indicator, region.code)
    if target is not None and target.note:
        st.info(f"**目标所在任务**：{md_text(target.note)}", icon=":material/push_pin:")
    if target is not None and reg.subtargets_are_examples(target.id):
        st.caption(f"示例　{SUBTARGETS_ARE_EXAMPLES}")


def trend_section(reg: Registry, indicator: str, region: Region, as_of: dt.date) -> None:
    """A plan's trend indicator: its growth since the baseline and its trend label."""
    trends = default_trends()
    trend = trends.of(indicator)
    if trend is None:
        return
    doc = reg.documents[trend.document]
    st.subheader(f"{trend.document}关键指标：基期以来的趋势")
    if region.code != trend.region:
        where = reg.regions[trend.region].name
        st.caption(f"{trend.document}关键指标按{where}整体跟踪，见 "
                   f"[{where}](/indicator?indicator={indicator}&region={where}&as_of={as_of:%Y-%m})。")
        return
    reading = trend_of(common.series(), trend, reg, as_of, trends.thresholds)
    st.markdown(trend_markdown(trend, reading, reg, document_title(doc)))
    origin = document_origin(doc)
    cited = document_title(doc) + ("" if origin.startswith("（") else "，") + origin
    st.caption(f"出处：{cited}，{trend.clause}。{method_text(trends.thresholds)}")


def peers_section(reg: Registry, indicator: str) -> None:
    """兄弟城市对照: the figures comparable to the indicator, and the briefing's full table."""
    peers = default_peers()
    text = peers_section_markdown(peers, indicator, reg)
    if text is None:
        return
    st.subheader(SECTION_TITLE)
    st.markdown(text)
    with st.expander(f"{BRIEFING}所载全部外地与全国数字"):
        st.caption(NOT_WUHAN)
        st.dataframe(peers_table(peers, reg), hide_index=True, width="stretch", key="peers-all")


def draw(reg: Registry, indicator: str, region: Region, as_of: dt.date) -> None:
    """Everything this module adds to 指标详情, in order."""
    target_note(reg, indicator, region)
    trend_section(reg, indicator, region, as_of)
    peers_section(reg, indicator)
