"""The tasks as officials read them: labels, one sentence per plan, the tables of 任务清单 (/tasks), the 督办清单
workbook, the lines 指标详情 shows for the tasks behind an indicator, and the text of `python -m reports tasks`.

A task's wording comes from the registry (verbatim from the policy texts); in Markdown it is escaped all the
same, since the texts carry characters Markdown would read ("贷款+外部直投", (AIC)).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.model import Registry
from domain.months import month_label
from domain.tasks import Task, TaskRegistry
from metrics.tasks import TASK_STATES, CheckIn, TaskStanding
from presentation.fmt import date_label, document_origin, document_title, md_text, num
from presentation.xlsx import workbook_bytes

STATE_LABELS = {"not_reported": "未报送", "not_started": "未启动", "in_progress": "推进中", "done": "已完成",
                "behind": "滞后"}
ROLE_LABELS = {"lead": "牵头", "responsible": "责任", "shared": "按职责分工负责", "group": "所属集合单位"}
UNIT_KIND_LABELS = {"city": "市直部门", "province": "省直部门", "central": "中央驻鄂单位", "government": "地方政府·管委会",
                    "enterprise": "企业", "group": "集合单位"}
NO_REPORT = "尚无进展报送"
STALE = "长期未更新"  # reported, not done, the last check-in more than a quarter old
ARCHIVED = "已归档"
NOT_FOLLOWED = "不跟踪"  # an archived plan's task is never overdue


def plan_label(tasks: TaskRegistry, document: str) -> str:
    """WH2027, or WH2016（已归档）."""
    return f"{document}（{ARCHIVED}）" if tasks.plans[document].archived else document


def plan_caption(tasks: TaskRegistry, registry: Registry, document: str) -> str:
    """The plan as cited, with its number of tasks and how deadlines are set."""
    doc, plan = registry.documents[document], tasks.plans[document]
    n = sum(t.document == document for t in tasks.tasks.values())
    origin = document_origin(doc)
    return f"{document_title(doc)}{'' if origin.startswith('（') else '，'}{origin}：{n}项任务。{plan.note}"


def deadline_text(task: Task) -> str:
    """完成时限 as the text writes it (WH2016), else the plan's end: 2027年底（方案期末）."""
    if task.deadline_as_written:
        written = task.deadline_as_written.replace(" ", "")
        return written if written != "每年" else f"每年（至{task.deadline.year}年）"
    return f"{task.deadline.year}年底（方案期末）"


def overdue_text(s: TaskStanding) -> str:
    return NOT_FOLLOWED if s.overdue is None else "逾期" if s.overdue else ""


def state_text(s: TaskStanding) -> str:
    return STATE_LABELS[s.state]


def units_text(task: Task) -> str:
    """Who owes the task, by current names: 牵头：…；责任：… where the text names a lead (WHC), else the units in
    the order written; a merged cell as …按职责分工负责."""
    parts = []
    if task.lead:
        parts.append("牵头：" + "、".join(task.lead))
    if task.responsible:
        parts.append(("责任：" if task.lead else "") + "、".join(task.responsible))
    if task.shared:
        parts.append("、".join(task.shared) + "按职责分工负责")
    return "；".join(parts)


def renamed_note(task: Task, tasks: TaskRegistry) -> str:
    """Where the text names a unit by an earlier name: 原文“市金融工作局”今为市委金融办 …; "" otherwise."""
    written = task.units_as_written + task.lead_as_written
    notes = []
    for unit in tasks.units.values():
        for old in unit.formerly:
            if old in written and f"“{old}”" not in "".join(notes):
                notes.append(f"原文“{old}”今为{unit.name}")
    return "；".join(notes)


def summary_sentence(rows: list[TaskStanding], tasks: TaskRegistry, as_of: dt.date) -> str:
    """One sentence: how many tasks are followed, how many reported, how many overdue."""
    followed = [s for s in rows if not s.task.archived]
    plans = list(dict.fromkeys(s.task.document for s in followed))
    reported = sum(s.state != "not_reported" for s in followed)
    overdue = sum(bool(s.overdue) for s in followed)
    archived = [d for d, p in tasks.plans.items() if p.archived]
    text = f"截至{month_label(as_of)}，跟踪{'、'.join(plans)}共{len(followed)}项任务，"
    text += (f"{reported}项已报送进展" if reported else f"各单位{NO_REPORT}，状态均为“{STATE_LABELS['not_reported']}”")
    text += f"；{overdue}项已过完成时限仍未报告完成。" if overdue else "；尚无任务超过完成时限。"
    if archived:
        text += f"{'、'.join(archived)}为归档文件，只列示，不跟踪。"
    return text


