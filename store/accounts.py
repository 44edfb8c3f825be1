"""Local accounts: adding, disabling and resetting them, logging in (with a lockout), browser sessions, and
reading the audit log. Every change and every login attempt leaves an audit row.

Passwords are hashed with argon2id (argon2-cffi, its RFC 9106 defaults); the database never sees one. A
browser session is a random token the browser keeps in a cookie; the database keeps only its sha256, so a
copy of the database opens no session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import cache

import polars as pl
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain import clock
from domain.errors import UserError
from store import access, audit
from store.access import ROLE_LABELS, ROLES, Actor
from store.database import Store

MIN_PASSWORD = 8
NAME_RULE = re.compile(r"[\w.\-]{1,32}")  # letters (Chinese too), digits, . _ -
SSO_NAME_RULE = re.compile(r"[\w.\-@]{1,64}")  # a provider's names are often e-mail addresses
TOUCH_EVERY = dt.timedelta(minutes=1)  # a session's last_seen_at is written at most this often
BAD_LOGIN = "用户名或密码不正确。"  # the same for an unknown name, a wrong password or a disabled account


class LoginRefused(UserError):
    """A login that did not succeed; the message is what the login form shows."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    unit: str | None
    is_active: bool
    failed_attempts: int
    locked_until: dt.datetime | None
    created_at: dt.datetime
    agency: str | None = None
    origin: str = "local"  # 'local' (password) or 'sso' (single sign-on: no password here)

    @property
    def actor(self) -> Actor:
        return Actor(self.name, self.role, self.unit, self.agency)

    def state_label(self, now: dt.datetime) -> str:
        """停用 / 锁定至HH:MM / 启用, as the account lists show it."""
        if not self.is_active:
            return "停用"
        if self.locked_until is not None and self.locked_until > now:
            return f"锁定至{self.locked_until:%H:%M}"
        return "启用"


_COLUMNS = "name, role, unit, is_active, failed_attempts, locked_until, created_at, agency, coalesce(origin, 'local')"
SSO_HASH = "sso:no-password"  # not an argon2 hash, so no password ever verifies against it


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _decoy_hash() -> str:
    # Verified against when the name is unknown, so that a wrong name takes as long as a wrong password.
    return _hasher().hash(secrets.token_hex(16))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"密码至少需要{MIN_PASSWORD}个字符。")


def _state(account: Account | None) -> dict | None:
    """What the audit log keeps of an account (never its hash)."""
    if account is None:
        return None
    return {"role": account.role, "unit": account.unit, "agency": account.agency, "is_active": account.is_active}


# -- administration ---------------------------------------------------------------------------------------


def get(store: Store, name: str) -> Account | None:
    if not store.path.exists():
        return None
    with store.connect() as con:
        row = con.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ?", [name]).fetchone()
    return None if row is None else Account(*row)


def list_accounts(store: Store) -> list[Account]:
    with store.connect() as con:
        return [Account(*row) for row in con.execute(f"SELECT {_COLUMNS} FROM users ORDER BY name").fetchall()]


def agencies() -> list[str]:
    """The agencies an analyst may be limited to: every agency that reports an indicator or a register, by
    its current name."""
    from domain.registry import default_registry

    registry = default_registry()
    return sorted(set(access.owners(registry.indicators, registry.registers).values()))


def _check_scope(role: str, unit: str | None, agency: str | None) -> None:
    if role not in ROLES:
        raise UserError(f"角色「{role}」不存在；可选 {'、'.join(f'{r}（{ROLE_LABELS[r]}）' for r in ROLES)}。")
    if (unit is not None or agency is not None) and role != "analyst":
        raise UserError("只有填报（analyst）账号可以限定报送单位或报送机构。")
    if agency is not None and agency not in agencies():
        raise UserError(f"报送机构「{agency}」没有负责任何指标或名录；可选：{'、'.join(agencies())}。")


def add(store: Store, by: Actor, name: str, role: str, password: str, unit: str | None = None,
        agency: str | None = None) -> Account:
    """A new account; `unit` (a region code) limits an analyst to that unit's figures, `agency` (a reporting
    agency's current name) to the indicators and registers that agency reports."""
    if not NAME_RULE.fullmatch(name) or name in access.RESERVED_NAMES or name.startswith(access.OPERATOR_NAME):
        raise UserError(f"用户名「{name}」不可用：请用1至32个汉字、字母、数字或 . _ -，且不用「匿名」「命令行」「系统」。")
    _check_scope(role, unit, agency)
    _check_password(password)
    digest = _hasher().hash(password)
    with store.transaction(data=False) as con:
        by = access.require_admin(con, by, "管理账号")
        if con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
            raise UserError(f"账号「{name}」已存在。重置密码请用 users reset，启用请用 users enable。")
        now = clock.now()
        con.execute("INSERT INTO users (name, role, unit, agency, password_hash, created_at, password_set_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", [name, role, unit, agency, digest, now, now])
        account = Account(name, role, unit, True, 0, None, now, agency)
        audit.record(con, by.name, "user_add", target=name, after=_state(account), at=now)
    return account


