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
    # the file's figures as it has them, last month's beside them, the change against it: text, never rounded
    city = preview[(preview["地区"] == "武汉市") & (preview["指标"] == "科技型企业贷款余额")].iloc[0]
    assert (city["新值"], city["单元格"]) == ("4,098.491", "B4")
    assert city["上月值"] != "—" and city["较上月"].startswith(("+", "−"))
    assert not preview.map(lambda v: "None" in str(v) or "e+" in str(v)).any().any()
    assert city_loans(demo_copy) == before  # nothing written before confirming

    at.button(key="confirm").click().run()
    assert not at.exception
    assert any("已导入" in s.value for s in at.success)
    assert city_loans(demo_copy) == pytest.approx(4098.491)

    # the overview reflects it at once
    at.switch_page("pages/overview.py").run()
    assert "4,098.5亿元" in all_text(at)

    # roll back from the history tab, after a confirmation: the demo value is back exactly
    at.switch_page("pages/upload.py").run()
    newest = at.selectbox(key="rollback_choice").options[0]
    assert FIXTURE.name in newest
    assert at.selectbox(key="rollback_choice").value is None  # nothing chosen until the analyst chooses
    at.selectbox(key="rollback_choice").set_value(int(newest.split("｜")[0])).run()
    at.button(key="rollback").click().run()
    assert not at.exception
    assert any("确认撤销提交" in w.value for w in at.warning)
    assert city_loans(demo_copy) == pytest.approx(4098.491)  # asking is not withdrawing
    at.button(key="rollback_confirm_yes").click().run()
    assert not at.exception
    assert any("恢复了此前的提交" in s.value for s in at.success)
    assert city_loans(demo_copy) == before


def test_a_bad_file_shows_its_errors_and_cannot_be_confirmed(open_page, sign_in, demo_copy):
    at = sign_in(open_page(PAGE, db=demo_copy), demo_copy)
    # An unknown region name is a question (issue 10 item 3), listed with its suggestions; a figure that is no
    # number is an error: the file cannot be confirmed.
    bad = "地区,科技型企业贷款余额\n江岸去,12\n江汉区,十二亿\n".encode("gbk")
    at.file_uploader[0].upload("202610_错误.csv", bad, "text/csv").run()
    assert not at.exception
    text = all_text(at)
    assert "有错误，不能导入" in text
    # The question can be answered already (remembered for the corrected file), its suggestion first.
    [picker] = [s for s in at.selectbox if "江岸去" in s.label]
    assert "A2" in picker.label and picker.options[0] == "江岸区"
    problems = at.table[0].value  # a table that wraps its messages, never cuts them
    assert problems["单元格"].to_list()[0] == "B3"
    assert not [b for b in at.button if b.key == "confirm"]


def test_a_question_is_answered_on_the_page_remembered_and_not_asked_again(open_page, sign_in, demo_copy):
    """upload → question → answer → preview → confirm; next month's file from the same source goes in unasked."""
    from store.mappings import mappings

    at = sign_in(open_page(PAGE, db=demo_copy), demo_copy)
    asks = "地区,科技型企业贷款余额\n江岸去,12\n江汉区,13\n".encode("gbk")
    at.file_uploader[0].upload("202610_待确认.csv", asks, "text/csv").run()
    assert not at.exception
    text = all_text(at)
    assert "有待确认的标题或名称" in text and "暂不导入" in text
    assert not [b for b in at.button if b.key == "confirm"]
    [picker] = [s for s in at.selectbox if "江岸去" in s.label]
    assert "是哪个地区" in picker.label and picker.value is None
    assert picker.options[0] == "江岸区" and "不导入此行" in picker.options  # the suggestion first, then 不导入

    picker.set_value("420102").run()  # 江岸区: kept, and the file is read again with it
    assert not at.exception
    text = all_text(at)
    assert "已记住" in text and "江岸区" in text
    assert not [s for s in at.selectbox if "江岸去" in s.label]  # asked no more
    preview = next(d.value for d in at.dataframe if "新值" in d.value.columns)
    assert set(preview["地区"]) == {"江岸区", "江汉区"}
    at.button(key="confirm").click().run()
    assert any("已导入" in s.value for s in at.success)
    [answer] = mappings(Store(demo_copy)).items
    assert (answer.kind, answer.text, answer.target, answer.created_by) == ("region", "江岸去", "420102", "测试analyst")

    # Next month, the same spelling: no question, straight to 可以导入.
    again = "地区,科技型企业贷款余额\n江岸去,14\n江汉区,15\n".encode("gbk")
    at.file_uploader[0].upload("202611_待确认.csv", again, "text/csv").run()
    assert not [s for s in at.selectbox if "江岸去" in s.label]
    assert [b for b in at.button if b.key == "confirm"]


