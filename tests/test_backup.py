"""Backups: `python -m loaders backup` copies the database and every kept original while others use it;
`restore` checks the copy against its manifest and brings back the same observations and the same files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from domain import clock
from domain.model import Registry
from loaders.__main__ import main
from loaders.ingest import ingest
from store import Store
from store.backup import DATABASE, MANIFEST, ORIGINALS
from tests.paths import FIXTURES, ROOT
from tests.test_corrections import loans_file

SPREADSHEETS = (".xlsx", ".xls", ".csv")


@pytest.fixture(scope="module")
def filled_db(tmp_path_factory: pytest.TempPathFactory, registry: Registry) -> Path:
    """A database filled by the real loaders: the agency-shaped fixture files, and a correction that
    supersedes an earlier upload (so history, not only active rows, has to come back)."""
    store = Store(tmp_path_factory.mktemp("filled") / "tfm.duckdb")
    for path in sorted(FIXTURES.iterdir()):
        if path.suffix in SPREADSHEETS:
            assert ingest(store, path.read_bytes(), path.name, registry, uploader="测试").status == "ok", path.name
    first = ingest(store, loans_file(9, {"江岸区": 100.0, "江汉区": 200.0}), "202609.xlsx", registry, uploader="甲")
    fixed = ingest(store, loans_file(9, {"江岸区": 110.0, "江汉区": 200.0}), "202609_更正.xlsx", registry, uploader="乙")
    assert first.status == fixed.status == "ok"
    assert fixed.commit is not None and fixed.commit.superseded_id == first.commit.submission_id
    assert not store.path.with_name(store.path.name + ".wal").exists(), "a copy of the file would be incomplete"
    return store.path


@pytest.fixture
def real_db(filled_db: Path, tmp_path: Path) -> Path:
    """A copy of the filled database that a test may write to and back up."""
    db = tmp_path / "live" / "tfm.duckdb"
    db.parent.mkdir()
    shutil.copy(filled_db, db)
    return db


def file_hashes(db: Path) -> dict[str, str]:
    """sha256 recorded for each kept original → sha256 of the bytes actually stored."""
    with Store(db).connect() as con:
        return {sha: hashlib.sha256(bytes(content)).hexdigest()
                for sha, content in con.execute("SELECT sha256, content FROM files").fetchall()}


def only_backup(out: Path) -> Path:
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 1, folders
    return folders[0]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_same_content(live: Path, restored: Path) -> None:
    before, after = Store(live).active_observations(), Store(restored).active_observations()
    assert before.height > 0
    assert before.equals(after), "the active observations differ after restore"
    assert Store(live).submissions().equals(Store(restored).submissions()), "the submissions differ after restore"
    kept = file_hashes(live)
    assert kept and all(sha == actual for sha, actual in kept.items())
    assert file_hashes(restored) == kept, "the kept originals differ after restore"


# -- the round trip ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["real_db", "demo_copy"])
def test_backup_then_restore_gives_back_every_active_observation_and_every_kept_file(request, source, tmp_path,
                                                                                      capsys, registry):
    live: Path = request.getfixturevalue(source)
    out, restored = tmp_path / "backups", tmp_path / "elsewhere" / "restored.duckdb"
    code, said, _ = run(capsys, "backup", "--db", live, "--out", out)
    assert code == 0 and "备份完成" in said
    folder = only_backup(out)

    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    counts = Store(live).counts()
    assert manifest["counts"]["files"] == counts["files"] and manifest["counts"]["observations"] == counts["observations"]
    assert manifest["counts"]["active_observations"] == Store(live).active_observations().height
    assert manifest["schema_version"] == Store(live).schema_version()
    # every kept original is also a plain file of the backup, under its hash, with its name in the manifest
    originals = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (folder / ORIGINALS).iterdir()}
    assert originals == {sha: sha for sha in file_hashes(live)}
    names = {e["sha256"]: e["file_name"] for e in manifest["files"] if e["role"] == "original"}
    assert sorted(names.values()) == sorted(Store(live).submissions()["file_name"].unique().to_list())

    code, said, _ = run(capsys, "restore", folder, "--db", restored)
    assert code == 0 and "均已核对" in said, said
    assert_same_content(live, restored)
    assert sorted(p.name for p in restored.parent.iterdir()) == ["restored.duckdb"]  # no temporary file left

    # the restored database carries on where the original stopped: the next upload gets the next number
    last = Store(restored).submissions()["id"].max()
    report = ingest(Store(restored), loans_file(11, {"江岸区": 1.0}), "202611_新.xlsx", registry, uploader="丙")
    assert report.status == "ok" and report.commit is not None and report.commit.submission_id == last + 1


def test_a_folder_of_daily_backups_restores_the_newest(real_db, tmp_path, capsys, registry):
    out = tmp_path / "backups"
    with clock.frozen(dt.datetime(2026, 11, 2, 2, 30)):
        assert run(capsys, "backup", "--db", real_db, "--out", out)[0] == 0
    ingest(Store(real_db), loans_file(10, {"江岸区": 5.0}), "202610.xlsx", registry, uploader="甲")
    with clock.frozen(dt.datetime(2026, 11, 3, 2, 30)):
        assert run(capsys, "backup", "--db", real_db, "--out", out)[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["tfm-20261102-023000", "tfm-20261103-023000"]
    restored = tmp_path / "restored.duckdb"
    code, said, _ = run(capsys, "restore", out, "--db", restored)
    assert code == 0 and "2026-11-03T02:30:00" in said
    assert_same_content(real_db, restored)


# -- while others use the database -------------------------------------------------------------------------


def test_a_backup_taken_while_this_process_reads_and_writes_is_one_committed_state(real_db, tmp_path, capsys,
                                                                                    registry):
    """The dashboard's threads keep reading and an upload commits while the backup runs: the copy holds
    each submission whole (its observations, its audit row) or not at all."""
    live = Store(real_db)
    stop, written, errors = threading.Event(), [], []

    def upload() -> None:
        month = 0
        while not stop.is_set():
            month += 1
            content = loans_file(1 + month % 12, {"江岸区": float(month), "江汉区": 2.0 * month},
                                 note=f"（第{month}次）")
            try:
                written.append(ingest(Store(real_db), content, f"上传{month}.xlsx", registry, uploader="并发").status)
            except Exception as e:  # the assertion is on what came back
                errors.append(e)

    writer = threading.Thread(target=upload)
    with live.connect() as reader:  # a page holding its cursor, halfway through reading
        rows = reader.execute("SELECT * FROM observations")
        assert rows.fetchone() is not None
        writer.start()
        while not written and not errors:
            time.sleep(0.05)
        for _ in range(3):
            assert run(capsys, "backup", "--db", real_db, "--out", tmp_path / "backups")[0] == 0
        stop.set()
        writer.join(timeout=120)
    assert not errors and written and set(written) == {"ok"}, (errors, written)

    for folder in sorted((tmp_path / "backups").iterdir()):
        restored = tmp_path / f"{folder.name}.duckdb"
        assert run(capsys, "restore", folder, "--db", restored)[0] == 0
        with Store(restored).connect() as con:
            torn = con.execute(
                "SELECT s.id, s.n_observations, count(o.submission_id) FROM submissions s "
                "LEFT JOIN observations o ON o.submission_id = s.id GROUP BY ALL "
                "HAVING s.n_observations <> count(o.submission_id)").fetchall()
            unlogged = con.execute("SELECT count(*) FROM submissions s WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
                                   "WHERE a.submission_id = s.id AND a.action = 'ingest')").fetchone()[0]
            twice = con.execute("SELECT dataset, period FROM submissions WHERE status = 'active' GROUP BY ALL "
                                "HAVING count(*) > 1").fetchall()
            orphans = con.execute("SELECT count(*) FROM submissions s WHERE NOT EXISTS "
                                  "(SELECT 1 FROM files f WHERE f.sha256 = s.sha256)").fetchone()[0]
        assert not torn and not unlogged and not twice and not orphans, (folder.name, torn, unlogged, twice, orphans)


def test_a_backup_waits_for_another_process_that_holds_the_database(real_db, tmp_path, capsys):
    """Another process (the dashboard's server, an ingest) holds the file for a moment; the backup waits for it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "time.sleep(2); con.close()", str(real_db)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        code, _, err = run(capsys, "backup", "--db", real_db, "--out", tmp_path / "backups")
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert code == 0, err
    assert waited > 1.0, "the backup did not have to wait: the file was not held"
    restored = tmp_path / "restored.duckdb"
    assert run(capsys, "restore", tmp_path / "backups", "--db", restored)[0] == 0
    assert_same_content(real_db, restored)


# -- refusals ----------------------------------------------------------------------------------------------


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _tamper(folder: Path, how: str) -> None:
    original = next((folder / ORIGINALS).iterdir())
    manifest_path = folder / MANIFEST
    if how == "an original changed":
        _flip_a_byte(original)
    elif how == "an original missing":
        original.unlink()
    elif how == "a file added":
        (folder / ORIGINALS / ("0" * 64)).write_bytes(b"=HYPERLINK(...)")
    elif how == "the database changed":
        _flip_a_byte(folder / DATABASE)
    elif how == "the manifest points outside":
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["files"][1]["path"] = "../../etc/passwd"
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    elif how == "the manifest's counts changed":  # files intact: the restored database must disagree
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["counts"]["active_observations"] += 1
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    elif how == "no manifest":
        manifest_path.unlink()
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["an original changed", "an original missing", "a file added", "the database changed",
                                 "the manifest points outside", "the manifest's counts changed", "no manifest"])
