"""The audit log: one row per write and per login attempt, with who, when, what, and before → after.

`record` writes inside the caller's transaction, so a write and its audit row stand or fall together.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb

from domain import clock

# Actions that change what the dashboard shows: the store's revision (what the caches key on) counts only
# these, so a login does not throw away every cached figure.
DATA_ACTIONS = ("ingest", "supersede", "rollback", "reactivate", "rollback_demo")
# Every action the log holds; presentation/audit_table.py gives each its Chinese label.
ACTIONS = (*DATA_ACTIONS, "denied", "login", "login_failed", "login_locked", "logout", "session_expired",
           "user_add", "user_disable", "user_enable", "user_reset", "user_role", "backup_restored", "quality_review",
           "mapping_add", "mapping_remove")


def as_json(state: dict[str, Any] | None) -> str | None:
    """A before or after state as JSON text, Chinese kept readable; dates as ISO text."""
    if state is None:
        return None
    return json.dumps(state, ensure_ascii=False, sort_keys=True, default=str)


def record(con: duckdb.DuckDBPyConnection, actor: str, action: str, *, submission_id: int | None = None,
           target: str | None = None, detail: str | None = None, before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None, at: dt.datetime | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action}")
    con.execute("INSERT INTO audit_log (logged_at, actor, action, submission_id, detail, target, before_json, "
                "after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [at or clock.now(), actor, action, submission_id, detail, target, as_json(before), as_json(after)])
