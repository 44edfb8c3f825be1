"""Text shared by pages and reports: upload text made inert in Markdown, sources said with their derivation."""

from __future__ import annotations

import datetime as dt
import re

from metrics.standing import Source
from presentation.fmt import md_text, source_line

HOSTILE = "![x](http://evil.example/a.png) <img src=x onerror=alert(1)> *粗体* [链接](u) `code` #标题"


def test_markdown_specials_from_an_upload_are_escaped_and_nothing_else_changes():
    out = md_text(HOSTILE)
    # no special character is left unescaped, and removing the escapes gives the text back
    assert not re.search(r"(?<!\\)[!\[\]()<>*`#]", out)
    assert re.sub(r"\\(.)", r"\1", out) == HOSTILE
    assert md_text("武汉市科技贷款2026年10月") == "武汉市科技贷款2026年10月"


def test_a_source_line_names_how_the_value_came_about():
    src = Source(file_name="202610_人行.xlsx", agency="人行湖北省分行", uploaded_at=dt.datetime(2026, 11, 5, 9, 30),
                 origin="Sheet1!B4", is_computed=False, derivation="reported")
    assert source_line(src) == ("- **人行湖北省分行**：《202610\\_人行\\.xlsx》，Sheet1\\!B4（报送原值），"
                                "上传于 2026-11-05 09:30")
    summed = Source(file_name="f.xlsx", agency="各区", uploaded_at=dt.datetime(2026, 11, 5), origin="由16个下级地区加总",
                    is_computed=True, derivation="summed")
    assert "（由各下级地区数据加总）" in source_line(summed)
