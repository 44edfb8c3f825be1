"""`python -m loaders users add|disable|enable|reset|list`: local accounts, for administrators at the server.

The command line acts as the local operator (store.access.operator): whoever can run it can open the database
file anyway. Its changes are logged as 命令行（the operating-system user）. Passwords come from standard input,
never from the command line (where `ps` and the shell history would keep them).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from domain import clock
from domain.errors import UserError
from domain.registry import default_registry
from loaders.names import Matcher
from store import Store, accounts
from store.access import ROLE_LABELS, ROLES, operator
from store.cli import sub_command


def read_password(prompt: str = "新密码：") -> str:
    """A password from standard input: asked twice at a terminal, else its first line (for scripts: `echo … |`)."""
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("再输入一次：") != first:
            raise UserError("两次输入的密码不一致，账号未改动。")
        return first
    line = sys.stdin.readline()
    if not line:
        raise UserError("没有从标准输入读到密码。用法：echo '密码' | python -m loaders users add 名字 --role analyst")
    return line.rstrip("\r\n")


def _unit_code(name: str | None) -> str | None:
    if name is None:
        return None
    code = Matcher(default_registry()).region(name)
    if code is None:
        raise UserError(f"不认识地区「{name}」。请用 data/regions.toml 中的名称，例如 江岸区、东湖高新区。")
    return code


def _unit_name(code: str | None) -> str:
    if code is None:
        return "不限"
    region = default_registry().regions.get(code)
    return region.name if region else code


def cmd_users(args: argparse.Namespace) -> int:
    store, me = Store(args.db), operator()
    if args.users_command == "add":
        account = accounts.add(store, me, args.name, args.role, read_password(), _unit_code(args.unit), args.agency)
        print(f"已添加账号「{account.name}」：{ROLE_LABELS[account.role]}，{_scope(account)}。")
    elif args.users_command == "role":
        account = accounts.set_role(store, me, args.name, args.role, _unit_code(args.unit), args.agency)
        print(f"已将账号「{account.name}」改为{ROLE_LABELS[account.role]}，{_scope(account)}（已登录的会话全部退出）。")
    elif args.users_command in ("disable", "enable"):
        accounts.set_active(store, me, args.name, args.users_command == "enable")
        print(f"已{'启用' if args.users_command == 'enable' else '停用'}账号「{args.name}」。")
    elif args.users_command == "reset":
        accounts.reset_password(store, me, args.name, read_password())
        print(f"已重置账号「{args.name}」的密码（解除锁定，已登录的会话全部退出）。")
    else:
        rows: list[dict[str, Any]] = [
            {"name": a.name, "role": a.role, "role_label": ROLE_LABELS[a.role], "unit": _unit_name(a.unit),
             "agency": a.agency or "不限", "origin": "统一身份认证" if a.origin == "sso" else "本地",
             "status": a.state_label(clock.now()), "created_at": f"{a.created_at:%Y-%m-%d %H:%M}"}
            for a in accounts.list_accounts(store)]
        if args.json:
            json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        elif not rows:
            print("还没有任何账号。添加第一个管理员：python -m loaders users add 名字 --role admin")
        else:
            for r in rows:
                print(f"{r['name']}\t{r['role_label']}\t地区{r['unit']}\t机构{r['agency']}\t{r['origin']}\t{r['status']}"
                      f"\t创建于{r['created_at']}")
    return 0


def _scope(a: accounts.Account) -> str:
    return f"报送地区{_unit_name(a.unit)}，报送机构{a.agency or '不限'}"


def scope_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", help="填报账号只能报送的地区（如 江岸区）；不填则不限")
    parser.add_argument("--agency", help="填报账号只能报送的机构负责的数据（如 市财政局）；不填则不限")


def add_users_command(subs: Any) -> None:
    """Register `users` and its sub-commands on the `python -m loaders` parser."""
    users = subs.add_parser("users", help="管理本地账号（添加、修改角色、停用、启用、重置密码、列出）")
    inner = users.add_subparsers(dest="users_command", required=True)
    a = sub_command(inner, "add", "添加账号（密码从标准输入读取）")
    a.add_argument("name", help="用户名")
    a.add_argument("--role", required=True, choices=ROLES, help="viewer 查看 | analyst 填报 | admin 管理")
    scope_options(a)
    r = sub_command(inner, "role", "修改账号的角色和报送范围（已登录的会话立即失效）")
    r.add_argument("name", help="用户名")
    r.add_argument("--role", required=True, choices=ROLES, help="viewer 查看 | analyst 填报 | admin 管理")
    scope_options(r)
    for name, helptext in (("disable", "停用账号（已登录的会话立即失效）"), ("enable", "重新启用账号"),
                           ("reset", "重置密码（从标准输入读取），并解除锁定")):
        sub_command(inner, name, helptext).add_argument("name", help="用户名")
    sub_command(inner, "list", "列出全部账号", json=True)
