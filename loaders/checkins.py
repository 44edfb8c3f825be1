"""Task check-ins (任务进展报送表): a unit's word on where each of its tasks stands, for a month or a quarter.

A check-in sheet is recognised by its heading row (任务编号 and 进展状态). Each row names a task of the registry
(data/tasks.toml) by its id, the state (未启动 / 推进中 / 已完成 / 滞后), the progress in words, the evidence,
the next step and, optionally, a figure with its unit. The reporting unit comes from a 报送单位 column or the
"报送单位：…" line above the table, by any name data/units.toml knows it by; the period from the title or the
file name (a quarter reports on its last month). The rows go through the same upload path as the figures:
checked, previewed, one submission per unit and period (a later file for them supersedes the earlier one),
withdrawable and restorable.

`checkin_template` writes the sheet for one unit with its tasks filled in, and `checkin_workbook` the same
sheet with the values an analyst typed in the page, so that an edit in the page is an upload like any other.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from domain.months import month_label
from domain.tasks import TaskRegistry
from loaders import messages as msg
from loaders.cells import a1, is_blank, norm_text, parse_number
from loaders.periods import find_period, in_future
from loaders.problems import Problem
from loaders.workbook_style import merged_title
from store.access import CHECKIN_TABLE

TABLE = CHECKIN_TABLE
STATES = {"未启动": "not_started", "推进中": "in_progress", "已完成": "done", "滞后": "behind"}
# Heading → field. The first of each is what our template writes; the others are what units write instead.
HEADINGS: dict[str, tuple[str, ...]] = {
    "task_id": ("任务编号", "编号", "任务序号"),
    "task_text": ("工作任务", "任务内容", "工作事项", "任务"),
    "unit": ("报送单位", "责任单位", "填报单位"),
    "state": ("进展状态", "状态", "完成状态", "推进状态"),
    "progress": ("进展情况", "工作进展", "进展"),
    "evidence": ("佐证材料", "佐证", "证明材料"),
    "next_step": ("下一步计划", "下一步工作", "下步计划"),
    "figure": ("相关数值", "数值", "完成数值"),
    "figure_unit": ("数值单位", "计量单位", "单位"),
}
REQUIRED = ("task_id", "state")
TEXT_LIMIT = 2000  # characters kept of a progress, evidence or next-step cell
FRAME_SCHEMA = {"row_no": pl.Int64, "task_id": pl.String, "unit": pl.String, "state": pl.String,
                "progress": pl.String, "evidence": pl.String, "next_step": pl.String, "figure": pl.Float64,
                "figure_unit": pl.String, "origin": pl.String}


def is_checkin_sheet(rows: list[list[Any]]) -> bool:
    """A heading row among the first ten names a task id and a state."""
    return _heading_row(rows) is not None


def _field_of(value: Any) -> str | None:
    text = norm_text(value)
    for name, words in HEADINGS.items():
        if text in words:
            return name
    return None


def _heading_row(rows: list[list[Any]]) -> int | None:
    for i, row in enumerate(rows[:10]):
        found = {_field_of(v) for v in row}
        if all(f in found for f in REQUIRED):
            return i
    return None


@dataclass
class CheckinSheet:
    period: dt.date | None = None
    units: list[str] = field(default_factory=list)
    frame: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=FRAME_SCHEMA))
    problems: list[Problem] = field(default_factory=list)


def parse_checkin_sheet(sheet: str, rows: list[list[Any]], file_name: str, tasks: TaskRegistry, *,
                        row_offset: int = 0, col_offset: int = 0) -> CheckinSheet:
    """The check-ins of one sheet, every problem with its cell (pure)."""
    out = CheckinSheet()

    def report(severity: str, r: int | None, c: int | None, value: Any, message: str) -> None:
        cell = a1(r + row_offset, c + col_offset) if r is not None and c is not None else ""
        out.problems.append(Problem(severity, file_name, sheet, cell, "" if value is None else str(value)[:30],
                                    message))  # type: ignore[arg-type]

    head = _heading_row(rows)
    assert head is not None, "not a check-in sheet"
    columns = {f: c for c, v in enumerate(rows[head]) if (f := _field_of(v)) is not None}
    above = [str(v) for row in rows[:head] for v in row if not is_blank(v)]
    # The period: the title or a 报告期 line, else the file name.
    out.period = next((p for text in above if (p := find_period(text))), None) or find_period(file_name)
    if out.period is None:
        report("error", None, None, None, msg.CHECKIN_NO_PERIOD)
    elif in_future(out.period):
        report("error", None, None, month_label(out.period), msg.checkin_future(month_label(out.period)))
    # The unit for rows without a 报送单位 cell: a "报送单位：市委金融办" line above the table.
    sheet_unit = None
    for text in above:
        plain = norm_text(text)
        for word in HEADINGS["unit"]:
            if plain.startswith(word):
                sheet_unit = plain[len(word):].lstrip(":：")
                break

    records: list[dict[str, Any]] = []
    for r in range(head + 1, len(rows)):
        row = rows[r]

        def cell(name: str, row: list[Any] = row) -> Any:
            c = columns.get(name)
            return row[c] if c is not None and c < len(row) else None

        # A template row left as it came (only the task filled in) is a task not reported on this time.
        if all(is_blank(cell(name)) for name in ("state", "progress", "evidence", "next_step", "figure")):
            continue
        task_id = norm_text(cell("task_id")).upper().replace("－", "-")
        if task_id not in tasks.tasks:
            report("error", r, columns["task_id"], cell("task_id"), msg.checkin_unknown_task(str(cell("task_id"))))
            continue
        written_unit = cell("unit") if not is_blank(cell("unit")) else sheet_unit
        unit = tasks.names.get(norm_text(written_unit)) if written_unit else None
        if unit is None:
            where = (r, columns["unit"]) if "unit" in columns else (None, None)
            report("error", *where, written_unit, msg.checkin_unknown_unit(str(written_unit or "")))
            continue
        task = tasks.tasks[task_id]
        if not any(unit == u or u in tasks.units[unit].groups for u, _ in task.roles()):
            report("error", r, columns["task_id"], task_id, msg.checkin_not_their_task(unit, task_id, task.title))
            continue
        state_text = norm_text(cell("state"))
        if state_text not in STATES:
            report("error", r, columns["state"], cell("state"), msg.checkin_bad_state(state_text, list(STATES)))
            continue
        texts = {}
        for name in ("progress", "evidence", "next_step", "figure_unit"):
            value = cell(name)
            text = "" if is_blank(value) else str(value).strip()
            if len(text) > TEXT_LIMIT:
                report("warning", r, columns[name], text, msg.checkin_text_cut(TEXT_LIMIT))
                text = text[:TEXT_LIMIT]
            texts[name] = text
        if state_text in ("推进中", "滞后") and not texts["progress"]:
            report("warning", r, columns.get("progress", columns["state"]), None, msg.CHECKIN_NO_PROGRESS)
        figure = None
        if not is_blank(cell("figure")):
            try:
                figure, _ = parse_number(cell("figure"))
            except ValueError:
                report("error", r, columns["figure"], cell("figure"), msg.CHECKIN_BAD_FIGURE)
                continue
        records.append({"row_no": r + row_offset + 1, "task_id": task_id, "unit": unit, "state": STATES[state_text],
                        **texts, "figure": figure, "origin": f"{sheet}!{a1(r + row_offset, col_offset)}"})
    if not records and not out.problems:
        report("error", None, None, None, msg.CHECKIN_EMPTY)
    seen: dict[tuple[str, str], int] = {}
    for rec in records:
        key = (rec["task_id"], rec["unit"])
        if key in seen:
            report("error", rec["row_no"] - 1 - row_offset, columns["task_id"], rec["task_id"],
                   msg.checkin_twice(rec["task_id"], rec["unit"], seen[key]))
        seen[key] = rec["row_no"]
    out.frame = pl.DataFrame(records, schema=FRAME_SCHEMA)
    out.units = sorted(set(out.frame["unit"]))
    return out


def dataset(units: list[str]) -> str:
    """What a check-in file carries: a later file of the same units and period supersedes it."""
    return "checkin:" + ",".join(units)


# -- writing the sheet ------------------------------------------------------------------------------------------

ORDER = ("task_id", "task_text", "state", "progress", "evidence", "next_step", "figure", "figure_unit")


def checkin_workbook(unit: str, period: dt.date, tasks: TaskRegistry, rows: list[dict[str, Any]]) -> bytes:
    """The check-in sheet of `unit` for `period`: one row per task in `rows` (task_id, and any of state as
    written 未启动…, progress, evidence, next_step, figure, figure_unit), a drop-down for the state."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务进展"
    headings = [HEADINGS[f][0] for f in ORDER]
    merged_title(ws, f"{unit}任务进展报送表（{month_label(period)}）", len(headings))
    ws.append([f"报送单位：{unit}"])
    ws.append([f"报告期：{month_label(period)}（季度报送的，填季度最后一个月）"])
    ws.append(headings)
    head_row = ws.max_row
    for c in range(1, len(headings) + 1):
        ws.cell(head_row, c).font = Font(bold=True)
    for row in rows:
        task = tasks.tasks[row["task_id"]]
        ws.append([row["task_id"], task.title, row.get("state", ""), row.get("progress", ""),
                   row.get("evidence", ""), row.get("next_step", ""), row.get("figure"), row.get("figure_unit", "")])
        for c in range(1, len(headings) + 1):
            cell = ws.cell(ws.max_row, c)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str):  # typed text stays text: "=…" never becomes a formula
                cell.data_type = "s"
    states = DataValidation(type="list", formula1='"' + ",".join(STATES) + '"', allow_blank=False,
                            error=msg.checkin_choose_state(list(STATES)), showErrorMessage=True)
    ws.add_data_validation(states)
    states.add(f"C{head_row + 1}:C{max(ws.max_row, head_row + 1)}")
    for letter, width in zip("ABCDEFGH", (12, 36, 10, 40, 28, 32, 10, 10), strict=True):
        ws.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def checkin_template(unit: str, period: dt.date, tasks: TaskRegistry) -> bytes:
    """The blank sheet for `unit`: every followed task it leads or shares, state to choose."""
    ids = [t.id for t, _ in tasks.tasks_of(unit) if not t.archived]
    return checkin_workbook(unit, period, tasks, [{"task_id": i} for i in ids])
