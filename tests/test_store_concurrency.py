"""Threads of one process share the database: commits take turns and re-check inside their transaction,
reads run beside writes, and a database error reaches the user as a Chinese sentence."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from store import Store, StoreError
from store.access import operator
from tests.test_store import draft


def _race(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..n-1) in n threads released at the same instant; exceptions are returned, not raised."""
    barrier = threading.Barrier(n)
    out: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = work(i)
        except Exception as e:  # the assertion is on what came back
            out[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return out


def test_the_same_file_confirmed_at_once_is_stored_once(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    results = _race(4, lambda _: Store(store.path).commit_submission(draft(), operator()))
    assert sorted(r.status for r in results) == ["duplicate", "duplicate", "duplicate", "ok"], results
    assert store.submissions().height == 1
    assert all("已于" in r.message for r in results if r.status == "duplicate")


def test_two_versions_of_the_same_data_and_month_never_both_stay_active(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    results = _race(4, lambda i: Store(store.path).commit_submission(draft(f"version-{i}".encode(), value=4000.0 + i), operator()))
    assert all(r.status == "ok" for r in results), results
    subs = store.submissions()
    assert subs.height == 4
    assert subs.filter(subs["status"] == "active").height == 1
    # each later commit superseded the one active before it: one unbroken chain
    assert sorted(r.superseded_id for r in results if r.superseded_id) == sorted(
        subs.filter(subs["status"] == "superseded")["id"].to_list())
    values = store.current_values()
    assert values.height == 2  # the two figures of the one active version, no mix of versions


def test_reads_run_beside_writes_without_errors(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    store.commit_submission(draft(b"first"), operator())

    def work(i: int) -> object:
        s = Store(store.path)
        if i % 4 == 0:
            return s.commit_submission(draft(f"w{i}".encode(), value=float(i)), operator())
        return (s.revision(), s.current_values().height, s.active_observations().height)

    results = _race(12, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert store.submissions().filter(store.submissions()["status"] == "active").height == 1


def test_a_file_that_is_not_a_database_is_a_chinese_message(tmp_path):
    path = tmp_path / "broken.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="无法打开数据库"):
        Store(path).counts()


def test_an_error_inside_a_query_is_a_chinese_message_and_the_store_stays_usable(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    with pytest.raises(StoreError, match=r"读写数据库时出错.*本次操作未生效"), store.connect() as con:
        con.execute("SELECT * FROM no_such_table")
    assert store.counts()["submissions"] == 0
