"""数据上传 in AppTest: check report, preview, confirm, history, rollback, templates."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from store import Store
from tests.paths import FIXTURES

PAGE = "pages/upload.py"
FIXTURE = FIXTURES / "pboc_loans_202610.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def all_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for kind in ("success", "warning", "info", "error") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def city_loans(db: Path) -> float:
    values = Store(db).current_values()
    row = values.filter((pl.col("indicator_code") == "tech_loan_balance") & (pl.col("region_code") == "420100")
                        & (pl.col("period") == pl.date(2026, 10, 31)))
    return row["value"][0]


def test_upload_preview_confirm_and_rollback(open_page, sign_in, demo_copy):
    before = city_loans(demo_copy)
    at = sign_in(open_page(PAGE, db=demo_copy), demo_copy)
    assert not at.exception
    at.file_uploader[0].upload(FIXTURE.name, FIXTURE.read_bytes(), XLSX)
    at.run()
    assert not at.exception
    text = all_text(at)
    assert "可以导入" in text and "修改" in text and "将替代此前的提交" in text
    preview = next(d.value for d in at.dataframe if "变化" in d.value.columns)
    assert set(preview["变化"]) <= {"修改", "新增", "不变", "撤下"} and "科技型企业贷款余额" in set(preview["指标"])
    assert city_loans(demo_copy) == before  # nothing written before confirming

    at.button(key="confirm").click().run()
    assert not at.exception
    assert any("已导入" in s.value for s in at.success)
    assert city_loans(demo_copy) == pytest.approx(4098.491)

    # the overview reflects it at once
    at.switch_page("pages/overview.py").run()
    assert "4,098.5亿元" in all_text(at)

    # roll back from the history tab: the demo value is back exactly
    at.switch_page("pages/upload.py").run()
    newest = at.selectbox(key="rollback_choice").options[0]
    assert FIXTURE.name in newest
    at.button(key="rollback").click().run()
    assert not at.exception
    assert any("恢复了此前的提交" in s.value for s in at.success)
    assert city_loans(demo_copy) == before


def test_a_bad_file_shows_its_errors_and_cannot_be_confirmed(open_page, sign_in, demo_copy):
    at = sign_in(open_page(PAGE, db=demo_copy), demo_copy)
    bad = "地区,科技型企业贷款余额\n江岸去,12\n".encode("gbk")
    at.file_uploader[0].upload("202610_错误.csv", bad, "text/csv").run()
    assert not at.exception
    text = all_text(at)
    assert "有错误，不能导入" in text
    problems = at.dataframe[0].value
    assert problems["单元格"].to_list()[0] == "A2" and "江岸区" in problems["说明"].to_list()[0]
    assert not [b for b in at.button if b.key == "confirm"]


def test_templates_tab_offers_every_template(open_page, demo_copy, registry):
    from loaders.templates import load_templates

    at = open_page(PAGE, db=demo_copy)
    labels = [b.label for b in at.get("download_button")]
    assert len(labels) == len(load_templates(registry)) and all(label.startswith("下载：") for label in labels)
