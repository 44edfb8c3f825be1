"""账号管理 (/users): administrators add accounts, change a role and scope, disable, enable and reset; every
action goes through the store (which checks who asks) and the audit log; others are refused the page."""

from __future__ import annotations

import pytest

from domain.errors import UserError
from store import Store, accounts
from store.access import operator

pytestmark = pytest.mark.usefixtures("cheap_hashes")


def flashed(at) -> str:
    return " ".join(m.value for m in [*at.success, *at.error])


def test_an_administrator_manages_accounts_from_the_page(open_page, sign_in, demo_copy):
    at = sign_in(open_page(None, db=demo_copy), demo_copy, "admin", name="王主任")
    at.switch_page("pages/users.py").run()
    assert [t.value for t in at.title] == ["账号管理"]
    table = at.dataframe[0].value
    assert list(table["用户名"]) == ["王主任"] and list(table["角色"]) == ["管理"]

    # Add an analyst limited to one agency; the password typed twice.
    at.radio(key="add_role").set_value("analyst").run()
    at.text_input(key="add_name").input("财政小李")
    at.selectbox(key="add_agency").set_value("市财政局")
    at.text_input(key="add_password").input("初始密码-2026")
    at.text_input(key="add_password2").input("初始密码-2026")
    at.button(key="FormSubmitter:add_user-添加账号").click().run()
    assert "已添加账号「财政小李」" in flashed(at), flashed(at)
    made = accounts.get(Store(demo_copy), "财政小李")
    assert (made.role, made.agency, made.unit) == ("analyst", "市财政局", None)
    assert accounts.authenticate(Store(demo_copy), "财政小李", "初始密码-2026").agency == "市财政局"

    # A mistyped second password adds nothing and says why.
    at.text_input(key="add_name").input("张三")
    at.text_input(key="add_password").input("初始密码-2026")
    at.text_input(key="add_password2").input("初始密码-2027")
    at.button(key="FormSubmitter:add_user-添加账号").click().run()
    assert "两次输入的密码不一致" in flashed(at) and accounts.get(Store(demo_copy), "张三") is None

    # Change it to a unit-limited analyst, then disable it (only after ticking the confirmation).
    at.selectbox(key="change_name").set_value("财政小李").run()
    at.selectbox(key="change_财政小李_unit").set_value("江岸区")
    at.selectbox(key="change_财政小李_agency").set_value("不限")
    at.button(key="save_role").click().run()
    changed = accounts.get(Store(demo_copy), "财政小李")
    assert (changed.unit, changed.agency) == ("420102", None), flashed(at)
    assert at.button(key="disable").disabled
    at.checkbox(key="disable_sure").check().run()
    at.button(key="disable").click().run()
    assert not accounts.get(Store(demo_copy), "财政小李").is_active
    at.button(key="enable").click().run()
    assert accounts.get(Store(demo_copy), "财政小李").is_active

    # Every action is in the audit log under the administrator's name.
    rows = accounts.audit_entries(Store(demo_copy), operator(), actor="王主任").to_dicts()
    assert {r["action"] for r in rows} >= {"user_add", "user_role", "user_disable", "user_enable"}

    # Their own account cannot be disabled or demoted from the page; the store refuses the last admin anyway.
    at.selectbox(key="change_name").set_value("王主任").run()
    assert at.button(key="save_role").disabled and at.checkbox(key="disable_sure").disabled
    with pytest.raises(UserError, match="最后一个启用的管理账号"):
        accounts.set_active(Store(demo_copy), operator(), "王主任", False)
    assert accounts.get(Store(demo_copy), "王主任").is_active


@pytest.mark.parametrize("role", [None, "viewer", "analyst"])
def test_only_administrators_see_or_open_the_accounts_page(open_page, sign_in, demo_copy, role):
    at = open_page(None, db=demo_copy)
    if role:
        sign_in(at, demo_copy, role)
    assert "账号管理" not in [link.label for link in at.sidebar.get("page_link")]
    at.switch_page("pages/users.py").run()
    assert any("账号管理仅管理员可用" in e.value for e in at.error) and not at.dataframe
