"""Single sign-on, end to end in Chromium: a real OpenID Connect provider process (oidc-provider-mock), the real
dashboard configured for it through a secrets file, Streamlit's own st.login. The provider's `groups` claim gives
the role (data/access.toml [sso]); the account is made at the first login, its role follows the provider, a
reload keeps the login, 退出登录 ends it, and an administrator's 停用 refuses the next sign-on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from store import Store, accounts
from store.access import operator
from tests.streamlit_server import chromium, free_port, serve

pytestmark = pytest.mark.browser

SSO_TABLE = """
[sso]
role_claim = "groups"
default_role = ""            # nobody the provider knows gets in without a mapped group
[sso.roles]
"tfm-admin" = "admin"
"tfm-analyst" = "analyst"
"""
USERS = [{"sub": "s-001", "preferred_username": "zhang.san", "name": "张三", "groups": ["staff", "tfm-admin"]},
         {"sub": "s-002", "preferred_username": "li.si", "name": "李四", "groups": ["staff"]}]


@pytest.fixture
def provider(tmp_path) -> str:
    """oidc-provider-mock on a free port, with two predefined users; its base URL."""
    port = free_port()
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)]
    for user in USERS:
        args += ["--user-claims", json.dumps(user, ensure_ascii=False)]
    with open(tmp_path / "provider.log", "wb") as log:  # the child keeps its own handle
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        start = time.time()
        while True:
            try:
                urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.time() - start > 60:
                    raise RuntimeError((tmp_path / "provider.log").read_text(errors="replace")) from None
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def secrets_file(folder: Path, provider: str) -> Path:
    path = folder / "secrets.toml"
    path.write_text(f"""[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "{os.urandom(16).hex()}"
client_id = "tfm-dashboard"
client_secret = "{os.urandom(16).hex()}"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""", encoding="utf-8")
    return path


def audit(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT actor, action, target, detail FROM audit_log ORDER BY logged_at, rowid").fetchall()


def sign_on(page, url: str, who: str) -> None:
    """The sidebar's 统一身份认证登录 → the provider's page → the user's button → back on the dashboard."""
    page.goto(url + "/")
    page.get_by_role("button", name="统一身份认证登录").click()
    page.get_by_role("button", name=who).click(timeout=60_000)
    page.wait_for_url(f"{url}/**", timeout=60_000)


def test_a_single_sign_on_round_trip_in_chromium(provider, demo_copy, data_copy, tmp_path):
    (data_copy / "access.toml").write_text((data_copy / "access.toml").read_text(encoding="utf-8") + SSO_TABLE,
                                           encoding="utf-8")
    options = ("--secrets.files", str(secrets_file(tmp_path, provider)))
    with serve(demo_copy, env={"TFM_DATA_DIR": str(data_copy)}, options=options) as server, chromium() as browser:
        url = server.url
        page = browser.new_page()
        sign_on(page, url, "s-001")
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("已登录：zhang.san").wait_for(timeout=60_000)
        assert "管理" in sidebar.inner_text() and "统一身份认证" in sidebar.inner_text()
        # The account exists now, made by the sign-on, with the role the provider's group gives.
        made = accounts.get(Store(demo_copy), "zhang.san")
        assert made is not None and made.role == "admin" and made.origin == "sso"
        # An administrator's pages are there (the audit page), and a reload keeps the login.
        sidebar.get_by_role("link", name="审计日志").wait_for(timeout=30_000)
        page.reload()
        sidebar.get_by_text("已登录：zhang.san").wait_for(timeout=60_000)
        # No password can open an account the provider vouches for.
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(Store(demo_copy), "zhang.san", accounts.SSO_HASH)

        sidebar.get_by_role("button", name="退出登录").click()
        # Streamlit signs out at the provider too (its end_session page), which sends the browser back.
        page.get_by_role("button", name="End session").click(timeout=60_000)
        sidebar.get_by_role("button", name="统一身份认证登录").wait_for(timeout=60_000)
        assert "已登录" not in sidebar.inner_text()

        # A user whose groups map to no role is refused with a Chinese sentence, and stays anonymous. (Each next
        # user in the same tab, without the cookies of the one before: a new browser context costs a renderer.)
        other = page
        other.context.clear_cookies()
        sign_on(other, url, "s-002")
        other.get_by_text("尚未开通本系统权限").wait_for(timeout=60_000)
        assert "已登录" not in other.locator('[data-testid="stSidebar"]').inner_text()
        assert accounts.get(Store(demo_copy), "li.si") is None

        # Disabled by an administrator (another one: the last administrator cannot be disabled), the provider's
        # word no longer opens the dashboard.
        accounts.add(Store(demo_copy), operator(), "管理员乙", "admin", "初始密码-2026")
        accounts.set_active(Store(demo_copy), operator(), "zhang.san", False)
        again = page
        again.context.clear_cookies()
        sign_on(again, url, "s-001")
        again.get_by_text("已被管理员停用").wait_for(timeout=60_000)
        assert "已登录" not in again.locator('[data-testid="stSidebar"]').inner_text()

    rows = audit(demo_copy)
    mine = [(actor, action) for actor, action, target, _ in rows if target == "zhang.san"]
    assert mine == [("统一身份认证", "user_add"), ("zhang.san", "login"),
                    ("zhang.san", "login_failed"),  # the password tried above
                    ("zhang.san", "logout"), (operator().name, "user_disable"),
                    ("zhang.san", "login_failed")]  # and the reload was not another login
    assert ("li.si", "login_failed", "li.si") in [r[:3] for r in rows]
