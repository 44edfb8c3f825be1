"""Learned mappings in the store (migration 0007, domain/mappings.py): add an answer, list them, remove one.

Who may: answering a question is part of uploading, so 填报 (analyst) and 管理 (admin) accounts and the command
line may add; only administrators and the command line may remove (a wrong answer would silently mis-read every
later file of that agency, so taking one back is an administrator's decision). Checked inside the writing
transaction; a refusal leaves a `denied` audit row. Every add and remove has its audit row with before → after.
"""

from __future__ import annotations

import polars as pl

from domain import clock
from domain.errors import UserError
from domain.mappings import IGNORE, KINDS, Mapping, Mappings
from store import access, audit
from store.access import Actor
from store.database import Store

ANSWER_ROLES = ("analyst", "admin", "operator")
_COLUMNS = "id, kind, agency, text, key, target, created_by, created_at, file_name, cell"


def _label(kind: str, text: str, target: str) -> str:
    return f"{KINDS[kind]}「{text}」→ " + ("不导入" if target == IGNORE else f"「{target}」")


def learn(store: Store, actor: Actor, *, kind: str, text: str, key: str, target: str, agency: str = "",
          file_name: str | None = None, cell: str | None = None) -> Mapping:
    """Keep `actor`'s answer (`target` for the text normalised as `key`), replacing an earlier answer to the same
    question for the same agency; the mapping kept."""
    if kind not in KINDS:
        raise ValueError(f"unknown mapping kind {kind}")
    if not key.strip():
        raise UserError("空白的标题或名称不需要对应。")
    try:
        with store.transaction(data=False) as con:
            actor = access.current(con, actor)
            if actor.role not in ANSWER_ROLES:
                who = "请先登录填报或管理账号。" if actor.role == "anonymous" else f"账号「{actor.name}」是查看账号。"
                raise access.AccessDenied(f"只有填报或管理账号可以确认标题与名称的对应关系；{who}")
            old = con.execute("SELECT id, target FROM learned_mappings WHERE kind = ? AND agency = ? AND key = ? "
                              "AND removed_at IS NULL", [kind, agency, key]).fetchall()
            now = clock.now()
            for old_id, _ in old:
                con.execute("UPDATE learned_mappings SET removed_by = ?, removed_at = ? WHERE id = ?",
                            [actor.name, now, old_id])
            new_id = con.execute(
                "INSERT INTO learned_mappings (kind, agency, text, key, target, file_name, cell, created_by, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [kind, agency, text, key, target, file_name, cell, actor.name, now]).fetchone()[0]
            audit.record(con, actor.name, "mapping_add", target=f"对应{new_id}",
                         detail=_label(kind, text, target) + (f"（{agency}）" if agency else "（所有单位）"),
                         at=now, before={"target": old[0][1]} if old else None,
                         after={"kind": kind, "agency": agency, "text": text, "target": target, "file": file_name,
                                "cell": cell})
    except access.AccessDenied as e:
        with store.transaction(data=False) as con:
            audit.record(con, actor.name, "denied", target=_label(kind, text, target), detail=str(e))
        raise
    return Mapping(new_id, kind, agency, text, key, target, actor.name, now, file_name, cell)


def forget(store: Store, actor: Actor, mapping_id: int) -> str:
    """Remove a learned mapping (administrators); the sentence to show."""
    try:
        with store.transaction(data=False) as con:
            actor = access.require_admin(con, actor, "删除已记住的对应关系")
            row = con.execute("SELECT kind, agency, text, target FROM learned_mappings WHERE id = ? "
                              "AND removed_at IS NULL", [mapping_id]).fetchone()
            if row is None:
                raise UserError(f"对应关系{mapping_id}不存在或已删除。")
            kind, agency, text, target = row
            now = clock.now()
            con.execute("UPDATE learned_mappings SET removed_by = ?, removed_at = ? WHERE id = ?",
                        [actor.name, now, mapping_id])
            audit.record(con, actor.name, "mapping_remove", target=f"对应{mapping_id}",
                         detail=_label(kind, text, target), at=now,
                         before={"kind": kind, "agency": agency, "text": text, "target": target}, after=None)
    except access.AccessDenied as e:
        with store.transaction(data=False) as con:
            audit.record(con, actor.name, "denied", target=f"对应{mapping_id}", detail=str(e))
        raise
    return f"已删除对应关系：{_label(kind, text, target)}。此后的文件遇到它会重新询问。"


def mappings(store: Store) -> Mappings:
    """The active answers (none when there is no database yet)."""
    if not store.path.exists():
        return Mappings()
    with store.connect() as con:
        rows = con.execute(f"SELECT {_COLUMNS} FROM learned_mappings WHERE removed_at IS NULL ORDER BY id").fetchall()
    return Mappings(tuple(Mapping(*r) for r in rows))


def mapping_table(store: Store) -> pl.DataFrame:
    """The active answers as rows (id, kind, agency, text, target, by, at, file, cell), newest first."""
    items = mappings(store).items
    return pl.DataFrame([{"id": m.id, "kind": m.kind, "agency": m.agency, "text": m.text, "target": m.target,
                          "created_by": m.created_by, "created_at": m.created_at, "file_name": m.file_name,
                          "cell": m.cell} for m in reversed(items)],
                        schema={"id": pl.Int64, "kind": pl.String, "agency": pl.String, "text": pl.String,
                                "target": pl.String, "created_by": pl.String, "created_at": pl.Datetime("us"),
                                "file_name": pl.String, "cell": pl.String})
