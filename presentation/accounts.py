"""Accounts as the administrators' page (账号管理) shows them: one row per account, in Chinese."""

from __future__ import annotations

import datetime as dt

import polars as pl

from domain.model import Registry
from store.access import ROLE_LABELS
from store.accounts import Account

NO_LIMIT = "不限"
HEADINGS = ["用户名", "角色", "报送地区", "报送机构", "登录方式", "状态", "创建时间"]


def unit_label(code: str | None, registry: Registry) -> str:
    if code is None:
        return NO_LIMIT
    return registry.regions[code].name if code in registry.regions else code


def account_table(accounts: list[Account], registry: Registry, now: dt.datetime) -> pl.DataFrame:
    """Every account, with its scope and state (停用 / 锁定至HH:MM / 启用) at `now`."""
    rows = [[a.name, ROLE_LABELS[a.role], unit_label(a.unit, registry), a.agency or NO_LIMIT,
             "统一身份认证" if a.origin == "sso" else "本地密码", a.state_label(now), f"{a.created_at:%Y-%m-%d %H:%M}"]
            for a in accounts]
    return pl.DataFrame(rows, schema=HEADINGS, orient="row")


def account_choice(a: Account, registry: Registry) -> str:
    """How an account reads in the page's picker: 名字（角色，限江岸区）."""
    scope = [f"限{unit_label(a.unit, registry)}" if a.unit else "", f"限{a.agency}" if a.agency else "",
             "已停用" if not a.is_active else ""]
    extra = "，".join(x for x in scope if x)
    return f"{a.name}（{ROLE_LABELS[a.role]}{'，' + extra if extra else ''}）"
