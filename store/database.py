"""The DuckDB store: versioned migrations, one transaction per write, queries over active submissions.

The only module that opens the database. Connections are short-lived (one per call) so the dashboard
and a command-line ingest can take turns on the same file; DuckDB allows one writing process at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from domain import clock
from domain.errors import UserError
from store import access, audit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "tfm.duckdb"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
REGISTER_TABLES = ("institutions", "funds", "seed_firms")
# Tables of rows a submission carries besides its figures: the registers, and the task check-ins.
ROW_TABLES = (*REGISTER_TABLES, access.CHECKIN_TABLE)

OBSERVATION_SCHEMA = {
    "indicator_code": pl.String, "region_code": pl.String, "period": pl.Date,
    "value": pl.Float64, "origin": pl.String, "is_computed": pl.Boolean,
}


log = logging.getLogger(__name__)


class StoreError(UserError):
    """A problem with the database a user can act on; the message is Chinese."""


def db_path() -> Path:
    """The database file: $TFM_DB, else data/tfm.duckdb."""
    return Path(os.environ.get("TFM_DB") or DEFAULT_DB)


@dataclass
class SubmissionDraft:
    """Everything one uploaded file adds, ready to be written in one transaction."""

    file_name: str
    content: bytes
    agency: str
    dataset: str
    period: dt.date
    observations: pl.DataFrame
    registers: dict[str, pl.DataFrame] = field(default_factory=dict)
    n_warnings: int = 0
    uploader: str = "分析员"
    is_demo: bool = False
    flow_conventions: dict[str, str] = field(default_factory=dict)  # flow indicator → "ytd" | "monthly"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class CommitResult:
    status: str  # "ok" | "duplicate"
    submission_id: int
    superseded_id: int | None
    message: str


def duplicate_message(file_name: str, uploaded_at: dt.datetime, submission_id: int) -> str:
    """What an analyst is told about a file that was uploaded before (at confirm or already at check)."""
    return f"文件「{file_name}」已于{uploaded_at:%Y-%m-%d %H:%M}上传过（提交编号{submission_id}），本次未作改动。"


def _require_restore(con: duckdb.DuckDBPyConnection, actor: access.Actor, submission_id: int) -> access.Actor:
    """Who may restore a submission: whoever may withdraw it (administrators and the operator anything, an analyst
    what their own account uploaded), said in the words of restoring."""
    actor = access.current(con, actor)
    if actor.role != "analyst":
        return access.require_withdraw(con, actor, submission_id)  # refuses a viewer or an anonymous visitor
    rows = con.execute("SELECT actor FROM audit_log WHERE action = 'ingest' AND submission_id = ? LIMIT 1",
                       [submission_id]).fetchall()
    if not rows or rows[0][0] != actor.name:
        by = f"由「{rows[0][0]}」上传" if rows else "不是本账号上传的"
        raise access.AccessDenied(f"填报账号只能恢复自己上传的提交；提交{submission_id}{by}。请联系管理员恢复。")
    return actor


def _migrations() -> list[tuple[int, str, str]]:
    out = []
    for path in sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        out.append((int(path.name[:4]), path.stem, path.read_text(encoding="utf-8")))
    return out


class _Shared:
    """One DuckDB database per file in this process, shared by its threads (a cursor each).

    Opened by the first user and closed when the last one is done, so that another process (an
    ingest from the command line) can open the file between uses: DuckDB lets one process at a
    time hold a database file.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con, self.users = con, 0


_SHARED: dict[Path, _Shared] = {}
_SHARED_LOCK = threading.Lock()  # guards _SHARED and each entry's count of users
_WRITE_LOCKS: dict[Path, threading.RLock] = {}  # one writer at a time per file in this process


DATA, SESSIONS = ".revision", ".sessions"  # the two tokens beside the database: see Store.revision, sessions_revision


def _revision_file(path: Path, kind: str = DATA) -> Path:
    return path.with_name(path.name + kind)


