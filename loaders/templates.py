"""Excel templates, one per data source (data/templates.toml), that the loader reads back without a warning.

Each has a 填报说明 sheet (what to fill, an example), a 数据 sheet with a locked title and header, a
报告期 cell to fill, drop-downs for regions and types, number formats, and a 选项 sheet holding the
drop-down lists. The sheet is protected without a password: it guards the layout, not secrets.
"""

from __future__ import annotations

import io
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from domain.errors import RegistryError
from domain.model import REGISTER_FIELDS, Registry
from domain.registry import registry_problem
from loaders.workbook_style import merged_title

INPUT_ROWS = 500  # blank, unlocked rows in a register template
THIN = Side(style="thin", color="9ca3af")
HEAD_FILL = PatternFill("solid", fgColor="dbeafe")
INPUT_FILL = PatternFill("solid", fgColor="fffbeb")
NUMBER_FORMATS = {"亿元": "#,##0.00", "家": "#,##0", "个": "#,##0", "款": "#,##0", "%": "0.0"}


@dataclass(frozen=True)
class TemplateSpec:
    id: str
    file: str
    title: str
    agency: str
    kind: str
    scope: str = ""
    rows: str = ""
    indicators: tuple[str, ...] = ()
    register: str = ""
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)


def load_templates(registry: Registry) -> list[TemplateSpec]:
    path = registry.data_dir / "templates.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8")).get("template", [])
    out = []
    for i, t in enumerate(raw, start=1):
        spec = TemplateSpec(id=t["id"], file=t["file"], title=t["title"], agency=t["agency"], kind=t["kind"],
                            scope=t.get("scope", ""), rows=t.get("rows", ""), indicators=tuple(t.get("indicators", ())),
                            register=t.get("register", ""),
                            choices={k: tuple(v) for k, v in t.get("choices", {}).items()})
        where = f"第{i}个模板「{spec.id}」"
        unknown = [c for c in spec.indicators if c not in registry.indicators]
        if unknown:
            raise RegistryError(registry_problem(path.name, where, f"指标 {'、'.join(unknown)} 不存在于 indicators.toml"))
        if spec.kind == "table" and (spec.scope not in registry.regions or spec.rows not in ("units", "self")):
            raise RegistryError(registry_problem(path.name, where, "scope 须为已登记地区，rows 须为 units 或 self"))
        if spec.kind == "register" and spec.register not in registry.registers:
            raise RegistryError(registry_problem(path.name, where, f"register「{spec.register}」不存在于 registers.toml"))
        out.append(spec)
    return out


def _protect(ws) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # analysts may widen columns
    ws.protection.formatRows = False


def _box(cell, *, head: bool = False) -> None:
    cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    if head:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _unlock(cell, number_format: str | None = None) -> None:
    cell.protection = Protection(locked=False)
    cell.fill = INPUT_FILL
    if number_format:
        cell.number_format = number_format


def _title_block(ws, spec: TemplateSpec, width: int) -> None:
    merged_title(ws, spec.title, max(width, 2))
    ws.append(["报告期：", None, f"填报单位：{spec.agency}"])
    _unlock(ws["B2"])
    period_rule = DataValidation(type="textLength", operator="between", formula1="6", formula2="12",
                                 promptTitle="报告期", prompt="填写数据所属月份，如 2026年10月", showInputMessage=True)
    ws.add_data_validation(period_rule)
    period_rule.add("B2")


