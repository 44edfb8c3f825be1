"""python -m reports digest: the morning digest names late and missing sources with their agency, the targets that
slipped, the open lines of 数据质量 (not the reviewed ones), and escapes upload text in HTML and Markdown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from domain import clock
from domain.calendar import default_calendar
from domain.months import add_months, month_end, month_label
from loaders import demo
from loaders.ingest import ingest
from metrics.series import resolve
from metrics.standing import standings
from reports.__main__ import main as reports_main
from store import Store
from store import quality as reviews_store
from store.access import operator
from tests.agency_files import loans_file
from tests.cli import run_main
from tests.test_calendar import UNITS


def digest(db: Path, out: Path, *args: str) -> str:
    result = run_main(reports_main, "digest", "--db", db, "--out", out, *args)
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_the_demo_digest_names_the_late_and_the_missing_source(demo_db, tmp_path):
    text = digest(demo_db, tmp_path / "digest.md")
    cal = default_calendar()
    funds, quarterly = cal.source("funds"), cal.source("sci_tech_loans")
    late = next(ln for ln in text.splitlines() if funds.agency in ln)
    assert month_label(demo.LATE_MONTH) in late and "逾期" in late
    missing = next(ln for ln in text.splitlines() if quarterly.agency in ln and quarterly.name in ln)
    assert month_label(demo.MISSING_QUARTER) in missing and "未报送" in missing
    assert "【合计不符】" in text and "【较上月异常变动】青山区" in text and "单元格C" in text


def test_the_digest_names_the_targets_whose_status_worsened(demo_db, registry, tmp_path):
    month = add_months(demo.LAST, -1)
    series = resolve(Store(demo_db).active_observations(), registry)
    before = {s.target_id: s.status for s in standings(series, registry, add_months(month, -1))}
    order = ["achieved", "on_track", "needs_acceleration", "limited_progress", "regressing"]
    slipped = [s for s in standings(series, registry, month)
               if s.status in order and before.get(s.target_id) in order
               and order.index(s.status) > order.index(before[s.target_id])]
    assert slipped, "the demo has a target that slipped in its last months"
    html = digest(demo_db, tmp_path / "digest.html", "--as-of", f"{month:%Y-%m}")
    section = html.split("目标状态变差")[1].split("<h2>")[0]
    for s in slipped:
        assert registry.indicators[s.indicator_code].name_zh in section
        assert f"{registry.statuses[before[s.target_id]].label} → {registry.statuses[s.status].label}" in section


HOSTILE = '<img src=x onerror="alert(1)">[链接](http://evil)'


def test_upload_text_is_escaped_and_a_reviewed_line_leaves_the_digest(registry, tmp_path):
    db = tmp_path / "h.duckdb"
    store = Store(db)
    values = {u: 1000.0 + i for i, u in enumerate(UNITS)}
    with clock.frozen(dt.datetime(2026, 11, 5, 9)):  # a 合计 10% over its units, in a file with a hostile name
        report = ingest(store, loans_file(10, {"合计": round(sum(values.values()) * 1.1, 1), **values}),
                        f"{HOSTILE}.xlsx", registry, uploader="测试")
    assert report.status == "ok"
    html = digest(db, tmp_path / "d.html", "--as-of", "2026-10")
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    md = digest(db, tmp_path / "d.md", "--as-of", "2026-10")
    # Markdown: the file name is inert (no link, no HTML tag can come out of it), every mark escaped
    assert "](http" not in md and r"\<img" in md and r"\[链接\]\(http" in md and "合计不符" in md
    # Marked 已核实, the line is gone from the next morning's digest.
    from metrics.quality import reconciliation

    line = reconciliation(store.active_observations(), registry, default_calendar().checks, [month_end(2026, 10)])[0]
    reviews_store.mark_reviewed(store, operator(), reviews_store.Reviewed(
        line.key, line.kind, line.submission_id, line.indicator_code, line.region_code, line.period, "合计不符"), "已核")
    assert "合计不符" not in digest(db, tmp_path / "d2.md", "--as-of", "2026-10").split("待核实的数据问题")[1]


def test_a_wrong_suffix_or_no_database_is_said_in_chinese(tmp_path):
    out = run_main(reports_main, "digest", "--db", tmp_path / "none.duckdb", "--out", tmp_path / "d.md")
    assert out.returncode == 1 and "不存在" in out.stderr
    out = run_main(reports_main, "digest", "--db", tmp_path / "none.duckdb", "--out", tmp_path / "d.pdf")
    assert out.returncode == 2 and ".md" in out.stderr and "Traceback" not in out.stderr


def test_only_a_verdict_that_got_worse_counts_as_worsened():
    from metrics.quality import worsened

    before = {"a": "on_track", "b": "needs_acceleration", "c": "observation", "d": "on_track", "e": "achieved"}
    after = {"a": "needs_acceleration", "b": "on_track", "c": "regressing", "d": "insufficient_data", "e": "achieved"}
    assert worsened(before, after) == [("a", "on_track", "needs_acceleration")]
    assert worsened({"x": "on_track"}, {"x": "observation"}) == []  # no verdict now is not a worse one
