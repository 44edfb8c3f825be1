"""The corpus of agency files (issue 10 item 6): every case read, compared with what it must give.

A case is one data file in tests/corpus/ (or in tests/fixtures/, where it has one) and `<file>.expected.json`
beside it, in the layout of tests/fixtures/*.expected.json: file, period, agency, warnings, registers (rows per
register table) and observations (indicator, region, month, value). Adding a case is adding those two files.

What is compared, over the whole corpus: every observation by (indicator, region, month), and each file's
period, agency, number of warnings and register row counts.

Questions (issue 10 item 3): a case may list, under an optional "questions" key, what the reader must ask
[{"sheet", "cell", "kind"}]; its observations are then what the reader gives with certainty before any answer.
An expected question asked counts as right, one not asked as missed; a question asked that the case does not
list is shown on its line but is no wrong value (asking is never wrong; the values it holds back lower recall).
A file with questions and no error gives what it read; a file with an error gives nothing. Precision is the share of what the reader gave
that is right; recall the share of what was expected that it gave. A wrong value (precision under 100%)
fails, and so does recall under 98% (a file refused gives nothing: it lowers recall, it is not wrong).
Run with -s to see the figures and a line per file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from domain.model import Registry
from domain.registry import load_registry
from loaders.ingest import ParseOutcome, parse_upload

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "corpus"
FIXTURES = TESTS / "fixtures"
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
MIN_RECALL = 0.98
ABS_TOL = 5e-7  # expected values are written rounded to 6 decimals


def data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


def cases() -> list[Path]:
    """Every data file of the corpus, and the fixtures that have an expected JSON."""
    return data_files(CORPUS) + [p for p in data_files(FIXTURES) if expected_path(p).exists()]


def expected_path(data: Path) -> Path:
    return data.with_name(f"{data.name}.expected.json")


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


Item = tuple  # ("obs", indicator, region, month) or ("file", field) → value


def expected_items(expected: dict) -> dict[Item, object]:
    items: dict[Item, object] = {("file", k): expected[k] for k in ("period", "agency", "warnings")}
    items |= {("register", table): rows for table, rows in expected["registers"].items()}
    items |= {("question", q["sheet"], q["cell"]): q["kind"] for q in expected.get("questions", [])}
    for o in expected["observations"]:
        key = ("obs", o["indicator_code"], o["region_code"], o["period"])
        assert key not in items, f"{expected['file']}: {key} twice in the expected JSON"
        items[key] = o["value"]
    return items


def emitted_items(out: ParseOutcome) -> tuple[dict[Item, object], list[Item]]:
    """What the reader gave, and the observation keys it gave more than once (each one a wrong value). A file
    refused gives nothing (its problems are the analyst's question, not values); a file with questions only
    gives what it read with certainty, and its questions."""
    if out.errors:
        return {}, []
    items: dict[Item, object] = {("file", "warnings"): len(out.warnings)}
    if out.period is not None or out.questions:  # a file whose month is asked has none yet
        items[("file", "period")] = f"{out.period:%Y-%m}" if out.period else None
    if out.agency:
        items[("file", "agency")] = out.agency
    items |= {("register", table): frame.height for table, frame in out.registers.items()}
    items |= {("question", q.sheet, q.cell): q.kind for q in out.questions}
    twice = []
    for row in out.observations.iter_rows(named=True):
        key = ("obs", row["indicator_code"], row["region_code"], f"{row['period']:%Y-%m}")
        if key in items:
            twice.append(key)
        items[key] = row["value"]
    return items, twice


def same(a: object, b: object) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=ABS_TOL)
    return a == b


@dataclass
class Score:
    name: str
    expected: int = 0
    emitted: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)  # emitted, and not what was expected
    missed: list[str] = field(default_factory=list)  # expected, and not emitted
    errors: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # questions the case does not list: shown, not wrong

    def line(self) -> str:
        status = "ok" if not self.wrong and not self.missed else ("WRONG" if self.wrong else "missing")
        text = f"{self.name:<48} expected {self.expected:>3}  emitted {self.emitted:>3}  right {self.right:>3}  {status}"
        for label, items in (("wrong", self.wrong), ("missed", self.missed), ("errors", self.errors),
                             ("asked", self.asked)):
            if items:
                text += f"\n    {label}: " + "; ".join(items[:6]) + (" …" if len(items) > 6 else "")
        return text


def score(path: Path, reg: Registry) -> Score:
    expected = json.loads(expected_path(path).read_text(encoding="utf-8"))
    assert expected["file"] == path.name, f"{expected_path(path).name} names another file: {expected['file']}"
    want = expected_items(expected)
    out = parse_upload(path.read_bytes(), path.name, reg)
    got, twice = emitted_items(out)
    s = Score(path.name, expected=len(want))
    s.asked = [f"{k[1]}!{k[2]} {v}" for k, v in got.items() if k[0] == "question" and k not in want]
    got = {k: v for k, v in got.items() if k[0] != "question" or k in want}
    s.emitted = len(got) + len(twice)
    s.errors = [f"{p.sheet}!{p.cell} {p.message[:40]}" for p in out.errors]
    s.wrong = [f"{k} given twice" for k in twice]
    for key, value in got.items():
        if key in want and same(value, want[key]):
            s.right += 1
        else:
            s.wrong.append(f"{key}={value!r} (expected {want.get(key, 'nothing')!r})")
    s.missed = [f"{k}={v!r}" for k, v in want.items() if k not in got]
    return s


def test_every_case_has_its_expected_json_and_every_json_its_file():
    data = {p.name for p in data_files(CORPUS)}
    jsons = {p.name.removesuffix(".expected.json") for p in CORPUS.glob("*.expected.json")}
    assert data, "the corpus is empty"
    assert data - jsons == set(), "data files without an expected JSON"
    assert jsons - data == set(), "expected JSON without its data file"


def test_corpus_precision_and_recall(reg):
    scores = [score(p, reg) for p in cases()]
    expected = sum(s.expected for s in scores)
    emitted = sum(s.emitted for s in scores)
    right = sum(s.right for s in scores)
    precision = right / emitted if emitted else 1.0
    recall = right / expected if expected else 1.0
    report = "\n".join(s.line() for s in scores)
    asks = sum(len(json.loads(expected_path(p).read_text(encoding="utf-8")).get("questions", [])) for p in cases())
    summary = (f"corpus: {len(scores)} files, {expected} values expected, {emitted} emitted, {right} right; "
               f"precision {precision:.2%}, recall {recall:.2%}; {asks} questions expected (counted as values), "
               f"{sum(len(s.asked) for s in scores)} more asked")
    print(f"\n{report}\n{summary}")
    wrong = [s.name for s in scores if s.wrong]
    assert not wrong, f"wrong values in {wrong}\n{report}\n{summary}"
    assert recall >= MIN_RECALL, f"recall under {MIN_RECALL:.0%}\n{report}\n{summary}"


def test_question_cases_match_their_generator():
    """The q_ cases' committed files and JSON are what tests/corpus/make_questions.py writes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_questions", CORPUS / "make_questions.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert sorted(module.CASES) == sorted(p.name for p in data_files(CORPUS) if p.name.startswith("q_"))
    assert len(module.CASES) >= 3
    for name, build in module.CASES.items():
        _, data = build()
        assert data["questions"], f"{name}: a q_ case is one the reader must ask about"
        committed = json.loads(expected_path(CORPUS / name).read_text(encoding="utf-8"))
        assert committed == data, f"{name}: re-run tests/corpus/make_questions.py and commit the outputs"


def test_workbook_cases_match_their_generator():
    """The wb_ cases' committed JSON is what tests/corpus/make_corpus.py writes (the numbers live there)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    built = module.cases()
    assert sorted(built) == sorted(p.name for p in data_files(CORPUS) if p.name.startswith("wb_"))
    for name, case in built.items():
        committed = json.loads(expected_path(CORPUS / name).read_text(encoding="utf-8"))
        assert committed == case.expected, f"{name}: re-run tests/corpus/make_corpus.py and commit the outputs"
