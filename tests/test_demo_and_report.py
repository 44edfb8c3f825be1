"""The demo database as a user meets it: through `python -m loaders demo` and `python -m metrics report`
(their main(argv) in this process; one test runs `python -m metrics` as a shell does, for its exit code)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from domain.months import month_end
from loaders import demo
from loaders.__main__ import main as loaders_main
from loaders.demo import SEED, DemoWorld, pboc_loans
from metrics.__main__ import main as metrics_main
from store import Store
from tests.cli import run_main
from tests.paths import ROOT

STATUSES = {"achieved", "on_track", "needs_acceleration", "limited_progress", "regressing", "insufficient_data"}
KEYS = ["target_id", "indicator_code", "region_code", "as_of", "value", "unit", "target_value", "comparator",
        "deadline", "completion", "time_elapsed", "status"]


@pytest.fixture(scope="module")
def report(demo_db: Path) -> list[dict]:
    out = run_main(metrics_main, "report", "--db", demo_db, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_report_has_one_object_per_target_with_the_contract_keys(report, registry):
    assert [r["target_id"] for r in report] == list(registry.targets)
    for r in report:
        assert list(r)[: len(KEYS)] == KEYS
        assert r["status"] in STATUSES
        assert r["as_of"] == "2026-10"


def test_demo_mixes_achieved_on_track_and_behind(report):
    statuses = [r["status"] for r in report]
    assert statuses.count("achieved") >= 1
    assert statuses.count("on_track") >= 2
    assert sum(s in ("needs_acceleration", "limited_progress") for s in statuses) >= 2
    assert "insufficient_data" not in statuses


def test_demo_values_are_plausible(report):
    by = {r["indicator_code"]: r for r in report}
    assert 4000 < by["tech_loan_balance"]["value"] < 5000  # ~20% a year since 2021, below the 5000 target
    assert by["specialized_institutions"]["value"] >= 50 and by["specialized_institutions"]["status"] == "achieved"
    assert 2300 < by["equity_fund_size"]["value"] < 3000
    assert 344 < by["seed_firms"]["value"] < 500
    assert 40 < by["star_chinext_bse_share"]["value"] < 50
    assert by["tech_sme_borrowers"]["target_value"] == pytest.approx(1.7 * 14200, rel=0.01)


def test_report_as_of_an_earlier_month(demo_db):
    out = run_main(metrics_main, "report", "--db", demo_db, "--as-of", "2025-12", "--json")
    rows = json.loads(out.stdout)
    assert {r["as_of"] for r in rows} == {"2025-12"}


def test_report_rejects_a_malformed_month_in_chinese(demo_db):
    # A real `python -m metrics`: the exit code and standard error as a shell sees them.
    out = subprocess.run([sys.executable, "-m", "metrics", "report", "--db", str(demo_db), "--as-of", "2025/12"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "YYYY-MM" in out.stderr and "Traceback" not in out.stderr


def test_report_text_reads_as_sentences(demo_db):
    out = run_main(metrics_main, "report", "--db", demo_db)
    assert out.returncode == 0
    assert "截至2026年10月，全市科技型企业贷款余额" in out.stdout
    assert "按序时进度应达462家，实际437家，差25家，明显滞后" in out.stdout


def test_demo_refuses_to_overwrite_an_existing_database(demo_db):
    out = run_main(loaders_main, "demo", "--db", demo_db)
    assert out.returncode == 1 and "已存在" in out.stderr


def test_demo_workbooks_are_deterministic(tmp_path):
    import random

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    day = month_end(2026, 10)
    pa = pboc_loans(DemoWorld(random.Random(SEED)), day, a)
    pb = pboc_loans(DemoWorld(random.Random(SEED)), day, b)
    values = [[c.value for c in row] for row in load_workbook(pa).active.iter_rows()]
    assert values == [[c.value for c in row] for row in load_workbook(pb).active.iter_rows()]
    assert values[0][0] == "武汉市科技型企业贷款情况表（2026年10月）" and values[1][-1] == "单位：万元"
    assert values[3][0] == "合计"


def test_demo_submissions_are_marked_and_complete(demo_db):
    store = Store(demo_db)
    subs = store.submissions()
    # Six files a month, and the corrected file's first version (the quarterly report owed since 2026Q3 never came).
    assert subs.height == 34 * 6 + 1 and subs["is_demo"].all()
    assert subs.filter(pl.col("status") != "active")["period"].to_list() == [demo.CORRECTED_MONTH]  # superseded
    # The loans tables are clean but for the deliberate slips of the last months (loaders.demo.FLAWS): the reader
    # warns of the corrected file's first version, the 合计 that does not add up and the figure that jumps.
    loans = subs.filter(pl.col("agency") == "人行武汉分行营管部")
    warned = loans.filter(pl.col("n_warnings") > 0)
    assert set(warned["period"]) == {demo.CORRECTED_MONTH, demo.UNBALANCED_MONTH, demo.JUMP_MONTH}
    assert store.has_active_demo()
