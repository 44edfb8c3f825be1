"""审计日志 (administrators only): who did what, when, to which thing, before → after; filters and .xlsx."""

from __future__ import annotations

import streamlit as st

from domain import clock
from pages import account, common
from presentation.audit_table import ACTION_LABELS, audit_workbook, display
from presentation.fmt import num
from presentation.xlsx import XLSX_MIME
from store import accounts

common.through_dashboard()  # a run Streamlit started on its own goes through dashboard.py

actor = account.who()
if actor.role != "admin":  # hidden from the others' navigation; this covers its address typed in
    st.error("审计日志仅管理员可查看。请用管理账号在左侧登录。")
    st.stop()

store = common.store()
st.title("审计日志")
st.caption("每次导入、撤销、清除演示数据、账号变更和每次登录（含失败）都记录在此：谁、何时、对什么、之前 → 之后。"
           "记录只增不改。命令行的操作记为“命令行（系统用户名）”。")

left, middle, right, last = st.columns([2, 3, 2, 2])
everyone = "全部账号"
who = left.selectbox("账号", [everyone, *accounts.audit_actors(store, actor)], key="audit_actor")
kinds = middle.multiselect("操作", list(ACTION_LABELS), format_func=ACTION_LABELS.__getitem__, key="audit_actions",
                           placeholder="全部操作")
start = right.date_input("起始日期", value=None, key="audit_start", format="YYYY-MM-DD")
end = last.date_input("截止日期", value=None, key="audit_end", format="YYYY-MM-DD")

rows = accounts.audit_entries(store, actor, actor=None if who == everyone else who, actions=kinds or None,
                              start=start, end=end)
st.markdown(f"共 **{num(rows.height, 0)}** 条记录，最新的在前。")
st.dataframe(display(rows), hide_index=True, width="stretch", height=560,
             column_config={"时间": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")})
st.download_button("下载审计日志（Excel）", data=audit_workbook(rows), mime=XLSX_MIME, key="audit_download",
                   file_name=f"审计日志_{clock.today():%Y%m%d}.xlsx", icon=":material/download:")
