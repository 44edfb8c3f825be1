"""The reader's one table of messages, its whole-region labels taken from the registry's roles, and
decisions taken on typed fields rather than on the text shown to the analyst."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from loaders import messages
from loaders.names import Matcher
from loaders.validate import history_warnings
from tests.paths import ROOT

LOADERS = ROOT / "loaders"
# Modules whose Chinese text is no message about an uploaded file: the templates' own wording (and the
# registry errors of templates.toml), the demo builder, the command lines (also `users`).
NOT_READER = {"messages.py", "templates.py", "demo.py", "__main__.py", "users_cli.py"}


def _strings(path: Path) -> list[str]:
    return [node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_every_reader_message_lives_in_the_messages_table():
    # A message tells the analyst what to do (请…): outside messages.py, no reader module spells one.
    for path in sorted(LOADERS.glob("*.py")):
        if path.name in NOT_READER:
            continue
        spelt = [s for s in _strings(path) if "请" in s]
        assert spelt == [], f"{path.name} spells a message itself: {spelt}"


def test_messages_read_as_before():
    assert messages.unknown_unit("江岸去", "江岸区") == (
        "所在区“江岸去”无法识别，您是否指“江岸区”？请在文件中改为标准名称后重新上传；"
        "如这是该地区的常用写法，请联系系统管理员添加为别名。")
    assert messages.unknown_unit("某某", None) == (
        "所在区“某某”无法识别。请在文件中改为标准名称后重新上传；如这是该地区的常用写法，请联系系统管理员添加为别名。")
    assert messages.too_many_rows("a.xlsx", 600_000, 500_000) == (
        "「a.xlsx」有工作表约 600,000 行，超过单表 500,000 行的上限。请按月份或地区拆分后分别上传。")
    assert messages.too_many_rows("a.xlsx", 600_000, 500_000, "Sheet1") == (
        "「a.xlsx」的工作表「Sheet1」有 600,000 行，超过单表 500,000 行的上限。请按月份或地区拆分后分别上传。")
    assert messages.truncated("a.xlsx", "x", on_opening=True) == (
        "「a.xlsx」文件不完整或已损坏（x），可能是下载或拷贝中断。请重新获取原文件后上传。")
    assert messages.truncated("a.xlsx", "x") == "「a.xlsx」文件不完整或已损坏（x）。请重新获取原文件后上传。"
    assert messages.formulas_without_values("a.xlsx", list("ABCDEF")) == (
        "「a.xlsx」中的公式单元格（A、B、C、D、E等）没有保存计算结果，系统无法读取其数值。"
        "请在 Excel 中打开该文件，确认公式已计算后保存，再重新上传。")


def test_whole_region_labels_follow_the_registry_roles(registry):
    m = Matcher(registry)
    assert m.total("全市") == m.total("武汉市合计") == (True, registry.city)
    assert m.total("全 省 合 计") == m.total("湖北省合计") == (True, registry.province)
    assert m.total("合计") == m.total("总计") == (True, None)
    assert m.total("江岸区") == (False, None)
    # Another city in the same registry: its name makes the label, no code is written in the reader.
    other = Matcher(dataclasses.replace(registry, city="420200"))
    assert other.total("全市") == other.total("黄石市合计") == (True, "420200")
    assert other.total("武汉市合计") == (False, None)


def test_a_jump_warning_points_at_the_cell_it_was_read_from(registry):
    # The place comes from the typed sheet/cell fields, not from parsing the origin text: a sheet name
    # with a "!" in it stays whole; a computed figure (a register's count) has no cell.
    oct_, sep = dt.date(2026, 10, 31), dt.date(2026, 9, 30)
    new = pl.DataFrame({"indicator_code": ["tech_loan_balance", "seed_firms"], "region_code": ["420102", "420100"],
                        "period": [oct_, oct_], "value": [300.0, 90.0],
                        "origin": ["贷款!表!B4", "种子企业名录（名录!，90行）"], "is_computed": [False, True],
                        "sheet": ["贷款!表", "名录!"], "cell": ["B4", None]})
    current = pl.DataFrame({"indicator_code": ["tech_loan_balance", "seed_firms"], "region_code": ["420102", "420100"],
                            "period": [sep, sep], "value": [100.0, 30.0]})
    found = {(p.sheet, p.cell) for p in history_warnings(new, current, registry, "x.xlsx")}
    assert found == {("贷款!表", "B4"), ("", "")}


def test_no_message_names_a_configuration_file():
    # The analyst works in the page: a message says what to do there (改为标准名称, ask the administrator),
    # never which file on the server to edit.
    strings = _strings(LOADERS / "messages.py")
    named = [s for s in strings if ".toml" in s or "data/" in s]
    assert named == []
    # and what the functions put together, with the values filled in
    filled = [messages.unknown_region("江安区", "江岸区"), messages.unknown_region_label("某某", None),
              messages.unknown_unit("江安区", None), messages.skipped_columns(["同比增速"]), messages.UNRECOGNISED_SHEET]
    assert all(".toml" not in m and "管理员" in m for m in filled)


def test_a_message_quotes_a_long_value_as_a_short_excerpt():
    long = "江" * 5000
    for message in (messages.unknown_region(long, None), messages.unknown_unit(long, None),
                    messages.unknown_month(long), messages.skipped_columns([long, "同比"])):
        assert "江" * 30 + "…" in message and "江" * 31 not in message
    assert messages.excerpt("短值") == "短值"


def _upload_with_region(name: str, registry, *, register: bool = False):
    """A real .xlsx through parse_upload with `name` as a region: in a table's 地区 column, or a register's 所在区."""
    import io

    from openpyxl import Workbook

    from loaders.ingest import parse_upload

    wb = Workbook()
    ws = wb.active
    if register:
        ws.append(["武汉市科技金融专营机构名录（截至2026年10月末）"])
        ws.append(["序号", "机构名称", "机构类型", "所在区"])
        ws.append([1, "甲银行科技支行", "科技支行", name])
    else:
        ws.append(["武汉市科技型企业贷款情况表（2026年10月）"])
        ws.append(["地区", "科技型企业贷款余额（亿元）"])
        ws.append(["江汉区", 100.0])
        ws.append([name, 120.5])
    buf = io.BytesIO()
    wb.save(buf)
    return parse_upload(buf.getvalue(), "x.xlsx", registry)


@pytest.mark.parametrize(("typed", "meant"), [
    ("江安区", "江岸区"),  # same pinyin (jiang an qu); 江汉区 is as near in characters
    ("汉扬区", "汉阳区"),  # han yang, not 汉南区
    ("乔口区", "硚口区"),
    ("舞昌区", "武昌区"),
    ("黄坡区", "黄陂区"),
    ("光古", "东湖高新区"),  # near an alias (光谷): the standard name is suggested
])
@pytest.mark.parametrize("register", [False, True])
def test_a_misspelt_region_is_matched_by_sound_as_well_as_characters(registry, typed, meant, register):
    out = _upload_with_region(typed, registry, register=register)
    # A table's region name and a register's 所在区 alike are asked (issue 10 item 3), the nearest region first.
    assert out.errors == [] and [q.value for q in out.questions] == [typed]
    assert out.questions[0].suggestions[0].label == meant
    assert not out.ok  # never mapped silently


def test_no_suggestion_for_a_name_like_no_region(registry):
    for register in (True, False):  # asked in a register and in a table, with no region near it first
        out = _upload_with_region("某某单位", registry, register=register)
        assert [q.value for q in out.questions] == ["某某单位"] and out.errors == []
        assert all(s.score < 70 for s in out.questions[0].suggestions)
