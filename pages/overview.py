"""总览: every target's value, completion and status in one line per plan, then per target its gauge, trend and
one-sentence standing, WH2027 then HB2026; or, under 表格视图, every target in one compact table (for a phone),
which is also what a printed 总览 shows (presentation.targets_table).

Drawn without Plotly and with few elements, so it is readable about as soon as an empty Streamlit page: the line
of targets is Markdown (drawn with the title); each plan's cards are one block of HTML (charts.card: per target
the gauge and the trend as HTML and SVG images, the caption, the sentence, the folded sources and a link to its
指标详情, whose figures and the meeting deck's carry the PNG downloads).
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from charts.card import CARD_CSS, card_html, cards_html, status_strip
from metrics.standing import Standing, status_counts
from pages import common, notices, region_select, url_state
from presentation.fmt import as_of_label, document_title, freshness_line, status_text
from presentation.labels import APP_TITLE
from presentation.targets_table import TABLE_CSS, targets_table_html
from reports.figures import agencies_line

common.through_dashboard()  # a run Streamlit started on its own goes through dashboard.py

VIEW, TABLE = "view", "table"  # ?view=table: 表格视图
GROUPS = (("WH2027", "武汉市2027年目标"), ("HB2026", "湖北省2026年目标"))

reg = common.registry()
as_of = common.as_of_month()

st.title(f"{APP_TITLE} · 总览")
as_of = common.stop_if_empty(as_of)
region = region_select.selected_region(reg)
if region.code not in (reg.city, reg.province):  # the overview's targets are the city's and the province's
    st.info(f"总览展示武汉市和湖北省的目标；{region.name}的各项指标见“分区对比”。", icon=":material/info:")
    st.page_link("pages/districts.py", label=f"查看{region.name}", icon=":material/arrow_forward:",
                 query_params=url_state.carried(("as_of", "region")))

rows = common.target_standings(as_of)
counts = status_counts(rows)
summary = "　".join(f"{status_text(style)} **{counts[code]}**" for code, style in reg.statuses.items()
                   if code in counts)
st.markdown(f"{as_of_label(as_of)}，共监测{len(rows)}项目标：{summary}")
groups = [(heading, [s for s in rows if s.document == doc_id]) for doc_id, heading in GROUPS]
fresh = common.target_freshness(as_of)
st.markdown(status_strip(groups, reg))  # every target's value and status, drawn with the title
notices.notice_strip(as_of)  # what needs attention: status worse, sources overdue, problems unchecked
st.html(CARD_CSS + TABLE_CSS)  # style only: takes no room on the page
# Every target in one table (presentation.targets_table): the view for a phone, and what a printed 总览 shows. The
# view is in the address (?view=table), so a link opens it; a link rather than a switch, whose widget the browser
# would first have to load.
table_view = st.query_params.get(VIEW) == TABLE
carried = url_state.carried(("as_of", "region"))  # the month and the region this view shows, for its links
if table_view:
    st.page_link("pages/overview.py", label="卡片视图", icon=":material/dashboard:", query_params=carried,
                 help="回到每项目标一张卡片（仪表盘与走势）。")
else:
    st.page_link("pages/overview.py", label="表格视图", icon=":material/table_rows:",
                 query_params={**carried, VIEW: TABLE},
                 help="所有目标一张表：目标、实际、按序时进度应达、差/超、完成与状态，适合打印和手机查看。打印本页即打印此表。")
table = targets_table_html(groups, reg, caption=f"{APP_TITLE} · {as_of_label(as_of)}", print_only=not table_view)
if table_view:
    st.html(table)
    st.stop()


def detail_link(s: Standing) -> str:
    """Its 指标详情, with the month and the region this view carries."""
    return "indicator?" + urlencode({"indicator": s.indicator_code, **carried})


for (doc_id, _), (heading, group) in zip(GROUPS, groups, strict=True):
    if not group:
        continue
    doc = reg.documents[doc_id]
    st.subheader(heading)
    st.caption(f"{document_title(doc)}，截止{group[0].deadline.year}年底")
    st.html(cards_html([card_html(s, reg, source=agencies_line(s, reg), link=detail_link(s),
                                  fresh=freshness_line(fresh[s.target_id]), incomplete=fresh[s.target_id].incomplete)
                        for s in group]))
st.html(table)  # drawn in print only: a printed 总览 is the table
