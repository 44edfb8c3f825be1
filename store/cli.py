"""What the command lines (python -m loaders | metrics | reports) share: the --db argument and how a user
error ends a command (its Chinese message on standard error, no traceback)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from domain.errors import UserError
from domain.model import Registry
from domain.months import parse_month_key
from domain.registry import default_registry
from store.database import Store, db_path

Command = Callable[[argparse.Namespace], int]


def command_line(prog: str, description: str) -> tuple[argparse.ArgumentParser, Any]:
    """A command line with sub-commands: (the parser, the object to add each sub-command to)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    return parser, parser.add_subparsers(dest="command", required=True)


def sub_command(subs: Any, name: str, helptext: str, *, db: bool = True, as_of: bool = False,
                json: bool = False) -> argparse.ArgumentParser:
    """One sub-command with the options the command lines share: --db (default: $TFM_DB, or
    data/tfm.duckdb), --as-of YYYY-MM, --json."""
    parser = subs.add_parser(name, help=helptext)
    if db:
        parser.add_argument("--db", default=str(db_path()), help="数据库文件（默认：$TFM_DB，或 data/tfm.duckdb）")
    if as_of:
        parser.add_argument("--as-of", help="截至月份，YYYY-MM（默认：有数据的最近月份）")
    if json:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    return parser


def run(parser: argparse.ArgumentParser, commands: dict[str, Command], argv: list[str] | None) -> int:
    """Parse `argv`, run the chosen sub-command, and turn a UserError into its message and exit code."""
    args = parser.parse_args(argv)
    try:
        return commands[args.command](args)
    except UserError as e:
        print(str(e), file=sys.stderr)
        return e.exit_code


class NoData(UserError):
    exit_code = 1  # "no data yet": a database that is not there


def existing_store(path: str | Path) -> Store:
    """The store at `path` for a command that reads it; a Chinese message (exit 1) when there is none."""
    if not Path(path).exists():
        raise NoData(f"数据库 {path} 不存在。请先导入数据，或用 python -m loaders demo --db {path} 生成演示数据库。")
    return Store(path)


def registry_of(store: Store) -> Registry:
    """The registries as the dashboard reads them for `store`: with the demo's example sub-targets while it holds demo
    data (so the command line and the pages judge the units alike)."""
    return default_registry(demo=store.has_active_demo())


def month_option(text: str | None) -> dt.date | None:
    """--as-of YYYY-MM as a month end; None when not given; a Chinese message (exit 2) when malformed."""
    if not text:
        return None
    try:
        return parse_month_key(text)
    except ValueError as e:
        raise UserError(str(e)) from e
