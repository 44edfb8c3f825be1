"""湖北目标: the four HB2026 goals, where the province stands, and each goal by Hubei's 17 市州
(map and ranking), plus every goal's y/y growth by 市州.

The view is in the URL: ?indicator=tech_sme_borrowers&region=宜昌市&as_of=2026-10.
What this page shares with 分区对比 is pages/units_view.py's.
"""

from __future__ import annotations

import streamlit as st

from metrics import districts
from pages import common, region_select, units_view
from presentation.fmt import as_of_label, document_title, qty, status_text
from presentation.sentences import verdict_line

common.through_dashboard()  # a run Streamlit started on its own goes through dashboard.py

DOCUMENT = "HB2026"

reg = common.registry()
PROVINCE = reg.province
as_of = common.as_of_month()
region = region_select.region_selector(reg)
doc = reg.documents[DOCUMENT]

deadline = reg.deadline_of(DOCUMENT)
st.title("湖北目标 · 17个市州")
st.caption(f"{document_title(doc)}，{doc.issuer}" + (f"，截止{deadline.year}年底" if deadline else ""))
as_of = common.stop_if_empty(as_of)

series = common.series()
goals = [s for s in common.target_standings(as_of) if s.document == DOCUMENT]

# -- where the province stands --------------------------------------------------------------------------
cols = st.columns(len(goals) or 1)
for col, s in zip(cols, goals, strict=False):
    ind = reg.indicators[s.indicator_code]
    style = reg.statuses[s.status]
    with col, st.container(border=True):
        st.metric(ind.short_zh, qty(s.value, ind.unit, ind.decimals), help=reg.targets[s.target_id].wording)
        st.markdown(f"<span style='color:{style.color}'>**{status_text(style)}**</span><br>"
                    f"{verdict_line(s, reg, '<br>')}", unsafe_allow_html=True)  # 序时进度 first (presentation.sentences)
        st.caption(f"{as_of_label(s.as_of)}；目标：{reg.targets[s.target_id].wording}")

# -- one goal by 市州 ------------------------------------------------------------------------------------
codes = [s.indicator_code for s in goals]
with_cities = [c for c in codes if c in districts.indicators_with_units(series, reg, PROVINCE)]
if not with_cities:
    st.info("还没有分市州数据：各市州报表上传后，这里按市州对比。")
    st.stop()
default = with_cities[0]
indicator = st.radio("目标", with_cities, horizontal=True, key="hubei_goal",
                     index=with_cities.index(common.url_choice("indicator", with_cities, default)),
                     format_func=lambda c: reg.indicators[c].name_zh)
common.keep_in_url("indicator", indicator, default)

# A Wuhan unit chosen on another page points at 武汉市 here.
view = units_view.units(indicator, as_of, PROVINCE, region)
selected = view.selected
st.markdown(units_view.coverage_line(view))
if selected is not None:
    st.markdown(f"**{reg.regions[selected].name}**：" + units_view.selected_facts(view))

map_col, rank_col = st.columns([3, 2])
with map_col:
    units_view.map_chart(view, geojson="hubei_cities", height=600, key="hubei-map")
with rank_col:
    units_view.ranking_chart(view, key="hubei-ranking")
if selected is not None and region.code != selected:
    st.caption(f"{region.name}属{reg.regions[selected].name}，此处标出{reg.regions[selected].name}。")

units_view.rows_expander(view, key="hubei")

# -- every goal by 市州 ----------------------------------------------------------------------------------
st.subheader("各市州 × 四项目标：同比增速")
units_view.heat_chart(view, with_cities, measure="yoy",
                      source="数据来源：" + "、".join(dict.fromkeys(reg.indicators[c].source for c in with_cities)),
                      key="hubei-heat")
