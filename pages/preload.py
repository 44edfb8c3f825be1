# ruff: noqa: F401  (imported to be loaded, not used here)
"""The libraries the pages draw with, imported by the first run of dashboard.py in this process, before any page.

Right after the dashboard starts, a room of officials opening it runs thirty first pages in thirty threads at
once. A library with import cycles of its own (pandas, which plotly and Streamlit import only when a chart or
a table is first drawn) imported by two threads at once can hand one of them a half-imported module: Python
accepts that to break a deadlock between threads ("partially initialized module 'pandas' has no attribute
'Series'"), and the page fails. Imported here, by whichever run comes first while the others wait for this
module, no library is imported by two threads at once. Our own modules import one another without cycles, so
their first imports may overlap safely.

tests/test_first_runs.py checks that no page imports a library that is not here.
"""

import argon2  # the sign-in
import dataframely
import duckdb
import fastexcel
import kaleido  # 会议模式: the deck's and the briefing's figures
import numpy
import openpyxl  # every page's Excel download
import pandas  # plotly and Streamlit convert through it when a figure or a table is first drawn
import PIL.Image
import plotly.graph_objects
import plotly.io
import polars
import pptx  # 会议模式's deck
import pyarrow  # Streamlit's tables
import pydantic
import pypinyin  # 数据上传: a misspelt name's nearest spellings
import python_calamine
import rapidfuzz