def _change(store: Store, by: Actor, name: str, action: str, sql: str, params: list, *,
            end_sessions: bool) -> Account:
    with store.transaction(data=False, sessions=True) as con:
        by = access.require_admin(con, by, "管理账号")
        row = con.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ?", [name]).fetchone()
        if row is None:
            raise UserError(f"没有账号「{name}」。用 users list 查看全部账号。")
        before = Account(*row)
        con.execute(sql, [*params, name])
        if end_sessions:
            con.execute("UPDATE sessions SET ended_at = ? WHERE user_name = ? AND ended_at IS NULL", [clock.now(), name])
        after = Account(*con.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ?", [name]).fetchone())
        if _active_admin(before) and not _active_admin(after):
            admins = con.execute("SELECT count(*) FROM users WHERE role = 'admin' AND is_active").fetchone()[0]
            if admins == 0:  # rolled back: nobody could manage the accounts from the dashboard any more
                raise UserError(f"「{name}」是最后一个启用的管理账号，不能停用或降级。请先添加或启用另一个管理账号。")
        audit.record(con, by.name, action, target=name, before=_state(before), after=_state(after))
    return after


def _active_admin(account: Account) -> bool:
    return account.role == "admin" and account.is_active


def set_active(store: Store, by: Actor, name: str, active: bool) -> Account:
    """Disable (its open sessions end at once) or enable an account; accounts are never deleted."""
    return _change(store, by, name, "user_enable" if active else "user_disable",
                   "UPDATE users SET is_active = ?, failed_attempts = 0, locked_until = NULL WHERE name = ?",
                   [active], end_sessions=not active)


def set_role(store: Store, by: Actor, name: str, role: str, unit: str | None = None,
             agency: str | None = None) -> Account:
    """A new role and scope; the account's open sessions end, so that it logs in again with them. A
    single-sign-on account's role follows the provider at its next login; its scope stays."""
    _check_scope(role, unit, agency)
    return _change(store, by, name, "user_role", "UPDATE users SET role = ?, unit = ?, agency = ? WHERE name = ?",
                   [role, unit, agency], end_sessions=True)


def reset_password(store: Store, by: Actor, name: str, password: str) -> Account:
    """A new password; it also lifts a lockout and ends the account's open sessions."""
    _check_password(password)
    account = get(store, name)
    if account is not None and account.origin == "sso":
        raise UserError(f"账号「{name}」通过统一身份认证登录，本系统不保存其密码；请在单位的认证系统中处理。")
    return _change(store, by, name, "user_reset",
                   "UPDATE users SET password_hash = ?, password_set_at = ?, failed_attempts = 0, locked_until = NULL "
                   "WHERE name = ?", [_hasher().hash(password), clock.now()], end_sessions=True)


# -- logging in -------------------------------------------------------------------------------------------


def authenticate(store: Store, name: str, password: str) -> Actor:
    """The account's actor when the password is right; LoginRefused otherwise. Every attempt is logged;
    after `max_failed_logins` failures in a row the account is locked for `lockout_minutes`."""
    rules = access.settings()
    name = name.strip()
    row = None
    if store.path.exists() and name:
        with store.connect() as con:
            row = con.execute("SELECT password_hash, is_active, locked_until, coalesce(origin, 'local') = 'sso' "
                              "FROM users WHERE name = ?", [name]).fetchone()
    now = clock.now()
    if row is not None and row[2] is not None and row[2] > now:
        _log(store, name, "login_failed", "账号锁定中")
        raise LoginRefused(f"账号已因连续{rules.max_failed_logins}次登录失败被锁定，请在{row[2]:%H:%M}后再试，"
                           "或请管理员重置密码。")
    try:  # verified outside any transaction: argon2 takes a while and writers should not wait for it
        _hasher().verify(row[0] if row else _decoy_hash(), password)
        right = row is not None
    except (VerificationError, InvalidHashError):
        right = False
    if row is None or not row[1] or row[3]:
        why = "账号不存在" if row is None else "账号已停用" if not row[1] else "统一身份认证账号不能用密码登录"
        _log(store, name or "（空）", "login_failed", why)
        raise LoginRefused(BAD_LOGIN)
    if not right:
        locked_until = None
        with store.transaction(data=False) as con:
            failed = con.execute("UPDATE users SET failed_attempts = failed_attempts + 1 WHERE name = ? "
                                 "RETURNING failed_attempts", [name]).fetchone()[0]
            audit.record(con, name, "login_failed", target=name, detail=f"密码错误（连续第{failed}次）",
                         after={"failed_attempts": failed})
            if failed >= rules.max_failed_logins:
                locked_until = now + dt.timedelta(minutes=rules.lockout_minutes)
                con.execute("UPDATE users SET failed_attempts = 0, locked_until = ? WHERE name = ?",
                            [locked_until, name])
                audit.record(con, name, "login_locked", target=name,
                             detail=f"连续{failed}次登录失败，锁定{rules.lockout_minutes:g}分钟",
                             before={"locked_until": None}, after={"locked_until": locked_until})
        if locked_until is not None:
            raise LoginRefused(f"密码错误。账号已因连续{rules.max_failed_logins}次登录失败被锁定，"
                               f"请在{locked_until:%H:%M}后再试，或请管理员重置密码。")
        raise LoginRefused(BAD_LOGIN)
    with store.transaction(data=False) as con:
        role, unit, agency = con.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE name = ? "
                                         "RETURNING role, unit, agency", [name]).fetchone()
        if _hasher().check_needs_rehash(row[0]):  # the library's defaults grew stronger since it was set
            con.execute("UPDATE users SET password_hash = ? WHERE name = ?", [_hasher().hash(password), name])
        audit.record(con, name, "login", target=name)
    return Actor(name, role, unit, agency)


