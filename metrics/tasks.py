"""Where each task stands at a month, counted by plan and by unit: pure functions over the task registry and the
units' check-ins (store.Store.checkins, loaders/checkins.py).

A task's state is its lead unit's latest check-in on or before the month (else the latest of any unit it
names), `not_reported` while no unit has reported; a task is overdue when its deadline has passed without a
report of completion, and stale when its last check-in is more than a quarter old; an archived plan (WH2016)
is shown and never followed up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from domain.months import add_months
from domain.tasks import ROLES, VIA_GROUP, Task, TaskRegistry

TASK_STATES = ("not_reported", "not_started", "in_progress", "done", "behind")
"""未报送 (no check-in yet), then what a unit reports: 未启动 / 推进中 / 已完成 / 滞后."""
UNIT_COLUMNS = (*ROLES, VIA_GROUP)
STALE_AFTER_MONTHS = 3  # 长期未更新: the last check-in is older than a quarter
CHECKIN_SCHEMA = {"task_id": pl.String, "unit": pl.String, "period": pl.Date, "state": pl.String,
                  "progress": pl.String, "evidence": pl.String, "next_step": pl.String, "figure": pl.Float64,
                  "figure_unit": pl.String, "origin": pl.String, "submission_id": pl.Int64, "file_name": pl.String,
                  "uploader": pl.String, "uploaded_at": pl.Datetime}


@dataclass(frozen=True)
class CheckIn:
    """One unit's word on one task for one month (a row of store.Store.checkins)."""
    task_id: str
    unit: str
    period: dt.date
    state: str
    progress: str
    evidence: str
    next_step: str
    figure: float | None
    figure_unit: str
    uploader: str
    uploaded_at: dt.datetime
    submission_id: int


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
    reports: tuple[CheckIn, ...] = ()
    """Each unit's latest check-in on or before `as_of`, the one that sets the state first."""
    stale: bool | None = None
    """Reported, not done, and the last check-in more than a quarter before `as_of`; None when archived."""

    def state_of(self, unit: str) -> str:
        """What `unit` itself last reported (not_reported when it has not)."""
        return next((c.state for c in self.reports if c.unit == unit), "not_reported")

    def as_json(self, indicators: list[str]) -> dict[str, Any]:
        """What `python -m reports tasks --json` prints for the task (`indicators`: the codes it moves)."""
        t = self.task
        return {
            "task_id": t.id, "document": t.document, "number": t.number, "action": t.action, "text": t.text,
            "lead_units": list(t.lead), "responsible_units": list(t.responsible),
            "deadline": t.deadline.isoformat(), "state": self.state,
            "last_update": self.last_update.isoformat() if self.last_update else None, "overdue": self.overdue,
            "stale": self.stale, "reports": [{"unit": c.unit, "period": c.period.isoformat(), "state": c.state,
                                              "progress": c.progress, "next_step": c.next_step} for c in self.reports],
            # beyond the fields
            "shared_units": list(t.shared), "units_as_written": t.units_as_written, "clause": t.clause,
            "archived": t.archived, "indicators": indicators,
        }


def is_overdue(task: Task, state: str, as_of: dt.date) -> bool | None:
    """Past its deadline at `as_of` and not done; None for an archived plan's task."""
    if task.archived:
        return None
    return task.deadline < as_of and state != "done"


def checkin_records(checkins: pl.DataFrame | None) -> list[CheckIn]:
    """store.Store.checkins as records (an empty list for None)."""
    if checkins is None or checkins.is_empty():
        return []
    fields = CheckIn.__dataclass_fields__
    return [CheckIn(**{k: (v if v is not None or k == "figure" else "") for k, v in row.items() if k in fields})
            for row in checkins.iter_rows(named=True)]


def is_stale(task: Task, state: str, last_update: dt.date | None, as_of: dt.date) -> bool | None:
    if task.archived:
        return None
    return last_update is not None and state != "done" and last_update < add_months(as_of, -STALE_AFTER_MONTHS)


