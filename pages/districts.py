"""分区对比: Wuhan's 16 reporting units on one indicator (map, ranking, heat table, small multiples),
and one unit in full (every indicator, its rank, sub-targets, the register rows behind its counts).

The view is in the URL: ?indicator=tech_loan_balance&region=东湖高新区&as_of=2026-10&color=yoy.
What this page shares with 湖北目标 is pages/units_view.py's.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from charts.district_map import WUHAN_CENTRE
from charts.small_multiples import small_multiples_figure
from charts.theme import chart_config
from domain.months import month_label
from metrics import districts
from pages import common, region_select, units_view
from presentation import registers
from presentation.fmt import md_text
from presentation.labels import MEASURE_NAMES, RANK_BY, REGISTER_TABS, measure_name, subtarget_note
from presentation.units import profile_rows
from presentation.xlsx import XLSX_MIME, workbook_bytes
from store import REGISTER_TABLES

common.through_dashboard()  # a run Streamlit started on its own goes through dashboard.py

reg = common.registry()
CITY = reg.city
# Units without an outline on the map (the functional zones): tiles beside it.
TILES = tuple(r.code for r in reg.children(CITY) if r.kind == "functional_zone")

as_of = common.as_of_month()
region = region_select.region_selector(reg)

st.title("分区对比 · 武汉市16个报送单位")
as_of = common.stop_if_empty(as_of)

series = common.series()
codes = districts.indicators_with_units(series, reg, CITY)
if not codes:
    st.info("还没有分区数据：各单位报表（含各区、开发区、长江新区、风景区的分行数据）上传后，这里按区对比。")
    st.stop()

default_indicator = "tech_loan_balance" if "tech_loan_balance" in codes else codes[0]
left, right = st.columns([3, 2])
indicator = left.selectbox("指标", codes, index=codes.index(common.url_choice("indicator", codes, default_indicator)),
                           format_func=lambda c: f"{reg.indicators[c].name_zh}（{reg.indicators[c].unit}）",
                           key="district_indicator")
common.keep_in_url("indicator", indicator, default_indicator)
measure = right.radio("地图与排名", list(RANK_BY), format_func=RANK_BY.get, horizontal=True,
                      index=list(RANK_BY).index(common.url_choice("color", list(RANK_BY), "value")),
                      key="district_measure")
common.keep_in_url("color", measure, "value")

ind = reg.indicators[indicator]
view = units_view.units(indicator, as_of, CITY, region)
selected, dating = view.selected, view.dating

line = units_view.coverage_line(view)
if view.month is not None and view.month < as_of:
    line += f"（所选{month_label(as_of)}尚无分区数据，显示最近的{month_label(view.month)}）"
st.markdown(line)
if selected is None:
    hint = ("点击地图上的单位名称或排名中的条形，或在左侧边栏“地区”中选择本单位（如 东湖高新区），"
            "即可在下方查看其全部指标、排名、分解目标及名录明细。")
    if region.code != CITY:
        hint = f"{region.name}不是武汉市的分区报送单位，湖北省各市州见“湖北目标”页。" + hint
    st.info(hint, icon=":material/touch_app:")

# -- map, ranking, trends ----------------------------------------------------------------------------------

SCALES = {"shared": "统一纵轴（比较规模）", "own": "各自纵轴（看走势）"}


# Kept per view and shared like the map (units_view.FIGURES).
@st.cache_resource(show_spinner=False, max_entries=units_view.FIGURES, ttl=units_view.KEPT)
def _multiples_figure(db: str, rev: str, indicator: str, as_of: dt.date, selected: str | None, title: str,
                      dating: str, shared_scale: bool) -> go.Figure:
    histories = districts.unit_histories(common.series(), reg, indicator, as_of, CITY)
    scale = "同一纵轴" if shared_scale else "各自纵轴"
    return small_multiples_figure(histories, reg, indicator=indicator, selected=selected, title=title, as_of=dating,
                                  source=f"数据来源：{reg.indicators[indicator].source}；{scale}，按最新值排序",
                                  shared_scale=shared_scale)


units_view.map_chart(view, geojson="wuhan_districts", measure=measure, tiles=TILES, inset=WUHAN_CENTRE,
                     key="district-map")
st.caption("13个行政区按地图着色（中心城区见左侧放大图），汉南区数据计入武汉经开区；东湖高新区、武汉经开区、长江新区、"
           "东湖风景区为功能区，无行政区划边界，列于右侧。斜线灰色 = 未报送。")
rank_col, trend_col = st.columns(2)
with rank_col:
    units_view.ranking_chart(view, measure=measure, key="district-ranking")
with trend_col:
    title = f"各单位{ind.short_zh}近24个月走势"
    scale = st.radio("纵轴", list(SCALES), horizontal=True, key="multiples_scale", format_func=SCALES.get,
                     help="统一纵轴便于比较规模；规模小的单位走势较平，可改为各自纵轴查看其变化")
    st.plotly_chart(_multiples_figure(str(common.db_path()), common.revision(), indicator, as_of, selected, title,
                                      dating, scale == "shared"), config=chart_config(title, dating),
                    key="district-multiples")

# -- one unit --------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def _register_rows(db: str, rev: str, table: str) -> pl.DataFrame:
    return common.store().register_rows(table)


@st.fragment  # typing in the search box reruns this block alone, without reopening the database
def _registers(unit_code: str, unit_name: str, as_of: dt.date) -> None:
    st.markdown(f"#### {unit_name}名录明细")
    query = st.text_input("搜索名录", key="register_search", placeholder="输入企业、机构、基金或管理人名称中的字词",
                          help="在名称、类型、层级、行业、管理人等各列中查找")
    sheets = {}
    tabs_spec = []
    for table_name, (title, counter) in REGISTER_TABS.items():
        if table_name not in REGISTER_TABLES or table_name not in reg.registers:
            continue
        rows, month_of = registers.register_for_unit(_register_rows(str(common.db_path()), common.revision(),
                                                                    table_name), reg, table_name, unit_code, as_of)
        shown = registers.search_rows(rows, query)
        headings = registers.register_headings(reg, table_name)
        sheets[title] = (shown, headings)
        tabs_spec.append((table_name, title, counter, rows.height, shown, headings, month_of))
    if not tabs_spec:
        return
    tabs = st.tabs([f"{title}（{n}{counter}）" for _, title, counter, n, *_ in tabs_spec])
    for tab, (table_name, _title, counter, n, shown, headings, month_of) in zip(tabs, tabs_spec, strict=True):
        with tab:
            if month_of is None:
                st.info(f"{month_label(as_of)}及以前还没有上传{reg.registers[table_name].label}。")
                continue
            note = f"{reg.registers[table_name].label}，{month_label(month_of)}报送，{unit_name}共{n}{counter}"
            if query.strip():
                note += f"，其中含“{md_text(query.strip())}”的{shown.height}{counter}"
            st.caption(note)
            view = shown.rename(headings)
            config = {headings[c]: st.column_config.DateColumn(headings[c], format="YYYY-MM-DD")
                      for c in headings if c.endswith("_on")}
            if "size_yi_yuan" in headings:
                config[headings["size_yi_yuan"]] = st.column_config.NumberColumn(headings["size_yi_yuan"],
                                                                                  format="%,.2f")
            st.dataframe(view, hide_index=True, width="stretch", column_config=config,
                         key=f"register-{table_name}")
    stamp = month_label(as_of)
    st.download_button("下载名录（Excel）", data=lambda: workbook_bytes(sheets),  # built when clicked
                       file_name=f"{unit_name}_名录_{stamp}.xlsx", mime=XLSX_MIME, key="register-download",
                       help="三张名录各一个工作表；有搜索词时只含搜索结果")


@st.cache_resource(show_spinner=False, max_entries=units_view.FIGURES, ttl=units_view.KEPT)
def _profile(db: str, rev: str, unit: str, as_of: dt.date, whole: str) -> pl.DataFrame:
    """The unit's row per indicator (presentation.units.profile_rows), once for every session."""
    return profile_rows(districts.unit_profile(common.series(), reg, unit, as_of, CITY), reg, whole)


