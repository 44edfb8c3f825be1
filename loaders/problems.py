"""One problem found in an uploaded file: where it is, what was there, and what to do (in Chinese)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Literal

from rapidfuzz import fuzz, process

from loaders.messages import excerpt

Severity = Literal["error", "warning"]
# A suggestion is offered from this score (0–100, the mean of the likeness in characters and in sound) up.
SUGGEST_FROM = 50.0


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
    """A cell value as the analyst saw it, for the report: a long one as its first characters and “…”."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return excerpt(value)


@lru_cache(maxsize=4096)
def sound(name: str) -> str:
    """How a name is read, in toneless pinyin syllables: 江岸区 and 江安区 both read "jiang an qu"."""
    from pypinyin import lazy_pinyin  # its dictionaries take half a second to load: only for a misspelt name

    return " ".join(lazy_pinyin(name))


def closest(name: str, candidates: Iterable[str] | Mapping[str, str]) -> str | None:
    """The known name nearest to a misspelt one, for 'did you mean' hints: near in characters and in sound,
    since a name typed with a pinyin input method goes wrong by a character of the same reading (江安区 →
    江岸区, not 江汉区). `candidates`: names, or spellings → the name to suggest for each (aliases)."""
    to_name = dict(candidates) if isinstance(candidates, Mapping) else {c: c for c in candidates}
    if not name or not to_name or len(name) > 2 * max(map(len, to_name)):
        return None  # nothing to go by, or a text far longer than any name (no misspelling of one)
    spellings = list(to_name)
    by_chars = {i: score for _, score, i in process.extract(name, spellings, scorer=fuzz.ratio, limit=None)}
    by_sound = {i: score for _, score, i in
                process.extract(sound(name), [sound(s) for s in spellings], scorer=fuzz.ratio, limit=None)}
    best = max(range(len(spellings)), key=lambda i: by_chars[i] + by_sound[i])
    return to_name[spellings[best]] if (by_chars[best] + by_sound[best]) / 2 >= SUGGEST_FROM else None
