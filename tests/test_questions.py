"""The reader asks instead of guessing, and reads the next file with the answer (issue 10 item 3).

Real .xlsx files written with openpyxl, a real DuckDB file: an uncertain heading, an unknown region name and a
period found nowhere are questions (no value from their column or row); once answered (store/mappings.learn), the
same file and next month's file from that agency go in without a question; 不导入 silences a column; an agency's
own answer comes before a general one and another agency's is never used; the JSON shape; commit refuses a file
with open questions; and the command line's round trip (ingest --json → needs_answers; --map → ok; mappings
list / remove).
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook

from domain.errors import UserError
from domain.mappings import IGNORE, Mapping, Mappings
from domain.model import Registry
from domain.registry import load_registry
from loaders.__main__ import EXIT_NEEDS_ANSWERS, EXIT_OK, EXIT_REJECTED, main
from loaders.ingest import commit, parse_upload, prepare
from loaders.names import Matcher, indicator_key, region_key
from loaders.questions import MAX_SUGGESTIONS
from presentation.questions import question_rows
from store import Store
from store.access import operator
from store.mappings import learn

PBOC = "人行武汉分行营管部"


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "q.duckdb")


def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def loans(month: int = 10, heading: str = "科技企业贷款（亿元）", *, agency: str = PBOC,
          names: tuple[str, str] = ("江岸区", "江汉区"), title: str | None = None) -> bytes:
    """A district table from `agency`: B is `heading` (near 科技型企业贷款余额, not certainly it), C certain."""
    return xlsx([[title if title is not None else f"武汉市科技型企业融资情况表（2026年{month}月）"],
                 ["地区", heading, "科技型企业获贷家数"],
                 [names[0], 40.0 + month, 250], [names[1], 30.0 + month, 120],
                 [f"数据来源：{agency}"]])


def values(report) -> dict[tuple[str, str], float]:
    rows = report.outcome.observations.select("indicator_code", "region_code", "value").rows()
    return {(c, r): v for c, r, v in rows}


def answer(store: Store, question, target: str, agency: str = "") -> None:
    learn(store, operator(), kind=question.kind, text=question.value, key=question.key, target=target,
          agency=agency, file_name="test", cell=question.where)


# -- an uncertain heading ----------------------------------------------------------------------------------------


def test_an_uncertain_heading_is_asked_with_ranked_suggestions_and_gives_no_value(store, reg):
    report = prepare(store, loans(), "loans.xlsx", reg)
    assert report.status == "needs_answers"
    assert report.outcome.errors == [] and report.outcome.warnings == []
    [q] = report.questions
    assert (q.kind, q.sheet, q.cell, q.value, q.key) == ("indicator", "Sheet", "B2", "科技企业贷款（亿元）", "科技企业贷款")
    assert 1 <= len(q.suggestions) <= MAX_SUGGESTIONS
    assert q.suggestions[0].code == "tech_loan_balance" and q.suggestions[0].label == "科技型企业贷款余额"
    scores = [s.score for s in q.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert {code for code, _ in values(report)} == {"tech_firm_borrowers"}  # the question's column gives nothing
    with pytest.raises(UserError, match="待确认"):
        commit(store, report, actor=operator())
    assert store.submissions().is_empty()


def test_answered_the_same_file_and_next_months_go_in_without_a_question(store, reg):
    first = prepare(store, loans(), "loans_202610.xlsx", reg)
    assert first.outcome.answer_agency == PBOC
    answer(store, first.questions[0], "tech_loan_balance", PBOC)
    again = prepare(store, loans(), "loans_202610.xlsx", reg)
    assert again.status == "ok" and again.questions == []
    assert values(again) == {("tech_loan_balance", "420102"): 50.0, ("tech_loan_balance", "420103"): 40.0,
                             ("tech_firm_borrowers", "420102"): 250, ("tech_firm_borrowers", "420103"): 120}
    assert commit(store, again, actor=operator()).status == "ok"
    # next month, the heading with quotes, spaces and the month in front: one question, already answered
    heading = "2026年11月末“科技企业 贷款”（亿元）"
    assert indicator_key(heading) == first.questions[0].key
    nxt = prepare(store, loans(11, heading), "loans_202611.xlsx", reg)
    assert nxt.status == "ok" and nxt.questions == [] and nxt.outcome.warnings == []
    assert values(nxt)[("tech_loan_balance", "420102")] == 51.0


def test_an_ignore_answer_silences_the_column(store, reg):
    q = prepare(store, loans(), "loans.xlsx", reg).questions[0]
    answer(store, q, IGNORE, PBOC)
    report = prepare(store, loans(), "loans.xlsx", reg)
    assert report.status == "ok" and report.outcome.problems == []  # no question, no skipped-column warning
    assert {code for code, _ in values(report)} == {"tech_firm_borrowers"}


# -- a region name -----------------------------------------------------------------------------------------------


def test_an_unknown_region_name_is_asked_and_answered_the_row_goes_in(store, reg):
    content = loans(heading="科技型企业贷款余额（亿元）", names=("江岸去", "江汉区"))
    report = prepare(store, content, "loans.xlsx", reg)
    assert report.status == "needs_answers"
    [q] = report.questions
    assert (q.kind, q.cell, q.value, q.key) == ("region", "A3", "江岸去", region_key("江岸去"))
    assert q.suggestions[0].code == "420102" and q.suggestions[0].label == "江岸区"
    assert all(s.code in reg.regions for s in q.suggestions) and len(q.suggestions) <= MAX_SUGGESTIONS
    assert set(values(report)) == {("tech_loan_balance", "420103"), ("tech_firm_borrowers", "420103")}
    answer(store, q, "420102", PBOC)
    done = prepare(store, content, "loans.xlsx", reg)
    assert done.status == "ok"
    assert values(done)[("tech_loan_balance", "420102")] == 50.0


def test_a_row_answered_not_to_import_is_left_out(store, reg):
    content = loans(heading="科技型企业贷款余额（亿元）", names=("江岸区", "某某园区"))
    q = prepare(store, content, "loans.xlsx", reg).questions[0]
    answer(store, q, IGNORE)
    done = prepare(store, content, "loans.xlsx", reg)
    assert done.status == "ok" and done.outcome.errors == []
    assert {r for _, r in values(done)} == {"420102"}


# -- agencies ----------------------------------------------------------------------------------------------------


def test_an_agency_s_own_answer_first_and_another_agency_s_never(store, reg):
    key = indicator_key("科技企业贷款（亿元）")
    learn(store, operator(), kind="indicator", text="科技企业贷款", key=key, target="tech_sme_loan_balance",
          agency="市科技局")
    # another agency's answer is not this agency's: still a question
    assert prepare(store, loans(), "loans.xlsx", reg).status == "needs_answers"
    learn(store, operator(), kind="indicator", text="科技企业贷款", key=key, target="tech_loan_balance", agency=PBOC)
    learn(store, operator(), kind="indicator", text="科技企业贷款", key=key, target=IGNORE)  # for any agency
    own = prepare(store, loans(), "loans.xlsx", reg)
    assert own.status == "ok" and ("tech_loan_balance", "420102") in values(own)  # its own, not the general
    other = prepare(store, loans(agency="市地方金融工作局"), "loans.xlsx", reg)
    assert other.status == "ok"
    assert {code for code, _ in values(other)} == {"tech_firm_borrowers"}  # the general answer (不导入)
    sci = prepare(store, loans(agency="市科技局"), "loans.xlsx", reg)
    assert ("tech_sme_loan_balance", "420102") in values(sci)


def test_a_matcher_without_answers_and_with_them_share_their_tables(reg):
    base = Matcher(reg)
    key = indicator_key("科技企业贷款")
    answers = Mappings((Mapping(1, "indicator", PBOC, "科技企业贷款", key, "tech_loan_balance", "x", dt.datetime(2026, 11, 1)),))
    view = base.with_answers(answers, PBOC)
    assert view._indicators is base._indicators and view.agency == PBOC
    assert view.indicator("科技企业贷款") == "tech_loan_balance"
    assert base.indicator("科技企业贷款") is None  # the shared matcher keeps no answer
    assert base.with_answers(answers, "市科技局").indicator("科技企业贷款") is None


# -- a period ----------------------------------------------------------------------------------------------------


def test_a_period_found_nowhere_is_asked_and_the_answer_holds_for_that_file(store, reg):
    content = loans(heading="科技型企业贷款余额（亿元）", title="武汉市科技型企业融资情况表")
    report = prepare(store, content, "融资.xlsx", reg)
    assert report.status == "needs_answers" and report.outcome.observations.is_empty()
    [q] = report.questions
    assert (q.kind, q.cell, q.value) == ("period", "", "武汉市科技型企业融资情况表")
    months = [s.code for s in q.suggestions]
    assert months == sorted(months, reverse=True)
    answer(store, q, "2026-10")
    done = prepare(store, content, "融资.xlsx", reg)
    assert done.status == "ok" and f"{done.outcome.period:%Y-%m}" == "2026-10"
    assert values(done)[("tech_loan_balance", "420102")] == 50.0
    # another file without a period is asked again: a month is never carried over to other bytes
    other = loans(heading="科技型企业贷款余额（亿元）", title="武汉市科技型企业融资情况表（更正）")
    assert prepare(store, other, "融资.xlsx", reg).status == "needs_answers"


def test_two_months_above_the_table_ask_which(store, reg):
    content = xlsx([["武汉市科技型企业融资情况表（2026年10月）"], ["统计时点：2026年9月末"],
                    ["地区", "科技型企业贷款余额（亿元）"], ["江岸区", 40.0], ["江汉区", 30.0]])
    report = prepare(store, content, "贷款.xlsx", reg)
    assert report.status == "needs_answers" and report.outcome.observations.is_empty()
    [q] = report.questions
    assert (q.kind, q.cell) == ("period", "A1")
    assert [s.code for s in q.suggestions] == ["2026-10", "2026-09"]  # latest first
    answer(store, q, "2026-09")
    done = prepare(store, content, "贷款.xlsx", reg)
    assert done.status == "ok" and f"{done.outcome.period:%Y-%m}" == "2026-09"


def test_period_suggestions_come_from_the_file_name_and_sheet_latest_first(reg):
    # a title with no month, a file name naming one: read from the file name, no question
    out = parse_upload(loans(heading="科技型企业贷款余额（亿元）", title="融资情况"), "融资_202609.xlsx", reg)
    assert out.questions == [] and f"{out.period:%Y-%m}" == "2026-09"


# -- the report's JSON, a rejected file's questions, the presentation -------------------------------------------


def test_the_json_keeps_its_fields_and_adds_questions(store, reg):
    data = prepare(store, loans(), "loans.xlsx", reg).as_json(reg)
    assert set(data) == {"file", "status", "source", "period", "observations", "errors", "warnings", "message",
                         "questions"}
    assert data["status"] == "needs_answers"
    [q] = data["questions"]
    assert set(q) == {"sheet", "cell", "value", "kind", "suggestions"}
    assert (q["sheet"], q["cell"], q["value"], q["kind"]) == ("Sheet", "B2", "科技企业贷款（亿元）", "indicator")
    assert set(q["suggestions"][0]) == {"code", "label", "score"}
    json.dumps(data, ensure_ascii=False)
    ok = prepare(store, loans(heading="科技型企业贷款余额"), "ok.xlsx", reg).as_json(reg)
    assert ok["status"] == "ok" and ok["questions"] == []


def test_a_file_with_an_error_is_rejected_and_its_questions_still_listed(store, reg):
    content = xlsx([["武汉市科技型企业融资情况表（2026年10月）"], ["地区", "科技企业贷款（亿元）", "科技型企业获贷家数"],
                    ["江岸区", 40.0, "二百五十家左右"], ["江汉区", 30.0, 120]])
    report = prepare(store, content, "bad.xlsx", reg)
    assert report.status == "rejected" and [p.cell for p in report.outcome.errors] == ["C3"]
    assert [q.cell for q in report.questions] == ["B2"]
    rows = question_rows(report.questions, reg)
    assert rows.columns == ["工作表", "单元格", "原文", "类型", "建议"]
    assert rows.row(0)[:4] == ("Sheet", "B2", "科技企业贷款（亿元）", "指标")
    assert rows["建议"][0].startswith("科技型企业贷款余额")


# -- the command line --------------------------------------------------------------------------------------------


def test_command_line_round_trip(tmp_path, reg, capsys):
    db = tmp_path / "cli.duckdb"
    path = tmp_path / "loans_202610.xlsx"
    path.write_bytes(loans())

    def ingest(*extra: str) -> tuple[int, dict]:
        code = main(["ingest", str(path), "--db", str(db), "--json", *extra])
        return code, json.loads(capsys.readouterr().out)[0]

    code, data = ingest("--dry-run")
    assert code == EXIT_NEEDS_ANSWERS and data["status"] == "needs_answers"
    assert [(q["cell"], q["kind"]) for q in data["questions"]] == [("B2", "indicator")]

    assert main(["ingest", str(path), "--db", str(db), "--map", "科技企业贷款=no_such_code"]) == 2
    assert "不存在" in capsys.readouterr().err

    code, data = ingest("--dry-run", "--map", "科技企业贷款=tech_loan_balance")
    assert code == EXIT_OK and data["status"] == "ok" and data["questions"] == []
    assert {(o["indicator_code"], o["region_code"]) for o in data["observations"]} >= {("tech_loan_balance", "420102")}

    assert main(["mappings", "list", "--db", str(db), "--json"]) == 0
    [m] = json.loads(capsys.readouterr().out)
    assert (m["kind"], m["text"], m["target"], m["agency"]) == ("indicator", "科技企业贷款", "tech_loan_balance", PBOC)
    assert main(["mappings", "list", "--db", str(db)]) == 0
    assert "科技型企业贷款余额" in capsys.readouterr().out

    assert main(["mappings", "remove", str(m["id"]), "--db", str(db)]) == 0
    assert "已删除" in capsys.readouterr().out
    code, data = ingest("--dry-run")
    assert code == EXIT_NEEDS_ANSWERS and data["status"] == "needs_answers"

    # 不导入 by an empty target, and a region alias by name: the file goes in
    bad = tmp_path / "loans2_202610.xlsx"
    bad.write_bytes(loans(names=("江岸去", "江汉区")))
    code = main(["ingest", str(bad), "--db", str(db), "--json", "--map", "科技企业贷款=",
                 "--region-alias", "江岸去=江岸区"])
    data = json.loads(capsys.readouterr().out)[0]
    assert code == EXIT_OK and data["status"] == "ok", data
    assert {(o["indicator_code"], o["region_code"]) for o in data["observations"]} == {
        ("tech_firm_borrowers", "420102"), ("tech_firm_borrowers", "420103")}
    assert main(["ingest", str(bad), "--db", str(db), "--region-alias", "江岸去=火星区"]) == 2
    assert "火星区" in capsys.readouterr().err
    assert EXIT_REJECTED == 1


def test_a_corpus_case_answered_reads_every_value(reg):
    """q_heading_and_region: 科技企业贷款 answered as 科技型企业贷款余额 and 光谷片区 as 东湖高新区, the file reads in
    full (万元 → 亿元), and the 合计 is checked again (it agrees: no warning)."""
    from pathlib import Path

    name = "q_heading_and_region_202610.xlsx"
    content = (Path(__file__).resolve().parent / "corpus" / name).read_bytes()
    asked = parse_upload(content, name, reg).questions
    at = dt.datetime(2026, 11, 1)
    answers = Mappings((Mapping(1, "indicator", PBOC, "科技企业贷款", asked[0].key, "tech_loan_balance", "x", at),
                        Mapping(2, "region", "", "光谷片区", asked[1].key, "WH_DHGX", "x", at)))
    out = parse_upload(content, name, reg, answers)
    assert out.ok and out.questions == [] and out.warnings == []
    got = {(c, r): v for c, r, v in out.observations.select("indicator_code", "region_code", "value").rows()}
    assert got == pytest.approx({("tech_sme_loan_balance", "420102"): 12.5, ("tech_sme_loan_balance", "420106"): 8.75,
                                 ("tech_sme_loan_balance", "WH_DHGX"): 6.0, ("tech_sme_loan_balance", "420100"): 27.25,
                                 ("tech_loan_balance", "420102"): 40.0, ("tech_loan_balance", "420106"): 31.0,
                                 ("tech_loan_balance", "WH_DHGX"): 28.0, ("tech_loan_balance", "420100"): 99.0})


@pytest.mark.parametrize("big", [False, True])
def test_a_register_column_near_a_missing_field_is_asked_then_read(store, reg, big, monkeypatch):
    if big:  # the columnar reader of big registers finds its columns the same way
        from loaders import workbook

        monkeypatch.setattr(workbook, "BIG_SHEET_XML_BYTES", 0)
    content = xlsx([["武汉市“金种子”企业名录（截至2026年10月）"], ["序号", "企业名称", "类别", "所在辖区"],
                    [1, "武汉光芯科技有限公司", "金种子", "洪山区"], [2, "武汉楚天生物医药有限公司", "金种子", "江岸区"]])
    report = prepare(store, content, "金种子.xlsx", reg)
    assert report.status == "needs_answers" and report.outcome.errors == []
    [q] = report.questions
    assert (q.kind, q.cell, q.value) == ("register_field", "D2", "所在辖区")
    assert q.suggestions[0].code == "region_code" and q.suggestions[0].label == "所在区"
    answer(store, q, "region_code")
    done = prepare(store, content, "金种子.xlsx", reg)
    assert done.status == "ok"
    assert sorted(done.outcome.registers["seed_firms"]["region_code"].to_list()) == ["420102", "420111"]
