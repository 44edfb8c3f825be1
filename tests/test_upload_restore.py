"""A withdrawn submission can be restored (by its uploader or an administrator, checked in the store's
transaction and audited); a file identical to a withdrawn one is imported again, not refused as a duplicate."""

from __future__ import annotations

import json

import duckdb
import polars as pl
import pytest

from loaders.ingest import commit, ingest, prepare
from store import Store, StoreError, accounts
from store.access import ANONYMOUS, AccessDenied, Actor, operator
from tests.agency_files import loans_file

pytestmark = pytest.mark.usefixtures("cheap_hashes")


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "t.duckdb")
    for name, role in (("查看员", "viewer"), ("填报甲", "analyst"), ("填报乙", "analyst"), ("管理员", "admin")):
        accounts.add(s, operator(), name, role, "初始密码-2026")
    return s


def user(store: Store, name: str) -> Actor:
    return accounts.get(store, name).actor


def jiang_an(store: Store) -> list[float]:
    v = store.current_values()
    return v.filter(pl.col("region_code") == "420102").sort("period")["value"].to_list()


def statuses(store: Store) -> list[str]:
    return store.submissions().sort("id")["status"].to_list()


def audit_rows(store: Store) -> list[tuple]:
    with duckdb.connect(str(store.path), read_only=True) as con:
        return con.execute("SELECT actor, action, submission_id, detail, before_json, after_json FROM audit_log "
                           "WHERE action IN ('reactivate', 'supersede', 'denied') ORDER BY logged_at, rowid").fetchall()


def test_restore_brings_a_withdrawn_submission_back_and_supersedes_the_active_one(store, registry):
    jia = user(store, "填报甲")
    first = ingest(store, loans_file(9, {"江岸区": 100.0}), "202609.xlsx", registry, actor=jia)
    fixed = ingest(store, loans_file(9, {"江岸区": 110.0}, note="（更正）"), "202609_更正.xlsx", registry, actor=jia)
    assert statuses(store) == ["superseded", "active"]
    store.rollback(fixed.commit.submission_id, jia)  # the correction withdrawn: the first is back
    assert statuses(store) == ["active", "rolled_back"] and jiang_an(store) == [100.0]

    said = store.restore(fixed.commit.submission_id, jia)
    assert "已恢复提交2" in said and "提交1改为“已被更正替代”" in said
    assert statuses(store) == ["superseded", "active"] and jiang_an(store) == [110.0]
    # the one it replaced stays restorable, and withdrawing the restored one brings it back again
    assert "恢复了此前的提交1" in store.rollback(fixed.commit.submission_id, jia)
    assert jiang_an(store) == [100.0]
    store.restore(fixed.commit.submission_id, jia)
    store.restore(first.commit.submission_id, jia)
    assert statuses(store) == ["active", "superseded"] and jiang_an(store) == [100.0]
    with pytest.raises(StoreError, match="已经是生效状态"):
        store.restore(first.commit.submission_id, jia)

    rows = audit_rows(store)
    restored = next(r for r in rows if r[1] == "reactivate" and r[3].startswith("恢复提交2"))
    assert restored[0] == "填报甲" and json.loads(restored[4]) == {"status": "rolled_back", "supersedes": 1}
    assert json.loads(restored[5]) == {"status": "active", "supersedes": 1}
    assert any(r[1] == "supersede" and r[2] == 1 and r[3] == "因恢复提交2而被替代" for r in rows)


def test_only_the_uploader_or_an_administrator_may_restore(store, registry):
    jia, yi = user(store, "填报甲"), user(store, "填报乙")
    theirs = ingest(store, loans_file(9, {"江岸区": 100.0}), "202609.xlsx", registry, actor=jia)
    store.rollback(theirs.commit.submission_id, jia)
    for who, says in ((yi, "只能恢复自己上传的提交；提交1由「填报甲」上传"), (user(store, "查看员"), "查看账号"),
                      (ANONYMOUS, "请先登录")):
        with pytest.raises(AccessDenied, match=says):
            store.restore(theirs.commit.submission_id, who)
    assert statuses(store) == ["rolled_back"] and jiang_an(store) == []
    assert [r[0] for r in audit_rows(store) if r[1] == "denied"] == ["填报乙", "查看员", "匿名"]
    assert "已恢复提交1" in store.restore(theirs.commit.submission_id, user(store, "管理员"))
    assert jiang_an(store) == [100.0]


def test_restore_of_an_unknown_submission_says_so(store):
    with pytest.raises(StoreError, match="没有编号为 99 的提交"):
        store.restore(99, operator())


def test_a_file_identical_to_a_withdrawn_one_is_imported_again_as_a_new_submission(store, registry):
    jia = user(store, "填报甲")
    content = loans_file(9, {"江岸区": 100.0})
    first = ingest(store, content, "202609.xlsx", registry, actor=jia)
    again = prepare(store, content, "202609.xlsx", registry, actor=jia)
    assert again.status == "duplicate"  # while it is in force, the same bytes change nothing

    store.rollback(first.commit.submission_id, jia)
    again = prepare(store, content, "202609（再次）.xlsx", registry, actor=jia)
    assert again.status == "ok" and again.earlier_copy["id"] == 1
    assert "本文件与提交1（已撤销）内容相同" in again.notice and "新的提交" in again.notice
    done = commit(store, again, actor=jia)
    assert done.status == "ok" and done.commit.submission_id == 2
    assert statuses(store) == ["rolled_back", "active"] and jiang_an(store) == [100.0]
    assert prepare(store, content, "x.xlsx", registry, actor=jia).status == "duplicate"  # now in force again
