"""Local accounts: the `python -m loaders users` command line (in-process, real DuckDB files), argon2 hashes,
the lockout after 5 failed logins, browser sessions that end after 8 idle hours, at logout or when disabled."""

from __future__ import annotations

import datetime as dt
import io
import json
import os

import duckdb
import pytest
from argon2 import PasswordHasher

from domain import clock
from domain.errors import UserError
from loaders.__main__ import main
from store import Store, accounts
from store.access import SsoSettings, operator, sso_settings

pytestmark = pytest.mark.usefixtures("cheap_hashes")

PASSWORD = "初始密码-2026"
T0 = dt.datetime(2026, 11, 3, 9, 0)


def users(monkeypatch, capsys, db, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    """`python -m loaders users …` in this process, with `stdin` as standard input."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["users", *argv, "--db", str(db)])
    out = capsys.readouterr()
    return code, out.out, out.err


def audit_rows(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT actor, action, target, detail, before_json, after_json FROM audit_log "
                           "ORDER BY logged_at, rowid").fetchall()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "t.duckdb"


def test_the_first_administrator_is_made_on_the_command_line(monkeypatch, capsys, db):
    code, out, _ = users(monkeypatch, capsys, db, "list")
    assert code == 0 and "还没有任何账号" in out and "--role admin" in out  # the demo and a new database have none

    code, out, _ = users(monkeypatch, capsys, db, "add", "王主任", "--role", "admin", stdin=PASSWORD + "\n")
    assert code == 0 and "已添加账号「王主任」：管理" in out
    code, out, _ = users(monkeypatch, capsys, db, "add", "李四", "--role", "analyst", "--unit", "江岸区",
                         stdin=PASSWORD + "\n")
    assert code == 0 and "报送地区江岸区" in out

    code, out, _ = users(monkeypatch, capsys, db, "list", "--json")
    listed = {r["name"]: r for r in json.loads(out)}
    assert listed["王主任"]["role"] == "admin" and listed["李四"]["unit"] == "江岸区" and listed["李四"]["status"] == "启用"

    with duckdb.connect(str(db), read_only=True) as con:
        hashes = [h for (h,) in con.execute("SELECT password_hash FROM users").fetchall()]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert len(set(hashes)) == 2  # salted: the same password hashes differently

    rows = audit_rows(db)
    assert [(r[1], r[2]) for r in rows] == [("user_add", "王主任"), ("user_add", "李四")]
    assert all(r[0].startswith("命令行（") for r in rows)  # the local operator, by its system user
    assert json.loads(rows[1][5]) == {"role": "analyst", "unit": "420102", "agency": None, "is_active": True}
    assert accounts.authenticate(Store(db), "王主任", PASSWORD).role == "admin"


def test_bad_input_is_refused_with_a_chinese_message(monkeypatch, capsys, db):
    assert users(monkeypatch, capsys, db, "add", "a", "--role", "viewer", stdin="short\n")[2].startswith("密码至少需要8")
    code, _, err = users(monkeypatch, capsys, db, "add", "命令行", "--role", "admin", stdin=PASSWORD + "\n")
    assert code == 2 and "不可用" in err
    code, _, err = users(monkeypatch, capsys, db, "add", "x", "--role", "analyst", "--unit", "火星区", stdin=PASSWORD)
    assert code == 2 and "不认识地区「火星区」" in err
    code, _, err = users(monkeypatch, capsys, db, "add", "y", "--role", "viewer", "--unit", "江岸区", stdin=PASSWORD)
    assert code == 2 and "只有填报" in err
    code, _, err = users(monkeypatch, capsys, db, "add", "z", "--role", "viewer")
    assert code == 2 and "没有从标准输入读到密码" in err
    users(monkeypatch, capsys, db, "add", "甲", "--role", "viewer", stdin=PASSWORD)
    code, _, err = users(monkeypatch, capsys, db, "add", "甲", "--role", "viewer", stdin=PASSWORD)
    assert code == 2 and "已存在" in err
    code, _, err = users(monkeypatch, capsys, db, "disable", "无此人")
    assert code == 2 and "没有账号「无此人」" in err


def test_five_failed_logins_lock_the_account_for_fifteen_minutes(monkeypatch, capsys, db):
    users(monkeypatch, capsys, db, "add", "李四", "--role", "analyst", stdin=PASSWORD)
    store = Store(db)
    with clock.frozen(T0):
        for _ in range(4):
            with pytest.raises(accounts.LoginRefused, match="用户名或密码不正确"):
                accounts.authenticate(store, "李四", "wrong-password")
        with pytest.raises(accounts.LoginRefused, match="锁定"):
            accounts.authenticate(store, "李四", "wrong-password")
    with clock.frozen(T0 + dt.timedelta(minutes=14)):
        with pytest.raises(accounts.LoginRefused, match="09:15后再试"):
            accounts.authenticate(store, "李四", PASSWORD)  # locked: even the right password
        assert "锁定至09:15" in users(monkeypatch, capsys, db, "list")[1]
    with clock.frozen(T0 + dt.timedelta(minutes=15, seconds=1)):
        assert accounts.authenticate(store, "李四", PASSWORD).name == "李四"

    actions = [(r[1], r[3]) for r in audit_rows(db) if r[1] != "user_add"]
    assert [a for a, _ in actions] == ["login_failed"] * 5 + ["login_locked", "login_failed", "login"]
    assert actions[4][1] == "密码错误（连续第5次）" and actions[5][1] == "连续5次登录失败，锁定15分钟"
    assert actions[6][1] == "账号锁定中"


def test_a_login_rehashes_a_password_set_at_a_weaker_cost(monkeypatch, capsys, db):
    """An account whose hash is weaker than the product's setting (made by an older release, or by the tests'
    make_account) gets the current cost at its next right login; a wrong password leaves the hash as it was."""
    users(monkeypatch, capsys, db, "add", "李四", "--role", "analyst", stdin=PASSWORD)  # at the cheap test cost
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher)  # the product's: the library's defaults
    store = Store(db)

    def stored() -> str:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT password_hash FROM users WHERE name = '李四'").fetchone()[0]

    weak = stored()
    assert PasswordHasher().check_needs_rehash(weak)
    with pytest.raises(accounts.LoginRefused):
        accounts.authenticate(store, "李四", "wrong-password")
    assert stored() == weak
    accounts.authenticate(store, "李四", PASSWORD)
    assert not PasswordHasher().check_needs_rehash(stored()) and PasswordHasher().verify(stored(), PASSWORD)
    accounts.authenticate(store, "李四", PASSWORD)  # the new hash verifies


def test_reset_lifts_a_lockout_and_unknown_or_disabled_accounts_get_the_same_answer(monkeypatch, capsys, db):
    users(monkeypatch, capsys, db, "add", "李四", "--role", "viewer", stdin=PASSWORD)
    store = Store(db)
    for _ in range(5):
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(store, "李四", "wrong-password")
    assert users(monkeypatch, capsys, db, "reset", "李四", stdin="新的密码-2026\n")[0] == 0
    assert accounts.authenticate(store, "李四", "新的密码-2026").role == "viewer"
    with pytest.raises(accounts.LoginRefused) as unknown:
        accounts.authenticate(store, "无此人", PASSWORD)
    users(monkeypatch, capsys, db, "disable", "李四")
    with pytest.raises(accounts.LoginRefused) as disabled:
        accounts.authenticate(store, "李四", "新的密码-2026")
    assert str(unknown.value) == str(disabled.value) == accounts.BAD_LOGIN
    details = [(r[0], r[3]) for r in audit_rows(db) if r[1] == "login_failed"]
    assert ("无此人", "账号不存在") in details and ("李四", "账号已停用") in details
    users(monkeypatch, capsys, db, "enable", "李四")
    assert accounts.authenticate(store, "李四", "新的密码-2026").name == "李四"


def test_a_session_ends_after_eight_idle_hours_at_logout_and_when_disabled(db):
    store = Store(db)
    me = operator()
    accounts.add(store, me, "李四", "analyst", PASSWORD)
    with clock.frozen(T0):
        token = accounts.open_session(store, accounts.authenticate(store, "李四", PASSWORD))
    with clock.frozen(T0 + dt.timedelta(hours=7, minutes=59)):
        assert accounts.resume_session(store, token).name == "李四"  # used: idle time starts again
    with clock.frozen(T0 + dt.timedelta(hours=15, minutes=58)):
        assert accounts.resume_session(store, token) is not None
    with clock.frozen(T0 + dt.timedelta(hours=24)):
        assert accounts.resume_session(store, token) is None  # 8 h 2 min idle
        assert accounts.resume_session(store, token) is None
    assert accounts.resume_session(store, "not-a-token") is None

    second = accounts.open_session(store, accounts.authenticate(store, "李四", PASSWORD))
    accounts.end_session(store, second)
    assert accounts.resume_session(store, second) is None
    third = accounts.open_session(store, accounts.authenticate(store, "李四", PASSWORD))
    accounts.set_active(store, me, "李四", False)
    assert accounts.resume_session(store, third) is None

    with duckdb.connect(str(db), read_only=True) as con:
        stored = {t for (t,) in con.execute("SELECT token_sha256 FROM sessions").fetchall()}
    assert token not in stored and len(stored) == 3  # only digests are kept
    actions = [r[1] for r in audit_rows(db)]
    assert actions.count("session_expired") == 1 and actions.count("logout") == 1 and "user_disable" in actions


def test_a_login_on_a_database_that_does_not_exist_creates_nothing(tmp_path):
    store = Store(tmp_path / "none.duckdb")
    with pytest.raises(UserError):
        accounts.authenticate(store, "谁", PASSWORD)
    assert not store.path.exists()


def test_access_settings_are_checked(tmp_path, monkeypatch):
    from store.access import settings

    (tmp_path / "access.toml").write_text("[access]\nanonymous_viewing = false\nidle_hours = 0.5\n", encoding="utf-8")
    monkeypatch.setenv("TFM_DATA_DIR", str(tmp_path))
    s = settings()
    assert not s.anonymous_viewing and s.idle_hours == 0.5 and s.max_failed_logins == 5
    other = tmp_path / "bad"
    other.mkdir()
    (other / "access.toml").write_text('[access]\nanonymous_viewing = "yes"\n', encoding="utf-8")
    monkeypatch.setenv("TFM_DATA_DIR", str(other))
    with pytest.raises(UserError, match="anonymous_viewing"):
        settings()


# -- single sign-on: the account a provider's identity becomes ------------------------------------------------

SSO = SsoSettings(role_claim="groups", roles=(("tfm-admin", "admin"), ("tfm-analyst", "analyst")), default_role="")


def test_a_sign_on_makes_the_account_and_its_role_follows_the_provider(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    claims = {"sub": "1", "preferred_username": "wang.wu", "groups": ["staff", "tfm-analyst"], "iat": 1_790_000_000}
    actor = accounts.sso_sign_in(store, claims, SSO)
    assert (actor.name, actor.role) == ("wang.wu", "analyst")
    assert accounts.get(store, "wang.wu").origin == "sso"
    # The administrator limits the analyst to one agency; the scope outlives a reload of the same identity.
    accounts.set_role(store, operator(), "wang.wu", "analyst", agency="市财政局")
    assert accounts.sso_sign_in(store, claims, SSO).agency == "市财政局"
    # Both groups: the higher role; a promotion drops the analyst's scope, and the audit log says so.
    promoted = accounts.sso_sign_in(store, {**claims, "groups": ["tfm-admin", "tfm-analyst"], "iat": 1_790_000_100},
                                    SSO)
    assert (promoted.role, promoted.agency) == ("admin", None)
    rows = accounts.audit_entries(store, operator()).reverse().to_dicts()
    changes = [(r["actor"], r["action"], json.loads(r["after_json"])["role"]) for r in rows if r["action"].startswith("user_")]
    assert changes == [("统一身份认证", "user_add", "analyst"), (operator().name, "user_role", "analyst"),
                       ("统一身份认证", "user_role", "admin")]
    # One login row per identity token: the second sign-on with the first token (a reload) added none.
    assert [r["action"] for r in rows].count("login") == 2


def test_a_sign_on_is_refused_without_a_role_a_name_or_over_a_local_account(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    accounts.add(store, operator(), "zhao", "viewer", PASSWORD)
    with pytest.raises(accounts.LoginRefused, match="尚未开通本系统权限"):
        accounts.sso_sign_in(store, {"sub": "2", "email": "a@b.cn", "groups": "staff"}, SSO)
    assert accounts.sso_sign_in(store, {"sub": "2", "email": "a@b.cn"}, SsoSettings()).role == "viewer"  # the default
    with pytest.raises(accounts.LoginRefused, match="没有提供可用的用户名"):
        accounts.sso_sign_in(store, {"sub": "<script>", "groups": ["tfm-admin"]}, SSO)
    with pytest.raises(accounts.LoginRefused, match="已被本系统的本地账号使用"):
        accounts.sso_sign_in(store, {"sub": "zhao", "groups": ["tfm-admin"]}, SSO)
    assert accounts.get(store, "zhao").role == "viewer"  # the provider did not promote a local account
    with pytest.raises(UserError, match="统一身份认证登录"):
        accounts.reset_password(store, operator(), "a@b.cn", "新的密码-2026")
    failed = [r["detail"] for r in accounts.audit_entries(store, operator(), actions=["login_failed"]).to_dicts()]
    assert len(failed) == 3


def test_the_sso_settings_are_read_from_access_toml(data_copy, monkeypatch):
    monkeypatch.setenv("TFM_DATA_DIR", str(data_copy))
    path = data_copy / "access.toml"
    path.write_text(path.read_text(encoding="utf-8") + '[sso]\nrole_claim = "roles"\n[sso.roles]\n"看板管理员" = "admin"\n',
                    encoding="utf-8")
    rules = sso_settings()
    assert rules.role_of({"roles": ["看板管理员"]}) == "admin" and rules.role_of({"roles": "其他"}) == "viewer"
    path.write_text(path.read_text(encoding="utf-8").replace('= "admin"', '= "boss"'), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))  # an edit within the same tick
    with pytest.raises(UserError, match="角色只能是"):
        sso_settings()
