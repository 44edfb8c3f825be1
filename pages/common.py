"""The UI edge shared by every page: cached reads, the sidebar's as-of month, the demo banner.

Caches are keyed on the store's revision, so a confirmed upload shows on the next rerun.
"""

from __future__ import annotations

import datetime as dt
import functools

import polars as pl
import streamlit as st

from domain.model import Registry
from domain.months import month_key, month_label, parse_month_key
from domain.registry import default_registry
from metrics.series import months_with_data, resolve
from metrics.standing import Standing, standings
from store import Store, db_path


def _route_through_dashboard() -> None:
    """Run every page through dashboard.py, also when the first visit after a start is a deep link.

    Streamlit sees a folder named pages/ beside the entry point and, until some session has run
    st.navigation, serves /upload by running pages/upload.py on its own (the "v1" multipage mode):
    no registry check, no wide layout, file names in the sidebar. Leaving that mode and rerunning
    hands the request to dashboard.py, whose st.navigation resolves the same address.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_route_through_dashboard()


def registry() -> Registry:
    return default_registry()


@functools.cache
def _store_at(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """One Store per database file, so its schema check runs once per process, not once per call."""
    return _store_at(str(db_path()))


def revision() -> str:
    """What the caches are keyed on: changes with every write, so an upload shows at once."""
    return store().revision()


@st.cache_data(show_spinner="正在读取数据…", max_entries=8)
def _series(db: str, rev: str) -> pl.DataFrame:
    return resolve(_store_at(db).active_observations(), registry())


def series() -> pl.DataFrame:
    return _series(str(db_path()), revision())


@st.cache_data(show_spinner=False, max_entries=8)
def _has_demo(db: str, rev: str) -> bool:
    return _store_at(db).has_active_demo()


def demo_banner() -> None:
    if _has_demo(str(db_path()), revision()):
        st.warning("**演示数据**：当前显示的是系统生成的演示数据，不是真实统计，请勿用于汇报。"
                   "上传各单位报送的真实报表后，演示数据可在“数据上传”页撤销。", icon="⚠️")


def as_of_month() -> dt.date | None:
    """The sidebar's 截至月份, in the URL as ?as_of=YYYY-MM; the latest month with data by default."""
    months = months_with_data(series())
    if not months:
        return None
    keys = [month_key(m) for m in months]
    wanted = st.query_params.get("as_of")
    index = keys.index(wanted) if wanted in keys else 0
    chosen = st.sidebar.selectbox("截至月份", keys, index=index, format_func=lambda k: month_label(parse_month_key(k)),
                                  key="as_of", help="默认为有数据的最近月份")
    if chosen != keys[0] or "as_of" in st.query_params:
        st.query_params["as_of"] = chosen
    return parse_month_key(chosen)


@st.cache_data(show_spinner=False, max_entries=32)
def _standings(db: str, rev: str, as_of: dt.date) -> list[Standing]:
    return standings(_series(db, rev), registry(), as_of)


def target_standings(as_of: dt.date) -> list[Standing]:
    return _standings(str(db_path()), revision(), as_of)


def unit_rows_expander(table: pl.DataFrame, indicator: str, month: dt.date | None, *, whole: str,
                       members: str, key: str) -> None:
    """The units' table behind a ranking (全市/全省, 单位/市州), with its Excel download."""
    from charts.heat_table import district_rows
    from presentation.xlsx import XLSX_MIME, workbook_bytes

    ind = registry().indicators[indicator]
    with st.expander(f"{ind.short_zh}分{members}明细表"):
        rows = district_rows(table, registry(), indicator, whole)
        st.dataframe(rows, hide_index=True, width="stretch", key=f"{key}-rows")
        st.download_button("下载明细（Excel）", data=workbook_bytes({ind.short_zh: (rows, {c: c for c in rows.columns})}),
                           file_name=f"{ind.short_zh}_分{members}_{month_label(month) if month else ''}.xlsx",
                           mime=XLSX_MIME, key=f"{key}-rows-download")