def test_a_tampered_backup_is_refused_and_nothing_is_written(real_db, tmp_path, capsys, how):
    assert run(capsys, "backup", "--db", real_db, "--out", tmp_path / "backups")[0] == 0
    folder = only_backup(tmp_path / "backups")
    _tamper(folder, how)
    target = tmp_path / "new" / "restored.duckdb"
    code, said, err = run(capsys, "restore", folder, "--db", target)
    assert code == 2 and not said
    assert any(word in err for word in ("未通过校验", "不符", "不是备份目录")), err
    assert "Traceback" not in err
    assert not target.exists()
    assert not (target.parent.exists() and any(target.parent.iterdir())), "a restore left files behind"


def test_restore_refuses_to_overwrite_a_database_unless_asked(real_db, tmp_path, capsys, registry):
    assert run(capsys, "backup", "--db", real_db, "--out", tmp_path / "backups")[0] == 0
    existing = tmp_path / "other.duckdb"
    ingest(Store(existing), loans_file(3, {"江岸区": 7.0}), "202603.xlsx", registry, uploader="丁")
    before = hashlib.sha256(existing.read_bytes()).hexdigest()

    code, said, err = run(capsys, "restore", tmp_path / "backups", "--db", existing)
    assert code == 2 and not said and "已存在" in err and "--force" in err, err
    assert hashlib.sha256(existing.read_bytes()).hexdigest() == before

    code, said, err = run(capsys, "restore", tmp_path / "backups", "--db", existing, "--force")
    assert code == 0 and "原数据库保留为" in said, err
    assert_same_content(real_db, existing)
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("other.duckdb.before-restore-")]
    assert len(kept) == 1 and hashlib.sha256(kept[0].read_bytes()).hexdigest() == before


