"""The task registry: extracted from the policy texts (not typed), its counts and rows word for word, the units
with their aliases and earlier names, where tasks stand, the 督办清单 workbook, `python -m reports tasks`, and the
任务清单 page with the tasks listed on 指标详情."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil

import pytest
from openpyxl import load_workbook

from domain.errors import RegistryError
from domain.registry import DATA_DIR
from domain.tasks import TaskRegistry, deadline_of, load_tasks
from metrics.tasks import state_counts, supervision_rows, task_standings, unit_matrix, unit_tasks
from presentation.tasks import (
    deadline_text,
    linked_tasks_markdown,
    summary_sentence,
    supervision_workbook,
    units_text,
)
from reports.__main__ import main as reports_main
from tests.cli import run_main
from tools import extract_tasks

SEEDS = DATA_DIR / "seeds"


@pytest.fixture(scope="module")
def tasks(registry) -> TaskRegistry:
    return load_tasks(DATA_DIR, registry)


# -- extraction ------------------------------------------------------------------------------------------------


def test_the_committed_registry_is_what_the_texts_give():
    documents, extracted = extract_tasks.extract(SEEDS)
    assert (DATA_DIR / "tasks.toml").read_text(encoding="utf-8") == extract_tasks.render(documents, extracted), \
        "data/tasks.toml differs from the extraction: run .venv/bin/python tools/extract_tasks.py"
    assert extract_tasks.main(["--check"]) == 0


def test_counts_per_plan(tasks):
    per_plan = {doc: sum(t.document == doc for t in tasks.tasks.values()) for doc in tasks.plans}
    assert per_plan == {"WH2027": 20, "WHC": 65, "HB2026": 17, "WH2016": 50}
    wh2027 = [t for t in tasks.tasks.values() if t.document == "WH2027"]
    assert [t.number for t in wh2027] == [str(n) for n in range(1, 21)]
    assert list(dict.fromkeys(t.action for t in wh2027)) == [
        "(一)实施耐心资本培育行动", "(二)实施科技信贷提质行动", "(三)实施多层次资本市场建设行动", "(四)实施风险补偿分担行动",
        "(五)实施科技金融生态优化行动"]
    assert all(t.responsible and not t.lead for t in wh2027)  # WH2027 names 责任单位 only
    whc = [t for t in tasks.tasks.values() if t.document == "WHC"]
    assert [t.number for t in whc] == [str(n) for n in range(1, 66)]
    assert [t.number for t in tasks.tasks.values() if t.document == "HB2026"] == [
        "（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）", "（十一）", "（十二）",
        "（十三）", "（十四）", "（十五）", "（十六）", "三"]
    wh2016 = [t for t in tasks.tasks.values() if t.document == "WH2016"]
    assert all(t.deadline_as_written for t in wh2016)
    assert [sum(t.part == p for t in wh2016) for p in dict.fromkeys(t.part for t in wh2016)] == [5, 10, 9, 9, 4, 6, 3, 4]


def test_spot_rows_word_for_word(tasks):
    t = tasks.tasks["WH2027-14"]
    assert t.text == (
        "高水平建设东湖科技保险创新示范区。鼓励保险机构在示范区设立科技保险创新中心及科技保险专营机构。支持东湖科技保险发展促进中心"
        "与保险机构共建科技风险创新实验室。围绕创新研发、生产运营、市场推广及成果转化等重点环节研发新型科技保险产品,加快推广首台(套)"
        "重大技术装备保险、新材料首批次应用保险、首版次高端软件研发及推广应用保险,科技保险在库产品达到60个。")
    assert t.units_as_written == "东湖高新区管委会,市委金融办、市经信局、市科技创新局"
    assert t.action == "(四)实施风险补偿分担行动" and t.clause == "二、主要任务 14"

    t = tasks.tasks["WHC-1"]
    assert (t.text, t.lead_as_written, t.units_as_written) == (
        "加强与中央金融管理部门和金融机构总部对接沟通，争取国家科技金融政策和资源支持。", "省委金融办",
        "省科技厅、人行湖北省分行、湖北金融监管局、湖北证监局")
    # a merged "…按职责分工负责" cell stays one: no lead, no 责任单位, its units shared
    t = tasks.tasks["WHC-36"]
    assert t.units_as_written == "省财政厅、省科技厅、省人社厅、省经信厅按职责分工负责"
    assert (t.lead, t.responsible, t.shared) == ((), (), ("省财政厅", "省科技厅", "省人社厅", "省经信厅"))
    assert sum(bool(t.shared) for t in tasks.tasks.values()) == 5
    t = tasks.tasks["WHC-65"]
    assert (t.text, t.lead, t.responsible) == (
        "完善科技金融风险监测预警、早期干预和应急处置机制，压实金融机构风险防控主体责任，严厉打击各类非法金融活动。",
        ("省委金融办", "湖北金融监管局"), ("人行湖北省分行", "湖北证监局", "省公安厅"))
    assert t.part == "三、切实强化服务保障"
    assert tasks.tasks["WHC-19"].clause == "附件 任务分工表 序号19（正文第9条）"  # worded a little apart from the body

    t = tasks.tasks["HB2026-9"]
    assert t.number == "（九）" and "力争 2026 年底科技担保在保余额突破 500 亿元。" in t.text
    assert t.units_as_written == "省地方金融管理局、省财政厅、省科技厅、省经信厅、人行湖北省分行，湖北宏泰集团、湖北联投集团，各州市人民政府"
    # Markdown emphasis of the conversion dropped; a paragraph broken by a page joined again
    assert "提高不超过3个百分点" in tasks.tasks["HB2026-2"].text
    assert "推动金融机构将人才积分和定价模型有机结合，实现“人才有价”。合力构建" in tasks.tasks["HB2026-10"].text
    assert tasks.tasks["HB2026-safeguards"].text.startswith("强化组织推动，省级层面强化科技金融工作协调")

    t = tasks.tasks["WH2016-3.4"]
    assert (t.number, t.deadline_as_written, t.units_as_written) == (
        "(四)", "2018年", "湖北银监局、人行武汉分行营管部、市科技局、市金融工作局")
    assert tasks.tasks["WH2016-7.5"].text.startswith("建立科技金融机构服务绿色通道。为科技金融服务机构创造政策环境")
    assert tasks.tasks["WH2016-2.1"].deadline_as_written == "2016 年"


def test_a_damaged_text_stops_the_extraction(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    whc = seeds / extract_tasks.WHC_FILE
    whc.write_text(whc.read_text(encoding="utf-8").replace("\t36\n", "\t37\n", 1), encoding="utf-8")
    with pytest.raises(extract_tasks.ExtractionError, match="序号应为 36"):
        extract_tasks.extract(seeds)
    original = seeds / extract_tasks.WH2027_ORIGINAL_FILE
    original.write_text(original.read_text(encoding="utf-8").replace("60個", "70個"), encoding="utf-8")
    shutil.copy(SEEDS / extract_tasks.WHC_FILE, whc)
    with pytest.raises(extract_tasks.ExtractionError, match="第14项与原文"):
        extract_tasks.extract(seeds)


# -- units -----------------------------------------------------------------------------------------------------


def test_renamed_units_see_their_predecessors_tasks(tasks):
    assert tasks.names["市金融工作局"] == "市委金融办"
    assert tasks.names["湖北银监局"] == tasks.names["湖北保监局"] == "湖北金融监管局"
    assert tasks.names["人行武汉分行营管部"] == "人行湖北省分行"
    t = tasks.tasks["WH2016-9.4"]  # 湖北银监局 and 湖北保监局 both: 湖北金融监管局 once
    assert t.responsible == ("市委金融办", "人行湖北省分行", "湖北金融监管局", "湖北证监局")
    mine = {task.id for task, _ in tasks.tasks_of("市委金融办")}
    assert "WH2016-2.1" in mine and "WH2027-9" in mine
    assert units_text(tasks.tasks["WHC-1"]) == "牵头：省委金融办；责任：省科技厅、人行湖北省分行、湖北金融监管局、湖北证监局"


def test_district_governments_and_zone_committees_see_the_districts_tasks(tasks, registry):
    group = [t.id for t in tasks.tasks.values() if "各区人民政府" in t.responsible]
    assert len(group) == 10
    members = tasks.members("各区人民政府")
    assert {u.region for u in members} == {r.code for r in registry.children(registry.city)}  # 16 units, zones in
    zone = dict(tasks.tasks_of("东湖高新区管委会"))
    assert {t.id for t, role in zone.items() if role == "group"} == set(group)
    assert zone[tasks.tasks["WH2027-14"]] == "responsible"
    assert zone[tasks.tasks["WHC-29"]] == "lead"
    assert {t.id for t, _ in tasks.tasks_of("江岸区人民政府")} == set(group)


def test_every_problem_of_the_task_files_at_once(data_copy, registry):
    units = data_copy / "units.toml"
    units.write_text(units.read_text(encoding="utf-8").replace('"湖北保监局", ', ""), encoding="utf-8")
    links = data_copy / "task_links.toml"
    links.write_text(links.read_text(encoding="utf-8").replace("推出10款以上融资产品", "推出20款以上融资产品")
                     .replace('indicator = "seed_firms"', 'indicator = "seed_firm"'), encoding="utf-8")
    with pytest.raises(RegistryError) as caught:
        load_tasks(data_copy, registry)
    problems = caught.value.problems
    assert any("tasks.toml" in p and "湖北保监局" in p and "未在 units.toml 中登记" in p for p in problems)
    assert any("task_links.toml" in p and "推出20款以上融资产品" in p for p in problems)
    assert any("task_links.toml" in p and "seed_firm" in p for p in problems)
    assert all("第" in p and "行" in p for p in problems)


# -- where tasks stand -----------------------------------------------------------------------------------------


def test_no_check_in_yet_every_task_is_not_reported(tasks):
    rows = task_standings(tasks, dt.date(2026, 10, 31))
    assert len(rows) == 152 and {s.state for s in rows} == {"not_reported"}
    assert {s.last_update for s in rows} == {None}
    assert not any(s.overdue for s in rows)
    assert {s.overdue for s in rows if s.task.document == "WH2016"} == {None}  # an archive is not judged
    assert "各单位尚无进展报送" in summary_sentence(rows, tasks, dt.date(2026, 10, 31))


def test_deadlines_and_overdue(tasks):
    t = tasks.tasks
    assert t["WH2027-9"].deadline == t["WHC-25"].deadline == dt.date(2027, 12, 31)
    assert t["HB2026-9"].deadline == dt.date(2026, 12, 31)
    assert t["WH2016-2.1"].deadline == dt.date(2016, 12, 31)
    assert t["WH2016-7.5"].deadline == dt.date(2018, 12, 31)  # 每年: the plan's end
    assert deadline_of("明年", tasks.plans["WH2016"]) is None
    assert deadline_text(t["WH2016-2.1"]) == "2016年" and deadline_text(t["WHC-25"]) == "2027年底（方案期末）"
    later = task_standings(tasks, dt.date(2027, 1, 31))
    assert {s.task.id for s in later if s.overdue} == {i for i in t if i.startswith("HB2026")}
    counts = state_counts(later)
    assert counts.filter(counts["document"] == "HB2026")["overdue"].item() == 17
    assert counts["not_reported"].to_list() == counts["tasks"].to_list() == [20, 65, 17, 50]


def test_the_unit_matrix_and_the_supervision_list(tasks):
    rows = [s for s in task_standings(tasks, dt.date(2026, 10, 31)) if not s.task.archived]
    matrix = unit_matrix(tasks, rows)
    row = matrix.filter(matrix["unit"] == "湖北金融监管局").row(0, named=True)
    assert (row["lead"], row["shared"]) == (5, 1) and row["total"] == row["lead"] + row["responsible"] + row["shared"]
    zone = matrix.filter(matrix["unit"] == "东湖高新区管委会").row(0, named=True)
    assert (zone["responsible"], zone["lead"], zone["group"]) == (5, 1, 10)
    assert "市金融工作局" not in matrix["unit"].to_list()  # only current names
    assert len(unit_tasks(tasks, rows, "市委金融办")) == matrix.filter(matrix["unit"] == "市委金融办")["total"].item()
    sheet = supervision_rows(tasks, rows)
    assert sheet.height == sum(len(s.task.roles()) for s in rows)  # every unit a task names, once per task
    wb = load_workbook(io.BytesIO(supervision_workbook(sheet, tasks, dt.date(2026, 10, 31))))
    ws = wb.worksheets[0]
    assert ws.title == "督办清单（截至2026年10月）" and ws.max_row == sheet.height + 1
    headings = [c.value for c in ws[1]]
    assert headings[:4] == ["责任单位", "角色", "文件", "编号"] and "状态" in headings
    states = {ws.cell(row=r, column=headings.index("状态") + 1).value for r in range(2, ws.max_row + 1)}
    assert states == {"未报送"}


def test_tasks_behind_an_indicator(tasks, registry):
    assert {t.id for t, _ in tasks.tasks_on("hanrongtong_products")} == {"WH2027-9"}
    text = linked_tasks_markdown(tasks, "tech_insurance_products", registry)
    assert "东湖高新区管委会" in text and "科技保险在库产品达到60个" in text
    assert linked_tasks_markdown(tasks, "listed_companies", registry) is None


# -- python -m reports tasks -----------------------------------------------------------------------------------


def test_the_command_line_prints_every_task(demo_db):
    ran = run_main(reports_main, "tasks", "--db", demo_db, "--as-of", "2026-10", "--json")
    assert ran.returncode == 0, ran.stderr
    rows = json.loads(ran.stdout)
    assert len(rows) == 152
    assert list(rows[0])[:11] == ["task_id", "document", "number", "action", "text", "lead_units",
                                  "responsible_units", "deadline", "state", "last_update", "overdue"]
    by_id = {r["task_id"]: r for r in rows}
    nine = by_id["WH2027-9"]
    assert (nine["document"], nine["number"], nine["deadline"], nine["state"], nine["last_update"], nine["overdue"]) \
        == ("WH2027", "9", "2027-12-31", "not_reported", None, False)
    assert nine["indicators"] == ["hanrongtong_products"] and nine["text"].startswith("强化科技金融服务平台支撑。")
    assert by_id["WHC-25"]["lead_units"] == ["人行湖北省分行"]
    assert by_id["HB2026-9"]["number"] == "（九）"
    assert by_id["WH2016-3.2"]["responsible_units"][:3] == ["湖北金融监管局", "市委金融办", "人行湖北省分行"]
    assert by_id["WH2016-3.2"]["overdue"] is None and by_id["WH2016-3.2"]["archived"] is True

    ran = run_main(reports_main, "tasks", "--db", demo_db, "--as-of", "2027-01", "--json")
    assert sum(r["overdue"] is True for r in json.loads(ran.stdout)) == 17

    ran = run_main(reports_main, "tasks", "--db", demo_db, "--as-of", "2026-10")
    assert ran.returncode == 0 and "各单位尚无进展报送" in ran.stdout and "WHC-36｜" in ran.stdout


def test_the_command_line_without_a_database_or_with_a_bad_month(tmp_path, demo_db):
    ran = run_main(reports_main, "tasks", "--db", tmp_path / "none.duckdb", "--json")
    assert ran.returncode == 1 and "不存在" in ran.stderr
    ran = run_main(reports_main, "tasks", "--db", demo_db, "--as-of", "2026-13")
    assert ran.returncode == 2 and "YYYY-MM" in ran.stderr


# -- the pages -------------------------------------------------------------------------------------------------


def _text(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
                     + [e.label for e in at.expander])


def test_the_tasks_page_by_plan_unit_and_list(open_page, demo_db):
    at = open_page("pages/tasks.py", db=demo_db, as_of="2026-10")
    text = _text(at)
    assert "尚无进展报送" in text and "未报送" in text
    assert len(at.expander) == 20  # WH2027, by its five actions
    assert "**(三)实施多层次资本市场建设行动**" in [m.value for m in at.markdown]
    counts = at.dataframe[0].value
    assert counts["任务数"].to_list() == [20, 65, 17, 50] and counts["逾期"].to_list()[-1] == "不跟踪"

    at = open_page("pages/tasks.py", db=demo_db, view="plan", plan="WHC")
    assert len(at.expander) == 65

    at = open_page("pages/tasks.py", db=demo_db, view="unit", unit="东湖高新区管委会")
    matrix = at.dataframe[1].value
    assert {"牵头", "责任", "按职责分工负责", "经集合单位"} <= set(matrix.columns)
    mine = at.dataframe[2].value
    assert len(mine) == 16 and set(mine["本单位角色"]) == {"牵头", "责任", "所属集合单位"}

    at = open_page("pages/tasks.py", db=demo_db, view="list")
    assert at.dataframe[1].value.columns[0] == "责任单位"
    assert any("下载督办清单" in str(b.proto) for b in at.get("download_button"))


def test_the_indicator_page_lists_the_tasks_behind_it(open_page, demo_db):
    at = open_page("pages/indicator.py", db=demo_db, indicator="hanrongtong_products")
    text = "\n".join(m.value for m in at.markdown)
    assert "推动该指标的任务" in [h.value for h in at.subheader]
    assert "WH2027 二、主要任务 9" in text and "推出10款以上融资产品" in text


def test_a_registry_problem_in_the_task_files_is_a_message(open_page, demo_db, data_copy):
    (data_copy / "units.toml").write_text(
        (DATA_DIR / "units.toml").read_text(encoding="utf-8").replace('"人行武汉分行营管部", ', ""), encoding="utf-8")
    at = open_page("pages/tasks.py", db=demo_db, data_dir=data_copy)
    assert any("人行武汉分行营管部" in e.value and "units.toml" in e.value for e in at.error)
