"""标题与名称对应: the answers analysts gave to the reader's questions (which indicator a heading means, which
region a name is, which month, 不导入), used for every later file without asking again. Analysts and
administrators see them; only an administrator removes one (the store checks again and audits it)."""

from __future__ import annotations

import streamlit as st

from domain.errors import UserError
from pages import account, common
from presentation.fmt import md_text, num
from presentation.mappings_table import ALL, filtered, mapping_choice, mapping_rows
from store import mappings

common.through_dashboard()  # a run Streamlit started on its own goes through dashboard.py

actor = account.who()
if actor.role not in ("analyst", "admin"):  # hidden from the others' navigation; this covers its address typed in
    st.error("标题与名称对应仅填报和管理账号可查看。请在左侧登录。")
    st.stop()

store, reg = common.store(), common.registry()
st.title("标题与名称对应")
st.caption("上传文件时，系统对拿不准的表头、地区名称或月份会询问填报人；这里列出已确认的回答。此后同一单位报来的文件"
           "遇到相同写法时直接按此读取，不再询问。删除一条后，下次遇到会重新询问。")

for kind, text in st.session_state.pop("mappings_flash", []):
    (st.success if kind == "ok" else st.error)(md_text(text))

rows = mapping_rows(mappings.mapping_table(store), reg)
if rows.is_empty():
    st.info("还没有已确认的对应关系。上传文件时回答系统的询问后，回答会列在这里。")
    st.stop()

kinds = [ALL, *dict.fromkeys(rows["类型"].to_list())]
agencies = [ALL, *sorted(set(rows["适用单位"].to_list()))]
left, right = st.columns(2)
kind = left.selectbox("类型", kinds, key="mapping_kind")
agency = right.selectbox("适用单位", agencies, key="mapping_agency")
shown = filtered(rows, kind=kind, agency=agency)
st.markdown(f"共 **{num(rows.height, 0)}** 条，当前显示 **{num(shown.height, 0)}** 条。")
st.dataframe(shown, hide_index=True, width="stretch", key="mapping_rows")

if actor.role != "admin":
    st.caption("如需删除某条对应关系，请联系管理员。")
    st.stop()

st.subheader("删除一条对应关系")
choices = {mapping_choice(r): r["编号"] for r in shown.iter_rows(named=True)}
if not choices:
    st.stop()
picked = st.selectbox("对应关系", list(choices), key="mapping_pick")
sure = st.checkbox("我确认删除这条对应关系（此后的文件遇到这一写法会重新询问）", key="mapping_sure")
if st.button("删除", key="mapping_remove", type="primary", disabled=not sure):
    try:
        st.session_state.mappings_flash = [("ok", mappings.forget(store, actor, choices[picked]))]
    except UserError as e:
        st.session_state.mappings_flash = [("error", str(e))]
    st.session_state.pop("mapping_sure", None)
    st.rerun()
