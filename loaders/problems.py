"""One problem found in an uploaded file: where it is, what was there, and what to do (in Chinese)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    file: str
    sheet: str
    cell: str
    value: str
    message: str

    def as_json(self) -> dict[str, str]:
        d = asdict(self)
        d.pop("severity")
        d.pop("file")
        return d


def shown(value: Any) -> str:
    """A cell value as the analyst saw it, for the report."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The known name nearest to a misspelt one, for 'did you mean' hints."""
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.3)
    return found[0] if found else None
