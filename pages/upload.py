"""数据上传: drop files, read the check report and the preview, confirm the unit of a doubtful column, import;
history with withdraw and restore (each confirmed first); templates."""

from __future__ import annotations

import hashlib

import streamlit as st

from domain import clock
from domain.errors import UserError
from domain.months import month_label, month_of
from loaders import messages as msg
from loaders.ingest import IngestReport, commit, prepare
from loaders.questions import Question
from loaders.templates import build_template, load_templates
from pages import account, common
from presentation.fmt import md_text
from presentation.mappings_table import answer_label
from presentation.questions import answer_choices, answered_text, question_rows, question_text
from presentation.upload_tables import (
    change_counts,
    changes_table,
    files_summary,
    history_summary,
    history_table,
    needs_attention,
    own,
    problems_table,
    report_state,
    restore_options,
    rollback_options,
    summary_sentence,
)
from presentation.xlsx import XLSX_MIME
from store import mappings

common.through_dashboard()  # a run Streamlit started on its own goes through dashboard.py

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

# The preview's figures are text made by presentation/upload_tables.py (exact, as the file has them): right-aligned
# like numbers, never reformatted here.
PREVIEW_HELP = {"新值": "文件中的数值，按原样显示", "上月值": "同一地区、同一指标上一个月的数值",
                "较上月": "新值与上月值之差及变动幅度", "原值": "该月份数据库中已有的数值（本文件将替代它）"}
PREVIEW_COLUMNS = {name: st.column_config.TextColumn(name, alignment="right", help=text)
                   for name, text in PREVIEW_HELP.items()}


UNFOLDED_FILES = 3  # up to this many files, every report is open; more, each in a fold, open where one must act


def unit_key(file_id: str, code: str) -> str:
    return f"unit-{file_id}-{code}"


def answer_key(file_id: str, q: Question) -> str:
    return "answer-" + hashlib.sha1(f"{file_id}|{q.kind}|{q.key}|{q.where}".encode()).hexdigest()[:16]


def _answered(file_id: str, file_name: str, q: Question, agency: str) -> None:
    """The analyst picked an answer: remember it (the store checks the role and audits it), then read the file
    again with it, so the preview shows at once what the answer brings in."""
    target = st.session_state.get(answer_key(file_id, q))
    if target is None:
        return
    notes = st.session_state.setdefault(f"answered-{file_id}", [])
    try:
        m = mappings.learn(store, actor, kind=q.kind, text=q.value, key=q.key, target=target, agency=agency,
                           file_name=file_name, cell=q.where)
        notes.append(("ok", answered_text(q, answer_label(m.kind, m.target, reg), m.ignored)))
    except UserError as e:
        notes.append(("error", str(e)))
    st.session_state.prepared.pop(file_id, None)


def ask(file_id: str, name: str, report: IngestReport) -> None:
    """Each open question with its picker: the reader's suggestions first, 不导入此列/此行, then every other choice."""
    agency = report.outcome.answer_agency
    st.warning(md_text(msg.questions_summary(len(report.questions))))
    whom = f"「{md_text(agency)}」" if agency else "各单位"
    st.caption(f"回答选定后立即生效并被记住：此后{whom}报来的文件遇到相同写法时直接按此读取，不再询问"
               "（报告期的回答只对本文件有效）。记住的回答列在“标题与名称对应”页，管理员可以删除。")
    today = month_of(clock.today())
    for q in report.questions:
        choices = answer_choices(q, reg, today_month=today)
        st.selectbox(md_text(question_text(q)), list(choices), index=None, placeholder="请选择……",
                     format_func=choices.get, key=answer_key(file_id, q), on_change=_answered,
                     args=(file_id, name, q, agency))