def _options_sheet(wb: Workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """A 选项 sheet with one column per drop-down list; returns list name → range formula."""
    ws = wb.create_sheet("选项")
    refs = {}
    for col, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        ws.cell(1, col, name)
        for row, value in enumerate(values, start=2):
            ws.cell(row, col, value)
        refs[name] = f"=选项!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    _protect(ws)
    return refs


def _instructions(wb: Workbook, spec: TemplateSpec, headings: list[str], example: list[object]) -> None:
    ws = wb.create_sheet("填报说明", 0)
    lines = [
        f"{spec.title} · 填报说明",
        "1. 在“数据”工作表中填写，黄色单元格为填写区域；标题、表头和地区名称已锁定，请勿改动。",
        "2. 在 B2 单元格填写报告期，如“2026年10月”。",
        "3. 数值按表头所示单位填写，不要带单位或文字；无数据请留空或填“—”。",
        "4. 地区、类型等请从下拉列表中选择。",
        "5. 填好后直接在“数据上传”页上传本文件，系统会校验并先预览变化，确认后才写入。",
        "",
        "示例（仅供参考，请勿填入此页）：",
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(headings)
    ws.append(example)
    for c in range(1, len(headings) + 1):
        _box(ws.cell(ws.max_row - 1, c), head=True)
        _box(ws.cell(ws.max_row, c))
    ws.column_dimensions["A"].width = 24
    _protect(ws)


def build_template(spec: TemplateSpec, registry: Registry) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    units = registry.children(registry.city)
    if spec.kind == "table":
        inds = [registry.indicators[c] for c in spec.indicators]
        headings = ["地区", *[f"{i.name_zh}（{i.unit}）" for i in inds]]
        _title_block(ws, spec, len(headings))
        ws.append(headings)
        header_row = ws.max_row
        regions = ([r.name for r in registry.children(spec.scope)] + ["合计"] if spec.rows == "units"
                   else [registry.regions[spec.scope].name])
        for name in regions:
            ws.append([name])
            r = ws.max_row
            _box(ws.cell(r, 1))
            for c, ind in enumerate(inds, start=2):
                cell = ws.cell(r, c)
                _box(cell)
                _unlock(cell, NUMBER_FORMATS[ind.unit])
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", showErrorMessage=True,
                              errorTitle="数值有误", error="请填写不小于0的数值，不要带单位或文字。")
        ws.add_data_validation(rule)
        rule.add(f"B{header_row + 1}:{get_column_letter(len(headings))}{ws.max_row}")
        example = [regions[0], *[1234.5 if i.unit == "亿元" else (12.3 if i.unit == "%" else 56) for i in inds]]
        widths = [16] + [max(18, len(h) * 2) for h in headings[1:]]
    else:
        reg = registry.registers[spec.register]
        fields = [f for f in REGISTER_FIELDS[reg.table] if f in reg.columns]
        headings = ["序号"] + [reg.columns[f][0] + ("（亿元）" if REGISTER_FIELDS[reg.table][f] == "money" else "")
                               for f in fields]
        _title_block(ws, spec, len(headings))
        ws.append(headings)
        header_row = ws.max_row
        lists = {"所在区": [u.name for u in units], **{reg.columns[f][0]: list(v) for f, v in spec.choices.items()}}
        refs = _options_sheet(wb, lists)
        first, last = header_row + 1, header_row + INPUT_ROWS
        for r in range(first, last + 1):
            ws.cell(r, 1, r - header_row)
            for c, f in enumerate(fields, start=2):
                kind = REGISTER_FIELDS[reg.table][f]
                fmt = {"money": "#,##0.00", "date": "yyyy-mm-dd"}.get(kind)
                _unlock(ws.cell(r, c), fmt)
        for c, f in enumerate(fields, start=2):
            letter = get_column_letter(c)
            area = f"{letter}{first}:{letter}{last}"
            kind = REGISTER_FIELDS[reg.table][f]
            rule = None
            if kind == "region":
                rule = DataValidation(type="list", formula1=refs["所在区"], showErrorMessage=True,
                                      errorTitle="地区有误", error="请从下拉列表中选择所在区。")
            elif f in spec.choices:
                rule = DataValidation(type="list", formula1=refs[reg.columns[f][0]], showErrorMessage=True,
                                      errorTitle="取值有误", error="请从下拉列表中选择。")
            elif kind == "date":
                rule = DataValidation(type="date", operator="greaterThan", formula1="36526", showErrorMessage=True,
                                      errorTitle="日期有误", error="请填写日期，如 2025-03-01。")
            elif kind == "money":
                rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                      showErrorMessage=True, errorTitle="数值有误", error="请填写不小于0的数值（亿元）。")
            if rule is not None:
                ws.add_data_validation(rule)
                rule.add(area)
        example = [1] + [_example_value(reg.table, f, spec, units[12].name) for f in fields]
        widths = [6] + [36 if f == "name" else 16 for f in fields]
    for c in range(1, len(headings) + 1):
        _box(ws.cell(header_row, c), head=True)
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    ws.freeze_panes = ws.cell(header_row + 1, 2)
    _protect(ws)
    _instructions(wb, spec, headings, example)
    wb.active = 1  # open on the 数据 sheet
    wb.properties.creator = "武汉科技金融目标监测"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _example_value(table: str, f: str, spec: TemplateSpec, unit: str) -> object:
    kind = REGISTER_FIELDS[table][f]
    if f in spec.choices:
        return spec.choices[f][0]
    return {"region": unit, "date": "2025-03-01", "money": 12.5}.get(
        kind, {"name": "示例名称（请勿填入此页）", "parent_org": "某某银行", "manager": "某某投资管理有限公司",
               "industry": "光电子信息"}.get(f, ""))


def write_templates(out_dir: Path, registry: Registry) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in load_templates(registry):
        path = out_dir / spec.file
        path.write_bytes(build_template(spec, registry))
        paths.append(path)
    return paths
