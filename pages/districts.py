"""分区对比: Wuhan's 16 reporting units on one indicator (map, ranking, heat table, small multiples),
and one unit in full (every indicator, its rank, sub-targets, the register rows behind its counts).

The view is in the URL: ?indicator=tech_loan_balance&region=东湖高新区&as_of=2026-10&color=yoy.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from charts.district_map import WUHAN_CENTRE, district_map_figure
from charts.heat_table import heat_table_figure, profile_rows
from charts.ranking import ranking_figure, unit_facts
from charts.small_multiples import small_multiples_figure
from domain.months import month_label
from metrics import districts
from pages import common, region_select
from presentation import registers
from presentation.fmt import as_of_label
from presentation.xlsx import XLSX_MIME, workbook_bytes
from store import REGISTER_TABLES

WUHAN = "420100"
ZONES = ("WH_DHGX", "WH_JKQ", "WH_CJXQ", "WH_DHFJ")  # functional zones: tiles beside the map
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"],
                "toImageButtonOptions": {"scale": 2}}
MEASURES = {"value": "按数值", "yoy": "按同比增速"}
REGISTER_TITLES = {"institutions": ("科技金融专营机构", "家"), "seed_firms": ("金种子·银种子企业", "家"),
                   "funds": ("股权投资基金", "只")}

reg = common.registry()
as_of = common.as_of_month()
region = region_select.region_selector(reg)

st.title("分区对比 · 武汉市16个报送单位")
if as_of is None:
    st.info("数据库中还没有任何数据。请到“数据上传”页上传各单位报表，或在命令行运行 "
            "`python -m loaders demo --db data/tfm.duckdb` 生成演示数据库。")
    st.stop()

series = common.series()
codes = districts.indicators_with_units(series, reg, WUHAN)
if not codes:
    st.info("还没有分区数据：各单位报表（含各区、开发区、长江新区、风景区的分行数据）上传后，这里按区对比。")
    st.stop()


def _url_choice(param: str, options: list[str], default: str) -> str:
    """The option named in ?param= if it is one, else the default."""
    wanted = st.query_params.get(param)
    return wanted if wanted in options else default


def _keep_in_url(param: str, value: str, default: str) -> None:
    if value != default or param in st.query_params:
        st.query_params[param] = value


default_indicator = "tech_loan_balance" if "tech_loan_balance" in codes else codes[0]
left, right = st.columns([3, 2])
indicator = left.selectbox("指标", codes, index=codes.index(_url_choice("indicator", codes, default_indicator)),
                           format_func=lambda c: f"{reg.indicators[c].name_zh}（{reg.indicators[c].unit}）",
                           key="district_indicator")
_keep_in_url("indicator", indicator, default_indicator)
measure = right.radio("地图与排名", list(MEASURES), format_func=MEASURES.get, horizontal=True,
                      index=list(MEASURES).index(_url_choice("color", list(MEASURES), "value")), key="district_measure")
_keep_in_url("color", measure, "value")

ind = reg.indicators[indicator]
table = districts.district_table(series, reg, indicator, as_of, WUHAN)
month = districts.reference_month(series, reg, indicator, as_of, WUHAN)
dating = as_of_label(month)
source = f"数据来源：{ind.source}"
selected = region.code if region.parent == WUHAN and region.sums_to_parent else None

n_reported, n_units = districts.reporting_count(table)
missing = districts.missing_units(table)
line = f"{dating}，{n_units}个单位中{n_reported}个有数据"
if missing:
    line += "；**未报送**：" + "、".join(missing)
if month is not None and month < as_of:
    line += f"（所选{month_label(as_of)}尚无分区数据，显示最近的{month_label(month)}）"
st.markdown(line)
if selected is None:
    hint = "在左侧边栏“地区”中选择本单位（如 东湖高新区），即可在下方查看其全部指标、排名、分解目标及名录明细。"
    if region.code != WUHAN:
        hint = f"{region.name}不是武汉市的分区报送单位，湖北省各市州见“湖北目标”页。" + hint
    st.info(hint, icon="👈")

# -- map, ranking, trends ----------------------------------------------------------------------------------


# The two heaviest figures are cached per view (as dicts: a cached Figure is re-validated on every
# read), since typing a search in the registers reruns the page.
@st.cache_data(show_spinner=False, max_entries=64)
def _map_figure(db: str, rev: str, indicator: str, as_of: dt.date, measure: str, selected: str | None) -> dict:
    ind = reg.indicators[indicator]
    table = districts.district_table(common.series(), reg, indicator, as_of, WUHAN)
    dating = as_of_label(districts.reference_month(common.series(), reg, indicator, as_of, WUHAN))
    what = "同比增速" if measure == "yoy" else ind.short_zh
    return district_map_figure(
        table, reg, geojson="wuhan_districts", indicator=indicator, measure=measure, selected=selected,
        title=f"武汉市各单位{what}", as_of=dating, source=f"数据来源：{ind.source}；区划边界为示意", tiles=ZONES,
        inset=WUHAN_CENTRE).to_dict()


@st.cache_data(show_spinner=False, max_entries=64)
def _multiples_figure(db: str, rev: str, indicator: str, as_of: dt.date, selected: str | None) -> dict:
    ind = reg.indicators[indicator]
    histories = districts.unit_histories(common.series(), reg, indicator, as_of, WUHAN)
    dating = as_of_label(districts.reference_month(common.series(), reg, indicator, as_of, WUHAN))
    return small_multiples_figure(histories, reg, indicator=indicator, selected=selected,
                                  title=f"各单位{ind.short_zh}近24个月走势", as_of=dating,
                                  source=f"数据来源：{ind.source}；同一纵轴，按最新值排序").to_dict()


st.plotly_chart(_map_figure(str(common.db_path()), common.revision(), indicator, as_of, measure, selected),
                config={**CHART_CONFIG, "scrollZoom": False}, key="district-map")
st.caption("13个行政区按地图着色（中心城区见左侧放大图），汉南区数据计入武汉经开区；东湖高新区、武汉经开区、长江新区、"
           "东湖风景区为功能区，无行政区划边界，列于右侧。斜线灰色 = 未报送。")
rank_col, trend_col = st.columns(2)
with rank_col:
    reference = (districts.parent_growth(series, reg, indicator, as_of, WUHAN) if measure == "yoy"
                 else districts.unit_average(table))
    st.plotly_chart(ranking_figure(
        table, reg, indicator=indicator, measure=measure, selected=selected, reference=reference,
        reference_label="全市同比" if measure == "yoy" else "各单位平均",
        title=f"{ind.short_zh}：各单位{'增速' if measure == 'yoy' else ''}排名", as_of=dating, source=source),
        config=CHART_CONFIG, key="district-ranking")
with trend_col:
    st.plotly_chart(_multiples_figure(str(common.db_path()), common.revision(), indicator, as_of, selected),
                    config=CHART_CONFIG, key="district-multiples")

# -- one unit --------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def _register_rows(db: str, rev: str, table: str) -> pl.DataFrame:
    return common.store().register_rows(table)


def _registers(unit_code: str, unit_name: str, as_of: dt.date) -> None:
    st.markdown(f"#### {unit_name}名录明细")
    query = st.text_input("搜索名录", key="register_search", placeholder="输入企业、机构、基金或管理人名称中的字词",
                          help="在名称、类型、层级、行业、管理人等各列中查找")
    sheets = {}
    tabs_spec = []
    for table_name in ("institutions", "seed_firms", "funds"):
        if table_name not in REGISTER_TABLES or table_name not in reg.registers:
            continue
        rows, month_of = registers.register_for_unit(_register_rows(str(common.db_path()), common.revision(),
                                                                    table_name), reg, table_name, unit_code, as_of)
        shown = registers.search_rows(rows, query)
        headings = registers.register_headings(reg, table_name)
        title, counter = REGISTER_TITLES[table_name]
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
                note += f"，其中含“{query.strip()}”的{shown.height}{counter}"
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
    st.download_button("下载名录（Excel）", data=workbook_bytes(sheets),
                       file_name=f"{unit_name}_名录_{stamp}.xlsx", mime=XLSX_MIME, key="register-download",
                       help="三张名录各一个工作表；有搜索词时只含搜索结果")


if selected is not None:
    unit = reg.regions[selected]
    st.subheader(f"{unit.name}：全部指标")
    profile = districts.unit_profile(series, reg, selected, as_of, WUHAN)
    me = districts.unit_row(table, selected)
    st.markdown(f"{dating}　" + unit_facts(me, ind, n_reported, whole="全市", members="单位"))
    if selected == "WH_JKQ":
        st.caption("武汉经开区的数据含汉南区。")
    st.dataframe(profile_rows(profile, reg, "全市"), hide_index=True, width="stretch", key="unit-profile",
                 column_config={"指标": st.column_config.TextColumn("指标", width="medium"),
                                "近24个月走势": st.column_config.LineChartColumn("近24个月走势", width="small")})
    st.caption("排名：1 = 全市最高；“未报送”的单位不参与排名。状态按分解目标判定（无分解目标的指标不判定）。")
    _registers(selected, unit.name, as_of)

# -- all units on all indicators ---------------------------------------------------------------------------
st.subheader("各单位 × 各指标")
heat_measure = st.radio("表格内容", ["yoy", "subtarget_completion"], horizontal=True, key="heat_measure",
                        format_func={"yoy": "同比增速", "subtarget_completion": "分解目标完成率"}.get)
matrix = districts.heat_matrix(series, reg, codes, as_of, WUHAN, measure=heat_measure)
if heat_measure == "subtarget_completion" and matrix["measure"].is_null().all():
    st.info("尚未登记任何分解目标（data/targets.toml 的 [[subtarget]]）。")
else:
    st.plotly_chart(heat_table_figure(
        matrix, reg, measure=heat_measure, selected=selected,
        title="各单位" + ("同比增速" if heat_measure == "yoy" else "分解目标完成率"), as_of=as_of_label(as_of),
        source="数据来源：各报送单位报表，经本系统汇总"), config=CHART_CONFIG, key="district-heat")

common.unit_rows_expander(table, indicator, month, whole="全市", members="单位", key="district")
