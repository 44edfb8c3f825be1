"""Hostile and broken files: each refused with a clear Chinese message, the database untouched."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from loaders.guards import MAX_ROWS, UnreadableFile, check_container
from loaders.ingest import MAX_FILE_BYTES, ingest
from store import Store
from tests.paths import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "pboc_loans_202610.xlsx"


def small_workbook(**cells: object) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["武汉市科技型企业贷款情况表（2026年10月）"])
    ws.append(["地区", "科技型企业贷款余额（亿元）"])
    ws.append(["江岸区", 120.5])
    ws.append(["江汉区", 130.0])
    for ref, value in cells.items():
        ws[ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_sheet_xml(content: bytes, transform) -> bytes:
    """Rewrite sheet1.xml inside a workbook's zip."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = transform(data)
            dst.writestr(info.filename, data)
    return out.getvalue()


def million_rows(content: bytes, *, keep_dimension: bool) -> bytes:
    def transform(xml: bytes) -> bytes:
        head, _, tail = xml.partition(b"<sheetData>")
        _, _, tail = tail.partition(b"</sheetData>")
        if keep_dimension:
            head = head.replace(b'<dimension ref="A1:B4"/>', b'<dimension ref="A1:B1000000"/>')
        else:
            head = head.replace(b'<dimension ref="A1:B4"/>', b"")
        rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 1_000_001))
        return head + b"<sheetData>" + rows + b"</sheetData>" + tail
    return with_sheet_xml(content, transform)


def bomb() -> bytes:
    """A zip of ~1 MB that unpacks to 450 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1 << 20)
            for _ in range(450):
                part.write(chunk)
    return out.getvalue()


def encrypted() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    src = io.BytesIO(small_workbook())
    out = io.BytesIO()
    OOXMLFile(src).encrypt("口令123", out)
    return out.getvalue()


def empty_workbook() -> bytes:
    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


CASES = {
    "png-renamed": (lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "科技贷款.xlsx", "不是有效的 Excel 文件"),
    "empty-workbook": (empty_workbook, "科技贷款.xlsx", "没有任何数据"),
    "encrypted": (encrypted, "科技贷款.xlsx", "加密"),
    "truncated-zip": (lambda: FIXTURE.read_bytes()[: FIXTURE.stat().st_size // 2], "科技贷款.xlsx", "不完整或已损坏"),
    "decompression-bomb": (bomb, "科技贷款.xlsx", "压缩炸弹"),
    "million-rows": (lambda: million_rows(small_workbook(), keep_dimension=True), "科技贷款.xlsx", "超过单表"),
    "million-rows-no-dimension": (lambda: million_rows(small_workbook(), keep_dimension=False), "科技贷款.xlsx",
                                  "超过单表"),
    "formula-without-value": (lambda: small_workbook(A5="合计", B5="=SUM(B3:B4)"), "科技贷款.xlsx", "B5"),
    "over-size-limit": (lambda: b"PK\x03\x04" + b"\0" * (MAX_FILE_BYTES + 1), "科技贷款.xlsx", "超过上限"),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory, registry) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "t.duckdb"
    report = ingest(Store(path), FIXTURE.read_bytes(), FIXTURE.name, registry)
    assert report.status == "ok"
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused_and_nothing_is_written(case, db, registry):
    make, name, fragment = CASES[case]
    store = Store(db)
    before = store.counts()
    report = ingest(store, make(), name, registry)
    assert report.status == "rejected"
    messages = " ".join(p.message for p in report.outcome.errors)
    assert fragment in messages
    assert "请" in messages  # says what to do
    assert store.counts() == before


def test_bomb_is_refused_before_unpacking(registry, monkeypatch):
    content = bomb()
    assert len(content) < 2 * 1024 * 1024  # a small file …

    def no_unpacking(*args, **kwargs):
        raise AssertionError("a part was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    from loaders.ingest import parse_upload

    out = parse_upload(content, "炸弹.xlsx", registry)  # … refused from the zip directory alone
    assert not out.ok and "压缩炸弹" in out.errors[0].message


@pytest.mark.parametrize(("rows", "refused"), [(200_000, False), (MAX_ROWS, False), (MAX_ROWS + 1, True)])
def test_the_row_limit_refuses_only_sheets_above_it(rows, refused):
    # 200,000 rows: the register bench/ingest_speed.py loads, which real registers stay below
    declared = with_sheet_xml(small_workbook(), lambda xml: xml.replace(b'<dimension ref="A1:B4"/>',
                                                                        b'<dimension ref="A1:B%d"/>' % rows))
    if refused:
        with pytest.raises(UnreadableFile, match="超过单表"):
            check_container(declared, "科技贷款.xlsx")
    else:
        check_container(declared, "科技贷款.xlsx")


def test_cli_reports_a_hostile_file_as_json_without_traceback(tmp_path, db):
    bad = tmp_path / "伪装.xlsx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    out = subprocess.run([sys.executable, "-m", "loaders", "ingest", str(bad), "--db", str(db), "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    result = json.loads(out.stdout)
    assert result[0]["status"] == "rejected" and "不是有效的 Excel 文件" in result[0]["errors"][0]["message"]


# Run an ingest whose write transaction, once every statement has run, waits to be killed before its commit.
_PAUSED_INGEST = """
import sys, time
from contextlib import contextmanager
from pathlib import Path
from store.database import Store

