"""Streamlit's own words in Chinese: the file uploader's button and limit line, which Streamlit writes in
English and offers no setting for, are replaced by CSS; the data tables' toolbar, whose tooltips cannot be
translated, is hidden (every page offers its tables as an Excel download instead), and so is the full-screen button
Streamlit adds to Plotly's toolbar (会议模式 is the full-screen view). Plotly's toolbar is
translated through its locale (charts/theme.chart_config); the ⋮ menu is hidden by .streamlit/config.toml
(toolbarMode = "minimal")."""

from __future__ import annotations

import json

import streamlit as st

from loaders.ingest import MAX_FILE_BYTES

UPLOAD_BUTTON = "选择文件"
UPLOAD_LIMIT = f"可拖入文件；单个文件不超过{MAX_FILE_BYTES // (1024 * 1024)}MB，格式为 xlsx、xlsm、xls 或 csv"

# The uploader's English text stays in the page for screen readers' structure but is drawn at size 0, and the
# Chinese is drawn in its place; json.dumps quotes it as a CSS string.
CSS = f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: {json.dumps(UPLOAD_BUTTON, ensure_ascii=False)}; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: {json.dumps(UPLOAD_LIMIT, ensure_ascii=False)}; font-size: 0.875rem; }}
.stElementContainer:has([data-testid="stDataFrame"]) [data-testid="stElementToolbar"] {{ display: none; }}
.modebar-btn[data-title="Fullscreen"] {{ display: none; }}
</style>"""


def apply() -> None:
    """Once per run, before the page (dashboard.py)."""
    st.html(CSS)
