"""Entry point: `streamlit run dashboard.py`. Checks the registries, then routes to the pages."""

from __future__ import annotations

import logging

import streamlit as st

# First: the libraries, imported by one session of a room opening the dashboard at once while the others wait.
from pages import preload  # noqa: F401

# isort: split
from domain.errors import RegistryError, UserError
from domain.registry import default_registry
from presentation.labels import APP_TITLE, INTERNAL_ERROR

log = logging.getLogger("dashboard")

st.set_page_config(page_title=APP_TITLE, page_icon="📊", layout="wide")

try:
    default_registry()
except RegistryError as e:
    st.error(str(e))
    st.stop()

# (file, title, icon, url_path, the choices it follows): stable addresses that officials bookmark and tests open.
# A page follows 截至月份 (as_of) and 地区 (region) when it shows them; the links to it carry them in the address.
PAGES = [
    ("pages/overview.py", "总览", ":material/dashboard:", "", ("as_of", "region")),
    ("pages/indicator.py", "指标详情", ":material/monitoring:", "indicator", ("as_of", "region")),
    ("pages/districts.py", "分区对比", ":material/map:", "districts", ("as_of", "region")),
    ("pages/hubei.py", "湖北目标", ":material/landscape:", "hubei", ("as_of", "region")),
    ("pages/tasks.py", "任务清单", ":material/checklist:", "tasks", ("as_of",)),
    ("pages/quality.py", "数据质量", ":material/fact_check:", "quality", ("as_of",)),
    ("pages/upload.py", "数据上传", ":material/upload_file:", "upload", ()),
    ("pages/meeting.py", "会议模式", ":material/co_present:", "meeting", ("as_of",)),
    ("pages/mappings.py", "标题与名称对应", ":material/rule:", "mappings", ()),
    ("pages/users.py", "账号管理", ":material/manage_accounts:", "users", ()),
    ("pages/audit.py", "审计日志", ":material/policy:", "audit", ()),
]
ADMIN_ONLY = ("users", "audit")
STAFF_ONLY = ("mappings",)  # analysts and administrators
from pages import account, url_state  # noqa: E402  (after the registry check)

actor = account.current()  # this session's account, or the one its cookie names after a reload, else anonymous
# 账号管理 and 审计日志 are listed for administrators only, 标题与名称对应 for analysts too; each page refuses anyone
# else who finds its address.
listed = [row for row in PAGES if (row[3] not in ADMIN_ONLY or actor.role == "admin")
          and (row[3] not in STAFF_ONLY or actor.role in ("analyst", "admin"))]
pages = {url: st.Page(path, title=title, icon=icon, url_path=url or None, default=not url)
         for path, title, icon, url, _ in PAGES}
follows = {url: params for *_, url, params in PAGES}
# Our own links (below) instead of Streamlit's: its links drop the address's query, so the month and the
# region would be lost on the way; ours carry them.
page = st.navigation(list(pages.values()), position="hidden")
with st.sidebar:
    for _, title, icon, url, params in listed:
        st.page_link(pages[url], label=title, icon=icon, query_params=url_state.carried(params))
    st.divider()
st.sidebar.caption(APP_TITLE)

from pages import chrome, common, region_select  # noqa: E402  (after the registry check: they read the registries)

# Users read a Chinese sentence, never a traceback (showErrorDetails is off as well): a problem they can act
# on says what to do; anything else is logged for the administrator.
try:
    common.begin_run()  # the store's revision, read once: every cached query of this run keys on it
    common.follow_the_store()  # and looked at again every few seconds: a new upload redraws the page in place
    chrome.apply()  # Streamlit's own English words (the uploader) in Chinese
    account.sidebar(actor)  # 用户名, 密码, 登录; or the account and 退出登录
    if account.login_required(actor):  # data/access.toml: anonymous_viewing = false
        st.info("请先点击左侧的“登录”，输入用户名和密码。")
        st.stop()
    with common.one_open():  # the database opened at most once in this run, and not at all when nothing is new
        common.demo_banner()  # on every page while demo submissions are active
        home = common.home_region(page.url_path)
        if home is not None:
            region_select.open_on(common.registry(), home)
        if "region" in follows[page.url_path]:  # 地区: kept across pages and in the URL (?region=)
            region_select.region_selector(common.registry())
        page.run()
except UserError as e:
    st.error(str(e))
except Exception:
    log.exception("page %s failed", page.url_path or "/")
    st.error(INTERNAL_ERROR)