@contextmanager
def paused(self):
    with self.connect() as con:
        con.begin()
        yield con
        Path(sys.argv[3]).write_text("inside the transaction", encoding="utf-8")
        time.sleep(120)

Store.transaction = paused
from loaders.__main__ import main
sys.exit(main(["ingest", sys.argv[1], "--db", sys.argv[2]]))
"""


def test_a_process_killed_inside_a_commit_leaves_the_database_as_it_was(tmp_path, db, registry):
    copy = tmp_path / "t.duckdb"
    copy.write_bytes(db.read_bytes())
    before = Store(copy).counts()
    marker = tmp_path / "inside"
    seed = ROOT / "tests" / "fixtures" / "seed_firms_202610.xlsx"
    proc = subprocess.Popen([sys.executable, "-c", _PAUSED_INGEST, str(seed), str(copy), str(marker)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 60
        while not marker.exists():
            assert proc.poll() is None, "the ingest ended before reaching the commit"
            assert time.time() < deadline
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    store = Store(copy)
    assert store.counts() == before
    # and the database still takes the same file afterwards
    assert ingest(store, seed.read_bytes(), seed.name, registry).status == "ok"


def test_the_command_line_refuses_impossible_files_with_chinese_messages_and_no_traceback(tmp_path):
    # A CSV whose field is over the csv module's 131,072 characters, and a workbook dated 2099: through
    # `python -m loaders ingest --json`, each is rejected with its message, the database untouched.
    from loaders.__main__ import main as loaders_main
    from tests.cli import run_main

    giant = tmp_path / "科技贷款202610.csv"
    giant.write_text("地区,科技型企业贷款余额\n江岸区," + "9" * 200_000 + "\n", encoding="utf-8")
    future = tmp_path / "loans.xlsx"
    wb = Workbook()
    ws = wb.active
    for row in (["武汉市科技型企业贷款情况表（2099年12月）"], ["地区", "科技型企业贷款余额（亿元）"], ["江岸区", 1.5]):
        ws.append(row)
    wb.save(future)
    db = tmp_path / "t.duckdb"
    ran = run_main(loaders_main, "ingest", giant, future, "--db", db, "--json")
    assert ran.returncode == 1
    assert "Traceback" not in ran.stdout + ran.stderr
    results = json.loads(ran.stdout)
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert "131,072 个字符" in results[0]["errors"][0]["message"]
    assert [(e["sheet"], e["cell"]) for e in results[1]["errors"]] == [("Sheet", "A1")]
    assert "2099年12月" in results[1]["errors"][0]["message"]
    assert Store(db).counts()["observations"] == 0