def test_several_files_are_listed_together_each_in_its_fold(open_page, sign_in, demo_copy):
    from tests.agency_files import loans_file

    at = sign_in(open_page(PAGE, db=demo_copy), demo_copy)
    uploader = at.file_uploader[0]
    uploader.upload("202611_江岸.xlsx", loans_file(11, {"江岸区": 130.0}), XLSX)
    uploader.upload("202610_待确认.csv", "地区,科技型企业贷款余额\n江岸去,12\n".encode("gbk"), "text/csv")
    uploader.upload("202610_错误.csv", "地区,科技型企业贷款余额\n江岸区,abc\n".encode("gbk"), "text/csv")
    uploader.upload("202611_江汉.xlsx", loans_file(11, {"江汉区": 140.0}), XLSX)
    at.run()
    assert not at.exception
    summary = next(d.value for d in at.dataframe if "结果" in d.value.columns)
    assert list(summary["文件"]) == ["202611_江岸.xlsx", "202610_待确认.csv", "202610_错误.csv", "202611_江汉.xlsx"]
    assert [r.split(" ", 1)[1] for r in summary["结果"]] == ["可以导入", "有待确认的标题或名称，确认前不能导入",
                                                          "有错误，不能导入", "可以导入"]
    assert list(summary["待确认"]) == [0, 1, 0, 0] and list(summary["错误"])[2] >= 1
    assert "共4个文件：可以导入2个，待确认1个，有错误1个。" in all_text(at)
    assert len(at.expander) == 4  # more than three files: each report in its fold
    assert [b.label for b in at.button if b.key == "confirm"] == ["确认导入 2 个文件"]


def test_templates_tab_offers_every_template(open_page, demo_copy, registry):
    from loaders.templates import load_templates

    at = open_page(PAGE, db=demo_copy)
    labels = [b.label for b in at.get("download_button")]
    assert len(labels) == len(load_templates(registry)) and all(label.startswith("下载：") for label in labels)


# -- withdrawing, restoring, clearing the demo, confirming a unit ----------------------------------------------


def october_loans(db: Path, region: str) -> float:
    values = Store(db).current_values()
    return values.filter((pl.col("indicator_code") == "tech_loan_balance") & (pl.col("region_code") == region)
                         & (pl.col("period") == pl.date(2026, 10, 31)))["value"][0]


def upload_as(db: Path, name: str, content: bytes, file_name: str, registry) -> int:
    """A submission made by another account, as the store makes it."""
    from loaders.ingest import ingest
    from store import accounts
    from tests.streamlit_server import make_account

    make_account(db, name)
    report = ingest(Store(db), content, file_name, registry, actor=accounts.get(Store(db), name).actor)
    assert report.status == "ok", report.outcome.problems
    return report.commit.submission_id


def test_an_analyst_withdraws_and_restores_only_their_own_with_a_confirmation(open_page, sign_in, demo_copy,
                                                                             registry):
    from tests.agency_files import loans_file

    theirs = upload_as(demo_copy, "填报乙", loans_file(11, {"江岸区": 1.0}), "乙_202611.xlsx", registry)
    at = sign_in(open_page(PAGE, db=demo_copy), demo_copy, name="填报甲")
    mine = [upload_as(demo_copy, "填报甲", loans_file(month, {"江汉区": 2.0}), f"甲_2026{month}.xlsx", registry)
            for month in (7, 12)]  # two months: two submissions in force
    at.run()
    picker = at.selectbox(key="rollback_choice")
    assert [int(o.split("｜")[0]) for o in picker.options] == mine[::-1]  # newest first; 乙's and the demo's not
    assert theirs not in [int(o.split("｜")[0]) for o in picker.options]
    assert at.button(key="rollback").disabled  # nothing chosen, nothing to withdraw

    picker.set_value(mine[1]).run()
    at.button(key="rollback").click().run()
    assert any(f"确认撤销提交「{mine[1]}｜" in w.value for w in at.warning)
    at.selectbox(key="rollback_choice").set_value(mine[0]).run()  # another choice: the question goes
    assert not [b for b in at.button if b.key == "rollback_confirm_yes"]
    at.selectbox(key="rollback_choice").set_value(mine[1]).run()
    at.button(key="rollback").click().run()
    at.button(key="rollback_confirm_no").click().run()  # cancelled: nothing happens
    assert not at.exception and Store(demo_copy).submissions().filter(pl.col("id") == mine[1])["status"][0] == "active"

    at.button(key="rollback").click().run()
    at.button(key="rollback_confirm_yes").click().run()
    assert not at.exception and any(f"已撤销提交{mine[1]}" in s.value for s in at.success)
    subs = Store(demo_copy).submissions()
    assert subs.filter(pl.col("id").is_in(mine))["status"].to_list() == ["active", "rolled_back"]
    # the picker does not slide to the next submission: it is empty until the analyst chooses again
    picker = at.selectbox(key="rollback_choice")
    assert picker.value is None and [int(o.split("｜")[0]) for o in picker.options] == [mine[0]]

    # restore it: 恢复, then a confirmation
    back = at.selectbox(key="restore_choice")
    assert [int(o.split("｜")[0]) for o in back.options] == [mine[1]] and "已撤销" in back.options[0]
    back.set_value(mine[1]).run()
    at.button(key="restore").click().run()
    assert Store(demo_copy).submissions().filter(pl.col("id") == mine[1])["status"][0] == "rolled_back"
    at.button(key="restore_confirm_yes").click().run()
    assert not at.exception and any(f"已恢复提交{mine[1]}" in s.value for s in at.success)
    assert Store(demo_copy).submissions().filter(pl.col("id") == mine[1])["status"][0] == "active"


