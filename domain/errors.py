"""Errors a user can act on: their str() is a Chinese sentence that says what to do.

Command lines and pages catch `UserError` once and show its message; anything else is a bug and is
logged, not shown.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the person in front of the software can fix; str(self) is the Chinese message."""

    exit_code = 2  # what a command line exits with (1 is kept for "no data yet")


class RegistryError(UserError, ValueError):
    """One or more registry files are malformed; `problems` lists each, with file and line."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))
