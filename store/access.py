"""Who may write what: the acting user (`Actor`), the three roles, the access settings, and the checks every
write makes inside its own transaction (so hiding a button is never the only guard).

Roles: 查看 viewer (every page, no writes), 填报 analyst (upload; withdraw their own submissions; with a
unit, only that unit's figures; with an agency, only the figures that agency reports), 管理 admin
(everything, and the accounts). Two more identities never log in: the anonymous visitor (reads, when data/access.toml allows it) and the local operator, the command line
run by someone who can open the database file and so could write it anyway.
"""

from __future__ import annotations

import getpass
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from domain.errors import UserError
from domain.registry import data_dir

ROLES = ("viewer", "analyst", "admin")
ROLE_LABELS = {"viewer": "查看", "analyst": "填报", "admin": "管理", "anonymous": "未登录", "operator": "命令行"}
ANONYMOUS_NAME = "匿名"
OPERATOR_NAME = "命令行"
SSO_NAME = "统一身份认证"  # the audit log's actor for what the single sign-on provider changed (a role)
CHECKIN_TABLE = "task_checkins"  # the rows of task check-ins (loaders/checkins.py), written like register rows
RESERVED_NAMES = (ANONYMOUS_NAME, OPERATOR_NAME, "系统", SSO_NAME)


