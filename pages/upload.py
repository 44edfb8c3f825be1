"""数据上传: drop files, read the check report and the preview, confirm; history with rollback; templates."""

from __future__ import annotations

import streamlit as st

from domain.errors import UserError
from domain.months import month_label
from loaders.ingest import IngestReport, commit, prepare
from loaders.templates import build_template, load_templates
from pages import account, common
from presentation.fmt import md_text, num
from presentation.labels import INGEST_STATUS
from presentation.upload_tables import change_counts, changes_table, history_table, problems_table, rollback_options
from presentation.xlsx import XLSX_MIME

reg = common.registry()
store = common.store()
# Who uploads and withdraws: the logged-in account. The buttons follow the role; the store checks it again.
actor = account.who()
may_upload = actor.role in ("analyst", "admin")

st.title("数据上传")
st.caption("上传各单位报送的 Excel/CSV 报表：系统先逐个单元格校验并预览将发生的变化，确认后才写入数据库；"
           "每次导入均可撤销，原始文件永久保存。")

st.session_state.setdefault("uploader_round", 0)
st.session_state.setdefault("prepared", {})
tab_upload, tab_history, tab_templates = st.tabs(["上传报表", "提交历史与撤销", "数据模板下载"])

def show_report(name: str, report: IngestReport) -> None:
    mark, label = INGEST_STATUS[report.status]
    o = report.outcome
    with st.container(border=True):
        st.markdown(f"**{mark} {md_text(name)}** — {label}")
        if o.period:
            st.caption(f"报送单位：{md_text(o.agency) or '未注明'}　报告期：{month_label(o.period)}　"
                       f"观测值 {o.observations.height} 条　名录 {o.n_register_rows} 行")
        if report.status == "duplicate":
            st.info(md_text(report.message))
        if o.problems:
            st.markdown(f"校验结果：错误 **{len(o.errors)}** 个，提醒 **{len(o.warnings)}** 个"
                        + ("（错误须改正后重新上传；提醒不影响导入，请核实）" if o.errors else "（提醒不影响导入，请核实）"))
            st.dataframe(problems_table(report), hide_index=True, width="stretch")
        elif report.status == "ok":
            st.markdown("校验结果：未发现问题。")
        if report.status == "ok":
            counts = change_counts(report)
            summary = "，".join(f"{k} {counts.get(k, 0)} 条" for k in ("修改", "新增", "撤下", "不变"))
            replaces = report.replaces
            st.markdown("导入后的变化：" + summary
                        + (f"。本文件将替代此前的提交{replaces['id']}（{md_text(replaces['file_name'])}），原提交保留可恢复。"
                           if replaces else "。"))
            st.dataframe(changes_table(report, reg), hide_index=True, width="stretch",
                         column_config={"原值": st.column_config.NumberColumn(format="%.4g"),
                                        "新值": st.column_config.NumberColumn(format="%.4g")})


with tab_upload:
    if not may_upload:
        st.info("上传报表需要填报或管理账号：请在左侧登录。" if actor.role == "anonymous" else
                "当前账号为查看账号，只能浏览，不能上传或撤销。如需填报，请联系管理员。")
    files = None if not may_upload else st.file_uploader("选择报表文件（可一次选择多个）", type=["xlsx", "xlsm", "xls", "csv"],
                             accept_multiple_files=True, key=f"files-{st.session_state.uploader_round}")
    reports: dict[str, IngestReport] = {}
    if files:
        prepared = st.session_state.prepared
        todo = [f for f in files if f.file_id not in prepared]
        if todo:
            bar = st.progress(0.0, text="正在读取和校验……")
            for i, f in enumerate(todo, start=1):
                bar.progress((i - 1) / len(todo), text=f"正在读取和校验 {f.name}（{i}/{len(todo)}）")
                prepared[f.file_id] = prepare(store, f.getvalue(), f.name, reg, actor=actor)
            bar.empty()
        for f in files:
            reports[f.name] = prepared[f.file_id]
            show_report(f.name, prepared[f.file_id])
        ready = [name for name, r in reports.items() if r.status == "ok"]
        blocked = [name for name, r in reports.items() if r.status == "rejected"]
        if blocked:
            st.warning(f"{len(blocked)} 个文件有错误，不会导入：{'、'.join(blocked)}。请按上表改正后重新上传。")
        if ready and st.button(f"确认导入 {len(ready)} 个文件", type="primary", key="confirm"):
            messages = []
            for name in ready:
                try:
                    done = commit(store, reports[name], actor=actor)
                    messages.append(done.message)
                except UserError as e:
                    messages.append(f"{name}：{e}")
            st.session_state.prepared = {}
            st.session_state.uploader_round += 1
            st.session_state.flash = messages
            st.rerun()
    for message in st.session_state.pop("flash", []):
        st.success(md_text(message))

with tab_history:
    subs = store.submissions()
    if subs.is_empty():
        st.info("还没有任何提交。")
    else:
        options = rollback_options(subs)
        st.markdown(f"共 {num(subs.height, 0)} 次提交，其中生效 {num(len(options), 0)} 次。撤销后，被它替代的上一版本自动恢复；"
                    "所有版本永久保留。")
        st.dataframe(history_table(subs), hide_index=True, width="stretch", height=360)
        if options and may_upload:
            if actor.role == "analyst":
                st.caption("填报账号只能撤销本账号上传的提交。")
            chosen = st.selectbox("选择要撤销的生效提交", list(options), key="rollback_choice")
            if st.button("撤销该提交", key="rollback"):
                try:
                    st.session_state.flash_history = store.rollback(options[chosen], actor)
                except UserError as e:
                    st.session_state.flash_history_error = str(e)
                st.rerun()
        if actor.role == "admin" and store.has_active_demo() and st.button("撤销全部演示数据", key="rollback_demo",
                                                  help="上线真实数据前使用：全部演示提交标为已撤销，可在历史中查看"):
            try:
                n = store.rollback_demo(actor)
                st.session_state.flash_history = f"已撤销 {n} 份演示数据提交。"
            except UserError as e:
                st.session_state.flash_history_error = str(e)
            st.rerun()
    if "flash_history" in st.session_state:
        st.success(md_text(st.session_state.pop("flash_history")))
    if "flash_history_error" in st.session_state:
        st.error(md_text(st.session_state.pop("flash_history_error")))

@st.cache_data(show_spinner=False)
def template_bytes(template_id: str) -> bytes:
    spec = next(s for s in load_templates(reg) if s.id == template_id)
    return build_template(spec, reg)


with tab_templates:
    st.markdown("按模板填报的文件可直接上传、不会产生任何提醒。模板含填报说明、锁定的表头、下拉选项和数字格式。")
    for spec in load_templates(reg):
        st.download_button(f"下载：{spec.title}", data=template_bytes(spec.id), file_name=spec.file,
                           mime=XLSX_MIME,
                           key=f"template-{spec.id}")
