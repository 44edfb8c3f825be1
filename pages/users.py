"""账号管理 (administrators only): every account; add one, change its role and scope, disable or enable it,
reset its password. Each action is checked again by the store and leaves an audit row."""

from __future__ import annotations

import streamlit as st

from domain import clock
from domain.errors import UserError
from pages import account, common
from presentation.accounts import NO_LIMIT, account_choice, account_table
from presentation.fmt import md_text, num
from store import accounts
from store.access import ROLE_LABELS, ROLES

common.through_dashboard()  # a run Streamlit started on its own goes through dashboard.py

actor = account.who()
if actor.role != "admin":  # hidden from the others' navigation; this covers its address typed in
    st.error("账号管理仅管理员可用。请用管理账号在左侧登录。")
    st.stop()

store, reg = common.store(), common.registry()
st.title("账号管理")
st.caption("查看（只能浏览）、填报（上传、撤销本人的提交，可限定报送地区或报送机构）、管理（全部操作）。"
           "账号不删除，只停用；每项操作都记入审计日志。统一身份认证的账号在首次登录时自动建立，角色随认证系统。")

for kind, text in st.session_state.pop("users_flash", []):
    (st.success if kind == "ok" else st.error)(md_text(text))

every = accounts.list_accounts(store)
st.markdown(f"共 **{num(len(every), 0)}** 个账号。")
st.dataframe(account_table(every, reg, clock.now()), hide_index=True, width="stretch")

units = {NO_LIMIT: None} | {r.name: r.code for r in reg.regions.values()}
agencies = {NO_LIMIT: None} | {a: a for a in accounts.agencies()}


def _done(action, *args, ok: str) -> None:
    """Run one store action as this administrator; its message (or the refusal) shows after the rerun."""
    try:
        action(store, actor, *args)
        st.session_state.users_flash = [("ok", ok)]
    except UserError as e:
        st.session_state.users_flash = [("error", str(e))]
    st.rerun()


def _scope_inputs(prefix: str, role: str, current: accounts.Account | None = None) -> tuple[str | None, str | None]:
    if role != "analyst":
        st.caption("报送范围只对填报账号有效。")
        return None, None
    left, right = st.columns(2)
    unit_names, agency_names = list(units), list(agencies)
    unit = left.selectbox("报送地区", unit_names, key=f"{prefix}_unit",
                          index=unit_names.index(next((n for n, c in units.items() if current and c == current.unit),
                                                      NO_LIMIT)))
    agency = right.selectbox("报送机构", agency_names, key=f"{prefix}_agency",
                             index=agency_names.index(current.agency if current and current.agency in agencies
                                                      else NO_LIMIT))
    return units[unit], agencies[agency]


tab_add, tab_change = st.tabs(["添加账号", "修改账号"])

with tab_add:
    role = st.radio("角色", ROLES, format_func=ROLE_LABELS.__getitem__, horizontal=True, key="add_role", index=1)
    with st.form("add_user", clear_on_submit=True, border=False):
        name = st.text_input("用户名", key="add_name", max_chars=32, help="1至32个汉字、字母、数字或 . _ -")
        unit, agency = _scope_inputs("add", role)
        first = st.text_input("初始密码", type="password", key="add_password", help="至少8个字符；请当面或电话告知本人")
        second = st.text_input("再次输入初始密码", type="password", key="add_password2")
        if st.form_submit_button("添加账号", type="primary"):
            if first != second:
                st.session_state.users_flash = [("error", "两次输入的密码不一致，账号未添加。")]
                st.rerun()
            _done(accounts.add, name.strip(), role, first, unit, agency,
                  ok=f"已添加账号「{name.strip()}」（{ROLE_LABELS[role]}）。")

with tab_change:  # an administrator is logged in, so there is at least one account
    by_name = {a.name: a for a in every}
    chosen = by_name[st.selectbox("选择账号", list(by_name), key="change_name",
                                  format_func=lambda n: account_choice(by_name[n], reg))]
    if chosen.name == actor.name:
        st.caption("这是您自己的账号：不能在此停用或降级，以免没有管理员可用。")

    st.markdown("**角色与报送范围**")
    new_role = st.radio("角色", ROLES, format_func=ROLE_LABELS.__getitem__, horizontal=True,
                        key=f"role_{chosen.name}", index=ROLES.index(chosen.role))
    unit, agency = _scope_inputs(f"change_{chosen.name}", new_role, chosen)
    if st.button("保存角色与范围", key="save_role", disabled=chosen.name == actor.name):
        _done(accounts.set_role, chosen.name, new_role, unit, agency,
              ok=f"账号「{chosen.name}」已改为{ROLE_LABELS[new_role]}；其已登录的会话已退出。")

    st.markdown("**停用或启用**")
    if chosen.is_active:
        sure = st.checkbox(f"确认停用「{chosen.name}」：其已登录的会话立即退出，之后不能登录", key="disable_sure",
                           disabled=chosen.name == actor.name)
        if st.button("停用账号", key="disable", disabled=not sure):
            _done(accounts.set_active, chosen.name, False, ok=f"已停用账号「{chosen.name}」。")
    elif st.button("启用账号", key="enable"):
        _done(accounts.set_active, chosen.name, True, ok=f"已启用账号「{chosen.name}」。")

    if chosen.origin == "local":
        st.markdown("**重置密码**（同时解除锁定，已登录的会话全部退出）")
        with st.form("reset_password", clear_on_submit=True, border=False):
            first = st.text_input("新密码", type="password", key="reset_password1")
            second = st.text_input("再次输入新密码", type="password", key="reset_password2")
            if st.form_submit_button("重置密码"):
                if first != second:
                    st.session_state.users_flash = [("error", "两次输入的密码不一致，密码未改动。")]
                    st.rerun()
                _done(accounts.reset_password, chosen.name, first, ok=f"已重置账号「{chosen.name}」的密码。")
