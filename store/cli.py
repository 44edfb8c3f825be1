"""What the command lines (python -m loaders | metrics | reports) share: the --db argument and how a user
error ends a command (its Chinese message on standard error, no traceback)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from domain.errors import UserError
from store.database import db_path

Command = Callable[[argparse.Namespace], int]


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=str(db_path()), help="数据库文件（默认：$TFM_DB，或 data/tfm.duckdb）")


def run(parser: argparse.ArgumentParser, commands: dict[str, Command], argv: list[str] | None) -> int:
    """Parse `argv`, run the chosen sub-command, and turn a UserError into its message and exit code."""
    args = parser.parse_args(argv)
    try:
        return commands[args.command](args)
    except UserError as e:
        print(str(e), file=sys.stderr)
        return e.exit_code
