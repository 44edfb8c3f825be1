"""Templates: protected header, drop-downs, number formats; a filled template loads with no warning."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest
from openpyxl import load_workbook

from loaders.__main__ import main as loaders_main
from loaders.ingest import parse_upload
from loaders.templates import build_template, load_templates
from tests.cli import run_main


@pytest.fixture(scope="module")
def specs(registry):
    return {s.id: s for s in load_templates(registry)}


def fill(content: bytes, rows: dict[int, list[object]], period: object = "2026年10月") -> bytes:
    wb = load_workbook(io.BytesIO(content))
    ws = wb["数据"]
    ws["B2"] = period
    for r, values in rows.items():
        for c, value in enumerate(values, start=2):
            if value is not None:
                ws.cell(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_cli_writes_one_template_per_source(tmp_path, specs):
    out = run_main(loaders_main, "template", "--out", tmp_path)
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(s.file for s in specs.values())


def test_layout_is_protected_and_guided(specs, registry):
    wb = load_workbook(io.BytesIO(build_template(specs["pboc_loans"], registry)))
    assert wb.sheetnames == ["填报说明", "数据"]
    ws = wb["数据"]
    assert ws.protection.sheet
    assert ws["A3"].value == "地区" and ws["B3"].value == "科技型企业贷款余额（亿元）"
    assert ws["B3"].protection.locked and ws["A4"].protection.locked  # header and region names
    assert not ws["B4"].protection.locked and not ws["B2"].protection.locked  # values and the period
    assert ws["B4"].number_format == "#,##0.00" and ws["C4"].number_format == "#,##0"
    assert [ws.cell(r, 1).value for r in range(4, 21)] == [r.name for r in registry.children("420100")] + ["合计"]
    instructions = "\n".join(str(c.value) for c in wb["填报说明"]["A"] if c.value)
    assert "报告期" in instructions and "示例" in instructions


def test_register_template_has_dropdowns(specs, registry):
    wb = load_workbook(io.BytesIO(build_template(specs["seed_firms"], registry)))
    ws = wb["数据"]
    rules = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    headings = [c.value for c in ws[3]]
    assert headings[:3] == ["序号", "企业名称", "类别"]
    region_col = "ABCDEFGH"[headings.index("所在区")]
    assert rules[f"{region_col}4:{region_col}503"].startswith("=选项!")
    options = wb["选项"]
    assert options.sheet_state == "hidden"
    assert [c.value for c in options["A"]][1:17] == [r.name for r in registry.children("420100")]


def test_filled_table_template_round_trips_without_warning(specs, registry):
    units = registry.children("420100")
    rows = {4 + i: [100.0 + i, 500 + i, 40.0 + i / 10] for i in range(len(units))}
    rows[4 + len(units)] = [sum(100.0 + i for i in range(16)), sum(500 + i for i in range(16)), None]
    out = parse_upload(fill(build_template(specs["pboc_loans"], registry), rows), "模板.xlsx", registry)
    assert out.ok and not out.warnings, out.problems
    assert out.period == dt.date(2026, 10, 31) and out.agency == "人行武汉分行营管部"
    loans = out.observations.filter(pl.col("indicator_code") == "tech_loan_balance")
    assert loans.filter(pl.col("region_code") == units[0].code)["value"].to_list() == [100.0]
    assert loans.filter(pl.col("region_code") == "420100")["value"].to_list() == [1720.0]
    rate = out.observations.filter(pl.col("indicator_code") == "tech_firm_loan_access_rate")
    assert rate.filter(pl.col("region_code") == units[1].code)["value"].to_list() == pytest.approx([40.1])


@pytest.mark.parametrize("template_id", ["products", "hubei_cities"])
def test_other_table_templates_round_trip(specs, registry, template_id):
    spec = specs[template_id]
    n_rows = 1 if spec.rows == "self" else len(registry.children(spec.scope))
    rows = {4 + i: [10 + i] * len(spec.indicators) for i in range(n_rows)}
    out = parse_upload(fill(build_template(spec, registry), rows, period=dt.datetime(2026, 9, 1)), "t.xlsx", registry)
    assert out.ok and not out.warnings, out.problems
    assert out.period == dt.date(2026, 9, 30)
    assert out.observations.height == n_rows * len(spec.indicators)


@pytest.mark.parametrize("template_id", ["institutions", "funds", "seed_firms"])
def test_filled_register_templates_round_trip(specs, registry, template_id):
    spec = specs[template_id]
    reg = registry.registers[spec.register]
    wb = load_workbook(io.BytesIO(build_template(spec, registry)))
    headings = [c.value for c in wb["数据"][3]][1:]
    units = registry.children("420100")
    rows = {}
    for i in range(3):
        row = []
        for heading in headings:
            field = next(f for f, aliases in reg.columns.items() if heading.startswith(aliases[0]))
            if field == "name":
                row.append(f"测试{spec.id}{i}")
            elif field == "region_code":
                row.append(units[12].name if i < 2 else units[0].name)
            elif field in spec.choices:
                row.append(spec.choices[field][i % len(spec.choices[field])])
            elif field.endswith("_on"):
                row.append(dt.datetime(2025, 3, 1 + i))
            elif field == "size_yi_yuan":
                row.append(10.0 * (i + 1))
            else:
                row.append("某单位")
        rows[4 + i] = row
    out = parse_upload(fill(build_template(spec, registry), rows), "名录.xlsx", registry)
    assert out.ok and not out.warnings, out.problems
    frame = out.registers[spec.register]
    assert frame.height == 3 and frame["region_code"].to_list() == [units[12].code, units[12].code, units[0].code]
    city = out.observations.filter(pl.col("region_code") == "420100")
    first_yield = reg.yields[0]
    expected = 3.0 if first_yield.how == "count" else 60.0
    assert city.filter(pl.col("indicator_code") == first_yield.indicator)["value"].to_list() == [expected]


def test_an_unfilled_template_asks_for_the_period(specs, registry):
    # With no month anywhere the reader asks which month it is (issue 10: a question, not a refusal), and reads
    # nothing until the analyst answers.
    out = parse_upload(build_template(specs["pboc_loans"], registry), "模板.xlsx", registry)
    assert not out.ok and not out.errors
    assert [q.kind for q in out.questions] == ["period"] and out.questions[0].suggestions