# -- tables --------------------------------------------------------------------------------------------------


def counts_table(counts: pl.DataFrame, tasks: TaskRegistry) -> pl.DataFrame:
    """metrics.tasks.state_counts with Chinese headings, a plan's overdue count 不跟踪 when it is archived."""
    return pl.DataFrame({
        "文件": [plan_label(tasks, d) for d in counts["document"]],
        "任务数": counts["tasks"],
        **{STATE_LABELS[s]: counts[s] for s in TASK_STATES},
        "逾期": [NOT_FOLLOWED if a else str(n) for n, a in zip(counts["overdue"], counts["archived"], strict=True)],
        STALE: [NOT_FOLLOWED if a else str(n) for n, a in zip(counts["stale"], counts["archived"], strict=True)],
    })


def task_table(rows: list[TaskStanding], tasks: TaskRegistry, registry: Registry) -> pl.DataFrame:
    """One row per task: 编号, 任务, 单位, 完成时限, 状态, 最近报送, 逾期, 推动指标."""
    return pl.DataFrame({
        "编号": [s.task.number for s in rows],
        "任务": [s.task.text for s in rows],
        "责任分工": [units_text(s.task) for s in rows],
        "完成时限": [deadline_text(s.task) for s in rows],
        "状态": [state_text(s) for s in rows],
        "最近报送": [month_label(s.last_update) if s.last_update else "—" for s in rows],
        "逾期": [overdue_text(s) for s in rows],
        "推动指标": ["、".join(registry.indicators[link.indicator].short_zh for link in tasks.links_of(s.task.id))
                 for s in rows],
    }, schema=dict.fromkeys(("编号", "任务", "责任分工", "完成时限", "状态", "最近报送", "逾期", "推动指标"), pl.String))


MATRIX_HEADINGS = {"unit": "单位", "kind": "类别", "lead": "牵头", "responsible": "责任", "shared": "按职责分工负责",
                   "group": "经集合单位", "total": "合计", "overdue": "逾期"}


def matrix_table(matrix: pl.DataFrame) -> pl.DataFrame:
    """metrics.tasks.unit_matrix with Chinese headings and kinds."""
    return matrix.with_columns(pl.col("kind").replace_strict(UNIT_KIND_LABELS, return_dtype=pl.String)) \
        .rename(MATRIX_HEADINGS)


def unit_task_table(pairs: list[tuple[TaskStanding, str]], tasks: TaskRegistry) -> pl.DataFrame:
    """A unit's tasks: 文件, 编号, 任务, 本单位角色, 完成时限, 状态, 逾期."""
    return pl.DataFrame({
        "文件": [plan_label(tasks, s.task.document) for s, _ in pairs],
        "编号": [s.task.number for s, _ in pairs],
        "任务": [s.task.text for s, _ in pairs],
        "本单位角色": [ROLE_LABELS[role] for _, role in pairs],
        "完成时限": [deadline_text(s.task) for s, _ in pairs],
        "状态": [state_text(s) for s, _ in pairs],
        "逾期": [overdue_text(s) for s, _ in pairs],
    }, schema=dict.fromkeys(("文件", "编号", "任务", "本单位角色", "完成时限", "状态", "逾期"), pl.String))


SUPERVISION_HEADINGS = {
    "unit": "责任单位", "role": "角色", "document": "文件", "number": "编号", "action": "所属行动",
    # "name": the task's wording; workbook_bytes gives a column of that field its wide width.
    "name": "任务", "deadline": "完成时限", "deadline_basis": "时限依据", "state": "状态", "last_update": "最近报送",
    "overdue": "逾期", "units_as_written": "原文所列单位",
}


