"""The audit trail: every write and every login leaves its row (who, when, what, before → after), and 审计日志
(/audit) shows it to administrators only, with filters and an .xlsx download whose text stays text."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from domain import clock
from loaders.ingest import ingest
from presentation.audit_table import ACTION_LABELS, audit_workbook
from store import Store, accounts, mappings, quality
from store.access import AccessDenied, operator
from store.audit import ACTIONS
from store.backup import backup, restore
from tests.test_roles import loans_file

pytestmark = pytest.mark.usefixtures("cheap_hashes")

PASSWORD = "初始密码-2026"
T0 = dt.datetime(2026, 11, 3, 9, 0)


def entries(store: Store) -> list[dict]:
    rows = accounts.audit_entries(store, operator()).reverse()  # oldest first
    return rows.to_dicts()


def test_every_action_leaves_its_audit_row(tmp_path, registry):
    store, me = Store(tmp_path / "t.duckdb"), operator()
    with clock.frozen(T0):
        accounts.add(store, me, "管理员", "admin", PASSWORD)
        accounts.add(store, me, "查看员", "viewer", PASSWORD)
        admin = accounts.authenticate(store, "管理员", PASSWORD)
        token = accounts.open_session(store, admin)
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(store, "查看员", "wrong-password")
        for _ in range(4):
            with pytest.raises(accounts.LoginRefused):
                accounts.authenticate(store, "查看员", "wrong-password")
        demo = ingest(store, loans_file(9, {"江岸区": 100.0}), "202609.xlsx", registry, actor=admin, is_demo=True)
        fixed = ingest(store, loans_file(9, {"江岸区": 101.0}), "202609_更正.xlsx", registry, actor=admin)
        store.rollback(fixed.commit.submission_id, admin)  # the demo version comes back
        with pytest.raises(AccessDenied):
            store.rollback_demo(accounts.get(store, "查看员").actor)
        store.rollback_demo(admin)
        quality.mark_reviewed(store, admin, quality.Reviewed("jump:tech_loan_balance:420102:2026-09:1", "jump", 1,
                                                             "tech_loan_balance", "420102", dt.date(2026, 9, 30),
                                                             "江岸区科技型企业贷款余额"), "已与报送单位核对")
        learned = mappings.learn(store, admin, kind="indicator", text="科技贷款（含票据）", key="科技贷款含票据",
                                 target="tech_loan_balance", agency="人行湖北省分行")
        mappings.forget(store, admin, learned.id)
        accounts.reset_password(store, me, "查看员", "新的密码-2026")
        accounts.set_active(store, admin, "查看员", False)
        accounts.set_active(store, admin, "查看员", True)
        accounts.set_role(store, admin, "查看员", "analyst", agency="市财政局")
        accounts.end_session(store, token)
        stale = accounts.open_session(store, accounts.authenticate(store, "管理员", PASSWORD))
    with clock.frozen(T0 + dt.timedelta(hours=9)):
        assert accounts.resume_session(store, stale) is None

    restored = Store(tmp_path / "restored.duckdb")
    restore(backup(store.path, tmp_path / "backups").folder, restored.path)
    assert [r["action"] for r in entries(restored)][-1] == "backup_restored"

    rows = entries(store) + entries(restored)[-1:]
    assert {r["action"] for r in rows} == set(ACTIONS) == set(ACTION_LABELS)  # every kind, each with its label
    assert all(r["actor"] and r["logged_at"] for r in rows)
    by = {r["action"]: r for r in rows}
    ingest_row = next(r for r in rows if r["action"] == "ingest" and r["submission_id"] == demo.commit.submission_id)
    assert ingest_row["actor"] == "管理员" and ingest_row["target"] == "提交1"
    assert json.loads(ingest_row["after_json"]).items() >= {"status": "active", "file_name": "202609.xlsx",
                                                             "period": "2026-09-30", "uploader": "管理员"}.items()
    assert (json.loads(by["supersede"]["before_json"]), json.loads(by["supersede"]["after_json"])) == \
        ({"status": "active"}, {"status": "superseded", "superseded_by": 2})
    assert (json.loads(by["rollback"]["before_json"]), json.loads(by["rollback"]["after_json"])) == \
        ({"status": "active"}, {"status": "rolled_back"})
    assert json.loads(by["reactivate"]["after_json"]) == {"status": "active"} and by["reactivate"]["target"] == "提交1"
    assert json.loads(by["rollback_demo"]["before_json"]) == {"status": "active", "submissions": [1]}
    assert by["denied"]["actor"] == "查看员" and "只有管理员" in by["denied"]["detail"]
    assert (json.loads(by["user_disable"]["before_json"])["is_active"],
            json.loads(by["user_disable"]["after_json"])["is_active"]) == (True, False)
    assert by["user_disable"]["actor"] == "管理员" and by["user_reset"]["actor"].startswith("命令行（")
    assert json.loads(by["login_locked"]["after_json"])["locked_until"] == "2026-11-03 09:15:00"
    assert all("password" not in (r["after_json"] or "") + (r["before_json"] or "") for r in rows)


def test_the_audit_log_is_filtered_by_account_action_and_date(tmp_path):
    store, me = Store(tmp_path / "t.duckdb"), operator()
    with clock.frozen(T0):
        accounts.add(store, me, "甲", "viewer", PASSWORD)
        accounts.authenticate(store, "甲", PASSWORD)
    with clock.frozen(T0 + dt.timedelta(days=2)):
        accounts.authenticate(store, "甲", PASSWORD)
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(store, "甲", "wrong-password")
    assert accounts.audit_entries(store, me, actor="甲").height == 3
    assert accounts.audit_entries(store, me, actions=["login"]).height == 2
    assert accounts.audit_entries(store, me, start=T0.date() + dt.timedelta(days=1)).height == 2
    assert accounts.audit_entries(store, me, end=T0.date()).height == 2  # the whole last day counts
    assert accounts.audit_actors(store, me) == sorted(["甲", me.name])


def test_the_audit_download_keeps_upload_text_inert(tmp_path, registry):
    store = Store(tmp_path / "t.duckdb")
    hostile = '=HYPERLINK("http://evil.example","点我").xlsx'
    report = ingest(store, loans_file(9, {"江岸区": 1.0}), hostile, registry)
    assert report.status == "ok"
    wb = load_workbook(io.BytesIO(audit_workbook(accounts.audit_entries(store, operator()))))
    ws = wb["审计日志"]
    assert [c.value for c in ws[1]] == ["时间", "账号", "操作", "对象", "说明", "之前", "之后"]
    details = [c for c in ws["E"] if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert details and all(c.data_type == "s" and c.quotePrefix for c in details)
    assert ws["C2"].value == "导入"


# -- the page -------------------------------------------------------------------------------------------------


def test_the_audit_page_renders_for_an_administrator(open_page, sign_in, demo_copy):
    at = sign_in(open_page(None, db=demo_copy), demo_copy, "admin", name="王主任")
    at.switch_page("pages/audit.py").run()
    assert not at.exception and [t.value for t in at.title] == ["审计日志"]
    table = at.dataframe[0].value
    assert list(table.columns) == ["时间", "账号", "操作", "对象", "说明", "之前", "之后"]
    assert ("王主任", "登录") in set(zip(table["账号"], table["操作"], strict=True))
    assert "导入" in set(table["操作"])  # the demo's submissions
    assert [b.label for b in at.get("download_button")] == ["下载审计日志（Excel）"]

    at.selectbox(key="audit_actor").select("王主任").run()
    assert set(at.dataframe[0].value["账号"]) == {"王主任"}
    at.selectbox(key="audit_actor").select("全部账号").run()
    at.multiselect(key="audit_actions").select("user_add").run()
    assert set(at.dataframe[0].value["操作"]) == {"添加账号"}


@pytest.mark.parametrize("role", [None, "viewer", "analyst"])
def test_the_audit_page_refuses_everyone_else(open_page, sign_in, demo_copy, role):
    at = open_page(None, db=demo_copy)
    if role:
        sign_in(at, demo_copy, role)
    at.switch_page("pages/audit.py").run()
    assert not at.exception and not at.dataframe and not at.get("download_button")
    assert any("审计日志仅管理员可查看" in e.value for e in at.error)
