"""Backups: a consistent copy of the database and of every kept original upload, with a manifest that a
restore checks before it writes anything.

A backup is a folder `tfm-YYYYMMDD-HHMMSS/` holding `database.duckdb`, `originals/<sha256>` (each
upload byte for byte, named by its hash so a hostile file name never becomes a path) and
`manifest.json` (every file with its sha256 and size, the row count of every table, the active
observations, the schema version, the time).

How the copy stays consistent while the dashboard runs: DuckDB lets one process hold the file at a
time, and the dashboard holds it only while a page reads (store/database.py opens on first use, closes
after the last, and retries a locked file for ten seconds). The backup opens the file the same way,
takes the store's write lock and copies the whole database with `COPY FROM DATABASE` inside one
transaction: a snapshot of one committed state, made without a checkpoint (which fails while readers
run) and without copying the raw file (which a checkpoint could rewrite beneath us). The live file is
held for that copy only; the originals are read from the copy afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from domain import clock
from store import access, audit
from store.database import MIGRATIONS, Store, StoreError

FORMAT = "tfm-backup/1"
MANIFEST = "manifest.json"
DATABASE = "database.duckdb"
ORIGINALS = "originals"
FOLDER_PREFIX = "tfm-"
CORE_TABLES = ("files", "submissions", "observations")  # compared even when a restore upgrades the schema

Progress = Callable[[str, int, int], None]  # (stage, done, total)
_SHA = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20


class BackupError(StoreError):
    """A backup that cannot be made or restored; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    manifest: dict[str, Any]
    held_seconds: float  # how long the live database was held (the dashboard waits meanwhile)

    @property
    def message(self) -> str:
        c, db = self.manifest["counts"], database_entry(self.manifest)
        return (f"备份完成：{self.folder}（数据库 {db['size'] / 1e6:.1f} MB，原始文件 {c['files']} 个，"
                f"报送 {c['submissions']} 份，生效观测值 {c['active_observations']} 条；"
                f"占用数据库 {self.held_seconds:.1f} 秒）")


@dataclass(frozen=True)
class RestoreResult:
    db: Path
    manifest: dict[str, Any]
    kept_previous: Path | None  # the database that was there before, when --force replaced one
    sessions_ended: int = 0  # logins open when the backup was taken, ended in the restored database

    @property
    def message(self) -> str:
        c = self.manifest["counts"]
        kept = f"；原数据库保留为 {self.kept_previous}" if self.kept_previous else ""
        return (f"已从备份（{self.manifest['created_at']}）恢复到 {self.db}：原始文件 {c['files']} 个，"
                f"报送 {c['submissions']} 份，生效观测值 {c['active_observations']} 条，均已核对；"
                f"备份时的 {self.sessions_ended} 个登录已结束，需重新登录{kept}。")


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def database_entry(manifest: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in manifest["files"] if e.get("path") == DATABASE)


def latest_schema_version() -> int:
    return max((int(p.name[:4]) for p in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql")), default=0)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _table_counts(store: Store) -> dict[str, int]:
    """Rows of every table (also tables later migrations add), and the observations of active submissions."""
    with store.connect() as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
            "AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        counts["active_observations"] = con.execute(
            "SELECT count(*) FROM observations o JOIN submissions s ON s.id = o.submission_id "
            "WHERE s.status = 'active'").fetchone()[0]
        return counts


# -- backup ------------------------------------------------------------------------------------------


def _new_folder(out: Path) -> tuple[Path, Path]:
    """(the folder the backup ends up in, the hidden folder it is written to first)."""
    stamp = f"{FOLDER_PREFIX}{clock.now():%Y%m%d-%H%M%S}"
    final, n = out / stamp, 1
    while final.exists():  # two backups in one second
        n += 1
        final = out / f"{stamp}-{n}"
    return final, out / f".{final.name}.partial-{os.getpid()}"


def _copy_live(source: Store, target: Path) -> float:
    """Copy the live database into `target` as one snapshot; returns the seconds the live file was held."""
    alias = f"tfm_backup_{os.getpid()}"
    started = time.monotonic()
    # The outer cursor keeps the process's connection open past the transaction so that DETACH
    # (refused inside the transaction that wrote the copy) runs on the same connection.
    with source.connect() as con:
        try:
            with source.transaction() as tx:  # the write lock: no writer of this process commits meanwhile
                name = tx.execute("SELECT current_database()").fetchone()[0]
                tx.execute(f"ATTACH {_sql_text(str(target))} AS {alias}")
                tx.execute(f'COPY FROM DATABASE "{name}" TO {alias}')
        finally:
            con.execute(f"DETACH DATABASE IF EXISTS {alias}")
    return time.monotonic() - started


def backup(db: Path | str, out: Path | str, progress: Progress = _quiet) -> BackupResult:
    """Back up the database `db` into a new folder under `out`; the live file is held only for the copy."""
    db, out = Path(db).resolve(), Path(out).resolve()
    if not db.is_file():
        raise BackupError(f"数据库 {db} 不存在，无法备份。请用 --db 指明看板使用的数据库文件。")
    out.mkdir(parents=True, exist_ok=True)
    final, partial = _new_folder(out)
    # Originals are officials' uploads (and later accounts): readable by the operator only.
    partial.mkdir(mode=0o700)
    try:
        progress("复制数据库", 0, 1)
        copy = partial / DATABASE
        try:
            held = _copy_live(Store(db), copy)
        except duckdb.Error as e:
            raise BackupError(f"复制数据库时出错（{type(e).__name__}）：{e}。备份未完成，请稍后重试。") from e
        progress("复制数据库", 1, 1)
        snapshot = Store(copy)
        with snapshot.kept_open():  # the copy is this process's own: one open for its reads, closed before its hash
            counts = _table_counts(snapshot)
            version = snapshot.schema_version()
            originals = _write_originals(snapshot, partial / ORIGINALS, counts["files"], progress)
        entries = [{"path": DATABASE, "role": "database", "sha256": sha256_file(copy), "size": copy.stat().st_size},
                   *originals]
        manifest = {"format": FORMAT, "created_at": clock.now().isoformat(), "source_db": str(db),
                    "schema_version": version, "duckdb_version": duckdb.__version__, "counts": counts,
                    "files": entries}
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, final)  # a backup folder is complete or absent, never half written
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupResult(final, manifest, held)