def supervision_frame(supervision: pl.DataFrame, tasks: TaskRegistry) -> pl.DataFrame:
    """metrics.tasks.supervision_rows with labels in place of codes, for the sheet and the page."""
    by_id = tasks.tasks
    return supervision.select(
        "unit",
        pl.col("role").replace_strict(ROLE_LABELS, return_dtype=pl.String),
        pl.col("document").map_elements(lambda d: plan_label(tasks, d), return_dtype=pl.String),
        "number", "action",
        pl.col("text").alias("name"),
        "deadline",
        pl.col("task_id").map_elements(lambda i: deadline_text(by_id[i]), return_dtype=pl.String)
        .alias("deadline_basis"),
        pl.col("state").replace_strict(STATE_LABELS, return_dtype=pl.String),
        pl.col("last_update").dt.strftime("%Y年%m月").fill_null("—"),
        pl.when(pl.col("overdue").is_null()).then(pl.lit(NOT_FOLLOWED))
        .when(pl.col("overdue")).then(pl.lit("逾期")).otherwise(pl.lit("")).alias("overdue"),
        "units_as_written",
    )


def supervision_workbook(supervision: pl.DataFrame, tasks: TaskRegistry, as_of: dt.date) -> bytes:
    """督办清单.xlsx: one sheet, one row per unit and task (presentation/xlsx.py writes it)."""
    return workbook_bytes({f"督办清单（截至{month_label(as_of)}）": (supervision_frame(supervision, tasks),
                                                           SUPERVISION_HEADINGS)})


def supervision_file_name(as_of: dt.date) -> str:
    return f"督办清单_截至{month_label(as_of)}.xlsx"


# -- one task, in Markdown -----------------------------------------------------------------------------------


def task_heading(s: TaskStanding) -> str:
    """The line an expander shows: 9. 强化科技金融服务平台支撑 · 未报送 (escaped)."""
    t = s.task
    number = f"{t.number}." if t.number.isdigit() else t.number
    flag = (" · 逾期" if s.overdue else "") + (f" · {STALE}" if s.stale else "")
    return md_text(f"{number} {t.title} · {state_text(s)}{flag}")


def task_details(s: TaskStanding, tasks: TaskRegistry, registry: Registry) -> str:
    """Everything about one task, as Markdown: its wording (quoted), who owes it, deadline, state, where from,
    and the indicators it moves with links to 指标详情."""
    t = s.task
    lines = [f"> {md_text(t.text)}", "",
             f"- **责任分工**：{md_text(units_text(t))}"]
    if note := renamed_note(t, tasks):
        lines.append(f"- **单位更名**：{md_text(note)}")
    lines += [f"- **完成时限**：{md_text(deadline_text(t))}",
              f"- **状态**：{state_text(s)}（{NO_REPORT}）" if s.state == "not_reported" else f"- **状态**：{state_text(s)}"]
    if s.overdue is None:
        lines.append(f"- 归档文件，{NOT_FOLLOWED}")
    elif s.overdue:
        lines.append(f"- **已过完成时限**（{date_label(t.deadline)}）")
    if s.stale:
        lines.append(f"- **{STALE}**：最近一次报送为{month_label(s.last_update)}，已超过一个季度")
    for c in s.reports:
        lines.append(f"- **{md_text(c.unit)}**（{month_label(c.period)}报送）：{STATE_LABELS[c.state]}"
                     + (f"。{md_text(c.progress)}" if c.progress else "")
                     + (f"　下一步：{md_text(c.next_step)}" if c.next_step else ""))
    for link in tasks.links_of(t.id):
        ind = registry.indicators[link.indicator]
        lines.append(f"- **推动指标**：[{md_text(ind.name_zh)}](/indicator?indicator={ind.code})"
                     f"　依据：“{md_text(link.quote)}”" + (f"　{md_text(link.note)}" if link.note else ""))
    lines.append(f"- **出处**：{md_text(registry.documents[t.document].title)} {md_text(t.clause)}"
                 f"（原文所列单位：{md_text(t.units_as_written)}）")
    return "\n".join(lines)


