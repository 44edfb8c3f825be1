"""数据质量: who has reported and when (source × month; unit × indicator for the chosen month), which figures do
not add up (合计 vs its units, a register vs the reported count) and which look wrong (a jump against last month,
a year-on-year outlier among units), each with its submission, sheet and cell. A 填报 or 管理 account marks a line
已核实 with a note (store.quality checks the role again and audits it); the line then moves to 已核实.

The view is in the URL: ?as_of=2026-10&scope=420000.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from domain import clock
from domain.calendar import default_calendar, month_ends
from domain.errors import UserError
from domain.months import month_label
from metrics import quality as q
from pages import account, common
from presentation import quality as view
from presentation.fmt import date_label
from store import quality as reviews_store

common.through_dashboard()  # a run Streamlit started on its own goes through dashboard.py

REVIEWERS = ("analyst", "admin")

reg = common.registry()
cal = default_calendar()
as_of = common.stop_if_empty(common.as_of_month(), lacking="暂无报送记录可核对")
today = clock.today()
months = month_ends(as_of, cal.checks.window_months)


@st.cache_data(show_spinner="正在核对报送情况…", max_entries=8)
def _quality(db: str, rev: str, as_of: dt.date, today: dt.date
             ) -> tuple[list[q.Placement], list[q.UnitCell], list[q.Line], pl.DataFrame, dict[int, dict]]:
    store = common.store()
    subs, obs = store.submissions(), store.active_observations()
    window = month_ends(as_of, cal.checks.window_months)
    placements = q.place(cal, subs, window, today)
    cells = q.unit_cells(cal, reg, placements, subs, obs, as_of)
    lines = q.reconciliation(obs, reg, cal.checks, window) + q.anomalies(obs, reg, cal.checks, window)
    by_id = {r["id"]: r for r in subs.select("id", "file_name", "sha256", "agency", "uploader", "uploaded_at")
             .iter_rows(named=True)}
    return placements, cells, lines, reviews_store.reviews(store), by_id


@st.cache_data(show_spinner="正在读取原始文件…", max_entries=4)
def _original(sha256: str) -> bytes:
    return common.store().file_content(sha256) or b""


placements, cells, lines, reviews, submissions = _quality(str(common.store().path), common.revision(), as_of, today)
open_lines = q.unresolved(lines, reviews["line_key"].to_list())
chase = q.overdue(placements)

st.title("数据质量")
st.caption(f"报送日历：各来源应报什么、何时报；今天是{date_label(today)}，已过报送期限仍未收到的记为未报送。"
           f"核对与异常看截至{month_label(as_of)}的{len(months)}个月。")
for column, (label, value) in zip(st.columns(4), view.headline(placements, as_of, len(chase), len(open_lines)), strict=True):
    column.metric(label, value)

st.subheader("报送完整性：来源 × 月份")
st.markdown(view.completeness_sentence(placements, as_of))
st.html(view.legend_html())
st.html(view.source_matrix_html(cal, placements, months))
if chase:
    st.markdown("**需催报**\n\n" + "\n".join(f"- {view.overdue_text(p, cal)}" for p in chase))

scopes = view.unit_scopes(cal, reg)
if scopes:
    st.subheader(f"各单位报送情况：{month_label(as_of)}")
    keys = list(scopes)
    scope = st.radio("范围", keys, format_func=scopes.get, horizontal=True, key="quality_scope",
                     index=keys.index(common.url_choice("scope", keys, keys[0])))
    common.keep_in_url("scope", scope, keys[0])
    done, owed = view.reported_count(cells, scope)
    st.caption(f"{scopes[scope]}应报{owed}项数字，已报{done}项；{view.FLAG} 表示该数字有待核实的问题（见下）。")
    st.html(view.unit_matrix_html(reg, cells, scope, open_lines, as_of))

st.subheader("待核实问题")
st.caption(view.checks_caption(cal.checks))
if not open_lines:
    st.success("没有待核实的问题。", icon=":material/check_circle:")
else:
    st.dataframe(view.lines_frame(open_lines, reg), hide_index=True, width="stretch",
                 column_config={"说明": st.column_config.TextColumn(width="large")})
    chosen = st.selectbox("查看或核实", range(len(open_lines)), key="quality_line",
                          format_func=lambda i: view.line_choice(open_lines[i], reg))
    line = open_lines[chosen]
    submission = submissions.get(line.submission_id)
    if submission is not None:
        st.markdown(f"{view.line_summary(line, reg)}\n\n{view.submission_detail(line, submission)}")
        left, right = st.columns(2)
        left.download_button("下载原始文件", _original(submission["sha256"]), file_name=submission["file_name"],
                             mime="application/octet-stream", key="quality_original", icon=":material/download:")
        right.page_link("pages/upload.py", label="到“数据上传”页的提交历史（可撤销或更正）", icon=":material/history:")
    actor = account.who()
    if actor.role in REVIEWERS:
        with st.form("quality_review", clear_on_submit=True):
            note = st.text_area("核实说明", key="quality_note", max_chars=reviews_store.MAX_NOTE,
                                placeholder="如：已与报送单位电话核对，数字无误；或：已请报送单位更正后重报")
            if st.form_submit_button("标记为已核实", type="primary"):
                try:
                    said = reviews_store.mark_reviewed(common.store(), actor, reviews_store.Reviewed(
                        line.key, line.kind, line.submission_id, line.indicator_code, line.region_code, line.period,
                        view.line_summary(line, reg)), note)
                except UserError as e:
                    st.error(str(e))
                else:
                    st.session_state["quality_said"] = said
                    st.rerun()
    else:
        st.caption("填报或管理账号登录后，可将问题标记为已核实。")
said = st.session_state.pop("quality_said", None)
if said:
    st.success(said, icon=":material/fact_check:")

st.subheader("已核实")
if reviews.is_empty():
    st.caption("尚无已核实的问题。")
else:
    st.dataframe(view.reviews_frame(reviews), hide_index=True, width="stretch")