def _write_originals(snapshot: Store, folder: Path, total: int, progress: Progress) -> list[dict[str, Any]]:
    folder.mkdir()
    entries = []
    with snapshot.connect() as con:
        rows = con.execute("SELECT sha256, file_name, content FROM files ORDER BY sha256")
        while (row := rows.fetchone()) is not None:
            sha, name, content = row[0], row[1], bytes(row[2])
            actual = hashlib.sha256(content).hexdigest()
            if actual != sha or not _SHA.fullmatch(sha):
                raise BackupError(f"数据库中的原始文件「{name}」与其记录的校验值不符，备份已中止。请联系系统管理员检查数据库。")
            (folder / sha).write_bytes(content)
            entries.append({"path": f"{ORIGINALS}/{sha}", "role": "original", "sha256": sha, "size": len(content),
                            "file_name": name})
            progress("导出原始文件", len(entries), total)
    return entries


# -- restore -----------------------------------------------------------------------------------------


def find_backup(path: Path | str) -> Path:
    """The backup folder `path` is, or the newest one inside it (the folder a daily timer writes into)."""
    path = Path(path).resolve()
    if (path / MANIFEST).is_file():
        return path
    found = sorted(p for p in path.glob(f"{FOLDER_PREFIX}*") if (p / MANIFEST).is_file()) if path.is_dir() else []
    if not found:
        raise BackupError(f"{path} 不是备份目录（其中没有 {MANIFEST}），也不含任何备份。请指明 backup 命令输出的目录。")
    return found[-1]


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BackupError(f"无法读取备份清单 {folder / MANIFEST}（{e}）。该备份不可用于恢复。") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), list):
        raise BackupError(f"{folder / MANIFEST} 不是本系统的备份清单（格式应为 {FORMAT}）。该备份不可用于恢复。")
    return manifest


def verify(folder: Path, progress: Progress = _quiet) -> dict[str, Any]:
    """Check every file of a backup against its manifest; any difference refuses the whole backup."""
    manifest = read_manifest(folder)
    entries: list[dict[str, Any]] = manifest["files"]
    problems: list[str] = []
    listed: set[str] = set()
    for i, entry in enumerate(entries, 1):
        rel = str(entry.get("path", ""))
        # only the two shapes a backup writes, so a hostile manifest cannot point outside the folder
        if not (rel == DATABASE or (rel.startswith(f"{ORIGINALS}/") and _SHA.fullmatch(rel[len(ORIGINALS) + 1:]))):
            problems.append(f"清单中的路径「{rel}」不合规")
            continue
        listed.add(rel)
        path = folder / rel
        if not path.is_file():
            problems.append(f"缺少 {rel}")
        elif path.stat().st_size != entry.get("size") or sha256_file(path) != entry.get("sha256"):
            problems.append(f"{rel} 与清单记录的校验值不符")
        progress("校验备份文件", i, len(entries))
    if DATABASE not in listed:
        problems.append(f"清单中没有数据库文件 {DATABASE}")
    extra = sorted(p.relative_to(folder).as_posix() for p in (folder / ORIGINALS).glob("*")
                   if p.relative_to(folder).as_posix() not in listed) if (folder / ORIGINALS).is_dir() else []
    problems += [f"{rel} 不在清单中" for rel in extra]
    if problems:
        shown = "；".join(problems[:5]) + (f"；另有{len(problems) - 5}处" if len(problems) > 5 else "")
        raise BackupError(f"备份 {folder} 未通过校验，可能已损坏或被改动：{shown}。未作任何恢复，请换用另一份备份。")
    if int(manifest.get("schema_version", 0)) > latest_schema_version():
        raise BackupError(f"该备份来自较新版本的系统（数据库结构版本 {manifest['schema_version']}，本程序最高支持 "
                          f"{latest_schema_version()}）。请先升级本程序再恢复。")
    return manifest