class AccessDenied(UserError):
    """A write the acting user may not make; the message says why and whom to ask."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str  # viewer | analyst | admin | anonymous | operator
    unit: str | None = None  # region code an analyst is limited to
    agency: str | None = None  # reporting agency (a unit's current name) an analyst is limited to

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


@dataclass(frozen=True)
class SsoSettings:
    """How a single sign-on identity (st.login, configured in .streamlit/secrets.toml) becomes an account:
    its name is the first of `name_claims` the provider sends; its role follows `role_claim` through `roles`
    at every login (the highest wins when the claim lists several); `default_role` for a user the map does
    not name ("" refuses them)."""
    name_claims: tuple[str, ...] = ("preferred_username", "email", "sub")
    role_claim: str = "groups"
    roles: tuple[tuple[str, str], ...] = ()
    default_role: str = "viewer"
    button_label: str = "统一身份认证登录"

    def role_of(self, claims: dict) -> str | None:
        value = claims.get(self.role_claim)
        values = value if isinstance(value, list) else [value] if value is not None else []
        mapped = {role for claim, role in self.roles if claim in {str(v) for v in values}}
        for role in reversed(ROLES):  # admin, analyst, viewer: the highest the provider grants
            if role in mapped:
                return role
        return self.default_role or None

    def name_of(self, claims: dict) -> str | None:
        return next((str(claims[c]) for c in self.name_claims if claims.get(c)), None)


def sso_settings() -> SsoSettings:
    """The [sso] table of data/access.toml; the defaults above when it is absent."""
    path = data_dir() / "access.toml"
    return _sso_at(str(path), path.stat().st_mtime_ns if path.exists() else 0)


@cache
def _sso_at(path: str, _version: int) -> SsoSettings:
    file = Path(path)
    table = tomllib.loads(file.read_text(encoding="utf-8")).get("sso", {}) if file.exists() else {}
    defaults = SsoSettings()
    roles = table.get("roles", {})
    bad = sorted(f"{k} = {v}" for k, v in roles.items() if v not in ROLES)
    if bad or (table.get("default_role", "viewer") not in (*ROLES, "")):
        raise UserError(f"{file.name}：[sso] 的角色只能是 {'、'.join(ROLES)}（default_role 也可为空，表示拒绝），"
                        f"现为 {'、'.join(bad) or table.get('default_role')}。请改正后重启。")
    unknown = sorted(set(table) - {"name_claims", "role_claim", "roles", "default_role", "button_label"})
    if unknown:
        raise UserError(f"{file.name}：[sso] 中没有设置项 {'、'.join(unknown)}。")
    return SsoSettings(name_claims=tuple(table.get("name_claims", defaults.name_claims)),
                       role_claim=str(table.get("role_claim", defaults.role_claim)),
                       roles=tuple(sorted(roles.items())),
                       default_role=str(table.get("default_role", defaults.default_role)),
                       button_label=str(table.get("button_label", defaults.button_label)))


# -- checks, inside the writing transaction ---------------------------------------------------------------


def current(con: duckdb.DuckDBPyConnection, actor: Actor) -> Actor:
    """The actor as the database knows them now: a user's role and unit are read again, so an account that was
    disabled or changed since the login loses its rights at once."""
    if not actor.is_user:
        return actor
    # fetchall: a half-read result would block the caller's next query on this cursor
    rows = con.execute("SELECT role, unit, is_active, agency FROM users WHERE name = ?", [actor.name]).fetchall()
    row = rows[0] if rows else None
    if row is None or not row[2]:
        raise AccessDenied(f"账号「{actor.name}」不存在或已停用，不能写入。请重新登录，或联系管理员。")
    return Actor(actor.name, row[0], row[1], row[3])


def _no_writes(actor: Actor) -> AccessDenied:
    if actor.role == "anonymous":
        return AccessDenied("请先登录：未登录时只能查看，不能上传、撤销或清除数据。")
    return AccessDenied(f"账号「{actor.name}」是查看账号，只能查看，不能上传、撤销或清除数据。如需填报，请联系管理员。")


def owners(indicators: Iterable[str], registers: Iterable[str] | Mapping[str, Any]) -> dict[str, str]:
    """Each indicator's and register's name → the agency that reports it, by the agency's current name
    (data/units.toml), so an account limited to 人行湖北省分行 also owns what the registry still files under
    人行武汉分行营管部."""
    from domain.registry import default_registry
    from domain.tasks import default_tasks

    registry, names = default_registry(), default_tasks().names
    out = {}
    for code in indicators:
        if code in registry.indicators:
            ind = registry.indicators[code]
            out[ind.name_zh] = names.get(ind.source, ind.source)
    for table in registers:
        if table in registry.registers:
            reg = registry.registers[table]
            out[reg.label] = names.get(reg.agency, reg.agency)
    # Task check-ins are their reporting unit's own: an account limited to an agency reports only its tasks.
    checkins = registers.get(CHECKIN_TABLE) if isinstance(registers, dict) else None
    if checkins is not None and "unit" in getattr(checkins, "columns", ()):
        for unit in sorted(set(checkins["unit"])):
            out[f"{unit}的任务进展"] = unit
    return out


def _short(items: list[str]) -> str:
    return "、".join(items[:5]) + ("等" if len(items) > 5 else "")


def scope_refusal(actor: Actor, regions: Iterable[str | None], name: Callable[[str], str] = str,
                  owned_by: dict[str, str] | None = None) -> str | None:
    """Why a scoped analyst may not load these figures; None when they may. `regions`: the region codes the
    file carries; `owned_by`: what it carries → its reporting agency (`owners`)."""
    if actor.role != "analyst":
        return None
    if actor.unit is not None:
        others = sorted({r or "未注明地区" for r in regions} - {actor.unit})
        if others:
            return (f"账号「{actor.name}」只能报送{name(actor.unit)}的数据，但文件含有{_short([name(r) for r in others])}"
                    f"的数字。请只上传本单位的报表；全市汇总表请由不限单位的填报账号上传。")
    if actor.agency is not None:
        by_agency: dict[str, list[str]] = {}
        for what, agency in sorted((owned_by or {}).items()):
            if agency != actor.agency:
                by_agency.setdefault(agency, []).append(what)
        if by_agency:
            shown = "；".join(f"{agency}报送的{_short(items)}" for agency, items in sorted(by_agency.items()))
            return (f"账号「{actor.name}」只能报送{actor.agency}负责的数据，但文件含有{shown}。"
                    "请只上传本机构的报表；其他机构的数据请由该机构的填报账号或管理员上传。")
    return None


def require_upload(con: duckdb.DuckDBPyConnection, actor: Actor, regions: Iterable[str | None],
                   owned_by: dict[str, str] | None = None) -> Actor:
    actor = current(con, actor)
    if actor.role in ("anonymous", "viewer"):
        raise _no_writes(actor)
    refusal = scope_refusal(actor, regions, owned_by=owned_by)
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
