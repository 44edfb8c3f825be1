"""The UI edge shared by every page: cached reads, the sidebar's as-of month, choices kept in the URL,
the demo banner and the empty-database notice.

Caches are keyed on the store's revision, so a confirmed upload shows on the next rerun.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import polars as pl
import streamlit as st

from domain.model import Registry
from domain.months import month_key, month_label, parse_month_key
from domain.registry import default_registry
from metrics.freshness import Freshness, freshness
from metrics.series import months_with_data, resolve
from metrics.standing import Standing, standings
from pages import memory, url_state
from store import Store, db_path

T = TypeVar("T")


def through_dashboard() -> None:
    """First in every page, at every run: a page that Streamlit ran on its own hands the run to dashboard.py.

    Streamlit sees a folder named pages/ beside the entry point and, until some session has run st.navigation,
    serves /upload by running pages/upload.py on its own (the "v1" multipage mode): no registry check, no
    preloaded libraries, no Chinese sentence for an error, file names in the sidebar. Every request that
    arrives before the first st.navigation is served so: after a restart, each bookmark of a room opening
    the dashboard at once, not only the first. Leaving that mode and rerunning hands the request to
    dashboard.py, whose st.navigation resolves the same address. (Such a run registered dashboard.py itself
    as a page; dashboard.py's own navigation lists only the pages.)"""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None and any(Path(info["script_path"]).name == "dashboard.py"
                               for info in ctx.pages_manager.get_pages().values()):
        PagesManager.uses_pages_directory = False
        st.rerun()


DEFAULT_INDICATOR = "tech_loan_balance"  # 指标详情 without ?indicator=


def home_region(url_path: str) -> str | None:
    """The region a page opens on when the link names none: 指标详情 opens on its indicator's target region
    (湖北省 for a province target); None for the default, 武汉市."""
    if url_path != "indicator":
        return None
    indicator = st.query_params.get("indicator") or DEFAULT_INDICATOR
    # Once per indicator opened, so that a user who then picks 武汉市 keeps it.
    if st.session_state.get("_home_for") == indicator:
        return None
    st.session_state["_home_for"] = indicator
    targets = registry().targets_on(indicator)
    return targets[0].region if targets else None


def registry() -> Registry:
    """The registries; while the database holds demo data, with the demo's example sub-targets (said 示例)."""
    return default_registry(demo=_has_demo(str(db_path()), revision()))


@functools.cache
def _store_at(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """One Store per database file, so its schema check runs once per process, not once per call."""
    return _store_at(str(db_path()))


_REVISION = "_store_revision"


def begin_run() -> None:
    """Read the store's revision once per run (dashboard.py calls this first): every cached query of the run
    keys on it. It comes from the file system (Store.revision), so a rerun with nothing new opens nothing."""
    memory.keep_releasing()
    st.session_state[_REVISION] = store().revision()
    url_state.new_run()
    if st.session_state.pop(_UPDATED, False):
        st.toast("有新的数据提交或撤销，页面已更新。", icon=":material/sync:", duration="long")


LIVE_EVERY = 10  # seconds between looks at the revision: a new submission shows within this (the goal is 30)
_UPDATED = "_live_updated"


@st.fragment(run_every=LIVE_EVERY)
def follow_the_store() -> None:
    """Live figures: every LIVE_EVERY seconds this fragment alone reruns and reads the store's revision (a file
    beside the database, not the database itself); when an upload or a withdrawal, from any browser or the
    command line, changed it, the whole page reruns in place. The viewer keeps their page, 地区 and 截至月份:
    they live in this session and its address, which a rerun does not touch."""
    if store().revision() != st.session_state.get(_REVISION):
        st.session_state[_UPDATED] = True
        st.rerun(scope="app")


_FILLED: set[tuple[str, str]] = set()  # (database, revision) whose cached queries a run of this process has filled


@contextmanager
def one_open() -> Iterator[None]:
    """Around a run (dashboard.py): the first run after a write holds the database open throughout, so that its
    cache misses (the series, the demo flag, a page's own queries) share one open; once a run has filled the
    caches of a revision, later runs open nothing (a command-line ingest can write between runs)."""
    key = (str(db_path()), revision())
    if key in _FILLED:
        yield
        return
    try:
        with store().kept_open():
            yield
    finally:
        _FILLED.add(key)


def revision() -> str:
    """What the caches are keyed on: changes with every write, so an upload shows on the next run. A fragment
    rerun (a search box) keeps its run's revision and does not open the database."""
    rev = st.session_state.get(_REVISION)
    return rev if rev is not None else store().revision()


# A resource, not data: Polars frames are not changed in place, so every run shares one frame instead of
# unpickling a copy at each call (15 ms each, several calls a page).
@st.cache_resource(show_spinner="正在读取数据…", max_entries=8)
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
                   "上传各单位报送的真实报表后，演示数据可在“数据上传”页撤销。", icon=":material/warning:")