def _check_restored(store: Store, manifest: dict[str, Any], progress: Progress) -> None:
    """The restored database holds exactly the backup's rows and originals."""
    counts, expected = _table_counts(store), manifest["counts"]
    same_schema = store.schema_version() == manifest["schema_version"]
    keys = [k for k in expected if same_schema or k in (*CORE_TABLES, "active_observations")]
    wrong = [f"{k}：应为{expected[k]}，实为{counts.get(k)}" for k in keys if counts.get(k) != expected[k]]
    originals = {e["sha256"] for e in manifest["files"] if e.get("role") == "original"}
    seen: set[str] = set()
    with store.connect() as con:
        rows = con.execute("SELECT sha256, content FROM files")
        while (row := rows.fetchone()) is not None:
            if hashlib.sha256(bytes(row[1])).hexdigest() != row[0] or row[0] not in originals:
                wrong.append(f"原始文件 {row[0][:12]}… 与备份不符")
            seen.add(row[0])
            progress("核对原始文件", len(seen), len(originals))
    wrong += [f"原始文件 {sha[:12]}… 未恢复" for sha in sorted(originals - seen)]
    if wrong:
        raise BackupError("恢复出的数据库与备份清单不符（" + "；".join(wrong[:5]) + "），已放弃本次恢复。")


def restore(source: Path | str, db: Path | str, *, force: bool = False, progress: Progress = _quiet,
            actor: access.Actor | None = None) -> RestoreResult:
    """Bring a backup back as the database `db`. An existing database is replaced only with `force`, and
    is then kept beside it as `<name>.before-restore-<time>`; nothing is written before the backup checks."""
    folder, db = find_backup(source), Path(db).resolve()
    wal = db.with_name(db.name + ".wal")
    if wal.exists():  # a log DuckDB would replay into whatever file is at `db` next
        raise BackupError(f"数据库 {db} 旁有未合并的日志文件 {wal.name}，可能仍有程序在使用它。"
                          "请先停止看板和其他导入程序，再重试恢复。")
    if db.exists() and not force:
        raise BackupError(f"数据库 {db} 已存在，恢复不会覆盖它。请用 --db 指定一个新路径；"
                          "确需用备份替换该数据库时，先停止看板，再加 --force（原数据库会另存一份）。")
    manifest = verify(folder, progress)
    db.parent.mkdir(parents=True, exist_ok=True)
    temp = db.with_name(f".{db.name}.restoring-{os.getpid()}")
    try:
        progress("复制数据库", 0, 1)
        shutil.copyfile(folder / DATABASE, temp)
        if sha256_file(temp) != database_entry(manifest)["sha256"]:
            raise BackupError(f"复制到 {temp.parent} 的数据库与备份不一致（磁盘可能已满或出错），已放弃本次恢复。")
        progress("复制数据库", 1, 1)
        _check_restored(Store(temp), manifest, progress)  # opening it also brings an older schema up to date
        ended = _mark_restored(Store(temp), folder, manifest, actor or access.operator())
        kept = None
        if db.exists():
            kept = db.with_name(f"{db.name}.before-restore-{clock.now():%Y%m%d-%H%M%S}")
            try:  # the old database stays whole under a new name; then one atomic swap
                os.link(db, kept)
            except OSError:  # a file system without hard links
                shutil.copy2(db, kept)
        os.replace(temp, db)
    finally:
        for leftover in (temp, temp.with_name(temp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return RestoreResult(db, manifest, kept, ended)


def _mark_restored(store: Store, folder: Path, manifest: dict[str, Any], actor: access.Actor) -> int:
    """The restored database's own record of the restore, and no login carried over from the backup: a
    browser still holding a token from then must log in again. Returns the sessions ended."""
    with store.transaction(data=False) as con:
        ended = con.execute("UPDATE sessions SET ended_at = ? WHERE ended_at IS NULL RETURNING 1",
                            [clock.now()]).fetchall()
        audit.record(con, actor.name, "backup_restored", target=folder.name,
                     detail=f"从 {manifest['created_at'][:19].replace('T', ' ')} 的备份恢复；结束备份中的登录 {len(ended)} 个",
                     after={"backup": str(folder), "counts": manifest["counts"]})
    return len(ended)
