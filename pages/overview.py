"""总览: every target's value, completion and status at a glance (a board of text, drawn before any chart),
then per target its gauge, trend and one-sentence standing, WH2027 then HB2026."""

from __future__ import annotations

import pickle

import streamlit as st

from charts.board import status_board
from charts.sparkline import sparkline_svg
from charts.theme import chart_config
from domain.months import month_label
from metrics.standing import Standing, status_counts
from pages import common
from presentation.fmt import as_of_label, document_title, qty, source_line, status_text
from presentation.labels import APP_TITLE
from presentation.sentences import target_sentence
from reports.figures import Chart, gauge_chart

GROUPS = (("WH2027", "武汉市 2027 年目标"), ("HB2026", "湖北省 2026 年目标"))
PER_ROW = 3

reg = common.registry()
as_of = common.as_of_month()

st.title(f"{APP_TITLE} · 总览")
as_of = common.stop_if_empty(as_of)

rows = common.target_standings(as_of)
counts = status_counts(rows)
summary = "　".join(f"{status_text(style)} **{counts[code]}**" for code, style in reg.statuses.items()
                   if code in counts)
st.markdown(f"{as_of_label(as_of)}，共监测 {len(rows)} 项目标：{summary}")
groups = [(doc_id, heading, [s for s in rows if s.document == doc_id]) for doc_id, heading in GROUPS]
st.markdown(status_board([(heading, group) for _, heading, group in groups], reg), unsafe_allow_html=True)


@st.cache_resource(show_spinner=False, max_entries=16, hash_funcs={Standing: pickle.dumps})
def gauges(standings: list[Standing]) -> dict[str, Chart]:
    """The gauges, built once for all sessions per set of standings (a month of a revision of the store): building
    one takes tens of milliseconds. Shared, not copied: st.plotly_chart only reads a figure."""
    return {s.target_id: gauge_chart(s, reg) for s in standings}


charts = gauges(rows)


def card(s: Standing) -> None:
    ind = reg.indicators[s.indicator_code]
    style = reg.statuses[s.status]
    target = reg.targets[s.target_id]
    doc = reg.documents[s.document]
    with st.container(border=True):
        # The same figure as in the meeting deck: title, 截至, unit, status label and source inside it.
        gauge = charts[s.target_id]
        st.plotly_chart(gauge.figure, config=chart_config(gauge.title, gauge.dating), theme=None,
                        key=f"gauge-{s.target_id}")
        if s.history:
            st.markdown(sparkline_svg(s.history, ind.unit, ind.decimals, style.color), unsafe_allow_html=True)
            st.caption(f"近{len(s.history)}个月走势（{month_label(s.history[0][0])}—{month_label(s.history[-1][0])}）")
        st.markdown(target_sentence(s, reg))
        with st.expander("数据来源与目标出处"):
            for src in s.sources:
                st.markdown(source_line(src))
            if s.baseline_value is not None:
                st.markdown(f"- 基期：{month_label(s.baseline_period)}，{qty(s.baseline_value, ind.unit, ind.decimals)}")
            st.markdown(f"- 目标出处：{document_title(doc)}，{target.clause}："
                        f"“{target.wording}”")


for doc_id, heading, group in groups:
    if not group:
        continue
    doc = reg.documents[doc_id]
    st.subheader(heading)
    st.caption(f"{document_title(doc)}，截止 {group[0].deadline.year}年底")
    for start in range(0, len(group), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, s in zip(cols, group[start:start + PER_ROW], strict=False):
            with col:
                card(s)