def stop_if_empty(data: T | None, *, lacking: str = "", back: bool = False) -> T:
    """`data` (the as-of month, the months with data) when there is any; else say that the database holds no
    data yet and how to fill it, and stop the page. `lacking` says what the page therefore cannot show
    (暂无会议材料); `back` adds a link back to 总览 (for a page without the sidebar)."""
    if data:
        return data
    st.info("数据库中还没有任何数据" + (f"，{lacking}" if lacking else "") + "。请到“数据上传”页上传各单位报表，"
            "或在命令行运行 `python -m loaders demo --db data/tfm.duckdb` 生成演示数据库。")
    if back:
        st.page_link("pages/overview.py", label="返回总览", icon=":material/arrow_back:")
    st.stop()


def url_choice(param: str, options: list[str], default: str) -> str:
    """The option named in ?param= if it is one, else the default."""
    wanted = st.query_params.get(param)
    return wanted if wanted in options else default


def keep_in_url(param: str, value: str, default: str) -> None:
    """Put a choice in the URL, so a link reproduces the view; the default stays out of a clean URL."""
    if value != default or param in st.query_params:
        st.query_params[param] = value


def as_of_month() -> dt.date | None:
    """The sidebar's 截至月份, in the URL as ?as_of=YYYY-MM; the latest month with data by default."""
    months = _months(str(db_path()), revision())
    if not months:
        return None
    keys = [month_key(m) for m in months]
    label = lambda k: month_label(parse_month_key(k))  # noqa: E731
    url_state.before_widget("as_of", keys, keys[0], what="截至月份", resolve=_month_key_of, label=label)
    chosen = st.sidebar.selectbox("截至月份", keys, format_func=label, key="as_of",
                                  help="默认为有数据的最近月份；在各页面之间保持，链接中的 ?as_of= 即此选择")
    url_state.after_widget("as_of", chosen, keys[0])
    return parse_month_key(chosen)


@st.cache_data(show_spinner=False, max_entries=8)
def _months(db: str, rev: str) -> list[dt.date]:
    return months_with_data(_series(db, rev))


def _month_key_of(raw: str) -> str | None:
    """?as_of= as a link may write it (2026-10, 2026-1) in the form the selector uses."""
    try:
        return month_key(parse_month_key(raw))
    except ValueError:
        return None


@st.cache_data(show_spinner=False, max_entries=32)
def _standings(db: str, rev: str, as_of: dt.date) -> list[Standing]:
    return standings(_series(db, rev), registry(), as_of)


def target_standings(as_of: dt.date) -> list[Standing]:
    return _standings(str(db_path()), revision(), as_of)


@st.cache_data(show_spinner=False, max_entries=8)
def _freshness(db: str, rev: str, as_of: dt.date) -> dict[str, Freshness]:
    series = _series(db, rev)
    return {s.target_id: freshness(s, series, registry()) for s in _standings(db, rev, as_of)}


def target_freshness(as_of: dt.date) -> dict[str, Freshness]:
    """Target id → how fresh and complete its figure is (metrics.freshness), for every target at `as_of`."""
    return _freshness(str(db_path()), revision(), as_of)
