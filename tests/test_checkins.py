"""Task check-ins through the real upload path: a unit's 任务进展报送表 (the template the page offers, filled in),
checked cell by cell, written as one versioned submission per unit and month, superseded by a later file,
withdrawn and restored with it; the task's state, history and 长期未更新 follow; scope and hostile text hold."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from domain import clock
from domain.tasks import default_tasks
from loaders.checkins import checkin_template, checkin_workbook
from loaders.ingest import ingest, prepare
from metrics.tasks import task_standings, task_timeline
from presentation.tasks import UNFILLED, checkin_editor_rows, edited_checkins, timeline_table
from store import Store, accounts
from store.access import AccessDenied, operator

pytestmark = pytest.mark.usefixtures("cheap_hashes")

OCT, SEP, MAY = dt.date(2026, 10, 31), dt.date(2026, 9, 30), dt.date(2026, 5, 31)
UNIT = "市委金融办"


def filled_template(unit: str, period: dt.date, states: dict[str, tuple[str, str]]) -> bytes:
    """The page's template for `unit`, filled in as a unit would: state and progress in the task's row."""
    wb = load_workbook(io.BytesIO(checkin_template(unit, period, default_tasks())))
    ws = wb.active
    for row in ws.iter_rows(min_row=1):
        task_id = row[0].value
        if task_id in states:
            row[2].value, row[3].value = states[task_id]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_filled_template_goes_in_and_sets_the_tasks_state(tmp_path, registry):
    store = Store(tmp_path / "t.duckdb")
    with clock.frozen(dt.datetime(2026, 11, 5, 9, 0)):
        report = ingest(store, filled_template(UNIT, OCT, {"WH2027-9": ("推进中", "汉融通已上线8款产品"),
                                                           "WH2027-10": ("已完成", "金种子企业名单已发布")}),
                        "市委金融办_2026年10月_任务进展.xlsx", registry)
    assert report.status == "ok", [p.message for p in report.outcome.problems]
    assert report.outcome.period == OCT and report.outcome.dataset == f"checkin:{UNIT}"
    rows = store.checkins()
    assert sorted(rows["task_id"]) == ["WH2027-10", "WH2027-9"] and set(rows["unit"]) == {UNIT}
    standings = {s.task.id: s for s in task_standings(default_tasks(), OCT, rows)}
    assert standings["WH2027-9"].state == "in_progress" and standings["WH2027-9"].last_update == OCT
    assert standings["WH2027-10"].state == "done" and standings["WH2027-10"].overdue is False
    assert standings["WH2027-1"].state == "not_reported"
    # Not yet reported at September: a check-in counts from its month on.
    assert {s.task.id: s for s in task_standings(default_tasks(), SEP, rows)}["WH2027-9"].state == "not_reported"
    history = timeline_table(task_timeline(rows, "WH2027-9"))
    assert history.row(0, named=True)["进展情况"] == "汉融通已上线8款产品"


def test_every_mistake_is_named_with_its_cell_and_nothing_is_written(tmp_path, registry):
    store = Store(tmp_path / "t.duckdb")
    content = checkin_workbook(UNIT, OCT, default_tasks(), [
        {"task_id": "WH2027-9", "state": "快完成了"},                     # not one of the four states
        {"task_id": "WH2027-14", "state": "推进中", "progress": "x"},      # 市委金融办 does not own it? checked below
    ])
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    ws.append(["WH2099-1", "", "推进中", "无此任务"])
    buf = io.BytesIO()
    wb.save(buf)
    report = prepare(store, buf.getvalue(), "进展.xlsx", registry)
    errors = {p.cell: p.message for p in report.outcome.errors}
    assert report.status == "rejected" and store.submissions().is_empty()
    assert any("应为未启动、推进中、已完成、滞后之一" in m for m in errors.values())
    assert any("任务编号“WH2099-1”不存在" in m for m in errors.values())
    owners = default_tasks().tasks["WH2027-14"].roles()
    if not any(u == UNIT for u, _ in owners):
        assert any("不是市委金融办牵头或参与的任务" in m for m in errors.values())
    assert all(cell for cell in errors)  # every one points at its cell

    future = prepare(store, checkin_workbook(UNIT, dt.date(2099, 12, 31), default_tasks(),
                                             [{"task_id": "WH2027-9", "state": "推进中", "progress": "x"}]),
                     "进展.xlsx", registry)
    assert future.status == "rejected" and any("晚于本月" in p.message for p in future.outcome.errors)


def test_a_later_file_supersedes_and_withdrawing_it_brings_the_earlier_back(tmp_path, registry):
    store = Store(tmp_path / "t.duckdb")
    first = ingest(store, filled_template(UNIT, OCT, {"WH2027-9": ("推进中", "第一次报送")}), "a.xlsx", registry)
    second = ingest(store, filled_template(UNIT, OCT, {"WH2027-9": ("已完成", "更正：已完成")}), "b.xlsx", registry)
    assert first.status == second.status == "ok" and second.commit.superseded_id == first.commit.submission_id
    assert store.checkins()["progress"].to_list() == ["更正：已完成"]
    store.rollback(second.commit.submission_id, operator())
    assert store.checkins()["progress"].to_list() == ["第一次报送"]
    # Another unit's check-in for the same month is its own submission, not a correction of this one.
    other = ingest(store, filled_template("市科技创新局", OCT, {"WH2027-9": ("推进中", "科创局配合")}),
                   "c.xlsx", registry)
    assert other.status == "ok" and other.commit.superseded_id is None
    standing = {s.task.id: s for s in task_standings(default_tasks(), OCT, store.checkins())}["WH2027-9"]
    assert {c.unit for c in standing.reports} == {UNIT, "市科技创新局"}


def test_a_task_not_updated_for_a_quarter_is_flagged(tmp_path, registry):
    store = Store(tmp_path / "t.duckdb")
    ingest(store, filled_template(UNIT, MAY, {"WH2027-9": ("推进中", "五月进展")}), "may.xlsx", registry)
    at = {s.task.id: s for s in task_standings(default_tasks(), OCT, store.checkins())}
    assert at["WH2027-9"].stale is True and at["WH2027-9"].last_update == MAY
    assert {s.task.id: s for s in task_standings(default_tasks(), dt.date(2026, 7, 31),
                                                 store.checkins())}["WH2027-9"].stale is False


def test_an_agency_limited_analyst_reports_only_their_own_units_tasks(tmp_path, registry):
    store = Store(tmp_path / "t.duckdb")
    accounts.add(store, operator(), "财政填报", "analyst", "初始密码-2026", agency="市财政局")
    finance = accounts.get(store, "财政填报").actor
    report = prepare(store, filled_template(UNIT, OCT, {"WH2027-9": ("推进中", "x")}), "a.xlsx", registry,
                     actor=finance)
    assert report.status == "rejected" and "市委金融办的任务进展" in report.outcome.errors[-1].message
    plain = prepare(store, filled_template(UNIT, OCT, {"WH2027-9": ("推进中", "x")}), "a.xlsx", registry)
    with pytest.raises(AccessDenied, match="只能报送市财政局负责的数据"):
        store.commit_submission(plain.outcome.draft("财政填报"), finance)


def test_the_pages_table_makes_the_same_file_and_text_stays_text(tmp_path, registry):
    store = Store(tmp_path / "t.duckdb")
    table = checkin_editor_rows(default_tasks(), UNIT, OCT, [])
    assert table.height == len([t for t, _ in default_tasks().tasks_of(UNIT) if not t.archived])
    assert set(table["进展状态"]) == {UNFILLED}  # nothing reported yet: nothing chosen for the analyst
    filled = table.with_columns(
        进展状态=table["任务编号"].replace_strict({"WH2027-9": "滞后"}, default=UNFILLED),
        进展情况=table["任务编号"].replace_strict({"WH2027-9": '=HYPERLINK("http://evil","点")'}, default=""))
    rows = edited_checkins(filled)
    assert [r["task_id"] for r in rows] == ["WH2027-9"]
    content = checkin_workbook(UNIT, OCT, default_tasks(), rows)
    cell = next(r[3] for r in load_workbook(io.BytesIO(content)).active.iter_rows() if r[0].value == "WH2027-9")
    assert cell.data_type == "s"  # written as text, never a formula
    report = ingest(store, content, "页面填报.xlsx", registry)
    assert report.status == "ok", [p.message for p in report.outcome.problems]
    assert store.checkins()["progress"].to_list() == ['=HYPERLINK("http://evil","点")']
    # What the page shows next time it opens this unit and month: the state just reported.
    again = checkin_editor_rows(default_tasks(), UNIT, OCT, task_timeline(store.checkins(), "WH2027-9"))
    assert again.filter(again["任务编号"] == "WH2027-9")["进展状态"].to_list() == ["滞后"]


def test_the_tasks_command_line_reads_the_check_ins(tmp_path, registry):
    import json

    from reports.__main__ import main
    from tests.cli import run_main

    store = Store(tmp_path / "t.duckdb")
    ingest(store, filled_template(UNIT, OCT, {"WH2027-9": ("推进中", "汉融通已上线8款产品")}), "a.xlsx", registry)
    ran = run_main(main, "tasks", "--db", store.path, "--as-of", "2026-10", "--json")
    task = next(t for t in json.loads(ran.stdout) if t["task_id"] == "WH2027-9")
    assert ran.returncode == 0 and task["state"] == "in_progress" and task["last_update"] == "2026-10-31"
    missing = run_main(main, "tasks", "--db", tmp_path / "none.duckdb")
    assert missing.returncode == 1 and "不存在" in missing.stderr