def show_report(file_id: str, name: str, report: IngestReport, *, folded: bool = False) -> None:
    mark, label = report_state(report)
    o = report.outcome
    # Many files at once: each in a fold, open where the analyst must act.
    box = (st.expander(f"{mark} {md_text(name)} — {label}", expanded=needs_attention(report)) if folded
           else st.container(border=True))
    with box:
        if not folded:
            st.markdown(f"**{mark} {md_text(name)}** — {label}")
        for kind, text in st.session_state.pop(f"answered-{file_id}", []):
            (st.success if kind == "ok" else st.error)(md_text(text))
        if o.period:
            st.caption(f"报送单位：{md_text(o.agency) or '未注明'}　报告期：{month_label(o.period)}　"
                       f"观测值 {o.observations.height} 条　名录 {o.n_register_rows} 行")
        if report.status == "duplicate":
            st.info(md_text(report.message))
        if report.notice:
            st.info(report.notice)
        for p in report.suspects:  # a probable unit mistake is said above the table, not only in it
            st.warning(md_text(p.message) + (f"（{md_text(p.sheet)}!{p.cell}）" if p.cell else ""))
        if report.questions:  # what the reader is not sure of: asked here, one picker each
            if may_upload:
                ask(file_id, name, report)
            else:
                st.table(question_rows(report.questions, reg), hide_index=True)
        for d in report.doubts:
            with st.container(border=True):
                if d in report.unconfirmed:
                    st.error(md_text(d.message))
                else:
                    st.success(f"{d.indicator}：已确认——{d.options[report.units[d.indicator_code]]}。"
                               "导入的数值见下方预览。")
                st.radio(f"{d.indicator}：文件中这一列数值的单位是？", list(d.options), format_func=d.options.get,
                         index=None, key=unit_key(file_id, d.indicator_code))
        if o.problems:
            st.markdown(f"校验结果：错误 **{len(o.errors)}** 个，提醒 **{len(o.warnings)}** 个"
                        + ("（错误须改正后重新上传；提醒不影响导入，请核实）" if o.errors and not report.waits_for_units
                           else "（请先在上方确认单位；提醒不影响导入，请核实）" if o.errors
                           else "（提醒不影响导入，请核实）"))
            st.table(problems_table(report, markdown=True), hide_index=True)
        elif report.status == "ok":
            st.markdown("校验结果：未发现问题。")
        if report.status == "ok":
            counts = change_counts(report)
            summary = "，".join(f"{k} {counts.get(k, 0)} 条" for k in ("修改", "新增", "撤下", "不变"))
            replaces = report.replaces
            st.markdown("导入后的变化：" + summary
                        + (f"。本文件将替代此前的提交{replaces['id']}（{md_text(replaces['file_name'])}），原提交保留可恢复。"
                           if replaces else "。")
                        + "数值按文件原样显示；“较上月”为新值与上月值之差及变动幅度。")
            st.dataframe(changes_table(report, reg), hide_index=True, width="stretch", column_config=PREVIEW_COLUMNS)


def confirm_box(key: str, question: str, action: str) -> bool | None:
    """A second step before a withdrawal or a restore: True when confirmed, False when cancelled, None while
    waiting (the question stays until one of the two is clicked)."""
    with st.container(border=True):
        st.warning(question)
        yes, no = st.columns([1, 1])
        if yes.button(action, type="primary", key=f"{key}_yes"):
            return True
        if no.button("取消", key=f"{key}_no"):
            return False
    return None


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
            report = prepared[f.file_id]
            # The units the analyst chose for doubtful columns: the file is checked again with them, and only
            # then can it be imported (its figures converted as chosen).
            chosen = {d.indicator_code: st.session_state.get(unit_key(f.file_id, d.indicator_code))
                      for d in report.doubts}
            chosen = {code: factor for code, factor in chosen.items() if factor is not None}
            if chosen != report.units:
                report = prepared[f.file_id] = prepare(store, f.getvalue(), f.name, reg, actor=actor, units=chosen)
            reports[f.name] = report
        if len(files) > 1:  # checked together: one line each first, then each file's report in its fold
            st.markdown(summary_sentence(reports))
            st.dataframe(files_summary(reports), hide_index=True, width="stretch", key="files_summary")
        for f in files:
            show_report(f.file_id, f.name, reports[f.name], folded=len(files) > UNFOLDED_FILES)
        ready = [name for name, r in reports.items() if r.status == "ok"]
        waiting = [name for name, r in reports.items() if r.waits_for_units]
        blocked = [name for name, r in reports.items() if r.status == "rejected" and not r.waits_for_units]
        asking = [name for name, r in reports.items() if r.status == "needs_answers"]  # not imported either
        if asking:
            st.warning(f"{len(asking)} 个文件有待确认的标题、名称或报告期，暂不导入：{'、'.join(md_text(n) for n in asking)}。"
                       "请在上方逐项选择；选定后文件会立即重新校验。")
        if waiting:
            st.warning(f"{len(waiting)} 个文件的数值单位待确认：{'、'.join(md_text(n) for n in waiting)}。"
                       "请在上方逐项选择单位；确认前不会导入。")
        if blocked:
            st.warning(f"{len(blocked)} 个文件有错误，不会导入：{'、'.join(md_text(n) for n in blocked)}。请按上表改正后重新上传。")
        if ready and st.button(f"确认导入 {len(ready)} 个文件", type="primary", key="confirm"):
            messages = []
            with store.kept_open():  # each file its own transaction, the file opened once for all of them
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


