"""湖北目标: the four HB2026 goals, where the province stands, and each goal by Hubei's 17 市州
(map and ranking), plus every goal's y/y growth by 市州.

The view is in the URL: ?indicator=tech_sme_borrowers&region=宜昌市&as_of=2026-10.
"""

from __future__ import annotations

import streamlit as st

from charts.district_map import district_map_figure
from charts.heat_table import heat_table_figure
from charts.ranking import ranking_figure, unit_facts
from metrics import districts
from pages import common, region_select
from presentation.fmt import as_of_label, pct, qty

HUBEI = "420000"
DOCUMENT = "HB2026"
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"],
                "toImageButtonOptions": {"scale": 2}}

reg = common.registry()
as_of = common.as_of_month()
region = region_select.region_selector(reg)
doc = reg.documents[DOCUMENT]

deadline = min((t.deadline for t in reg.targets.values() if t.document == DOCUMENT), default=None)
st.title("湖北目标 · 17个市州")
st.caption(f"{doc.title}{'（' + doc.number + '）' if doc.number else ''}，{doc.issuer}"
           + (f"，截止{deadline.year}年底" if deadline else ""))
if as_of is None:
    st.info("数据库中还没有任何数据。请到“数据上传”页上传各单位报表，或在命令行运行 "
            "`python -m loaders demo --db data/tfm.duckdb` 生成演示数据库。")
    st.stop()

series = common.series()
goals = [s for s in common.target_standings(as_of) if s.document == DOCUMENT]

# -- where the province stands --------------------------------------------------------------------------
cols = st.columns(len(goals) or 1)
for col, s in zip(cols, goals, strict=False):
    ind = reg.indicators[s.indicator_code]
    style = reg.statuses[s.status]
    with col, st.container(border=True):
        st.metric(ind.short_zh, qty(s.value, ind.unit, ind.decimals), help=reg.targets[s.target_id].wording)
        st.markdown(f"<span style='color:{style.color}'>**{style.symbol} {style.label}**</span><br>"
                    f"完成 **{pct(s.completion)}**　时间进度 {pct(s.time_elapsed)}", unsafe_allow_html=True)
        st.caption(f"{as_of_label(s.as_of)}；目标：{reg.targets[s.target_id].wording}")

# -- one goal by 市州 ------------------------------------------------------------------------------------
codes = [s.indicator_code for s in goals]
with_cities = [c for c in codes if c in districts.indicators_with_units(series, reg, HUBEI)]
if not with_cities:
    st.info("还没有分市州数据：各市州报表上传后，这里按市州对比。")
    st.stop()
wanted = st.query_params.get("indicator")
default = with_cities[0]
indicator = st.radio("目标", with_cities, horizontal=True, key="hubei_goal",
                     index=with_cities.index(wanted if wanted in with_cities else default),
                     format_func=lambda c: reg.indicators[c].name_zh)
if indicator != default or "indicator" in st.query_params:
    st.query_params["indicator"] = indicator

ind = reg.indicators[indicator]
table = districts.district_table(series, reg, indicator, as_of, HUBEI)
month = districts.reference_month(series, reg, indicator, as_of, HUBEI)
dating = as_of_label(month)
source = f"数据来源：{ind.source}"
# A Wuhan unit chosen on another page points at 武汉市 here.
selected = region.code if region.parent == HUBEI else ("420100" if region.parent == "420100" else None)
n_reported, n_units = districts.reporting_count(table)
missing = districts.missing_units(table)
line = f"{dating}，{n_units}个市州中{n_reported}个有数据"
if missing:
    line += "；**未报送**：" + "、".join(missing)
for name, why in districts.noted_units(table):
    line += f"；{name}：{why}"
st.markdown(line)
if selected is not None:
    me = districts.unit_row(table, selected)
    st.markdown(f"**{reg.regions[selected].name}**：" + unit_facts(me, ind, n_reported, whole="全省", members="市州"))

map_col, rank_col = st.columns([3, 2])
with map_col:
    st.plotly_chart(district_map_figure(
        table, reg, geojson="hubei_cities", indicator=indicator, selected=selected,
        title=f"湖北省各市州{ind.short_zh}", as_of=dating, source=source + "；区划边界为示意", height=600),
        config={**CHART_CONFIG, "scrollZoom": False}, key="hubei-map")
with rank_col:
    st.plotly_chart(ranking_figure(
        table, reg, indicator=indicator, selected=selected, reference=districts.unit_average(table),
        reference_label="各市州平均", title=f"{ind.short_zh}：各市州排名", as_of=dating, source=source),
        config=CHART_CONFIG, key="hubei-ranking")
if selected is not None and region.code != selected:
    st.caption(f"{region.name}属武汉市，此处标出武汉市。")

common.unit_rows_expander(table, indicator, month, whole="全省", members="市州", key="hubei")

# -- every goal by 市州 ----------------------------------------------------------------------------------
st.subheader("各市州 × 四项目标：同比增速")
matrix = districts.heat_matrix(series, reg, with_cities, as_of, HUBEI, measure="yoy")
st.plotly_chart(heat_table_figure(matrix, reg, measure="yoy", selected=selected, title="各市州同比增速",
                                  as_of=as_of_label(as_of), source="数据来源：" + "、".join(dict.fromkeys(reg.indicators[c].source for c in with_cities))),
                config=CHART_CONFIG, key="hubei-heat")
