"""The baseline for bench/page_speed.py: the smallest Streamlit page that draws something."""

import streamlit as st

st.markdown("空白页")