def timeline_table(history: list[CheckIn]) -> pl.DataFrame:
    """A task's history (metrics.tasks.task_timeline), the newest first: every unit's every check-in. Text from the
    files stays plain text (a dataframe never renders it as HTML or Markdown)."""
    headings = ("报告期", "报送单位", "状态", "进展情况", "佐证材料", "下一步计划", "相关数值", "上传账号", "提交")
    return pl.DataFrame({
        "报告期": [month_label(c.period) for c in history],
        "报送单位": [c.unit for c in history],
        "状态": [STATE_LABELS[c.state] for c in history],
        "进展情况": [c.progress for c in history],
        "佐证材料": [c.evidence for c in history],
        "下一步计划": [c.next_step for c in history],
        "相关数值": ["" if c.figure is None else f"{num(c.figure, 2).rstrip('0').rstrip('.')}{c.figure_unit}"
                 for c in history],
        "上传账号": [c.uploader for c in history],
        "提交": [f"提交{c.submission_id}" for c in history],
    }, schema=dict.fromkeys(headings, pl.String))


def linked_tasks_markdown(tasks: TaskRegistry, indicator: str, registry: Registry) -> str | None:
    """For 指标详情: the tasks that move `indicator`, one list item each with its units and the words that link
    them; None when no task is linked."""
    pairs = tasks.tasks_on(indicator)
    if not pairs:
        return None
    lines = []
    for task, link in pairs:
        doc = registry.documents[task.document]
        lines.append(f"- **{task.document} {md_text(task.clause)}** {md_text(task.title)}：{md_text(units_text(task))}；"
                     f"依据原文“{md_text(link.quote)}”。" + (md_text(link.note) if link.note else "")
                     + f"（{md_text(doc.title)}）")
    lines.append(f"\n各任务的进展见[任务清单](/tasks?plan={pairs[0][0].document})；{NO_REPORT}的任务状态为“未报送”。")
    return "\n".join(lines)


# -- the command line ------------------------------------------------------------------------------------------


def task_line(s: TaskStanding) -> str:
    """One task as `python -m reports tasks` prints it without --json."""
    t = s.task
    flag = "，逾期" if s.overdue else ""
    return f"{t.id}｜{t.title}｜{units_text(t)}｜{deadline_text(t)}｜{state_text(s)}{flag}"


# -- reporting in the page ---------------------------------------------------------------------------------------

EDITOR_COLUMNS = {"task_id": "任务编号", "task_text": "工作任务", "state": "进展状态", "progress": "进展情况",
                  "evidence": "佐证材料", "next_step": "下一步计划", "figure": "相关数值", "figure_unit": "数值单位"}
STATE_WORDS = {code: label for code, label in STATE_LABELS.items() if code != "not_reported"}
UNFILLED = "（未填）"  # the state of a row the analyst leaves alone: that task is not reported on this time


def checkin_editor_rows(tasks: TaskRegistry, unit: str, period: dt.date, history: list[CheckIn]) -> pl.DataFrame:
    """The table an analyst fills in for `unit` and `period`: every followed task the unit leads or shares, with
    what the unit already reported for that month (else blank), under the template's headings."""
    mine = {c.task_id: c for c in history if c.unit == unit and c.period == period}
    rows = []
    for task, _role in tasks.tasks_of(unit):
        if task.archived:
            continue
        c = mine.get(task.id)
        # Text cells only (the figure too, read like a file's cell), so that nothing shows "None".
        figure = "" if c is None or c.figure is None else f"{c.figure:g}"
        rows.append({"task_id": task.id, "task_text": task.title, "state": STATE_WORDS[c.state] if c else UNFILLED,
                     "progress": c.progress if c else "", "evidence": c.evidence if c else "",
                     "next_step": c.next_step if c else "", "figure": figure,
                     "figure_unit": c.figure_unit if c else ""})
    return pl.DataFrame(rows, schema=dict.fromkeys(EDITOR_COLUMNS, pl.String)).rename(EDITOR_COLUMNS)


def edited_checkins(edited: pl.DataFrame) -> list[dict]:
    """The rows of the page's table that carry a state, as loaders.checkins.checkin_workbook takes them."""
    back = {v: k for k, v in EDITOR_COLUMNS.items()}
    out = []
    for row in edited.rename(back).iter_rows(named=True):
        if not row.get("state") or row["state"] == UNFILLED:
            continue
        out.append({k: ("" if v is None else v) for k, v in row.items() if k != "task_text"})
    return out
