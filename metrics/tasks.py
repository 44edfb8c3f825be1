"""Where each task stands at a month, counted by plan and by unit: pure functions over the task registry.

No unit has reported on any task yet (check-ins come with their own upload path), so every task's state is
`not_reported`, its last update none; a task is overdue when its deadline has passed without a report of
completion, except in an archived plan (WH2016), which is shown and never followed up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from domain.tasks import ROLES, VIA_GROUP, Task, TaskRegistry

TASK_STATES = ("not_reported", "not_started", "in_progress", "done", "behind")
"""未报送 (no check-in yet), then what a unit reports: 未启动 / 推进中 / 已完成 / 滞后."""
UNIT_COLUMNS = (*ROLES, VIA_GROUP)


@dataclass(frozen=True)
class TaskStanding:
    task: Task
    as_of: dt.date
    state: str
    """One of TASK_STATES."""
    last_update: dt.date | None
    """The month of the latest check-in; None: never reported."""
    overdue: bool | None
    """Deadline passed and not reported done; None in an archived plan (not judged)."""

    def as_json(self, indicators: list[str]) -> dict[str, Any]:
        """What `python -m reports tasks --json` prints for the task (`indicators`: the codes it moves)."""
        t = self.task
        return {
            "task_id": t.id, "document": t.document, "number": t.number, "action": t.action, "text": t.text,
            "lead_units": list(t.lead), "responsible_units": list(t.responsible),
            "deadline": t.deadline.isoformat(), "state": self.state,
            "last_update": self.last_update.isoformat() if self.last_update else None, "overdue": self.overdue,
            # beyond the fields
            "shared_units": list(t.shared), "units_as_written": t.units_as_written, "clause": t.clause,
            "archived": t.archived, "indicators": indicators,
        }


def is_overdue(task: Task, state: str, as_of: dt.date) -> bool | None:
    """Past its deadline at `as_of` and not done; None for an archived plan's task."""
    if task.archived:
        return None
    return task.deadline < as_of and state != "done"


def task_standings(tasks: TaskRegistry, as_of: dt.date) -> list[TaskStanding]:
    """Every task at `as_of`, in registry order: none reported yet."""
    state = "not_reported"
    return [TaskStanding(task=t, as_of=as_of, state=state, last_update=None, overdue=is_overdue(t, state, as_of))
            for t in tasks.tasks.values()]


def state_counts(rows: list[TaskStanding]) -> pl.DataFrame:
    """Per plan (in registry order): how many tasks, how many at each state, how many overdue; one column per
    state (TASK_STATES), zero where none."""
    docs = list(dict.fromkeys(s.task.document for s in rows))
    return pl.DataFrame({
        "document": docs,
        "tasks": [sum(s.task.document == d for s in rows) for d in docs],
        **{state: [sum(s.task.document == d and s.state == state for s in rows) for d in docs]
           for state in TASK_STATES},
        "overdue": [sum(s.task.document == d and s.overdue is True for s in rows) for d in docs],
        "archived": [any(s.task.document == d and s.task.archived for s in rows) for d in docs],
    }, schema={"document": pl.String, "tasks": pl.Int64, **dict.fromkeys(TASK_STATES, pl.Int64),
               "overdue": pl.Int64, "archived": pl.Boolean})


def unit_matrix(tasks: TaskRegistry, rows: list[TaskStanding]) -> pl.DataFrame:
    """Unit × role: for every unit named by a task among `rows` (or reached through a group), how many it leads,
    is responsible for, shares ("按职责分工负责"), and sees through a group (各区人民政府); its total (each task
    once) and how many of them are overdue. Units in units.toml order; units with no task left out."""
    ids = {s.task.id for s in rows}
    overdue = {s.task.id for s in rows if s.overdue}
    records = []
    for unit in tasks.units.values():
        mine = [(t, role) for t, role in tasks.tasks_of(unit.name) if t.id in ids]
        if not mine:
            continue
        records.append({"unit": unit.name, "kind": unit.kind,
                        **{role: sum(r == role for _, r in mine) for role in UNIT_COLUMNS},
                        "total": len(mine), "overdue": sum(t.id in overdue for t, _ in mine)})
    return pl.DataFrame(records, schema={"unit": pl.String, "kind": pl.String,
                                         **dict.fromkeys(UNIT_COLUMNS, pl.Int64), "total": pl.Int64,
                                         "overdue": pl.Int64})


def unit_tasks(tasks: TaskRegistry, rows: list[TaskStanding], unit: str) -> list[tuple[TaskStanding, str]]:
    """(standing, role) of every task among `rows` that names `unit` or a group it belongs to."""
    by_id = {s.task.id: s for s in rows}
    return [(by_id[t.id], role) for t, role in tasks.tasks_of(unit) if t.id in by_id]


def supervision_rows(tasks: TaskRegistry, rows: list[TaskStanding]) -> pl.DataFrame:
    """The 督办清单: one row per unit and task it leads or shares (units in units.toml order, then tasks in
    registry order), with the task's state; a group's task is listed under the group, not under each member."""
    records = []
    for unit in tasks.units.values():
        for s, role in unit_tasks(tasks, rows, unit.name):
            if role == VIA_GROUP:
                continue
            t = s.task
            records.append({"unit": unit.name, "role": role, "task_id": t.id, "document": t.document,
                            "number": t.number, "action": t.action, "text": t.text, "deadline": t.deadline,
                            "state": s.state, "last_update": s.last_update, "overdue": s.overdue,
                            "units_as_written": t.units_as_written})
    return pl.DataFrame(records, schema={
        "unit": pl.String, "role": pl.String, "task_id": pl.String, "document": pl.String, "number": pl.String,
        "action": pl.String, "text": pl.String, "deadline": pl.Date, "state": pl.String, "last_update": pl.Date,
        "overdue": pl.Boolean, "units_as_written": pl.String})