def test_a_backup_of_a_missing_database_is_a_chinese_message(tmp_path, capsys):
    code, _, err = run(capsys, "backup", "--db", tmp_path / "nowhere.duckdb", "--out", tmp_path / "backups")
    assert code == 2 and "不存在" in err and not (tmp_path / "nowhere.duckdb").exists()


def test_a_backup_opens_the_live_database_once_and_its_copy_once(real_db, tmp_path, opens):
    from store.backup import backup

    opens.clear()
    done = backup(real_db, tmp_path / "backups")
    assert [Path(p).name for p in opens] == [real_db.name, DATABASE], opens  # the copy's reads share one open
    assert done.manifest["counts"]["files"] > 0


def test_the_backup_folder_is_readable_by_its_owner_only(real_db, tmp_path, capsys):
    assert run(capsys, "backup", "--db", real_db, "--out", tmp_path / "backups")[0] == 0
    assert only_backup(tmp_path / "backups").stat().st_mode & 0o077 == 0



def test_a_restore_ends_the_logins_of_the_backup_and_says_so_in_its_audit_log(tmp_path, capsys, cheap_hashes):
    from store import accounts
    from store.access import operator

    live = Store(tmp_path / "live.duckdb")
    accounts.add(live, operator(), "管理员", "admin", "初始密码-2026")
    token = accounts.open_session(live, accounts.authenticate(live, "管理员", "初始密码-2026"))
    assert accounts.resume_session(live, token) is not None
    code, _, _ = run(capsys, "backup", "--db", live.path, "--out", tmp_path / "b")
    assert code == 0
    restored = tmp_path / "restored.duckdb"
    code, said, _ = run(capsys, "restore", only_backup(tmp_path / "b"), "--db", restored)
    assert code == 0 and "备份时的 1 个登录已结束" in said, said
    # A browser still holding the cookie from before the backup must log in again on the restored database.
    assert accounts.resume_session(Store(restored), token) is None
    assert accounts.resume_session(live, token) is not None  # the live database is untouched
    last = accounts.audit_entries(Store(restored), operator()).row(0, named=True)
    assert last["action"] == "backup_restored" and last["actor"].startswith("命令行")
    assert "结束备份中的登录 1 个" in last["detail"]