def act(action, submission_id: int) -> None:
    """Withdraw or restore as the acting user (the store checks it again); the outcome is shown after the rerun."""
    try:
        st.session_state.flash_history = action(submission_id, actor)
    except UserError as e:
        st.session_state.flash_history_error = str(e)
    st.session_state.pop("pending", None)
    st.rerun()


with tab_history:
    subs = store.submissions()
    if subs.is_empty():
        st.info("还没有任何提交。")
    else:
        st.markdown(history_summary(subs) + "撤销后，被它替代的上一版本自动恢复；已撤销或已被替代的提交可以恢复"
                    "（重新上传与已撤销提交相同的文件，也会作为新的提交导入）；所有版本永久保留。")
        st.dataframe(history_table(subs), hide_index=True, width="stretch", height=360)
        mine = own(subs, actor.name, actor.role)
        withdrawable, restorable = rollback_options(mine), restore_options(mine)
        pending = st.session_state.get("pending")  # ("rollback" | "restore" | "demo", id), set by the first step
        if may_upload:
            if actor.role == "analyst":
                st.caption("填报账号只能撤销或恢复本账号上传的提交。")
            left, right = st.columns(2)
            with left:
                st.markdown("**撤销提交**")
                if withdrawable:
                    # Keyed by submission id: after a withdrawal the choice empties instead of sliding to the next one.
                    chosen = st.selectbox("选择要撤销的生效提交", list(withdrawable), format_func=withdrawable.get,
                                          index=None, placeholder="请选择提交", key="rollback_choice")
                    if st.button("撤销该提交", key="rollback", disabled=chosen is None):
                        st.session_state.pending = pending = ("rollback", chosen)
                    if pending and pending[0] == "rollback" and pending[1] == chosen:  # another choice: ask again
                        answer = confirm_box("rollback_confirm", f"确认撤销提交「{md_text(withdrawable[pending[1]])}」？"
                                             "撤销后其数据不再计入，被它替代的上一版本自动恢复；之后仍可在右侧恢复。",
                                             "确认撤销")
                        if answer:
                            act(store.rollback, pending[1])
                        elif answer is False:
                            st.session_state.pop("pending", None)
                            st.rerun()
                else:
                    st.caption("没有可撤销的生效提交。")
            with right:
                st.markdown("**恢复提交**")
                if restorable:
                    back = st.selectbox("选择要恢复的提交（已撤销或已被替代）", list(restorable),
                                        format_func=restorable.get, index=None, placeholder="请选择提交",
                                        key="restore_choice")
                    if st.button("恢复该提交", key="restore", disabled=back is None):
                        st.session_state.pending = pending = ("restore", back)
                    if pending and pending[0] == "restore" and pending[1] == back:
                        answer = confirm_box("restore_confirm", f"确认恢复提交「{md_text(restorable[pending[1]])}」？"
                                             "恢复后它重新生效；同一报告期当前生效的版本改为“已被更正替代”，仍可恢复。",
                                             "确认恢复")
                        if answer:
                            act(store.restore, pending[1])
                        elif answer is False:
                            st.session_state.pop("pending", None)
                            st.rerun()
                else:
                    st.caption("没有可恢复的提交。")
        if actor.role == "admin" and store.has_active_demo():
            if st.button("撤销全部演示数据", key="rollback_demo",
                         help="上线真实数据前使用：全部演示提交标为已撤销，可在历史中查看"):
                st.session_state.pending = pending = ("demo", 0)
            if pending and pending[0] == "demo":
                answer = confirm_box("rollback_demo_confirm", "确认撤销全部演示数据？所有演示提交将标为已撤销，"
                                     "各页面不再显示演示数字（提交仍保留在历史中，可逐个恢复）。", "确认撤销全部演示数据")
                if answer:
                    try:
                        n = store.rollback_demo(actor)
                        st.session_state.flash_history = f"已撤销 {n} 份演示数据提交。"
                    except UserError as e:
                        st.session_state.flash_history_error = str(e)
                    st.session_state.pop("pending", None)
                    st.rerun()
                elif answer is False:
                    st.session_state.pop("pending", None)
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
