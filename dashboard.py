"""Entry point: `streamlit run dashboard.py`. Checks the registries, then routes to the pages."""

from __future__ import annotations

import streamlit as st

from loaders.registry import RegistryError, default_registry

st.set_page_config(page_title="武汉科技金融目标监测", page_icon="📊", layout="wide")

try:
    default_registry()
except RegistryError as e:
    st.error(str(e))
    st.stop()

pages = [
    st.Page("pages/overview.py", title="总览", icon="🎯", url_path="overview", default=True),
]
page = st.navigation(pages)
st.sidebar.caption("武汉科技金融目标监测")
page.run()
