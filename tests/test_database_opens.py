"""A rerun reads the store's revision from a file beside the database (store.Store.revision) and every cached query
keys on it, so a rerun with nothing new opens the database not at all; typing in a unit's register search reads from the
cache. A write opens it again once, for the queries whose revision changed. (In a browser the search box is a
fragment, whose reruns skip dashboard.py; AppTest reruns the whole script, so here it counts as one rerun.)"""

from __future__ import annotations

import polars as pl
import pytest

import store.database
from store import access, accounts


@pytest.mark.parametrize("page", [None, "pages/indicator.py", "pages/districts.py", "pages/hubei.py"])
def test_a_rerun_with_nothing_new_does_not_open_the_database(open_page, demo_db, opens, page):
    at = open_page(page, db=demo_db)  # the first run fills the caches
    opens.clear()
    at.run()
    assert not at.exception
    assert opens == [], f"a rerun of {page or '总览'} opened the database {len(opens)} times"


def test_a_logged_in_rerun_with_nothing_new_does_not_open_the_database(open_page, sign_in, demo_copy, opens):
    at = sign_in(open_page(db=demo_copy), demo_copy, "viewer", name="查看丁")
    at.run()  # the first run after the login checks the session
    opens.clear()
    at.run()
    assert not at.exception and any("已登录：**查看丁**" in c.value for c in at.sidebar.caption)
    assert opens == [], f"a logged-in rerun of 总览 opened the database {len(opens)} times"


@pytest.mark.parametrize("elsewhere", ["logged out in another browser", "disabled by an administrator"])
def test_a_login_ended_elsewhere_ends_at_the_next_rerun(open_page, sign_in, demo_copy, opens, elsewhere):
    at = sign_in(open_page(db=demo_copy), demo_copy, "viewer", name="查看戊")
    at.run()
    db = store.database.Store(demo_copy)
    if elsewhere == "disabled by an administrator":
        accounts.set_active(db, access.operator(), "查看戊", False)
    else:  # the same account's other session: 退出登录 there ends only that one; this one's own token ends here
        accounts.end_session(db, at.session_state["_session_token"])
    opens.clear()
    at.run()
    assert not at.exception and at.session_state["_actor"].role == "anonymous"
    assert "登录已过期或已在别处退出，请重新登录。" in [e.value for e in at.error]  # in the sidebar's login popover
    assert len(opens) == 1  # the session checked again, once


def test_a_login_opens_the_database_once_and_its_next_run_once(open_page, cheap_hashes, demo_copy, opens):
    """The password check, the account's update and the new session share one open; the run after it checks the
    session (a new token) with one more."""
    from tests.streamlit_server import TEST_PASSWORD, make_account

    at = open_page(db=demo_copy)
    make_account(demo_copy, "查看己", "viewer")
    at.text_input(key="login_name").input("查看己")
    at.text_input(key="login_password").input(TEST_PASSWORD)
    opens.clear()
    at.button(key="login_submit").click().run()
    assert not at.exception and any("已登录：**查看己**" in c.value for c in at.sidebar.caption)
    assert len(opens) == 2, opens


def test_after_a_write_a_rerun_opens_the_database_once(open_page, demo_copy, opens):
    at = open_page(db=demo_copy)
    db = store.database.Store(demo_copy)
    db.rollback(db.submissions().filter(pl.col("status") == "active")["id"][0], access.operator())
    opens.clear()
    at.run()
    assert not at.exception
    assert len(opens) == 1, f"after a write, a rerun of 总览 opened the database {len(opens)} times"


def test_searching_a_units_register_reads_the_registers_from_the_cache(open_page, demo_db, opens):
    at = open_page("pages/districts.py", db=demo_db, region="东湖高新区")
    opens.clear()
    at.text_input(key="register_search").input("科技").run()
    assert not at.exception
    assert "其中含“科技”的" in " ".join(c.value for c in at.caption)
    assert opens == []  # the register rows come from the cache


def test_checking_a_file_opens_the_database_twice_however_many_checks_it_makes(registry, demo_copy, opens):
    """Once for what reading the file needs (the current figures, the analysts' answers), once for the checks
    against the database after it was read (duplicate, earlier conventions, the version it replaces); the file is
    not held while the upload is read."""
    from loaders.ingest import commit, prepare
    from tests.paths import FIXTURES

    db = store.database.Store(demo_copy)
    db.revision()  # migrated
    content = (FIXTURES / "pboc_loans_202610.xlsx").read_bytes()  # October's loans again, corrected
    opens.clear()
    report = prepare(db, content, "pboc_loans_202610.xlsx", registry)
    assert report.status == "ok" and report.replaces is not None  # every check ran, the version replaced found
    assert len(opens) == 2, opens
    commit(db, report, actor=access.operator())
    assert len(opens) == 3 and report.commit is not None


def test_a_database_error_reaches_the_user_as_a_chinese_sentence(open_page, demo_copy, monkeypatch):
    at = open_page(db=demo_copy)

    def broken(self):
        raise store.database.StoreError("读写数据库时出错（IOException），本次操作未生效。请稍后重试。")

    monkeypatch.setattr(store.database.Store, "revision", broken)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["读写数据库时出错（IOException），本次操作未生效。请稍后重试。"]