if selected is not None:
    unit = reg.regions[selected]
    st.subheader(f"{unit.name}：全部指标")
    st.markdown(f"{dating}　" + units_view.selected_facts(view))
    included = [r.name for r in reg.regions.values() if r.reported_by == selected]
    if included:
        st.caption(f"{unit.name}的数据含{'、'.join(included)}。")
    st.dataframe(_profile(str(common.db_path()), common.revision(), selected, as_of, view.whole), hide_index=True,
                 width="stretch", key="unit-profile",
                 column_config={"指标": st.column_config.TextColumn("指标", width="medium"),
                                "近24个月走势": st.column_config.LineChartColumn("近24个月走势", width="small")})
    st.caption("排名：1 = 全市最高；“未报送”的单位不参与排名。状态按分解目标判定（无分解目标的指标不判定）。"
               + subtarget_note(reg.subtargets_are_examples()))
    _registers(selected, unit.name, as_of)

# -- all units on all indicators ---------------------------------------------------------------------------
st.subheader("各单位 × 各指标")
heat_measure = st.radio("表格内容", list(MEASURE_NAMES), horizontal=True, key="heat_measure",
                        format_func=lambda m: measure_name(m, example=reg.subtargets_are_examples()))
units_view.heat_chart(view, codes, measure=heat_measure, source="数据来源：各报送单位报表，经本系统汇总",
                      key="district-heat")

units_view.rows_expander(view, key="district")