def _read_revision(path: Path, kind: str = DATA) -> str:
    try:
        return _revision_file(path, kind).read_text(encoding="ascii").strip() or "-"
    except FileNotFoundError:
        return "-"  # never written through a Store of this version


def _bump_revision(path: Path, kind: str = DATA) -> None:
    """A new random token in `<db>.revision` (or `.sessions`), written whole or not at all (a reader never sees
    half of it)."""
    target = _revision_file(path, kind)
    partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    partial.write_text(secrets.token_hex(8), encoding="ascii")
    os.replace(partial, target)


def _write_lock(path: Path) -> threading.RLock:
    with _SHARED_LOCK:
        return _WRITE_LOCKS.setdefault(path, threading.RLock())


OPEN_TRIES = 40  # every 0.25 s: another process (an ingest from the command line) may hold the file for 10 s


def _connect_file(path: Path) -> duckdb.DuckDBPyConnection:
    for attempt in range(OPEN_TRIES):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return duckdb.connect(str(path))
        except duckdb.IOException as e:
            if "lock" not in str(e).lower() or attempt == OPEN_TRIES - 1:
                raise StoreError(f"无法打开数据库 {path}：{e}。请确认没有其他程序正在写入该文件。") from e
            time.sleep(0.25)
    raise AssertionError("unreachable")