def test_clearing_the_demo_asks_first(open_page, sign_in, demo_copy):
    at = sign_in(open_page(PAGE, db=demo_copy), demo_copy, role="admin")
    at.button(key="rollback_demo").click().run()
    assert any("确认撤销全部演示数据" in w.value for w in at.warning)
    assert Store(demo_copy).has_active_demo()  # asking is not clearing
    at.button(key="rollback_demo_confirm_no").click().run()
    assert not [b for b in at.button if b.key == "rollback_demo_confirm_yes"]
    at.button(key="rollback_demo").click().run()
    at.button(key="rollback_demo_confirm_yes").click().run()
    assert not at.exception and any("份演示数据提交" in s.value for s in at.success)
    assert not Store(demo_copy).has_active_demo()


def test_figures_in_yuan_under_a_yi_yuan_heading_wait_for_the_analysts_unit(open_page, sign_in, demo_copy):
    from tests.agency_files import loans_file

    october = october_loans(demo_copy, "420102")  # 江岸区, 亿元
    in_yuan = round(october * 1.01 * 1e8)  # November typed in 元: 10⁸ times October's
    at = sign_in(open_page(PAGE, db=demo_copy), demo_copy)
    at.file_uploader[0].upload("202611_江岸.xlsx", loans_file(11, {"江岸区": in_yuan}), XLSX).run()
    assert not at.exception
    text = all_text(at)
    assert "单位待确认" in text and "【单位待确认】" in "\n".join(e.value for e in at.error)
    assert not [b for b in at.button if b.key == "confirm"]  # cannot be imported yet
    radio = next(r for r in at.radio if r.key.startswith("unit-"))
    assert radio.value is None and any("按元换算为亿元" in o for o in radio.options)

    radio.set_value(1e8).run()
    assert not at.exception and "可以导入" in all_text(at)
    preview = next(d.value for d in at.dataframe if "变化" in d.value.columns)
    shown = preview[preview["地区"] == "江岸区"].iloc[0]
    assert shown["新值"] == f"{in_yuan / 1e8:,.15g}" and "+" in shown["较上月"] and "1.0%" in shown["较上月"]
    at.button(key="confirm").click().run()
    assert not at.exception and any("已导入" in s.value for s in at.success)
    stored = Store(demo_copy).current_values().filter((pl.col("region_code") == "420102")
                                                      & (pl.col("period") == pl.date(2026, 11, 30)))
    assert stored["value"].to_list() == [pytest.approx(in_yuan / 1e8)]


def test_a_hundredfold_change_is_said_above_the_report_and_may_still_be_imported(open_page, sign_in, demo_copy):
    from tests.agency_files import loans_file

    hundredfold = round(october_loans(demo_copy, "420102") * 150, 1)
    at = sign_in(open_page(PAGE, db=demo_copy), demo_copy)
    at.file_uploader[0].upload("202611_江岸.xlsx", loans_file(11, {"江岸区": hundredfold}), XLSX).run()
    assert not at.exception
    loud = [w.value for w in at.warning if "【疑似单位错误】" in w.value]
    assert len(loud) == 1 and "150倍" in loud[0] and "B4" in loud[0]
    preview = next(d.value for d in at.dataframe if "变化" in d.value.columns)
    assert preview.iloc[0]["较上月"] == "⚠ 上月的150倍，疑似单位错误"
    assert [b for b in at.button if b.key == "confirm"]  # a warning: the analyst may still import it


def test_thirty_files_at_once_are_checked_together_and_confirmed_in_one_go(open_page, sign_in, demo_copy, opens):
    """Issue 10 item 7: thirty files dropped at once are read under one progress bar and listed in one table; their
    confirmation opens the database once (31 times before Store.kept_open)."""
    from tests.agency_files import loans_file

    at = sign_in(open_page(PAGE, db=demo_copy), demo_copy)
    uploader = at.file_uploader[0]
    units = ["江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区", "蔡甸区", "江夏区"]
    names = []
    for year, months in ((2025, (1, 2, 3)),):
        for month in months:
            for i, unit in enumerate(units):
                name = f"{year}{month:02d}_{unit}.xlsx"
                uploader.upload(name, loans_file(month, {unit: 100.0 + i + month}, year=year), XLSX)
                names.append(name)
    at.run(timeout=300)
    assert not at.exception and len(names) == 30
    summary = next(d.value for d in at.dataframe if "结果" in d.value.columns)
    assert list(summary["文件"]) == names and set(summary["报告期"]) == {"2025年1月", "2025年2月", "2025年3月"}
    assert "共30个文件：" in all_text(at) and len(at.expander) == 30
    confirm = at.button(key="confirm")
    assert confirm.label == "确认导入 30 个文件"
    opens.clear()
    confirm.click().run(timeout=300)
    assert any("已导入" in s.value for s in at.success)
    assert len(opens) == 2, opens  # the thirty commits share one open; the run after them reads the new figures
