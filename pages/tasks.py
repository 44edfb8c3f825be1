"""任务清单: every task of the plans (WH2027, WHC's 任务分工表, HB2026; WH2016 as an archive) — by plan and
action, by unit (lead vs responsible), and as the 督办清单 to download — with where each stands.

A task's state comes from the units' check-ins (uploaded as 任务进展报送表 like any file, or filled in on this
page under 报送进展, which makes the same file and sends it through the same path); while no unit has
reported, every state reads 未报送 and the page says so. The view is in the URL:
?view=unit&unit=市委金融办&plans=WH2027,WH2016&as_of=2026-10, ?view=plan&plan=WHC, ?view=report.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from domain import clock
from domain.errors import UserError
from domain.months import month_key, month_label, month_of
from domain.tasks import default_tasks
from loaders.checkins import checkin_template, checkin_workbook
from loaders.ingest import commit, prepare
from metrics.tasks import (
    checkin_records,
    state_counts,
    supervision_rows,
    task_standings,
    task_timeline,
    unit_matrix,
    unit_tasks,
)
from pages import account, common
from presentation.fmt import md_text
from presentation.labels import NOT_REPORTED
from presentation.tasks import (
    NO_REPORT,
    STATE_WORDS,
    SUPERVISION_HEADINGS,
    UNFILLED,
    UNIT_KIND_LABELS,
    checkin_editor_rows,
    counts_table,
    edited_checkins,
    matrix_table,
    plan_caption,
    plan_label,
    summary_sentence,
    supervision_file_name,
    supervision_frame,
    supervision_workbook,
    task_details,
    task_heading,
    timeline_table,
    unit_task_table,
)
from presentation.upload_tables import problems_table
from presentation.xlsx import XLSX_MIME

common.through_dashboard()  # a run Streamlit started on its own goes through dashboard.py

VIEWS = {"plan": "按文件与行动", "unit": "按单位", "list": "督办清单", "report": "报送进展"}

reg = common.registry()
tasks = default_tasks()
as_of = common.as_of_month() or month_of(clock.today())  # tasks stand without figures: no data, this month


@st.cache_data(show_spinner=False, max_entries=8)
def _checkins(db: str, rev: str):
    return common.store().checkins()


checkins = _checkins(str(common.db_path()), common.revision())
rows = task_standings(tasks, as_of, checkins)


@st.cache_data(show_spinner="正在生成督办清单…", max_entries=8)
def _workbook(db: str, rev: str, as_of: dt.date, plans: tuple[str, ...]) -> bytes:
    scope = [s for s in task_standings(tasks, as_of, checkins) if s.task.document in plans]
    return supervision_workbook(supervision_rows(tasks, scope), tasks, as_of)


def chosen_plans() -> tuple[str, ...]:
    """The plans the unit views cover: the followed ones by default (not the archive), ?plans=WH2027,WHC."""
    every = list(tasks.plans)
    followed = [d for d, p in tasks.plans.items() if not p.archived]
    wanted = [d for d in st.query_params.get("plans", "").split(",") if d in every] or followed
    chosen = st.multiselect("文件", every, default=wanted, format_func=lambda d: plan_label(tasks, d),
                            key="tasks_plans", help="归档文件（WH2016）的任务只列示，不判断逾期") or followed
    common.keep_in_url("plans", ",".join(chosen), ",".join(followed))
    return tuple(d for d in every if d in chosen)


def by_plan() -> None:
    plans = list(tasks.plans)
    plan = st.radio("文件", plans, format_func=lambda d: plan_label(tasks, d), horizontal=True, key="tasks_plan",
                    index=plans.index(common.url_choice("plan", plans, plans[0])))
    common.keep_in_url("plan", plan, plans[0])
    st.caption(plan_caption(tasks, reg, plan))
    if tasks.plans[plan].archived:
        st.warning(f"{plan}为归档文件：任务照录原文，只列示，不跟踪进展与逾期。原文中的单位已按现名对应（如市金融工作局→市委金融办）。",
                   icon=":material/inventory_2:")
    part = action = None
    for s in (s for s in rows if s.task.document == plan):
        t = s.task
        if t.part != part:
            st.subheader(t.part)
        if t.action != t.part and (t.part, t.action) != (part, action):
            st.markdown(f"**{t.action}**")
        part, action = t.part, t.action
        with st.expander(task_heading(s)):
            st.markdown(task_details(s, tasks, reg))
            history = task_timeline(checkins, t.id)
            if history:
                st.markdown("**报送历史**（最新在前）")
                st.dataframe(timeline_table(history), hide_index=True, width="stretch", key=f"timeline-{t.id}")


def by_unit(plans: tuple[str, ...]) -> None:
    scope = [s for s in rows if s.task.document in plans]
    matrix = unit_matrix(tasks, scope)
    st.markdown("**单位 × 角色**：每个单位牵头、负责、按职责分工负责的任务数，以及经所属集合单位（各区人民政府、各市州人民政府）承担的任务数。")
    st.dataframe(matrix_table(matrix), hide_index=True, width="stretch", height=420, key="tasks_matrix")
    names = matrix["unit"].to_list()
    default = names[0]
    unit = st.selectbox("单位", names, index=names.index(common.url_choice("unit", names, default)), key="tasks_unit")
    common.keep_in_url("unit", unit, default)
    u = tasks.units[unit]
    facts = [UNIT_KIND_LABELS[u.kind]]
    if u.formerly:
        facts.append("承接原“" + "”“".join(u.formerly) + "”的任务")
    if u.groups:
        facts.append("属" + "、".join(u.groups) + "，其任务一并列出")
    if u.kind == "group":
        facts.append("成员：" + "、".join(m.name for m in tasks.members(unit)))
    st.caption("；".join(facts) + (f"。{u.note}" if u.note else "。"))
    pairs = unit_tasks(tasks, scope, unit)
    st.dataframe(unit_task_table(pairs, tasks), hide_index=True, width="stretch", key="tasks_unit_rows",
                 column_config={"任务": st.column_config.TextColumn(width="large")})


def supervision(plans: tuple[str, ...]) -> None:
    scope = [s for s in rows if s.task.document in plans]
    table = supervision_frame(supervision_rows(tasks, scope), tasks).rename(SUPERVISION_HEADINGS)
    left, right = st.columns([3, 1])
    left.markdown(f"按单位列出其牵头或参与的每项任务及状态，共{table.height}行（布置给集合单位的任务列在集合单位名下）。")
    right.download_button("下载督办清单（.xlsx）", _workbook(str(common.db_path()), common.revision(), as_of, plans),
                          file_name=supervision_file_name(as_of),
                          mime=XLSX_MIME, icon=":material/download:", key="tasks_download")
    st.dataframe(table, hide_index=True, width="stretch", height=520, key="tasks_supervision",
                 column_config={"任务": st.column_config.TextColumn(width="large")})


@st.cache_data(show_spinner=False, max_entries=32)
def _template(unit: str, as_of: dt.date) -> bytes:
    return checkin_template(unit, as_of, tasks)  # a workbook: built once per unit and month, not every rerun


def report() -> None:
    """报送进展: a unit's template to download, and for analysts the same table to fill in here."""
    actor = account.who()
    names = [u.name for u in tasks.units.values() if u.kind != "group" and any(
        not t.archived for t, _ in tasks.tasks_of(u.name))]
    # An account limited to one agency reports for that agency only (the store checks it again).
    if actor.agency in names:
        names = [actor.agency]
    unit = st.selectbox("报送单位", names, key="report_unit",
                        index=names.index(common.url_choice("unit", names, names[0])))
    common.keep_in_url("unit", unit, names[0])
    st.markdown(f"报告期：**{month_label(as_of)}**（左侧“截至月份”可改；季度报送的，选季度最后一个月）。"
                "每项任务选择进展状态（未启动、推进中、已完成、滞后），写明进展、佐证与下一步；同一单位同一报告期再次报送时，"
                "以最新一次为准，此前的版本保留在“数据上传”页的提交历史中，可撤销。")
    st.download_button(f"下载{unit}的任务进展报送模板（.xlsx）", _template(unit, as_of),
                       file_name=f"{unit}_任务进展报送表_{month_key(as_of)}.xlsx", mime=XLSX_MIME,
                       icon=":material/download:", key="report_template")
    if actor.role not in ("analyst", "admin"):
        st.info("填写后可在“数据上传”页上传；在本页直接填报需要填报或管理账号。", icon=":material/lock:")
        return
    table = checkin_editor_rows(tasks, unit, as_of, checkin_records(checkins))
    edited = st.data_editor(
        table, hide_index=True, width="stretch", key=f"report_editor-{unit}-{month_key(as_of)}", num_rows="fixed",
        disabled=["任务编号", "工作任务"],
        column_config={"进展状态": st.column_config.SelectboxColumn(options=[UNFILLED, *STATE_WORDS.values()],
                                                                    required=True),
                       "工作任务": st.column_config.TextColumn(width="medium"),
                       "进展情况": st.column_config.TextColumn(width="large", max_chars=2000)})
    filled = edited_checkins(edited)
    if st.button(f"提交{unit}的进展（{len(filled)}项）", type="primary", disabled=not filled, key="report_submit"):
        content = checkin_workbook(unit, as_of, tasks, filled)
        name = f"{unit}_任务进展_{month_key(as_of)}_页面填报.xlsx"
        checked = prepare(common.store(), content, name, reg, actor=actor)
        if checked.status != "ok":
            st.session_state.report_problems = (name, checked)
        else:
            try:
                st.session_state.report_flash = commit(common.store(), checked, actor=actor).message
            except UserError as e:
                st.session_state.report_flash_error = str(e)
        st.rerun()
    if "report_flash" in st.session_state:
        st.success(md_text(st.session_state.pop("report_flash")))
    if "report_flash_error" in st.session_state:
        st.error(md_text(st.session_state.pop("report_flash_error")))
    if "report_problems" in st.session_state:
        name, checked = st.session_state.pop("report_problems")
        st.error("未能提交，请按下表改正：")
        st.table(problems_table(checked, markdown=True))


# -- the page -------------------------------------------------------------------------------------------------

st.title("任务清单 · 责任分工与落实")
st.markdown(summary_sentence(rows, tasks, as_of))
if all(s.state == "not_reported" for s in rows):
    st.info(f"**{NO_REPORT}**：各单位还没有报送任何任务的进展，状态一律显示为“{NOT_REPORTED}”，不作推测。"
            "完成时限：WH2016 照录原文；WHC 任务分工表无时限栏、WH2027 与 HB2026 未逐项规定，均以方案期末为限。",
            icon=":material/info:")
st.dataframe(counts_table(state_counts(rows), tasks), hide_index=True, width="stretch", key="tasks_counts")

views = list(VIEWS)
view = st.radio("查看", views, format_func=VIEWS.get, horizontal=True, key="tasks_view",
                index=views.index(common.url_choice("view", views, views[0])))
common.keep_in_url("view", view, views[0])
if view == "plan":
    by_plan()
elif view == "unit":
    by_unit(chosen_plans())
elif view == "list":
    supervision(chosen_plans())
else:
    report()
st.caption(f"截至{month_label(as_of)}；任务原文照录各文件，责任单位按现名列示（机构改革前的旧称已对应到承接单位）。")