def task_standings(tasks: TaskRegistry, as_of: dt.date, checkins: pl.DataFrame | None = None) -> list[TaskStanding]:
    """Every task at `as_of`, in registry order, from the check-ins reported for months up to `as_of`."""
    latest: dict[tuple[str, str], CheckIn] = {}
    for c in checkin_records(checkins):
        if c.period > as_of:
            continue
        key = (c.task_id, c.unit)
        if key not in latest or (c.period, c.uploaded_at) > (latest[key].period, latest[key].uploaded_at):
            latest[key] = c
    by_task: dict[str, list[CheckIn]] = {}
    for c in latest.values():
        by_task.setdefault(c.task_id, []).append(c)
    out = []
    for t in tasks.tasks.values():
        mine = by_task.get(t.id, [])
        # The lead's word first (the latest of the leads), then the others', the latest first.
        mine.sort(key=lambda c: (c.unit in t.lead, c.period, c.uploaded_at), reverse=True)
        state = mine[0].state if mine else "not_reported"
        last = max((c.period for c in mine), default=None)
        out.append(TaskStanding(task=t, as_of=as_of, state=state, last_update=last,
                                overdue=is_overdue(t, state, as_of), reports=tuple(mine),
                                stale=is_stale(t, state, last, as_of)))
    return out


def task_timeline(checkins: pl.DataFrame | None, task_id: str) -> list[CheckIn]:
    """Every check-in on a task, the newest month first (the task's history)."""
    mine = [c for c in checkin_records(checkins) if c.task_id == task_id]
    return sorted(mine, key=lambda c: (c.period, c.uploaded_at), reverse=True)


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
        "stale": [sum(s.task.document == d and s.stale is True for s in rows) for d in docs],
        "archived": [any(s.task.document == d and s.task.archived for s in rows) for d in docs],
    }, schema={"document": pl.String, "tasks": pl.Int64, **dict.fromkeys(TASK_STATES, pl.Int64),
               "overdue": pl.Int64, "stale": pl.Int64, "archived": pl.Boolean})


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
                            "state": s.state_of(unit.name), "last_update": s.last_update, "overdue": s.overdue,
                            "stale": s.stale,
                            "units_as_written": t.units_as_written})
    return pl.DataFrame(records, schema={
        "unit": pl.String, "role": pl.String, "task_id": pl.String, "document": pl.String, "number": pl.String,
        "action": pl.String, "text": pl.String, "deadline": pl.Date, "state": pl.String, "last_update": pl.Date,
        "overdue": pl.Boolean, "stale": pl.Boolean, "units_as_written": pl.String})


def supervision_summary(supervision: pl.DataFrame) -> pl.DataFrame:
    """Per unit (in the 督办清单's order): its tasks, how many it reported at each state (its own word), how many
    are overdue and how many 长期未更新 — the 督办清单 in one row per unit, for a meeting slide."""
    if supervision.is_empty():
        return pl.DataFrame(schema={"unit": pl.String, "tasks": pl.UInt32, **dict.fromkeys(TASK_STATES, pl.UInt32),
                                    "overdue": pl.UInt32, "stale": pl.UInt32})
    return (supervision.group_by("unit", maintain_order=True)
            .agg(pl.len().alias("tasks"),
                 *[(pl.col("state") == state).sum().alias(state) for state in TASK_STATES],
                 pl.col("overdue").fill_null(False).sum().alias("overdue"),
                 pl.col("stale").fill_null(False).sum().alias("stale")))


def needing_attention(supervision: pl.DataFrame) -> pl.DataFrame:
    """The 督办清单's rows to raise in a meeting: overdue, reported 滞后, or not updated for a quarter."""
    return supervision.filter(pl.col("overdue").fill_null(False) | (pl.col("state") == "behind")
                              | pl.col("stale").fill_null(False))