def sso_sign_in(store: Store, claims: dict, rules: access.SsoSettings | None = None) -> Actor:
    """The account of a user the single sign-on provider vouched for (st.login): made at the first login, its
    role set from the provider's claim at every login (a change is audited before → after). Refused, and
    logged, when the provider sends no usable name, the claim maps to no role, the name belongs to a local
    account, or an administrator disabled the account."""
    rules = rules or access.sso_settings()
    name, role = rules.name_of(claims), rules.role_of(claims)
    if not name or not SSO_NAME_RULE.fullmatch(name) or name in access.RESERVED_NAMES:
        _log(store, name or "（空）", "login_failed", f"统一身份认证未提供可用的用户名（{'、'.join(rules.name_claims)}）")
        raise LoginRefused("统一身份认证没有提供可用的用户名，无法登录。请联系管理员。")
    if role is None:
        _log(store, name, "login_failed", f"统一身份认证的 {rules.role_claim} 未对应任何角色")
        raise LoginRefused(f"您的统一身份认证账号「{name}」尚未开通本系统权限，请联系管理员。")
    now = clock.now()
    with store.transaction(data=False) as con:
        row = con.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ?", [name]).fetchone()
        before = None if row is None else Account(*row)
        if before is not None and before.origin != "sso":
            audit.record(con, name, "login_failed", target=name, detail="同名本地账号已存在，统一身份认证登录被拒绝")
            refused = "local"
        elif before is not None and not before.is_active:
            audit.record(con, name, "login_failed", target=name, detail="账号已停用（统一身份认证）")
            refused = "disabled"
        else:
            refused = ""
            if before is None:
                con.execute("INSERT INTO users (name, role, password_hash, created_at, password_set_at, origin) "
                            "VALUES (?, ?, ?, ?, ?, 'sso')", [name, role, SSO_HASH, now, now])
            elif before.role != role:
                # A role the provider no longer grants takes the scope with it: a scope is an analyst's only.
                keep = role == "analyst"
                con.execute("UPDATE users SET role = ?, unit = ?, agency = ? WHERE name = ?",
                            [role, before.unit if keep else None, before.agency if keep else None, name])
            after = Account(*con.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ?", [name]).fetchone())
            if before is None or _state(before) != _state(after):
                audit.record(con, access.SSO_NAME, "user_add" if before is None else "user_role", target=name,
                             before=_state(before), after=_state(after), detail=f"{rules.role_claim} → {role}")
            # A reload starts a new browser session with the same identity: one login row per token issued.
            detail = f"统一身份认证（凭证签发于{_issued(claims)}）"
            seen = con.execute("SELECT 1 FROM audit_log WHERE action = 'login' AND target = ? AND detail = ? LIMIT 1",
                               [name, detail]).fetchall()
            if not seen:
                audit.record(con, name, "login", target=name, detail=detail)
    if refused == "local":
        raise LoginRefused(f"用户名「{name}」已被本系统的本地账号使用，不能通过统一身份认证登录。请联系管理员。")
    if refused == "disabled":  # the provider proved who they are: no reason to hide why
        raise LoginRefused(f"账号「{name}」已被管理员停用，不能登录。如需恢复，请联系管理员。")
    return after.actor


def _issued(claims: dict) -> str:
    iat = claims.get("iat")
    try:
        return f"{dt.datetime.fromtimestamp(float(iat)):%Y-%m-%d %H:%M:%S}"
    except (TypeError, ValueError, OverflowError, OSError):
        return "未知时间"


def record_sso_logout(store: Store, name: str) -> None:
    """退出登录 of a single sign-on user: Streamlit ends the identity; the audit log keeps the logout."""
    with store.transaction(data=False) as con:
        audit.record(con, name, "logout", target=name, detail="统一身份认证")


def _log(store: Store, actor: str, action: str, detail: str) -> None:
    if not store.path.exists():
        return  # no database yet: nothing to log into, and a login must not create one
    with store.transaction(data=False) as con:
        audit.record(con, actor, action, target=actor, detail=detail)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(store: Store, actor: Actor) -> str:
    """A new browser session for a logged-in account; the token goes into the browser's cookie."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with store.transaction(data=False) as con:
        con.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, NULL)", [_digest(token), actor.name, now, now])
    return token


def resume_session(store: Store, token: str) -> Actor | None:
    """The account behind a session token, or None when it ended, idled past `idle_hours`, or its account was
    disabled. Using a session keeps it alive."""
    if not token or not store.path.exists():
        return None
    digest = _digest(token)
    with store.connect() as con:
        row = con.execute("SELECT s.user_name, s.last_seen_at, u.role, u.unit, u.agency FROM sessions s "
                          "JOIN users u ON u.name = s.user_name "
                          "WHERE s.token_sha256 = ? AND s.ended_at IS NULL AND u.is_active", [digest]).fetchone()
    if row is None:
        return None
    name, last_seen, role, unit, agency = row
    now = clock.now()
    idle = dt.timedelta(hours=access.settings().idle_hours)
    if now - last_seen > idle:
        with store.transaction(data=False, sessions=True) as con:
            con.execute("UPDATE sessions SET ended_at = ? WHERE token_sha256 = ?", [now, digest])
            audit.record(con, name, "session_expired", target=name,
                         detail=f"{access.settings().idle_hours:g}小时未操作，自动退出（上次操作{last_seen:%Y-%m-%d %H:%M}）")
        return None
    if now - last_seen >= TOUCH_EVERY:
        with store.transaction(data=False) as con:
            con.execute("UPDATE sessions SET last_seen_at = ? WHERE token_sha256 = ?", [now, digest])
    return Actor(name, role, unit, agency)


def end_session(store: Store, token: str) -> None:
    """退出登录: the session ends here, whatever the browser still holds."""
    digest = _digest(token)
    with store.transaction(data=False, sessions=True) as con:
        row = con.execute("UPDATE sessions SET ended_at = ? WHERE token_sha256 = ? AND ended_at IS NULL "
                          "RETURNING user_name", [clock.now(), digest]).fetchone()
        if row is not None:
            audit.record(con, row[0], "logout", target=row[0])


# -- the audit log ----------------------------------------------------------------------------------------

AUDIT_COLUMNS = ["logged_at", "actor", "action", "target", "submission_id", "detail", "before_json", "after_json"]


def audit_entries(store: Store, viewer: Actor, *, actor: str | None = None, actions: list[str] | None = None,
                  start: dt.date | None = None, end: dt.date | None = None) -> pl.DataFrame:
    """Audit rows, newest first, for an administrator; filtered by who, which actions and a date range."""
    where, params = ["TRUE"], []
    if actor:
        where.append("actor = ?")
        params.append(actor)
    if actions:
        where.append(f"action IN ({', '.join('?' * len(actions))})")
        params += actions
    if start:
        where.append("logged_at >= ?")
        params.append(dt.datetime.combine(start, dt.time()))
    if end:
        where.append("logged_at < ?")
        params.append(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    with store.connect() as con:
        access.require_admin(con, viewer, "查看审计日志")
        return con.sql(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log WHERE {' AND '.join(where)} "
                       "ORDER BY logged_at DESC, rowid DESC", params=params).pl()


def audit_actors(store: Store, viewer: Actor) -> list[str]:
    """Everyone the audit log names, for the filter."""
    with store.connect() as con:
        access.require_admin(con, viewer, "查看审计日志")
        return [r[0] for r in con.execute("SELECT DISTINCT actor FROM audit_log ORDER BY actor").fetchall()]
