"""Text from uploads stays text: never a live formula in a downloaded workbook, never Markdown, HTML or a link on
a page or in a chart's label."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import polars as pl
from openpyxl import load_workbook

from loaders.ingest import ingest
from presentation import registers
from presentation.fmt import plot_text
from presentation.xlsx import workbook_bytes
from reports.figures import files_line
from store import Store
from tests.paths import FIXTURES

HYPERLINK = '=HYPERLINK("http://evil.example/steal","点此查看")'
FORMULAS = [HYPERLINK, "+1+2", "-3+4", "@SUM(A1:A9)"]
IMAGE = "![x](http://evil.example/a.png)<img src=x onerror=alert(1)>"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cells(data: bytes) -> list:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return [c for row in ws.iter_rows(min_row=2) for c in row]


def test_formula_like_text_is_written_as_text():
    frame = pl.DataFrame({"name": [*FORMULAS, "武汉普通科技有限公司"], "size": [1.0, -2.5, 3.0, 4.0, 5.0]})
    cells = _cells(workbook_bytes({"名录": (frame, {"name": "企业名称", "size": "规模"})}))
    names = [c for c in cells if c.column == 1]
    assert [c.value for c in names] == [*FORMULAS, "武汉普通科技有限公司"]
    assert all(c.data_type == "s" for c in names)  # no cell is a formula
    assert [c.quotePrefix for c in names] == [True, True, True, True, False]
    assert [c.value for c in cells if c.column == 2][1] == -2.5  # numbers stay numbers


def _register_with_hostile_name(tmp_path):
    wb = load_workbook(FIXTURES / "seed_firms_202610.xlsx")
    ws = wb.worksheets[0]
    ws["B3"].value = HYPERLINK
    ws["B3"].data_type = "s"  # as a government system would export it: text, not a formula
    out = tmp_path / "seed_firms_202610_hostile.xlsx"
    wb.save(out)
    return out


def test_a_register_name_like_a_formula_comes_back_inert_in_the_unit_download(demo_copy, registry, tmp_path):
    path = _register_with_hostile_name(tmp_path)
    store = Store(demo_copy)
    report = ingest(store, path.read_bytes(), path.name, registry, uploader="测试")
    assert report.status == "ok", report.message
    rows, month = registers.register_for_unit(store.register_rows("seed_firms"), registry, "seed_firms", "WH_DHGX",
                                              report.outcome.period)
    assert month == report.outcome.period and HYPERLINK in rows["name"].to_list()
    data = workbook_bytes({"金种子·银种子企业": (rows, registers.register_headings(registry, "seed_firms"))})
    hostile = [c for c in _cells(data) if c.value == HYPERLINK]
    assert len(hostile) == 1 and hostile[0].data_type == "s" and hostile[0].quotePrefix


def test_a_hostile_file_name_is_shown_inert_on_the_upload_page(open_page, sign_in, demo_copy):
    at = sign_in(open_page("pages/upload.py", db=demo_copy), demo_copy)
    name = f"{IMAGE}_pboc_loans_202610.xlsx"
    at.file_uploader[0].upload(name, (FIXTURES / "pboc_loans_202610.xlsx").read_bytes(), XLSX)
    at.run()
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    assert any("\\!\\[x\\]\\(http://evil\\.example/a\\.png\\)" in s for s in shown)
    live = re.compile(r"(?<!\\)!\[|(?<!\\)<img")  # an image or a tag whose opening is not escaped
    assert not any(live.search(s) for s in shown)
    at.button(key="confirm").click().run()
    assert at.success and not any(live.search(s.value) for s in at.success)


def test_upload_text_in_a_chart_label_cannot_become_a_link():
    assert plot_text('<a href="javascript:alert(1)">点</a>') == '&lt;a href="javascript:alert(1)"&gt;点&lt;/a&gt;'

    src = SimpleNamespace(agency="<b>人行</b>", file_name="<a href='x'>f</a>.xlsx")
    line = files_line(SimpleNamespace(sources=[src], indicator_code="tech_loan_balance"), None)  # type: ignore[arg-type]
    assert "<a" not in line and "<b>" not in line and "&lt;a href='x'&gt;f&lt;/a&gt;.xlsx" in line
