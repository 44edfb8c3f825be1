"""已核实: an analyst's review of a line of the 数据质量 page (a 合计 that does not add up, a figure that jumped),
kept in `quality_reviews` (migration 0005) with its note, and in the audit log.

Who may: 填报 (analyst) and 管理 (admin) accounts, and the command line; checked inside the writing transaction
(`require_review`), like every write of the store, so a page that shows the button is never the only guard. A
refusal leaves a `denied` audit row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from domain import clock
from domain.errors import UserError
from store import access, audit
from store.access import Actor
from store.database import Store

REVIEW_ROLES = ("analyst", "admin", "operator")
MAX_NOTE = 500

REVIEW_SCHEMA = {"line_key": pl.String, "kind": pl.String, "submission_id": pl.Int32, "indicator_code": pl.String,
                 "region_code": pl.String, "period": pl.Date, "summary": pl.String, "note": pl.String,
                 "reviewed_by": pl.String, "reviewed_at": pl.Datetime("us")}


@dataclass(frozen=True)
class Reviewed:
    """The line being marked, as the page shows it (the store does not compute lines: metrics.quality does)."""

    key: str
    kind: str
    submission_id: int | None
    indicator_code: str | None
    region_code: str | None
    period: dt.date | None
    summary: str


def require_review(con: duckdb.DuckDBPyConnection, actor: Actor) -> Actor:
    """Analysts, administrators and the command line may mark a line 已核实; a viewer or a visitor may not."""
    actor = access.current(con, actor)
    if actor.role not in REVIEW_ROLES:
        who = "请先登录填报或管理账号。" if actor.role == "anonymous" else f"账号「{actor.name}」是查看账号。"
        raise access.AccessDenied(f"只有填报或管理账号可以将数据质量问题标记为已核实；{who}")
    return actor


def mark_reviewed(store: Store, actor: Actor, line: Reviewed, note: str) -> str:
    """Keep `line` as reviewed by `actor` with `note`, and an audit row, in one transaction; the sentence to show."""
    note = note.strip()
    if not note:
        raise UserError("请填写核实说明（如：已与报送单位核对，数字无误）。")
    if len(note) > MAX_NOTE:
        raise UserError(f"核实说明最多{MAX_NOTE}个字，现为{len(note)}个字。")
    target = f"提交{line.submission_id}" if line.submission_id is not None else line.key
    try:
        with store.transaction() as con:  # data: the page's lists change, so the caches keyed on the revision go
            actor = require_review(con, actor)
            done = con.execute("SELECT reviewed_by, reviewed_at FROM quality_reviews WHERE line_key = ?",
                               [line.key]).fetchall()
            if done:
                by, at = done[0]
                raise UserError(f"该问题已由「{by}」于{at:%Y-%m-%d %H:%M}核实，无需重复标记。")
            now = clock.now()
            con.execute("INSERT INTO quality_reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [line.key, line.kind, line.submission_id, line.indicator_code, line.region_code, line.period,
                         line.summary, note, actor.name, now])
            audit.record(con, actor.name, "quality_review", submission_id=line.submission_id, target=target,
                         detail=f"{line.summary}｜核实说明：{note}", at=now, before={"reviewed": False},
                         after={"reviewed": True, "line": line.key, "note": note})
    except access.AccessDenied as e:
        with store.transaction(data=False) as con:
            audit.record(con, actor.name, "denied", target=target, detail=str(e))
        raise
    return f"已标记为已核实：{line.summary}"


def reviews(store: Store) -> pl.DataFrame:
    """Every review, newest first (an empty frame when there is no database yet)."""
    if not store.path.exists():
        return pl.DataFrame(schema=REVIEW_SCHEMA)
    with store.connect() as con:
        return con.sql("SELECT * FROM quality_reviews ORDER BY reviewed_at DESC, line_key").pl().cast(
            REVIEW_SCHEMA)  # type: ignore[arg-type]
