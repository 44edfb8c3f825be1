"""任务清单: every task of the plans (WH2027, WHC's 任务分工表, HB2026; WH2016 as an archive) — by plan and
action, by unit (lead vs responsible), and as the 督办清单 to download — with where each stands.

No unit has reported on a task yet, so every state reads 未报送 and the page says so. The view is in the URL:
?view=unit&unit=市委金融办&plans=WH2027,WH2016&as_of=2026-10, ?view=plan&plan=WHC.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from domain import clock
from domain.months import month_key, month_of
from domain.tasks import default_tasks
from metrics.tasks import state_counts, supervision_rows, task_standings, unit_matrix, unit_tasks
from pages import common
from presentation.labels import NOT_REPORTED
from presentation.tasks import (
    NO_REPORT,
    SUPERVISION_HEADINGS,
    UNIT_KIND_LABELS,
    counts_table,
    matrix_table,
    plan_caption,
    plan_label,
    summary_sentence,
    supervision_file_name,
    supervision_frame,
    supervision_workbook,
    task_details,
    task_heading,
    unit_task_table,
)
from presentation.xlsx import XLSX_MIME

VIEWS = {"plan": "按文件与行动", "unit": "按单位", "list": "督办清单"}

reg = common.registry()
tasks = default_tasks()
as_of = common.as_of_month() or month_of(clock.today())  # tasks stand without figures: no data, this month
rows = task_standings(tasks, as_of)


@st.cache_data(show_spinner="正在生成督办清单…", max_entries=8)
def _workbook(as_of: dt.date, plans: tuple[str, ...]) -> bytes:
    scope = [s for s in task_standings(tasks, as_of) if s.task.document in plans]
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
    right.download_button("下载督办清单（.xlsx）", _workbook(as_of, plans), file_name=supervision_file_name(as_of),
                          mime=XLSX_MIME, icon=":material/download:", key="tasks_download")
    st.dataframe(table, hide_index=True, width="stretch", height=520, key="tasks_supervision",
                 column_config={"任务": st.column_config.TextColumn(width="large")})


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
else:
    supervision(chosen_plans())
st.caption(f"截至{month_key(as_of)}；任务原文摘自各文件（data/tasks.toml 由 tools/extract_tasks.py 从原文提取），"
           "单位现名与旧称见 data/units.toml。")
