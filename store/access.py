"""Who may write what: the acting user (`Actor`), the three roles, the access settings, and the checks every
write makes inside its own transaction (so hiding a button is never the only guard).

Roles: 查看 viewer (every page, no writes), 填报 analyst (upload; withdraw their own submissions; with a
unit, only that unit's figures), 管理 admin (everything, and the accounts). Two more identities never log
in: the anonymous visitor (reads, when data/access.toml allows it) and the local operator, the command line
run by someone who can open the database file and so could write it anyway.
"""

from __future__ import annotations

import getpass
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from domain.errors import UserError
from domain.registry import data_dir

ROLES = ("viewer", "analyst", "admin")
ROLE_LABELS = {"viewer": "查看", "analyst": "填报", "admin": "管理", "anonymous": "未登录", "operator": "命令行"}
ANONYMOUS_NAME = "匿名"
OPERATOR_NAME = "命令行"
RESERVED_NAMES = (ANONYMOUS_NAME, OPERATOR_NAME, "系统")


class AccessDenied(UserError):
    """A write the acting user may not make; the message says why and whom to ask."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str  # viewer | analyst | admin | anonymous | operator
    unit: str | None = None  # region code an analyst is limited to

    @property
    def is_user(self) -> bool:
        return self.role in ROLES

    @property
    def label(self) -> str:
        """账号名（角色）, as the sidebar shows it."""
        return f"{self.name}（{ROLE_LABELS[self.role]}）"


ANONYMOUS = Actor(ANONYMOUS_NAME, "anonymous")


def operator() -> Actor:
    """The command line: recorded as 命令行（the operating-system user who ran it）."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        who = "?"
    return Actor(f"{OPERATOR_NAME}（{who}）", "operator")


# -- settings ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessSettings:
    anonymous_viewing: bool = True
    idle_hours: float = 8.0
    max_failed_logins: int = 5
    lockout_minutes: float = 15.0


def settings() -> AccessSettings:
    """data/access.toml (in $TFM_DATA_DIR when set); the defaults above when the file is absent."""
    return _settings_at(str(data_dir() / "access.toml"))


@cache
def _settings_at(path: str) -> AccessSettings:
    file = Path(path)
    if not file.exists():
        return AccessSettings()
    try:
        table = tomllib.loads(file.read_text(encoding="utf-8")).get("access", {})
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"{file.name}：格式错误（{e}）。请按 README 的“账号与权限”一节改正后重启。") from e
    defaults = AccessSettings()
    values = {}
    for key, default in defaults.__dict__.items():
        value = table.get(key, default)
        if type(value) is not type(default) and not (isinstance(default, float) and type(value) is int):
            raise UserError(f"{file.name}：[access] {key} 应为{type(default).__name__}，现为「{value}」。请改正后重启。")
        values[key] = value
    unknown = sorted(set(table) - set(values))
    if unknown:
        raise UserError(f"{file.name}：[access] 中没有设置项 {'、'.join(unknown)}。可用的有：{'、'.join(values)}。")
    return AccessSettings(**values)


# -- checks, inside the writing transaction ---------------------------------------------------------------


def current(con: duckdb.DuckDBPyConnection, actor: Actor) -> Actor:
    """The actor as the database knows them now: a user's role and unit are read again, so an account that was
    disabled or changed since the login loses its rights at once."""
    if not actor.is_user:
        return actor
    # fetchall: a half-read result would block the caller's next query on this cursor
    rows = con.execute("SELECT role, unit, is_active FROM users WHERE name = ?", [actor.name]).fetchall()
    row = rows[0] if rows else None
    if row is None or not row[2]:
        raise AccessDenied(f"账号「{actor.name}」不存在或已停用，不能写入。请重新登录，或联系管理员。")
    return Actor(actor.name, row[0], row[1])


def _no_writes(actor: Actor) -> AccessDenied:
    if actor.role == "anonymous":
        return AccessDenied("请先登录：未登录时只能查看，不能上传、撤销或清除数据。")
    return AccessDenied(f"账号「{actor.name}」是查看账号，只能查看，不能上传、撤销或清除数据。如需填报，请联系管理员。")


def scope_refusal(actor: Actor, regions: Iterable[str | None], name: Callable[[str], str] = str) -> str | None:
    """Why a unit-scoped analyst may not load figures for these regions; None when they may."""
    if actor.role != "analyst" or actor.unit is None:
        return None
    others = sorted({r or "未注明地区" for r in regions} - {actor.unit})
    if not others:
        return None
    shown = "、".join(name(r) for r in others[:5]) + ("等" if len(others) > 5 else "")
    return (f"账号「{actor.name}」只能报送{name(actor.unit)}的数据，但文件含有{shown}的数字。"
            f"请只上传本单位的报表；全市汇总表请由不限单位的填报账号上传。")


def require_upload(con: duckdb.DuckDBPyConnection, actor: Actor, regions: Iterable[str | None]) -> Actor:
    actor = current(con, actor)
    if actor.role in ("anonymous", "viewer"):
        raise _no_writes(actor)
    refusal = scope_refusal(actor, regions)
    if refusal:
        raise AccessDenied(refusal)
    return actor


def require_withdraw(con: duckdb.DuckDBPyConnection, actor: Actor, submission_id: int) -> Actor:
    """Administrators and the operator withdraw anything; an analyst only what their own account uploaded."""
    actor = current(con, actor)
    if actor.role in ("anonymous", "viewer"):
        raise _no_writes(actor)
    if actor.role == "analyst":
        rows = con.execute("SELECT actor FROM audit_log WHERE action = 'ingest' AND submission_id = ? LIMIT 1",
                           [submission_id]).fetchall()
        row = rows[0] if rows else None
        if row is None or row[0] != actor.name:
            by = f"由「{row[0]}」上传" if row else "不是本账号上传的"
            raise AccessDenied(f"填报账号只能撤销自己上传的提交；提交{submission_id}{by}。请联系管理员撤销。")
    return actor


def require_admin(con: duckdb.DuckDBPyConnection, actor: Actor, what: str) -> Actor:
    actor = current(con, actor)
    if actor.role not in ("admin", "operator"):
        raise AccessDenied(f"只有管理员可以{what}。" + ("请先登录。" if actor.role == "anonymous" else ""))
    return actor
