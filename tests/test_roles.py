"""Roles and scope, refused at the store (not only hidden on the page): anonymous and 查看 cannot upload, withdraw
or clear; an analyst withdraws only their own; a unit-scoped analyst loads only their unit's figures; the
upload page follows, and anonymous viewing can be switched off."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from domain.errors import UserError
from loaders.ingest import commit, ingest, prepare
from store import Store, accounts
from store.access import ANONYMOUS, AccessDenied, Actor, operator
from tests.agency_files import loans_file
from tests.paths import FIXTURES, ROOT
from tests.streamlit_server import TEST_PASSWORD, make_account

pytestmark = pytest.mark.usefixtures("cheap_hashes")

FIXTURE = FIXTURES / "pboc_loans_202610.xlsx"  # every unit and the city: a citywide file


def audit(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT actor, action, target, detail FROM audit_log ORDER BY logged_at, rowid").fetchall()


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "t.duckdb")
    me = operator()
    for name, role, unit in (("查看员", "viewer", None), ("填报甲", "analyst", None), ("填报乙", "analyst", None),
                             ("江岸填报", "analyst", "420102"), ("管理员", "admin", None)):
        accounts.add(s, me, name, role, "初始密码-2026", unit)
    return s


def as_user(store: Store, name: str) -> Actor:
    account = accounts.get(store, name)
    assert account is not None
    return account.actor


def test_anonymous_and_viewer_cannot_upload_withdraw_or_clear_at_the_store(store, registry):
    # The demo's submission, written by the operator, is what they try to withdraw and clear.
    first = ingest(store, loans_file(9, {"江岸区": 100.0}), "202609.xlsx", registry, is_demo=True)
    assert first.status == "ok"
    before = store.submissions()
    viewer = as_user(store, "查看员")
    for who, says in ((ANONYMOUS, "请先登录"), (viewer, "查看账号")):
        report = prepare(store, FIXTURE.read_bytes(), FIXTURE.name, registry, actor=who)
        assert report.status == "ok"  # reading and checking a file is not a write ...
        with pytest.raises(AccessDenied, match=says):
            commit(store, report, actor=who)  # ... writing it is refused by the store itself
        with pytest.raises(AccessDenied, match=says):
            store.commit_submission(report.outcome.draft(who.name), who)
        with pytest.raises(AccessDenied, match=says):
            store.rollback(first.commit.submission_id, who)
        with pytest.raises(AccessDenied, match="只有管理员"):
            store.rollback_demo(who)
    assert store.submissions().equals(before)  # nothing changed
    refused = [r for r in audit(store.path) if r[1] == "denied"]
    assert [r[0] for r in refused] == ["匿名"] * 4 + ["查看员"] * 4
    assert {r[2] for r in refused} == {FIXTURE.name, "提交1", "演示数据"}


def test_an_analyst_withdraws_their_own_submissions_only_and_cannot_clear_the_demo(store, registry):
    jia, yi = as_user(store, "填报甲"), as_user(store, "填报乙")
    mine = ingest(store, loans_file(9, {"江岸区": 100.0}), "202609.xlsx", registry, actor=jia)
    theirs = ingest(store, loans_file(10, {"江岸区": 110.0}), "202610.xlsx", registry, actor=yi)
    assert mine.status == theirs.status == "ok"
    subs = store.submissions()
    assert subs["uploader"].to_list() == ["填报甲", "填报乙"]  # the account, whatever `uploader` said
    with pytest.raises(AccessDenied, match="提交2由「填报乙」上传"):
        store.rollback(theirs.commit.submission_id, jia)
    assert "已撤销提交1" in store.rollback(mine.commit.submission_id, jia)
    with pytest.raises(AccessDenied, match="只有管理员可以撤销全部演示数据"):
        store.rollback_demo(jia)
    assert "已撤销提交2" in store.rollback(theirs.commit.submission_id, as_user(store, "管理员"))


def test_a_unit_scoped_analyst_loads_only_their_units_figures(store, registry):
    jiangan = as_user(store, "江岸填报")
    report = prepare(store, FIXTURE.read_bytes(), FIXTURE.name, registry, actor=jiangan)
    assert report.status == "rejected"
    assert "只能报送江岸区的数据，但文件含有武汉市、江汉区" in report.outcome.errors[-1].message
    # Past the page's check, straight to the store: refused there as well.
    citywide = prepare(store, FIXTURE.read_bytes(), FIXTURE.name, registry)
    with pytest.raises(AccessDenied, match="只能报送420102的数据"):
        store.commit_submission(citywide.outcome.draft("江岸填报"), jiangan)
    assert store.submissions().is_empty()

    own = ingest(store, loans_file(10, {"江岸区": 123.0}), "江岸区_202610.xlsx", registry, actor=jiangan)
    assert own.status == "ok", [p.message for p in own.outcome.errors]
    values = store.current_values()
    assert values["region_code"].to_list() == ["420102"] and values["value"].to_list() == [123.0]


def test_an_agency_scoped_analyst_loads_only_what_their_agency_reports(store, registry):
    me = operator()
    accounts.add(store, me, "财政填报", "analyst", "初始密码-2026", agency="市财政局")
    # The registry still files the loans under the bank's former name; the account uses today's.
    accounts.add(store, me, "人行填报", "analyst", "初始密码-2026", agency="人行湖北省分行")
    with pytest.raises(UserError, match="没有负责任何指标"):
        accounts.add(store, me, "无名填报", "analyst", "初始密码-2026", agency="某某局")
    with pytest.raises(UserError, match="只有填报"):
        accounts.add(store, me, "财政查看", "viewer", "初始密码-2026", agency="市财政局")

    finance = as_user(store, "财政填报")
    report = prepare(store, FIXTURE.read_bytes(), FIXTURE.name, registry, actor=finance)
    assert report.status == "rejected"
    said = report.outcome.errors[-1].message
    assert "只能报送市财政局负责的数据，但文件含有人行湖北省分行报送的" in said and "科技型企业贷款余额" in said
    citywide = prepare(store, FIXTURE.read_bytes(), FIXTURE.name, registry)
    with pytest.raises(AccessDenied, match="只能报送市财政局负责的数据"):
        store.commit_submission(citywide.outcome.draft("财政填报"), finance)
    assert store.submissions().is_empty()

    bank = ingest(store, FIXTURE.read_bytes(), FIXTURE.name, registry, actor=as_user(store, "人行填报"))
    assert bank.status == "ok", [p.message for p in bank.outcome.errors]
    assert store.submissions()["uploader"].to_list() == ["人行填报"]
    # Widened by an administrator (who ends its sessions), the account loads the file after its next login.
    accounts.set_role(store, me, "财政填报", "analyst")
    assert accounts.get(store, "财政填报").agency is None
    again = ingest(store, loans_file(11, {"江岸区": 1.0}), "202611.xlsx", registry, actor=as_user(store, "财政填报"))
    assert again.status == "ok"


def test_a_disabled_or_demoted_account_loses_its_rights_at_once(store, registry):
    jia = as_user(store, "填报甲")  # the actor a page still holds from the login
    accounts.set_active(store, operator(), "填报甲", False)
    with pytest.raises(AccessDenied, match="不存在或已停用"):
        ingest(store, loans_file(9, {"江岸区": 1.0}), "202609.xlsx", registry, actor=jia)
    forged = Actor("查看员", "admin")  # a role the database does not give
    with pytest.raises(AccessDenied, match="查看账号"):
        ingest(store, loans_file(9, {"江岸区": 1.0}), "202609.xlsx", registry, actor=forged)
    with pytest.raises(AccessDenied, match="只有管理员"):
        accounts.add(store, as_user(store, "填报乙"), "新人", "admin", "初始密码-2026")
    with pytest.raises(AccessDenied, match="只有管理员可以查看审计日志"):
        accounts.audit_entries(store, as_user(store, "查看员"))


def test_a_login_does_not_change_the_revision_the_caches_key_on(store, registry):
    rev = store.revision()
    accounts.authenticate(store, "填报甲", "初始密码-2026")
    assert store.revision() == rev
    ingest(store, loans_file(9, {"江岸区": 1.0}), "202609.xlsx", registry, actor=as_user(store, "填报甲"))
    assert store.revision() != rev


def test_the_sources_beside_a_figure_name_the_uploading_account(store, registry):
    from metrics.series import resolve
    from metrics.standing import standing
    from presentation.fmt import source_line

    ingest(store, FIXTURE.read_bytes(), FIXTURE.name, registry, actor=as_user(store, "填报甲"))
    series = resolve(store.active_observations(), registry)
    target = next(t for t in registry.targets.values() if t.indicator == "tech_loan_balance")
    s = standing(target, series, registry, series["period"].max())
    assert s.sources and all(src.uploader == "填报甲" for src in s.sources)
    assert "上传账号 填报甲" in source_line(s.sources[0])


# -- the upload page ------------------------------------------------------------------------------------------


def test_the_upload_page_offers_writes_by_role(open_page, sign_in, demo_copy):
    at = open_page("pages/upload.py", db=demo_copy)
    assert not at.get("file_uploader") and any("请在左侧登录" in i.value for i in at.info)
    assert not [b for b in at.button if b.key in ("rollback", "rollback_demo")]
    assert [b.label for b in at.button if b.key == "login_submit"] == ["登录"]

    sign_in(at, demo_copy, "viewer")
    at.switch_page("pages/upload.py").run()
    assert not at.get("file_uploader") and any("查看账号" in i.value for i in at.info)
    assert not [b for b in at.button if b.key in ("rollback", "rollback_demo")]


def test_an_administrator_clears_the_demo_from_the_page(open_page, sign_in, demo_copy):
    at = sign_in(open_page("pages/upload.py", db=demo_copy), demo_copy, "admin", name="王主任")
    at.switch_page("pages/upload.py").run()
    at.button(key="rollback_demo").click().run()
    at.button(key="rollback_demo_confirm_yes").click().run()  # the second step (tests/test_upload_page.py)
    assert not at.exception and any("份演示数据提交" in s.value for s in at.success)
    assert not Store(demo_copy).has_active_demo()
    row = [r for r in audit(demo_copy) if r[1] == "rollback_demo"]
    assert row and row[0][0] == "王主任"


def test_a_database_held_by_another_process_logs_nobody_out(open_page, sign_in, demo_copy, monkeypatch):
    """A command-line ingest holds the file longer than the store waits while a logged-in official's page reruns:
    that run cannot check the session, which is not a logout (it was: 登录已过期 and the cookie cleared)."""
    from store import database

    at = sign_in(open_page(None, db=demo_copy), demo_copy, "viewer", name="查看丙")
    # Another official logs out: every login is checked again at its next run (pages/account.current), which
    # is the run the held file meets.
    other = Store(demo_copy)
    accounts.end_session(other, accounts.open_session(other, accounts.authenticate(
        other, make_account(demo_copy, "查看丁", "viewer"), TEST_PASSWORD)))
    monkeypatch.setattr(database, "OPEN_TRIES", 2)  # the store waits half a second instead of ten
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "sys.stdin.read()", str(demo_copy)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        at.run()
        with pytest.raises(UserError, match="无法打开数据库"):  # the file was held indeed
            accounts.resume_session(Store(demo_copy), "any token")
    finally:
        holder.communicate("", timeout=30)
    assert at.session_state["_actor"].name == "查看丙"
    assert "_session_cookie_set" not in at.session_state and "_login_note" not in at.session_state
    at.run()  # the file free again: checked against the database, still logged in
    assert any("已登录：**查看丙**" in c.value for c in at.sidebar.caption)


def test_with_anonymous_viewing_off_every_page_asks_for_a_login(open_page, sign_in, demo_copy, data_copy):
    (data_copy / "access.toml").write_text("[access]\nanonymous_viewing = false\n", encoding="utf-8")
    at = open_page(None, db=demo_copy, data_dir=data_copy)
    assert any("请先点击左侧的“登录”" in i.value for i in at.info) and not at.title
    sign_in(at, demo_copy, "viewer")
    assert not any("请先点击左侧的“登录”" in i.value for i in at.info) and at.session_state["_actor"].role == "viewer"