class Store:
    def __init__(self, path: Path | str | None = None):
        self.path = (Path(path) if path is not None else db_path()).resolve()
        self._migrated = False

    # -- connections -------------------------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the process's one database for this file; a DuckDB error becomes a Chinese StoreError."""
        with _SHARED_LOCK:
            shared = _SHARED.get(self.path)
            if shared is None:
                shared = _SHARED[self.path] = _Shared(_connect_file(self.path))
            shared.users += 1
        try:
            cur = shared.con.cursor()
            try:
                if not self._migrated:
                    with _write_lock(self.path):
                        self._migrate(cur)
                    self._migrated = True
                yield cur
            finally:
                cur.close()
        except duckdb.Error as e:
            log.exception("database error on %s", self.path)
            raise StoreError(f"读写数据库时出错（{type(e).__name__}），本次操作未生效。请稍后重试；"
                             "如反复出现，请将时间告知系统管理员查看日志。") from e
        finally:
            with _SHARED_LOCK:
                shared.users -= 1
                if shared.users == 0:
                    shared.con.close()
                    del _SHARED[self.path]

    @contextmanager
    def kept_open(self) -> Iterator[None]:
        """One open of the file for the store's calls inside, from this thread or another: each of them opens
        only a cursor. (Opening costs DuckDB 10–15 ms, and closing after a write a checkpoint.) Hold it around
        quick calls in a row, not around slow work such as reading an upload: another process waits for the file
        meanwhile. (A file nobody else uses, a backup's copy or the demo being built, may be held longer.)"""
        with self.connect():
            yield

    @contextmanager
    def transaction(self, *, data: bool = True, sessions: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: any exception inside rolls back every statement. Writers in this process take
        turns, so the checks a write makes inside its transaction (duplicate file, the active version
        of a dataset and month) cannot be raced by another thread's commit. `data=False` for a write that
        leaves every figure as it was (a login, an account, a refusal's audit row): the revision stays, and
        so do the dashboard's caches. `sessions=True` for a write that may end a login or change what it may
        do (a logout, an account disabled or changed): `sessions_revision` changes after its commit."""
        with _write_lock(self.path), self.connect() as con:
            con.begin()
            try:
                yield con
                if data:  # a new token before the commit, so that a crash right after it cannot leave the old one
                    _bump_revision(self.path)
            except BaseException:
                con.rollback()
                raise
            con.commit()
            if data:  # and after it: a reader that cached the data before the commit under the first token misses
                _bump_revision(self.path)
            if sessions:
                _bump_revision(self.path, SESSIONS)

    def _migrate(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                    "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)")
        done = {v for (v,) in con.execute("SELECT version FROM schema_migrations").fetchall()}
        for version, name, sql in _migrations():
            if version in done:
                continue
            con.begin()
            try:
                con.execute(sql)
                con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, clock.now()])
                con.commit()
            except BaseException:
                con.rollback()
                raise

    def schema_version(self) -> int:
        with self.connect() as con:
            return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    # -- writes ------------------------------------------------------------------------------

    @contextmanager
    def _refusals_logged(self, actor: access.Actor, target: str | None) -> Iterator[None]:
        """A refused write leaves an audit row of its own, written after the refused transaction rolled back."""
        try:
            yield
        except access.AccessDenied as e:
            with self.transaction(data=False) as con:
                audit.record(con, actor.name, "denied", target=target, detail=str(e))
            raise

    def commit_submission(self, draft: SubmissionDraft, actor: access.Actor) -> CommitResult:
        """Write one upload in one transaction: file, submission, observations, register rows.

        The same bytes again change nothing. A file for a dataset and period that already has an
        active submission supersedes it; the earlier one stays in history and can be re-activated.
        `actor` must be allowed to upload these regions' figures (store.access); a user's submission
        carries their account name as its uploader, the command line's the name it was given.
        """
        sha = draft.sha256
        obs = draft.observations.select(list(OBSERVATION_SCHEMA)).cast(OBSERVATION_SCHEMA)  # type: ignore[arg-type]
        regions = set(obs["region_code"].unique())
        for rows in draft.registers.values():
            if "region_code" in rows.columns:
                regions |= set(rows["region_code"].unique())
        owned_by = access.owners(obs["indicator_code"].unique().to_list(), draft.registers)
        with self._refusals_logged(actor, draft.file_name), self.transaction() as con:
            actor = access.require_upload(con, actor, regions, owned_by)
            uploader = draft.uploader if actor.role == "operator" else actor.name
            # Only a submission in force makes the same bytes a duplicate: a withdrawn or superseded file uploaded
            # again is a new submission (its earlier one stays in history, restorable).
            dup = con.execute("SELECT id, uploaded_at FROM submissions WHERE sha256 = ? AND status = 'active' "
                              "ORDER BY id LIMIT 1", [sha]).fetchone()
            if dup is not None:
                return CommitResult("duplicate", dup[0], None, duplicate_message(draft.file_name, dup[1], dup[0]))
            now = clock.now()
            con.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        [sha, draft.file_name, len(draft.content), draft.content, now])
            prev = con.execute("SELECT id FROM submissions WHERE dataset = ? AND period = ? AND status = 'active' "
                               "ORDER BY id DESC LIMIT 1", [draft.dataset, draft.period]).fetchone()
            n_register = sum(df.height for df in draft.registers.values())
            sid = con.execute(
                "INSERT INTO submissions (file_name, sha256, agency, dataset, period, uploader, uploaded_at, status, "
                "supersedes, n_observations, n_register_rows, n_warnings, is_demo, flow_conventions) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?) RETURNING id",
                [draft.file_name, sha, draft.agency, draft.dataset, draft.period, uploader, now,
                 prev[0] if prev else None, obs.height, n_register, draft.n_warnings, draft.is_demo,
                 json.dumps(draft.flow_conventions, sort_keys=True) if draft.flow_conventions else None],
            ).fetchone()[0]
            if prev:
                con.execute("UPDATE submissions SET status = 'superseded' WHERE id = ?", [prev[0]])
            con.register("obs_frame", obs)
            con.execute("INSERT INTO observations SELECT ?, indicator_code, region_code, period, value, origin, "
                        "is_computed FROM obs_frame", [sid])
            con.unregister("obs_frame")
            for table, rows in draft.registers.items():
                if table not in ROW_TABLES:
                    raise ValueError(f"unknown register table {table}")
                cols = ", ".join(rows.columns)
                con.register("register_frame", rows)
                con.execute(f"INSERT INTO {table} (submission_id, {cols}) SELECT ?, {cols} FROM register_frame", [sid])
                con.unregister("register_frame")
            detail = f"{draft.file_name}：{obs.height}条观测值，{n_register}行名录"
            audit.record(con, actor.name, "ingest", submission_id=sid, target=f"提交{sid}", detail=detail, at=now,
                         after={"status": "active", "file_name": draft.file_name, "agency": draft.agency,
                                "dataset": draft.dataset, "period": draft.period, "uploader": uploader,
                                "n_observations": obs.height, "n_register_rows": n_register,
                                "supersedes": prev[0] if prev else None})
            if prev:
                audit.record(con, actor.name, "supersede", submission_id=prev[0], target=f"提交{prev[0]}",
                             detail=f"被提交{sid}替代", at=now, before={"status": "active"},
                             after={"status": "superseded", "superseded_by": sid})
        message = f"已导入「{draft.file_name}」（提交编号{sid}）" + (f"，替代了提交{prev[0]}" if prev else "") + "。"
        return CommitResult("ok", sid, prev[0] if prev else None, message)

    # -- reads -------------------------------------------------------------------------------

    def active_observations(self) -> pl.DataFrame:
        """Every observation of an active submission, with where it came from."""
        with self.connect() as con:
            return con.sql(
                "SELECT o.indicator_code, o.region_code, o.period, o.value, o.origin, o.is_computed, "
                "o.submission_id, s.file_name, s.agency, s.uploader, s.uploaded_at, s.is_demo "
                "FROM observations o JOIN submissions s ON s.id = o.submission_id WHERE s.status = 'active' "
                "ORDER BY o.indicator_code, o.region_code, o.period, s.uploaded_at, o.submission_id"
            ).pl()

    def current_values(self) -> pl.DataFrame:
        """The latest active value of every stored figure (indicator, region, month)."""
        if not self.path.exists():
            return pl.DataFrame(schema={"indicator_code": pl.String, "region_code": pl.String, "period": pl.Date,
                                        "value": pl.Float64, "submission_id": pl.Int32})
        with self.connect() as con:
            return con.sql(
                "SELECT o.indicator_code, o.region_code, o.period, o.value, o.submission_id "
                "FROM observations o JOIN submissions s ON s.id = o.submission_id WHERE s.status = 'active' "
                "QUALIFY row_number() OVER (PARTITION BY o.indicator_code, o.region_code, o.period "
                "ORDER BY s.uploaded_at DESC, s.id DESC) = 1"
            ).pl()

    def find_submission(self, *, sha256: str | None = None, dataset: str | None = None,
                        period: dt.date | None = None) -> dict | None:
        """The submission with these bytes (the active one if any, else the latest), or the active one for a
        dataset and month."""
        if not self.path.exists():
            return None
        with self.connect() as con:
            if sha256 is not None:
                cur = con.execute("SELECT * FROM submissions WHERE sha256 = ? "
                                  "ORDER BY status = 'active' DESC, id DESC LIMIT 1", [sha256])
            else:
                cur = con.execute("SELECT * FROM submissions WHERE dataset = ? AND period = ? AND status = 'active' "
                                  "ORDER BY id DESC LIMIT 1", [dataset, period])
            row = cur.fetchone()
            return None if row is None else dict(zip([d[0] for d in cur.description], row, strict=True))

    def flow_conventions_before(self, period: dt.date) -> dict[str, dict[str, Any]]:
        """For each flow indicator, how the latest active file for an earlier month reported it (migration 0008):
        indicator → {"convention", "id", "file_name", "period"}."""
        if not self.path.exists():
            return {}
        with self.connect() as con:
            rows = con.execute("SELECT id, file_name, period, flow_conventions FROM submissions WHERE status = 'active' "
                               "AND flow_conventions IS NOT NULL AND period < ? ORDER BY period DESC, id DESC",
                               [period]).fetchall()
        out: dict[str, dict[str, Any]] = {}
        for sid, file_name, month, text in rows:
            for code, convention in json.loads(text).items():
                out.setdefault(code, {"convention": convention, "id": sid, "file_name": file_name, "period": month})
        return out

    def observations_of(self, submission_id: int) -> pl.DataFrame:
        with self.connect() as con:
            return con.sql("SELECT indicator_code, region_code, period, value, origin, is_computed "
                           "FROM observations WHERE submission_id = ? ORDER BY indicator_code, region_code, period",
                           params=[submission_id]).pl()

    def rollback(self, submission_id: int, actor: access.Actor) -> str:
        """Withdraw an active submission; the one it had superseded becomes active again. Nothing is deleted.
        Administrators withdraw any submission, an analyst only their own (store.access)."""
        with self._refusals_logged(actor, f"提交{submission_id}"), self.transaction() as con:
            actor = access.require_withdraw(con, actor, submission_id)
            row = con.execute("SELECT status, supersedes, file_name FROM submissions WHERE id = ?",
                              [submission_id]).fetchone()
            if row is None:
                raise StoreError(f"没有编号为 {submission_id} 的提交。")
            status, supersedes, name = row
            if status != "active":
                raise StoreError(f"提交{submission_id}（{name}）当前不是生效状态，无需撤销。")
            now = clock.now()
            con.execute("UPDATE submissions SET status = 'rolled_back' WHERE id = ?", [submission_id])
            audit.record(con, actor.name, "rollback", submission_id=submission_id, target=f"提交{submission_id}",
                         detail=name, at=now, before={"status": "active"}, after={"status": "rolled_back"})
            restored = None
            if supersedes is not None:
                prev = con.execute("SELECT status FROM submissions WHERE id = ?", [supersedes]).fetchone()
                if prev and prev[0] == "superseded":
                    con.execute("UPDATE submissions SET status = 'active' WHERE id = ?", [supersedes])
                    audit.record(con, actor.name, "reactivate", submission_id=supersedes, target=f"提交{supersedes}",
                                 detail=f"因撤销提交{submission_id}而恢复", at=now, before={"status": "superseded"},
                                 after={"status": "active"})
                    restored = supersedes
        return f"已撤销提交{submission_id}（{name}）" + (f"，恢复了此前的提交{restored}。" if restored else "。")

    def restore(self, submission_id: int, actor: access.Actor) -> str:
        """Make a withdrawn (or superseded) submission the version in force again; the one active for the same
        dataset and month, if any, becomes superseded by it (and can itself be restored later, or comes back when
        this one is withdrawn again). Nothing is deleted. Its uploader or an administrator may (store.access)."""
        with self._refusals_logged(actor, f"提交{submission_id}"), self.transaction() as con:
            actor = _require_restore(con, actor, submission_id)
            row = con.execute("SELECT status, dataset, period, supersedes, file_name FROM submissions WHERE id = ?",
                              [submission_id]).fetchone()
            if row is None:
                raise StoreError(f"没有编号为 {submission_id} 的提交。")
            status, dataset, period, supersedes, name = row
            if status == "active":
                raise StoreError(f"提交{submission_id}（{name}）已经是生效状态，无需恢复。")
            rows = con.execute("SELECT id FROM submissions WHERE dataset = ? AND period = ? AND status = 'active' "
                               "AND id <> ? ORDER BY id DESC", [dataset, period, submission_id]).fetchall()
            now = clock.now()
            replaced = [r[0] for r in rows]
            for other in replaced:
                con.execute("UPDATE submissions SET status = 'superseded' WHERE id = ?", [other])
                audit.record(con, actor.name, "supersede", submission_id=other, target=f"提交{other}",
                             detail=f"因恢复提交{submission_id}而被替代", at=now, before={"status": "active"},
                             after={"status": "superseded", "superseded_by": submission_id})
            # What it now stands in for: withdrawing it again brings that one back (see rollback).
            new_supersedes = replaced[0] if replaced else supersedes
            con.execute("UPDATE submissions SET status = 'active', supersedes = ? WHERE id = ?",
                        [new_supersedes, submission_id])
            audit.record(con, actor.name, "reactivate", submission_id=submission_id, target=f"提交{submission_id}",
                         detail=f"恢复提交{submission_id}（{name}）", at=now,
                         before={"status": status, "supersedes": supersedes},
                         after={"status": "active", "supersedes": new_supersedes})
        return (f"已恢复提交{submission_id}（{name}），重新生效" +
                (f"；提交{'、'.join(map(str, replaced))}改为“已被更正替代”，可随时恢复。" if replaced else "。"))

    def rollback_demo(self, actor: access.Actor) -> int:
        """Withdraw every active demo submission at once (before real data goes live); returns how many.
        Administrators only."""
        with self._refusals_logged(actor, "演示数据"), self.transaction() as con:
            actor = access.require_admin(con, actor, "撤销全部演示数据")
            ids = [r[0] for r in con.execute("SELECT id FROM submissions WHERE is_demo AND status = 'active'").fetchall()]
            if ids:
                con.execute("UPDATE submissions SET status = 'rolled_back' WHERE is_demo AND status = 'active'")
                audit.record(con, actor.name, "rollback_demo", target="演示数据", detail=f"撤销全部演示数据（{len(ids)}份）",
                             before={"status": "active", "submissions": ids}, after={"status": "rolled_back"})
        return len(ids)

    def submissions(self) -> pl.DataFrame:
        with self.connect() as con:
            return con.sql("SELECT * FROM submissions ORDER BY id").pl()

    def register_rows(self, table: str) -> pl.DataFrame:
        if table not in REGISTER_TABLES:
            raise ValueError(f"unknown register table {table}")
        with self.connect() as con:
            return con.sql(f"SELECT r.*, s.period FROM {table} r JOIN submissions s ON s.id = r.submission_id "
                           "WHERE s.status = 'active' ORDER BY s.period, r.row_no").pl()

    def checkins(self) -> pl.DataFrame:
        """Every task check-in of an active submission, with its period, who uploaded it and when."""
        with self.connect() as con:
            return con.sql(
                "SELECT c.task_id, c.unit, s.period, c.state, c.progress, c.evidence, c.next_step, c.figure, "
                "c.figure_unit, c.origin, c.submission_id, s.file_name, s.uploader, s.uploaded_at "
                f"FROM {access.CHECKIN_TABLE} c JOIN submissions s ON s.id = c.submission_id "
                "WHERE s.status = 'active' ORDER BY c.task_id, s.period, s.uploaded_at, c.unit").pl()

    def file_content(self, sha256: str) -> bytes | None:
        with self.connect() as con:
            row = con.execute("SELECT content FROM files WHERE sha256 = ?", [sha256]).fetchone()
            return None if row is None else bytes(row[0])

    def has_active_demo(self) -> bool:
        with self.connect() as con:
            return bool(con.execute("SELECT count(*) FROM submissions WHERE status = 'active' AND is_demo")
                        .fetchone()[0])

    def revision(self) -> str:
        """Changes whenever data are written (an upload, a withdrawal: not a login or an account change); the
        dashboard's caches are keyed on it.

        Read from a small file beside the database (`<db>.revision`), without opening the database: every rerun
        asks, and opening DuckDB costs about a tenth of a second. A data write, here or by another process,
        gives it a new token just before and just after its commit (see `transaction`); the database file's
        inode is part of it, so a database replaced under the same name is not taken for the old one."""
        if not self.path.exists():
            return "empty"
        return f"{self.path.stat().st_ino}:{_read_revision(self.path)}"

    def sessions_revision(self) -> str:
        """Changes whenever a login may have ended or changed (a logout, an expiry, an account disabled, its
        role, scope or password changed), here or in another process; read like `revision`, from a file
        (`<db>.sessions`). The dashboard checks a logged-in session in the database again when it changed."""
        if not self.path.exists():
            return "empty"
        return f"{self.path.stat().st_ino}:{_read_revision(self.path, SESSIONS)}"

    def counts(self) -> dict[str, int]:
        with self.connect() as con:
            tables = ("files", "submissions", "observations", *ROW_TABLES, "audit_log")
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


