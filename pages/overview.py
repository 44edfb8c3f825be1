"""总览: every target's gauge, trend and one-sentence standing, WH2027 then HB2026."""

from __future__ import annotations

import streamlit as st

from charts.sparkline import sparkline_figure
from charts.theme import chart_config
from domain.months import month_label
from metrics.standing import status_counts
from pages import common
from presentation.fmt import as_of_label, document_title, qty, source_line, status_text
from presentation.labels import APP_TITLE
from presentation.sentences import target_sentence
from reports.figures import gauge_chart

reg = common.registry()
as_of = common.as_of_month()

st.title(f"{APP_TITLE} · 总览")
as_of = common.stop_if_empty(as_of)

rows = common.target_standings(as_of)
counts = status_counts(rows)
summary = "　".join(f"{status_text(style)} **{counts[code]}**" for code, style in reg.statuses.items()
                   if code in counts)
st.markdown(f"{as_of_label(as_of)}，共监测 {len(rows)} 项目标：{summary}")


def card(s) -> None:
    ind = reg.indicators[s.indicator_code]
    style = reg.statuses[s.status]
    target = reg.targets[s.target_id]
    doc = reg.documents[s.document]
    with st.container(border=True):
        # The same figure as in the meeting deck: title, 截至, unit, status label and source inside it.
        gauge = gauge_chart(s, reg)
        st.plotly_chart(gauge.figure, config=chart_config(gauge.title, gauge.dating), theme=None,
                        key=f"gauge-{s.target_id}")
        if s.history:
            st.plotly_chart(sparkline_figure(s.history, ind.unit, ind.decimals, style.color),
                            config=chart_config(gauge.title, "近24个月走势", gauge.dating, displayModeBar=False),
                            theme=None, key=f"spark-{s.target_id}")
            st.caption(f"近{len(s.history)}个月走势（{month_label(s.history[0][0])}—{month_label(s.history[-1][0])}）")
        st.markdown(target_sentence(s, reg))
        with st.expander("数据来源与目标出处"):
            for src in s.sources:
                st.markdown(source_line(src))
            if s.baseline_value is not None:
                st.markdown(f"- 基期：{month_label(s.baseline_period)}，{qty(s.baseline_value, ind.unit, ind.decimals)}")
            st.markdown(f"- 目标出处：{document_title(doc)}，{target.clause}："
                        f"“{target.wording}”")


for doc_id, heading in (("WH2027", "武汉市 2027 年目标"), ("HB2026", "湖北省 2026 年目标")):
    group = [s for s in rows if s.document == doc_id]
    if not group:
        continue
    doc = reg.documents[doc_id]
    st.subheader(heading)
    st.caption(f"{document_title(doc)}，截止 {group[0].deadline.year}年底")
    per_row = 3
    for start in range(0, len(group), per_row):
        cols = st.columns(per_row)
        for col, s in zip(cols, group[start:start + per_row], strict=False):
            with col:
                card(s)
