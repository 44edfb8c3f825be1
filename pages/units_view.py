"""What 分区对比 and 湖北目标 share: a parent region's units on one indicator. Which unit is marked, the line
that says who reported, the unit's facts, the map, the ranking, the units × indicators table, and the units'
table with its Excel download. All of it is parameterised by the parent: registry.city on 分区对比,
registry.province on 湖北目标; how the parent's total and its units are called (全市/全省, 单位/市州) follows
from the parent's kind (presentation.labels).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from charts.district_map import district_map_figure
from charts.heat_table import heat_table_figure
from charts.ranking import ranking_figure
from charts.theme import chart_config
from domain.model import Region
from domain.months import month_label
from metrics import districts
from pages import common, region_select
from presentation.fmt import as_of_label
from presentation.labels import MEASURE_NAMES, MEMBERS, NOT_REPORTED, WHOLE, measure_name, subtarget_note
from presentation.units import district_rows, unit_facts
from presentation.xlsx import XLSX_MIME, workbook_bytes

# Figures kept per view and shared by every session (st.cache_resource: one object, which Streamlit reads without
# validating it again, as it does a dict or an unpickled copy; nothing changes a Figure once built). A view is an
# indicator, month, measure and marked unit: a meeting's few dozen fit. A map holds its outlines (about 7 MB in
# memory), so fewer of them are kept; all are let go half an hour after they were made.
FIGURES, MAPS, KEPT = 24, 8, dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Units:
    """The parent's units on one indicator as of a month: metrics.districts.district_table and its month."""
    parent: str
    kind: str  # the parent's kind: "city" | "province"
    indicator: str
    as_of: dt.date
    table: pl.DataFrame
    month: dt.date | None  # the latest month with unit data, on or before as_of
    selected: str | None  # the unit marked (selected_unit)

    @property
    def dating(self) -> str:
        return as_of_label(self.month)

    @property
    def members(self) -> str:
        return MEMBERS[self.kind]

    @property
    def whole(self) -> str:
        return WHOLE[self.kind]


def selected_unit(region: Region, parent: str) -> str | None:
    """The unit of `parent` that the chosen region is or lies in (on 湖北目标 a Wuhan district marks 武汉市);
    None when the region is the parent itself, lies outside it, or is reported by another unit."""
    regions = common.registry().regions
    code: str | None = region.code
    while code:
        r = regions[code]
        if r.parent == parent:
            return code if r.sums_to_parent else None
        code = r.parent
    return None


def units(indicator: str, as_of: dt.date, parent: str, region: Region) -> Units:
    table, month = _table(str(common.db_path()), common.revision(), indicator, as_of, parent)
    return Units(parent=parent, kind=common.registry().regions[parent].kind, indicator=indicator, as_of=as_of,
                 table=table, month=month, selected=selected_unit(region, parent))


# The units' table of a view, worked out once for every session (frames are never changed in place).
@st.cache_resource(show_spinner=False, max_entries=FIGURES, ttl=KEPT)
def _table(db: str, rev: str, indicator: str, as_of: dt.date, parent: str) -> tuple[pl.DataFrame, dt.date | None]:
    reg, series = common.registry(), common.series()
    return (districts.district_table(series, reg, indicator, as_of, parent),
            districts.reference_month(series, reg, indicator, as_of, parent))


def coverage_line(view: Units) -> str:
    """截至2026年10月，16个单位中15个有数据；**未报送**：东湖风景区 — and the units without a value for a reason."""
    n_reported, n_units = districts.reporting_count(view.table)
    line = f"{view.dating}，{n_units}个{view.members}中{n_reported}个有数据"
    missing = districts.missing_units(view.table)
    if missing:
        line += f"；**{NOT_REPORTED}**：" + "、".join(missing)
    for name, why in districts.noted_units(view.table):
        line += f"；{name}：{why}"
    return line


def selected_facts(view: Units) -> str:
    """The marked unit's value, rank, share and growth in one line (presentation.units.unit_facts); "" for none."""
    if view.selected is None:
        return ""
    n_reported, _ = districts.reporting_count(view.table)
    ind = common.registry().indicators[view.indicator]
    return unit_facts(districts.unit_row(view.table, view.selected), ind, n_reported, view.kind)


# The map is the heaviest figure: built once per view for every session (a shared Figure, FIGURES), since
# thirty officials opening the same unit, or one typing a search, rerun the page.
@st.cache_resource(show_spinner=False, max_entries=MAPS, ttl=KEPT)
def _map_figure(db: str, rev: str, indicator: str, as_of: dt.date, parent: str, measure: str, selected: str | None,
                title: str, dating: str, geojson: str, tiles: tuple[str, ...],
                inset: tuple[float, float, float, float] | None, height: int) -> go.Figure:
    reg = common.registry()
    table = _table(db, rev, indicator, as_of, parent)[0]
    return district_map_figure(
        table, reg, geojson=geojson, indicator=indicator, measure=measure, selected=selected, title=title,
        as_of=dating, source=f"数据来源：{reg.indicators[indicator].source}；区划边界为示意", tiles=tiles, inset=inset,
        height=height)


