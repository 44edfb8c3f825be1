"""Learned mappings in a real DuckDB file (store/mappings.py, migration 0007): who may answer and who may remove,
one active answer per question and agency, an agency's own answer before a general one, and the audit rows."""

from __future__ import annotations

import duckdb
import pytest

from domain.mappings import IGNORE
from store import Store
from store.access import AccessDenied, Actor, operator
from store.mappings import forget, learn, mapping_table, mappings
from tests.streamlit_server import make_account

PBOC = "人行湖北省分行"


@pytest.fixture
def store(tmp_path, cheap_hashes) -> Store:
    s = Store(tmp_path / "m.duckdb")
    for name, role in (("看看", "viewer"), ("李四", "analyst"), ("王主任", "admin")):
        make_account(s.path, name, role)
    return s


def audit(store: Store) -> list[tuple]:
    with duckdb.connect(str(store.path), read_only=True) as con:
        return con.execute("SELECT actor, action, detail FROM audit_log WHERE action IN "
                           "('mapping_add', 'mapping_remove', 'denied') ORDER BY logged_at, rowid").fetchall()


def test_an_analyst_answers_and_the_answer_is_found_for_that_agency_first(store):
    analyst = Actor("李四", "analyst")
    learn(store, analyst, kind="indicator", text="科技贷款（含票据）", key="科技贷款含票据", target="tech_loan_balance",
          file_name="10月.xlsx", cell="表1!D4")
    learn(store, analyst, kind="indicator", text="科技贷款（含票据）", key="科技贷款含票据", target="sci_tech_loan_balance",
          agency=PBOC)
    found = mappings(store)
    assert found.find("indicator", "科技贷款含票据", PBOC).target == "sci_tech_loan_balance"  # its own answer
    assert found.find("indicator", "科技贷款含票据", "市财政局").target == "tech_loan_balance"  # the general one
    assert found.find("indicator", "科技贷款含票据").target == "tech_loan_balance"
    assert found.find("region", "科技贷款含票据") is None  # another kind of question
    general = found.find("indicator", "科技贷款含票据", "市财政局")
    assert (general.created_by, general.file_name, general.cell) == ("李四", "10月.xlsx", "表1!D4")


def test_a_new_answer_replaces_the_old_one_and_the_audit_says_both(store):
    analyst = Actor("李四", "analyst")
    learn(store, analyst, kind="region", text="经开区(汉南)", key="经开区汉南", target="WH_JKQ", agency=PBOC)
    learn(store, analyst, kind="region", text="经开区(汉南)", key="经开区汉南", target=IGNORE, agency=PBOC)
    active = mappings(store).of_kind("region")
    assert len(active) == 1 and active[0].ignored
    rows = audit(store)
    assert [r[1] for r in rows] == ["mapping_add", "mapping_add"]
    assert "不导入" in rows[1][2] and PBOC in rows[1][2]
    with duckdb.connect(str(store.path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM learned_mappings").fetchone()[0] == 2  # nothing is deleted
        before = con.execute("SELECT before_json FROM audit_log WHERE action = 'mapping_add' ORDER BY logged_at DESC, rowid DESC "
                             "LIMIT 1").fetchone()[0]
    assert "WH_JKQ" in before


def test_a_viewer_or_a_visitor_may_not_answer(store):
    for actor in (Actor("看看", "viewer"), Actor("访客", "anonymous")):
        with pytest.raises(AccessDenied, match="只有填报或管理账号"):
            learn(store, actor, kind="indicator", text="x", key="x", target="seed_firms")
    assert mappings(store).items == ()
    assert [r[1] for r in audit(store)] == ["denied", "denied"]


def test_only_an_administrator_or_the_command_line_removes(store):
    m = learn(store, Actor("李四", "analyst"), kind="period", text="本期", key="本期", target="2026-10")
    with pytest.raises(AccessDenied, match="只有管理员"):
        forget(store, Actor("李四", "analyst"), m.id)
    assert len(mappings(store).items) == 1
    assert "重新询问" in forget(store, Actor("王主任", "admin"), m.id)
    assert mappings(store).items == ()
    with pytest.raises(Exception, match="不存在或已删除"):
        forget(store, operator(), m.id)
    assert [r[1] for r in audit(store)] == ["mapping_add", "denied", "mapping_remove"]


def test_the_table_lists_the_active_answers_newest_first(store):
    analyst = Actor("李四", "analyst")
    for i, text in enumerate(("甲", "乙", "丙")):
        learn(store, analyst, kind="indicator", text=text, key=text, target="seed_firms", agency=PBOC if i else "")
    table = mapping_table(store)
    assert table["text"].to_list() == ["丙", "乙", "甲"] and table["agency"].to_list() == [PBOC, PBOC, ""]


def test_no_database_means_no_mappings(tmp_path):
    assert mappings(Store(tmp_path / "none.duckdb")).items == ()
    assert mapping_table(Store(tmp_path / "none.duckdb")).is_empty()
