"""One uploaded file → checked observations and register rows → one submission (all or nothing).

`parse_upload` is pure (bytes in, outcome out); `ingest` adds the single write through the store.
The command line, the upload page and the demo builder all go through these two functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from domain.errors import UserError
from domain.mappings import NONE, Mappings
from domain.model import Registry
from domain.months import month_end, month_key
from domain.tasks import default_tasks
from loaders import checkins, contracts
from loaders import messages as msg
from loaders.cells import NotANumber, col_letter, is_blank, parse_number
from loaders.names import Matcher
from loaders.problems import Problem, shown
from loaders.questions import Question
from loaders.sheet import SheetResult
from loaders.tables import parse_sheet
from loaders.validate import UnitDoubt, convert, history_warnings, preview, unit_doubts, unit_suspects
from loaders.workbook import UnreadableFile, read_sheets
from store import OBSERVATION_SCHEMA, CommitResult, Store, SubmissionDraft
from store.access import Actor, operator, owners, scope_refusal
from store.database import duplicate_message
from store.mappings import mappings as stored_mappings

MAX_FILE_BYTES = 50 * 1024 * 1024
SKIPPED_SHEETS = ("说明", "填报说明", "使用说明", "选项", "instructions")  # our templates' helper sheets
# The stored columns, and where in the file each figure was read (`cell` empty for a computed one); the
# store keeps `origin`, the same place as the analyst reads it.
PARSED_SCHEMA = {**OBSERVATION_SCHEMA, "sheet": pl.String, "cell": pl.String}


@dataclass
class ParseOutcome:
    file_name: str
    content: bytes
    agency: str = ""
    dataset: str = ""
    period: dt.date | None = None
    observations: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=PARSED_SCHEMA))
    registers: dict[str, pl.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)  # what the analyst must answer before an import
    # The agency the remembered answers were looked up for, and an answer to this file's questions is kept
    # for: the one the file names (数据来源：…) or its figures' usual source; "" when unknown (any agency).
    answer_agency: str = ""
    # How the file's words reported each flow indicator ("ytd" | "monthly" | "both"; loaders/crosstab.settle_flows).
    flow_conventions: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """Nothing wrong and nothing left to ask: the file can be imported."""
        return not self.errors and not self.questions

    @property
    def n_register_rows(self) -> int:
        return sum(frame.height for frame in self.registers.values())

    def draft(self, uploader: str, *, is_demo: bool = False) -> SubmissionDraft:
        assert self.ok and self.period is not None
        return SubmissionDraft(file_name=self.file_name, content=self.content, agency=self.agency,
                               dataset=self.dataset, period=self.period,
                               observations=self.observations.select(list(OBSERVATION_SCHEMA)),
                               registers=self.registers, n_warnings=len(self.warnings), uploader=uploader,
                               is_demo=is_demo, flow_conventions={code: conv for code, conv in
                                                                  self.flow_conventions.items() if conv != "both"})


def _matcher(registry: Registry) -> Matcher:
    # One matcher per registry object: building the alias tables is the costly part.
    cached = _MATCHERS.get(id(registry))
    if cached is None or cached.registry is not registry:
        cached = Matcher(registry)
        _MATCHERS[id(registry)] = cached
    return cached


_MATCHERS: dict[int, Matcher] = {}


def parse_upload(content: bytes, file_name: str, registry: Registry, mappings: Mappings = NONE,
                 known: pl.DataFrame | None = None) -> ParseOutcome:
    """Read, map and check one file with the analysts' remembered answers (`mappings`). Never raises for bad
    input: problems and questions are in the outcome. `known`: the database's current values (Store.current_values),
    from which a flow reported year to date alone (1-9月累计) gets its earlier months; without them such a figure
    is left out with a warning at its cell.

    The answers are per agency, and the agency is known only from the file: it is read once with the answers
    given for any agency; when the agency found has answers of its own, it is read again with those first."""
    digest = hashlib.sha256(content).hexdigest()
    base = _matcher(registry)
    out = _parse(content, file_name, registry, base.with_answers(mappings, None, digest), known)
    agency = out.answer_agency
    if agency and any(m.agency == agency for m in mappings.items):
        out = _parse(content, file_name, registry, base.with_answers(mappings, agency, digest), known)
        out.answer_agency = agency
    return out


def _parse(content: bytes, file_name: str, registry: Registry, matcher: Matcher,
           known: pl.DataFrame | None = None) -> ParseOutcome:
    out = ParseOutcome(file_name=file_name, content=content)

    def fail(message: str) -> ParseOutcome:
        out.problems.append(Problem("error", file_name, "", "", "", message))
        return out

    if len(content) > MAX_FILE_BYTES:
        return fail(msg.file_too_big(len(content), MAX_FILE_BYTES))
    if not content:
        return fail(msg.EMPTY_FILE)
    try:
        sheets = read_sheets(content, file_name)
    except UnreadableFile as e:
        return fail(str(e))

    results: list[SheetResult] = []
    text_only: list[str] = []  # sheets of words only (instructions under any name): no table to read
    for sheet in sheets:
        if sheet.name.strip().lower() in SKIPPED_SHEETS:
            continue
        if sheet.hidden:
            if sheet.has_content():
                out.problems.append(Problem("warning", file_name, sheet.name, "", "", msg.HIDDEN_SHEET_SKIPPED))
            continue
        if sheet.hidden_rows or sheet.hidden_cols:
            out.problems.append(Problem("warning", file_name, sheet.name, "", "", msg.hidden_cells_ignored(
                [r + 1 for r in sheet.hidden_rows], [col_letter(c) for c in sheet.hidden_cols])))
        if checkins.is_checkin_sheet(sheet.rows):  # task check-ins: their own reader, the same path after it
            got = checkins.parse_checkin_sheet(sheet.name, sheet.rows, file_name, default_tasks(),
                                               row_offset=sheet.row_offset, col_offset=sheet.col_offset)
            out.problems.extend(got.problems)
            results.append(SheetResult(sheet.name, "checkins", period=got.period, agency="、".join(got.units),
                                       register_table=checkins.TABLE, register_frame=got.frame))
            continue
        res = parse_sheet(sheet.name, sheet.rows, file_name, matcher, frame=sheet.frame,
                          row_offset=sheet.row_offset, col_offset=sheet.col_offset)
        out.problems.extend(res.problems)
        out.questions.extend(res.questions)
        if res.kind == "unrecognised" and sheet.frame is None and _words_only(sheet.rows):
            text_only.append(sheet.name)
        elif res.kind == "unrecognised":
            out.problems.append(Problem("error", file_name, sheet.name, "", "", msg.UNRECOGNISED_SHEET))
        if res.kind in ("table", "register"):
            results.append(res)
    # Beside the sheets that were read, a sheet of words is a note; alone, there is no table in the file.
    for name in text_only:
        out.problems.append(Problem("warning", file_name, name, "", "", msg.NO_TABLE_IN_SHEET) if results
                            else Problem("error", file_name, name, "", "", msg.UNRECOGNISED_SHEET))
    if not results and not out.errors:
        return fail(msg.NO_DATA)
    found = next((r.agency for r in results if r.agency), "") or _default_agency(results, registry)
    out.answer_agency = "" if found == UNKNOWN_AGENCY else found

    # The data contracts run on whatever was read, so a file's every problem is in one report; a file
    # with errors then keeps nothing (all or nothing).
    for r in results:
        r.observations.extend(_months_from_store(r, registry, known, out.problems, file_name))
        for code, conv in r.flow_conventions.items():
            out.flow_conventions[code] = conv if out.flow_conventions.get(code, conv) == conv else "both"
    frames = [pl.DataFrame(r.observations, schema=PARSED_SCHEMA) for r in results if r.observations]
    out.observations = pl.concat(frames) if frames else pl.DataFrame(schema=PARSED_SCHEMA)
    for r in results:
        if r.register_table and r.register_frame is not None:
            frame = r.register_frame
            prev = out.registers.get(r.register_table)
            out.registers[r.register_table] = frame if prev is None else pl.concat([prev, frame])
    registers = {t: f for t, f in out.registers.items() if t in registry.registers}
    out.problems.extend(contracts.check(out.observations, registers, registry, file_name))
    if out.errors:
        out.observations, out.registers = pl.DataFrame(schema=PARSED_SCHEMA), {}
        return out
    out.period = max((r.period for r in results if r.period is not None), default=None)
    out.agency = found
    out.dataset = _dataset(results)
    if out.observations.is_empty() and not out.registers and not out.questions:
        return fail(msg.NO_VALUES)
    return out


UNKNOWN_AGENCY = "未注明"


def _months_from_store(result: SheetResult, registry: Registry, known: pl.DataFrame | None,
                       problems: list[Problem], file_name: str) -> list[dict[str, Any]]:
    """A flow's year-to-date figures with no earlier month in the file (loaders/crosstab.settle_flows): the
    month's own amount is the figure less the months of that year the database holds, when it holds every one
    of them (said once per indicator and sheet); otherwise the figure is left out with a warning at its cell."""
    stored: dict[tuple, float] = {}
    if known is not None and result.pending_ytd:
        codes = {p["indicator_code"] for p in result.pending_ytd}
        for row in known.filter(pl.col("indicator_code").is_in(list(codes))).iter_rows(named=True):
            stored[(row["indicator_code"], row["region_code"], row["period"])] = row["value"]
    out: list[dict[str, Any]] = []
    said: set[str] = set()
    for p in result.pending_ytd:
        code, region, period = p["indicator_code"], p["region_code"], p["period"]
        name = registry.indicators[code].name_zh
        earlier = [(code, region, month_end(period.year, m)) for m in range(1, period.month)]
        if all(k in stored for k in earlier):
            out.append({k: v for k, v in p.items() if k in PARSED_SCHEMA}
                       | {"value": p["value"] - sum(stored[k] for k in earlier)})
            if code not in said:
                said.add(code)
                problems.append(Problem("warning", file_name, result.sheet, "", "", msg.flow_ytd_from_database(
                    name, result.sheet, period.year, list(range(1, period.month)))))
        else:
            problems.append(Problem("warning", file_name, result.sheet, p["cell"], shown(p["value"]),
                                    msg.flow_ytd_alone(name, period.year, period.month)))
    return out


def _words_only(rows: list[list[Any]]) -> bool:
    """No figure anywhere but a line's own number (1、2、3 down the first column of instructions): a sheet
    with a number or date after a label is a table, and one that cannot be read stays an error."""
    for row in rows:
        cells = [v for v in row if not is_blank(v)]
        for v in cells[1:]:
            if isinstance(v, (int, float, dt.date)) and not isinstance(v, bool):
                return False
            if isinstance(v, str):
                try:
                    if parse_number(v)[0] is not None:
                        return False
                except NotANumber:
                    pass
    return True


def _default_agency(results: list[SheetResult], registry: Registry) -> str:
    for r in results:
        if r.register_table:
            return registry.registers[r.register_table].agency
        if r.observations:
            return registry.indicators[r.observations[0]["indicator_code"]].source
    return UNKNOWN_AGENCY


def _dataset(results: list[SheetResult]) -> str:
    """What a file carries; a later file with the same dataset and period is a correction of it."""
    parts = []
    for r in results:
        if r.kind == "checkins" and r.register_frame is not None:
            parts.append(checkins.dataset(sorted(set(r.register_frame["unit"]))))
        elif r.register_table:
            parts.append(f"register:{r.register_table}")
        else:
            codes = sorted({o["indicator_code"] for o in r.observations})
            parts.append(f"table:{','.join(codes)}@{r.scope or '-'}")
    return "|".join(sorted(set(parts)))


@dataclass
class IngestReport:
    outcome: ParseOutcome
    commit: CommitResult | None = None
    duplicate_of: dict | None = None  # the active submission with the same bytes: nothing to import
    replaces: dict | None = None
    changes: pl.DataFrame | None = None  # preview: 新增 / 修改 / 不变 / 撤下, with last month's value
    doubts: list[UnitDoubt] = field(default_factory=list)  # columns whose unit the analyst must confirm
    units: dict[str, float] = field(default_factory=dict)  # indicator → the factor confirmed (1: as in the file)
    earlier_copy: dict | None = None  # a withdrawn or superseded submission with the same bytes
    suspects: list[Problem] = field(default_factory=list)  # 100× off last month: a probable unit mistake

    @property
    def questions(self) -> list[Question]:
        return self.outcome.questions

    @property
    def status(self) -> str:
        if self.outcome.errors:
            return "rejected"  # its questions are listed all the same
        if self.outcome.questions:
            return "needs_answers"
        if self.commit:
            return self.commit.status
        return "duplicate" if self.duplicate_of else "ok"

    @property
    def unconfirmed(self) -> list[UnitDoubt]:
        """The doubtful columns still waiting for the analyst (each is an error of the outcome until then)."""
        return [d for d in self.doubts if d.indicator_code not in self.units]

    @property
    def waits_for_units(self) -> bool:
        """Rejected only because a unit is still to be confirmed: the page asks, then checks the file again."""
        return bool(self.unconfirmed) and len(self.outcome.errors) == len(self.unconfirmed)

    def as_json(self, registry: Registry) -> dict[str, Any]:
        o = self.outcome
        obs = [{"indicator_code": row["indicator_code"], "region_code": row["region_code"],
                "region_name": registry.regions[row["region_code"]].name, "period": month_key(row["period"]),
                "value": row["value"], "unit": registry.indicators[row["indicator_code"]].unit}
               for row in o.observations.iter_rows(named=True)]
        return {"file": o.file_name, "status": self.status, "source": o.agency or None,
                "period": month_key(o.period) if o.period else None, "observations": obs,
                "errors": [p.as_json() for p in o.errors], "warnings": [p.as_json() for p in o.warnings],
                "message": self.message, "questions": [q.as_json() for q in o.questions]}

    @property
    def notice(self) -> str | None:
        """What importing this file again means when a copy of it was withdrawn or superseded."""
        if self.earlier_copy and self.status == "ok":
            return msg.same_as_withdrawn(self.earlier_copy["id"], self.earlier_copy["status"])
        return None

    @property
    def message(self) -> str | None:
        if self.commit:
            return self.commit.message
        if self.duplicate_of:
            d = self.duplicate_of
            return duplicate_message(self.outcome.file_name, d["uploaded_at"], d["id"])
        return None


def prepare(store: Store, content: bytes, file_name: str, registry: Registry, *,
            actor: Actor | None = None, units: dict[str, float] | None = None) -> IngestReport:
    """Parse and check a file against the database, and preview what committing it would change.

    Every problem in one pass: an error does not hide the warnings that can still be computed (against last
    month, units missing). With an `actor`, figures their account may not load are an error already here (the
    store refuses them anyway). A column a thousand times or more off its usual size (元 under a 亿元 heading)
    is an error until `units` says which unit its figures are in (indicator → factor to divide by, 1 to keep
    them): only then is the file ready, with its figures converted, so nothing unconfirmed can be committed.

    The file is read with every answer the analysts gave (store/mappings); what is still uncertain is a question
    (status needs_answers), and nothing is imported until it is answered."""
    with store.kept_open():  # the file is not held while the upload is read, which may take seconds
        current, answers = store.current_values(), stored_mappings(store)
    outcome = parse_upload(content, file_name, registry, answers, current)
    with store.kept_open():
        return _against_the_database(store, content, file_name, registry, outcome, current, actor, units)


def _against_the_database(store: Store, content: bytes, file_name: str, registry: Registry, outcome: ParseOutcome,
                          current: pl.DataFrame, actor: Actor | None, units: dict[str, float] | None
                          ) -> IngestReport:
    """prepare's checks of a file read: who may load it, a duplicate, units, conventions, what it replaces."""
    if actor is not None:
        regions = set(outcome.observations["region_code"])
        for rows in outcome.registers.values():
            regions |= set(rows["region_code"]) if "region_code" in rows.columns else set()
        owned_by = owners(outcome.observations["indicator_code"].unique().to_list(), outcome.registers)
        refusal = scope_refusal(actor, regions, lambda c: registry.regions[c].name if c in registry.regions else c,
                                owned_by)
        if refusal:
            outcome.problems.append(Problem("error", file_name, "", "", "", refusal))
    if outcome.ok:
        same = store.find_submission(sha256=hashlib.sha256(content).hexdigest())
        if same and same["status"] == "active":
            return IngestReport(outcome, duplicate_of=same)
    else:
        same = None
    doubts = unit_doubts(outcome.observations, current, registry)
    confirmed: dict[str, float] = {}
    for d in doubts:
        factor = (units or {}).get(d.indicator_code)
        if factor is None or factor not in d.options:
            outcome.problems.append(Problem("error", file_name, d.sheet, d.example_cell, d.example, d.message))
            continue
        confirmed[d.indicator_code] = factor
        outcome.observations = convert(outcome.observations, d.indicator_code, factor)
        outcome.problems.append(Problem("warning", file_name, d.sheet, d.example_cell, d.example,
                                        msg.unit_confirmed(d.indicator, d.unit, d.options[factor],
                                                           actor.name if actor else "分析员")))
    if outcome.period is not None:  # a source that switches between 累计 and 当月 from one month to the next
        earlier = store.flow_conventions_before(outcome.period)
        for code, conv in outcome.flow_conventions.items():
            before = earlier.get(code)
            if conv != "both" and before is not None and before["convention"] != conv:
                outcome.problems.append(Problem("warning", file_name, "", "", "", msg.flow_convention_switched(
                    registry.indicators[code].name_zh, conv, before["convention"], before["file_name"],
                    before["period"], before["id"])))
    # Said once: a column still waiting for its unit is in its error; once converted, what is still far off is loud.
    waiting = frozenset(d.indicator_code for d in doubts) - set(confirmed)
    suspects = unit_suspects(outcome.observations, current, registry, file_name, skip=waiting)
    outcome.problems.extend(suspects + history_warnings(outcome.observations, current, registry, file_name))
    if not outcome.ok:
        return IngestReport(outcome, doubts=doubts, units=confirmed, suspects=suspects)
    replaces = store.find_submission(dataset=outcome.dataset, period=outcome.period)
    replaced = store.observations_of(replaces["id"]) if replaces else None
    return IngestReport(outcome, replaces=replaces, changes=preview(outcome.observations, current, replaced),
                        doubts=doubts, units=confirmed, suspects=suspects, earlier_copy=same)


def commit(store: Store, report: IngestReport, *, actor: Actor, uploader: str | None = None,
           is_demo: bool = False) -> IngestReport:
    """Write a prepared upload (one transaction) as `actor`, whom the store checks; a rejected or duplicate
    file, or one with a unit still to confirm, writes nothing. `uploader` names the person only for the command
    line; a user is their account. A file with a question still open is refused (UserError)."""
    if report.outcome.questions:
        raise UserError(msg.questions_open(report.outcome.file_name, len(report.outcome.questions)))
    if report.status != "ok" or report.unconfirmed:
        return report
    draft = report.outcome.draft(uploader or actor.name, is_demo=is_demo)
    report.commit = store.commit_submission(draft, actor)
    return report


def ingest(store: Store, content: bytes, file_name: str, registry: Registry, *, uploader: str = "分析员",
           actor: Actor | None = None, is_demo: bool = False, dry_run: bool = False) -> IngestReport:
    """Check and write one file. Without an `actor` the caller is the local operator (the command line, the
    demo builder, a script): whoever can run Python on the database file can write it anyway."""
    actor = actor or operator()
    report = prepare(store, content, file_name, registry, actor=actor)
    return report if dry_run else commit(store, report, actor=actor, uploader=uploader, is_demo=is_demo)