def map_title(view: Units, measure: str = "value") -> str:
    """武汉市各单位科技贷款余额 / 武汉市各单位科技贷款余额同比增速 (a % indicator: 同比变化, in points): the title
    names the indicator whichever way the map is coloured."""
    reg = common.registry()
    what = reg.indicators[view.indicator].short_zh
    if measure == "yoy":
        what += "同比变化" if districts.growth_key(reg, view.indicator) == "yoy_points" else MEASURE_NAMES["yoy"]
    return f"{reg.regions[view.parent].name}各{view.members}{what}"


def map_chart(view: Units, *, geojson: str, key: str, measure: str = "value", tiles: Sequence[str] = (),
              inset: tuple[float, float, float, float] | None = None, height: int = 700) -> None:
    """The units on the map (charts.district_map): `geojson` names the parent's outlines in data/geo/, `tiles`
    the units drawn beside it (no outline), `inset` the box enlarged beside it."""
    reg = common.registry()
    title = map_title(view, measure)
    fig = _map_figure(str(common.db_path()), common.revision(), view.indicator, view.as_of, view.parent, measure,
                      view.selected, title, view.dating, geojson, tuple(tiles), inset, height)
    st.plotly_chart(fig, config=chart_config(title, view.dating, scrollZoom=False), key=key,
                    on_select=functools.partial(region_select.choose_from_chart, key, reg), selection_mode="points")


@st.cache_resource(show_spinner=False, max_entries=FIGURES, ttl=KEPT)
def _ranking_figure(db: str, rev: str, indicator: str, as_of: dt.date, parent: str, measure: str,
                    selected: str | None, title: str, members: str, whole: str, dating: str) -> go.Figure:
    reg = common.registry()
    table = _table(db, rev, indicator, as_of, parent)[0]
    ind = reg.indicators[indicator]
    growth = measure == "yoy"
    reference = (districts.parent_growth(common.series(), reg, indicator, as_of, parent) if growth
                 else districts.unit_average(table))
    return ranking_figure(table, reg, indicator=indicator, measure=measure, selected=selected, reference=reference,
                          reference_label=f"{whole}同比" if growth else f"各{members}平均", title=title,
                          as_of=dating, source=f"数据来源：{ind.source}")


def ranking_chart(view: Units, *, key: str, measure: str = "value") -> None:
    """The units ranked (charts.ranking), with the units' average, or the parent's own growth, as the reference."""
    reg = common.registry()
    title = f"{reg.indicators[view.indicator].short_zh}：各{view.members}{'增速' if measure == 'yoy' else ''}排名"
    fig = _ranking_figure(str(common.db_path()), common.revision(), view.indicator, view.as_of, view.parent, measure,
                          view.selected, title, view.members, view.whole, view.dating)
    st.plotly_chart(fig, config=chart_config(title, view.dating), key=key,
                    on_select=functools.partial(region_select.choose_from_chart, key, reg), selection_mode="points")


@st.cache_resource(show_spinner=False, max_entries=FIGURES, ttl=KEPT)
def _heat(db: str, rev: str, codes: tuple[str, ...], as_of: dt.date, parent: str, measure: str, selected: str | None,
          title: str, dating: str, source: str) -> go.Figure | None:
    """The heat table's figure; None when it would show no sub-target at all."""
    reg = common.registry()
    matrix = districts.heat_matrix(common.series(), reg, list(codes), as_of, parent, measure=measure)
    if measure == "subtarget_completion" and matrix["measure"].is_null().all():
        return None
    return heat_table_figure(matrix, reg, measure=measure, selected=selected, title=title, as_of=dating, source=source)


def heat_chart(view: Units, codes: list[str], *, measure: str, source: str, key: str) -> None:
    """The units × `codes` (charts.heat_table), as of the view's month: y/y growth or sub-target completion."""
    reg = common.registry()
    title = f"各{view.members}{measure_name(measure, example=reg.subtargets_are_examples())}"
    dating = as_of_label(view.as_of)
    fig = _heat(str(common.db_path()), common.revision(), tuple(codes), view.as_of, view.parent, measure,
                view.selected, title, dating, source)
    if fig is None:
        st.info("尚未登记任何分解目标；管理员登记各单位的分解目标后，这里显示各单位的完成率。")
        return
    st.plotly_chart(fig, config=chart_config(title, dating), key=key)
    if measure == "subtarget_completion" and reg.subtargets_are_examples():
        st.caption(subtarget_note(True))


def rows_expander(view: Units, *, key: str) -> None:
    """The units' table behind the ranking (占全市/占全省), with its Excel download."""
    ind = common.registry().indicators[view.indicator]
    with st.expander(f"{ind.short_zh}分{view.members}明细表"):
        rows = district_rows(view.table, common.registry(), view.indicator, view.whole)
        st.dataframe(rows, hide_index=True, width="stretch", key=f"{key}-rows")
        # built when clicked (a callable), not on every run of the page
        st.download_button("下载明细（Excel）", data=lambda: workbook_bytes({ind.short_zh: (rows, {c: c for c in rows.columns})}),
                           file_name=f"{ind.short_zh}_分{view.members}_{month_label(view.month) if view.month else ''}.xlsx",
                           mime=XLSX_MIME, key=f"{key}-rows-download")
