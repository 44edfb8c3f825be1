"""The DuckDB store: migrations, a write round trip, and all-or-nothing commits."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
import pytest

from store import OBSERVATION_SCHEMA, Store, StoreError, SubmissionDraft
from store.access import operator
from store.database import MIGRATIONS

OCT = dt.date(2026, 10, 31)


def draft(content: bytes = b"file-1", value: float = 4595.9, **kw) -> SubmissionDraft:
    obs = pl.DataFrame([
        {"indicator_code": "tech_loan_balance", "region_code": "420100", "period": OCT, "value": value,
         "origin": "Sheet1!B4", "is_computed": False},
        {"indicator_code": "tech_loan_balance", "region_code": "WH_DHGX", "period": OCT, "value": 1600.5,
         "origin": "Sheet1!B17", "is_computed": False},
    ], schema=OBSERVATION_SCHEMA)
    args = {"file_name": "202610_人行.xlsx", "content": content, "agency": "人行武汉分行营管部",
            "dataset": "table:tech_loan_balance@420100", "period": OCT, "observations": obs, "uploader": "测试"}
    args.update(kw)
    return SubmissionDraft(**args)


def _tables(path) -> set[str]:
    with duckdb.connect(str(path)) as con:
        return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def test_migrations_create_every_table_once(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    latest = max(int(p.name[:4]) for p in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    assert store.schema_version() == latest
    assert {"submissions", "observations", "files", "institutions", "funds", "seed_firms", "audit_log",
            "schema_migrations"} <= _tables(store.path)
    assert Store(store.path).schema_version() == latest  # opening again applies nothing twice


def test_a_database_made_by_the_first_migration_loses_only_its_unused_tables(tmp_path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:  # as 0001 left a database before it was trimmed
        con.execute((MIGRATIONS / "0001_initial.sql").read_text(encoding="utf-8"))
        con.execute("CREATE TABLE tasks (id VARCHAR); CREATE TABLE task_updates (task_id VARCHAR); "
                    "CREATE TABLE users (name VARCHAR)")
        con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                    "applied_at TIMESTAMP NOT NULL); INSERT INTO schema_migrations VALUES (1, '0001_initial', now())")
    Store(path).schema_version()
    tables = _tables(path)
    assert not {"tasks", "task_updates"} & tables
    assert {"submissions", "observations", "audit_log"} <= tables
    with duckdb.connect(str(path)) as con:  # the old one-column users went; 0003 made the accounts table
        columns = {r[0] for r in con.execute("DESCRIBE users").fetchall()}
    assert {"name", "role", "password_hash", "locked_until"} <= columns


def test_round_trip_keeps_values_origin_and_file(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    result = store.commit_submission(draft(), operator())
    assert result.status == "ok" and result.superseded_id is None
    obs = store.active_observations()
    assert obs.height == 2
    row = obs.filter(pl.col("region_code") == "420100").row(0, named=True)
    assert row["value"] == 4595.9 and row["origin"] == "Sheet1!B4" and row["period"] == OCT
    assert row["file_name"] == "202610_人行.xlsx" and row["agency"] == "人行武汉分行营管部"
    sha = store.submissions()["sha256"][0]
    assert store.file_content(sha) == b"file-1"


def test_same_file_again_is_a_no_op_that_says_so(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    first = store.commit_submission(draft(), operator())
    again = store.commit_submission(draft(), operator())
    assert again.status == "duplicate" and again.submission_id == first.submission_id
    assert "已于" in again.message and "未作改动" in again.message
    assert store.counts()["submissions"] == 1


def test_a_correction_supersedes_and_keeps_history(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    first = store.commit_submission(draft(), operator())
    second = store.commit_submission(draft(content=b"file-2", value=4600.0), operator())
    assert second.superseded_id == first.submission_id
    subs = store.submissions()
    assert subs["status"].to_list() == ["superseded", "active"]
    obs = store.active_observations().filter(pl.col("region_code") == "420100")
    assert obs["value"].to_list() == [4600.0]
    assert store.counts()["observations"] == 4  # nothing deleted


def test_a_failing_write_leaves_the_database_as_it_was(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    store.commit_submission(draft(), operator())
    before = store.counts()
    rev = store.revision()
    # The register frame names a column the table does not have: the insert fails after the
    # submission, the file and the observations were already written inside the transaction.
    bad = draft(content=b"file-3", registers={"funds": pl.DataFrame({"row_no": [1], "name": ["基金"],
                                                                      "no_such_column": [1]})})
    with pytest.raises(StoreError, match="本次操作未生效") as e:
        store.commit_submission(bad, operator())
    assert isinstance(e.value.__cause__, duckdb.Error)
    assert store.counts() == before
    assert store.revision() == rev
    assert store.submissions()["status"].to_list() == ["active"]


def test_revision_changes_on_every_write(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    r0 = store.revision()
    store.commit_submission(draft(), operator())
    r1 = store.revision()
    store.commit_submission(draft(content=b"file-2"), operator())
    assert len({r0, r1, store.revision()}) == 3


def test_a_login_or_an_account_change_leaves_the_revision(tmp_path):
    """The dashboard's caches key on the revision: logins must not empty them for everyone."""
    from store import accounts

    store = Store(tmp_path / "t.duckdb")
    store.commit_submission(draft(), operator())
    rev = store.revision()
    accounts.add(store, operator(), "zhang", "analyst", "一个足够长的密码")
    accounts.authenticate(store, "zhang", "一个足够长的密码")
    with pytest.raises(accounts.LoginRefused):
        accounts.authenticate(store, "zhang", "错误的密码错误的")
    assert store.revision() == rev
    store.commit_submission(draft(content=b"file-2"), operator())
    assert store.revision() != rev


def test_a_write_by_another_process_or_a_replaced_file_changes_the_revision(tmp_path):
    import subprocess
    import sys

    from tests.paths import FIXTURES, ROOT

    db = tmp_path / "t.duckdb"
    store = Store(db)
    store.commit_submission(draft(), operator())
    rev = store.revision()
    # the command line is another process: the point of this test
    done = subprocess.run([sys.executable, "-m", "loaders", "ingest", str(FIXTURES / "pboc_loans_202610.xlsx"),
                           "--db", str(db)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert store.revision() != rev
    rev = store.revision()
    replacement = tmp_path / "other.duckdb"
    Store(replacement).commit_submission(draft(content=b"other"), operator())
    replacement.replace(db)  # a restore under the same name, its revision file left as it was
    assert Store(db).revision() != rev
