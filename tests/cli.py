"""A command line's `main(argv)` run in this process: its exit code, standard output and standard error.

What `python -m PACKAGE ...` prints and returns, without the second or so a new interpreter costs to start
and import. Tests that need a real process (an exit code as a shell sees it, a kill -9, two processes at
once) still start one.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from os import PathLike


@dataclass(frozen=True)
class Ran:
    """Named like subprocess.CompletedProcess's fields, so a test reads the same either way."""

    returncode: int
    stdout: str
    stderr: str


def run_main(main: Callable[[list[str] | None], int], *argv: str | PathLike[str]) -> Ran:
    """main([...argv]) with standard output and error captured; argparse's SystemExit becomes its exit code."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as e:  # argparse: a usage error (2), or --help (0)
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return Ran(code, out.getvalue(), err.getvalue())
