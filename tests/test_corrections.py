"""Upload lifecycle: checks against last month, preview, duplicate, correction, rollback, CLI contract."""

from __future__ import annotations

import json

import polars as pl
import pytest

from loaders.__main__ import main as loaders_main
from loaders.ingest import commit, ingest, prepare
from store import Store, StoreError
from store.access import operator
from tests.agency_files import loans_file
from tests.cli import Ran, run_main
from tests.paths import ROOT

UNITS = ["江岸区", "江汉区", "硚口区"]


@pytest.fixture
def store(tmp_path, registry) -> Store:
    s = Store(tmp_path / "t.duckdb")
    assert ingest(s, loans_file(9, {"江岸区": 100.0, "江汉区": 200.0, "硚口区": 50.0}), "202609.xlsx", registry,
                  uploader="甲").status == "ok"
    return s


def test_a_jump_over_half_from_last_month_is_a_warning_with_its_cell(store, registry):
    report = prepare(store, loans_file(10, {"江岸区": 160.0, "江汉区": 210.0, "硚口区": 50.0}), "202610.xlsx", registry)
    assert report.status == "ok"
    warnings = report.outcome.warnings
    assert len(warnings) == 1
    assert warnings[0].cell == "B4" and "江岸区" in warnings[0].message and "+60.0%" in warnings[0].message


def test_a_unit_missing_this_month_is_a_warning(store, registry):
    report = prepare(store, loans_file(10, {"江岸区": 101.0, "江汉区": 201.0}), "202610.xlsx", registry)
    messages = [w.message for w in report.outcome.warnings]
    assert any("硚口区" in m and "漏报" in m for m in messages)


def test_preview_lists_new_changed_unchanged_and_withdrawn(store, registry):
    # a correction of September: one changed, one unchanged, 硚口区 left out, a new unit added
    fixed = loans_file(9, {"江岸区": 110.0, "江汉区": 200.0, "青山区": 30.0}, note="（更正）")
    report = prepare(store, fixed, "202609_更正.xlsx", registry)
    assert report.replaces is not None and report.replaces["file_name"] == "202609.xlsx"
    rows = {r["region_code"]: (r["change"], r["old_value"], r["new_value"]) for r in report.changes.iter_rows(named=True)}
    assert rows["420102"] == ("修改", 100.0, 110.0)
    assert rows["420103"] == ("不变", 200.0, 200.0)
    assert rows["420107"] == ("新增", None, 30.0)
    assert rows["420104"] == ("撤下", 50.0, None)


def test_duplicate_is_reported_before_anything_is_written(store, registry):
    before = store.counts()
    content = store.file_content(store.submissions()["sha256"][0])  # the very same bytes, under another name
    dup = prepare(store, content, "再次上传.xlsx", registry)
    assert dup.status == "duplicate" and "已于" in dup.message and "未作改动" in dup.message
    assert commit(store, dup, actor=operator(), uploader="乙").commit is None
    assert store.counts() == before


def test_correction_then_rollback_restores_exactly(store, registry):
    before = store.current_values().sort(["region_code"])
    fixed = loans_file(9, {"江岸区": 110.0, "江汉区": 200.0, "硚口区": 55.0}, note="（更正）")
    report = ingest(store, fixed, "202609_更正.xlsx", registry, uploader="乙")
    assert report.commit.superseded_id == 1
    assert store.current_values().filter(pl.col("region_code") == "420102")["value"].to_list() == [110.0]
    message = store.rollback(report.commit.submission_id, operator())
    assert "恢复了此前的提交1" in message
    assert store.current_values().sort(["region_code"]).equals(before)
    assert store.submissions()["status"].to_list() == ["active", "rolled_back"]
    with pytest.raises(StoreError, match="不是生效状态"):
        store.rollback(report.commit.submission_id, operator())


def test_rolling_back_the_only_submission_leaves_no_values(store):
    assert "已撤销提交1" in store.rollback(1, operator())
    assert store.current_values().is_empty()
    assert store.counts()["observations"] == 3  # kept in history


def run_cli(*args: str) -> Ran:
    """`python -m loaders ...`, its main(argv) in this process."""
    return run_main(loaders_main, *args)


def test_cli_ingest_json_contract_dry_run_and_duplicate(tmp_path):
    fixture = ROOT / "tests" / "fixtures" / "pboc_loans_202610.xlsx"
    db = tmp_path / "cli.duckdb"
    dry = run_cli("ingest", str(fixture), "--db", str(db), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    result = json.loads(dry.stdout)
    assert list(result[0])[:8] == ["file", "status", "source", "period", "observations", "errors", "warnings",
                                   "message"]
    first = result[0]
    assert first["status"] == "ok" and first["period"] == "2026-10" and first["source"] == "人行武汉分行营管部"
    assert set(first["observations"][0]) == {"indicator_code", "region_code", "region_name", "period", "value", "unit"}
    assert not db.exists() or Store(db).counts()["submissions"] == 0  # --dry-run wrote nothing

    real = json.loads(run_cli("ingest", str(fixture), "--db", str(db), "--json").stdout)
    assert real[0]["status"] == "ok"
    again = run_cli("ingest", str(fixture), "--db", str(db), "--json")
    assert again.returncode == 0 and json.loads(again.stdout)[0]["status"] == "duplicate"
    assert Store(db).counts()["submissions"] == 1


def test_cli_exit_1_when_any_file_is_rejected(tmp_path):
    bad = tmp_path / "坏.csv"
    bad.write_bytes("地区,无关列\n江岸区,1\n".encode("gbk"))
    good = ROOT / "tests" / "fixtures" / "pboc_loans_202610.xlsx"
    out = run_cli("ingest", str(good), str(bad), "--db", str(tmp_path / "x.duckdb"), "--json")
    assert out.returncode == 1
    statuses = [r["status"] for r in json.loads(out.stdout)]
    assert statuses == ["ok", "rejected"]
