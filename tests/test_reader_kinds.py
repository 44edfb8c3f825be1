"""Kinds of agency tables the reader must read as meant (issue 10, label kinds), through `parse_upload`.

Each test writes a real .xlsx with openpyxl laid out as an agency would (merged title with the month, a
单位 line, a header of one or two rows, region rows, a 合计 row, notes) and asserts the exact observations
and that nothing else was emitted. Values are worked out by hand (万元 ÷ 10000 = 亿元).
"""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from domain.model import Registry
from domain.registry import load_registry
from loaders.ingest import ParseOutcome, parse_upload
from loaders.names import Guess, Matcher
from tests.test_ingest_tables import _as_expected


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


def xlsx(rows: list[list], merges: tuple[str, ...] = (), sheet: str = "Sheet1") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def values(out: ParseOutcome) -> dict[tuple[str, str], float]:
    rows = out.observations.select("indicator_code", "region_code", "value").rows()
    got = {(code, region): value for code, region, value in rows}
    assert len(got) == len(rows), "an (indicator, region) pair appears twice"
    return got


def assert_exactly(out: ParseOutcome, expected: dict[tuple[str, str], float]) -> None:
    got = values(out)
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-12, abs=1e-9), key


def cells(out: ParseOutcome) -> dict[tuple[str, str], str]:
    return {(c, r): cell for c, r, cell in out.observations.select("indicator_code", "region_code", "cell").rows()}


TITLE = "武汉市科技型企业贷款情况表（2026年10月）"


# -- 1. a region with its managed district in brackets, full and short forms ----------------------------------


@pytest.mark.parametrize("jkq", ["武汉经开区（汉南区）", "经开区(汉南区)", "武汉经开区（托管汉南区）", "武汉经开区（含汉南区）"])
def test_region_with_its_managed_district_in_brackets(reg, jkq):
    rows = [[TITLE, None, None], [None, None, "单位：亿元"],
            ["地区", "科技型企业贷款余额", "科技型企业获贷家数"],
            ["东湖高新区（光谷）", 60.25, 300],
            [jkq, 15.5, 120],
            ["武汉市江夏区", 8.0, 40],
            ["青山", 4.25, 20],
            ["长江新区（托管区域）", 2.0, 10],
            ["全市合计", 90.0, 490]]
    out = parse_upload(xlsx(rows, ("A1:C1",)), "loans.xlsx", reg)
    assert out.problems == []
    assert_exactly(out, {
        ("tech_loan_balance", "WH_DHGX"): 60.25, ("tech_firm_borrowers", "WH_DHGX"): 300,
        ("tech_loan_balance", "WH_JKQ"): 15.5, ("tech_firm_borrowers", "WH_JKQ"): 120,
        ("tech_loan_balance", "420115"): 8.0, ("tech_firm_borrowers", "420115"): 40,
        ("tech_loan_balance", "420107"): 4.25, ("tech_firm_borrowers", "420107"): 20,
        ("tech_loan_balance", "WH_CJXQ"): 2.0, ("tech_firm_borrowers", "WH_CJXQ"): 10,
        ("tech_loan_balance", "420100"): 90.0, ("tech_firm_borrowers", "420100"): 490,
    })


def test_city_names_full_short_and_with_the_province_in_front(reg):
    rows = [["湖北省科技担保在保余额（2026年9月）"], ["单位：亿元"], ["市州", "科技担保在保余额"],
            ["湖北省宜昌市", 12.0], ["恩施土家族苗族自治州", 3.5], ["恩施州", None], ["黄石", 8.5], ["十堰市", 4.0],
            ["神农架", 0.5], ["全省", 28.5]]
    out = parse_upload(xlsx(rows[:5] + rows[6:], ("A1:B1",)), "担保.xlsx", reg)
    assert out.problems == []
    assert_exactly(out, {("tech_guarantee_balance", "420500"): 12.0, ("tech_guarantee_balance", "422800"): 3.5,
                         ("tech_guarantee_balance", "420200"): 8.5, ("tech_guarantee_balance", "420300"): 4.0,
                         ("tech_guarantee_balance", "429021"): 0.5, ("tech_guarantee_balance", "420000"): 28.5})


def test_a_bracket_naming_an_unrelated_region_is_not_guessed(reg):
    m = Matcher(reg)
    assert m.region("江岸区（江汉区）") is None
    assert m.region("东湖高新区（光谷）") == "WH_DHGX"
    assert m.region("汉南区（武汉经开区托管）") == "420113"
    assert m.region("恩施市") is None  # a city inside 恩施州, not the 州
    rows = [[TITLE], ["地区", "科技型企业贷款余额（亿元）"], ["江岸区（江汉区）", 5.0], ["江汉区", 6.0]]
    out = parse_upload(xlsx(rows), "loans.xlsx", reg)
    assert out.problems == []  # asked (issue 10 item 3; it was an error), suggesting both regions it names
    assert [(q.kind, q.cell, q.value) for q in out.questions] == [("region", "A3", "江岸区（江汉区）")]
    assert {"420102", "420103"} <= {s.code for s in out.questions[0].suggestions}


# -- 2. rows that are no members: 本级, column keys, subtotals, notes in the first column --------------------------


def test_own_level_column_keys_subtotals_and_notes_are_not_regions(reg):
    # 合计 = 市本级 + 县区合计 = 50,000 + 1,000,000 万元; 县区合计 = 400,000 + 350,000 + 250,000.
    rows = [[TITLE, None, None], [None, None, "单位：万元"],
            ["地区", "科技型企业贷款余额", "科技型企业获贷户数（户）"],
            ["栏次", "1", "2"],
            ["合计", "1,050,000", 650],
            ["市本级", "50,000", 50],
            ["县区合计", "1,000,000", 600],
            ["江岸区", "400,000", 250],
            ["江汉区", "350,000", 200],
            ["洪山区", "250,000", 150],
            ["小计", "1,000,000", 600],
            ["注：", "本表不含票据融资", None],
            ["填报人：张三", "审核人", "李四"],
            ["联系电话", "027-85000000", None]]
    out = parse_upload(xlsx(rows, ("A1:C1",)), "loans.xlsx", reg)
    assert out.problems == []
    assert_exactly(out, {
        ("tech_loan_balance", "420100"): 105.0, ("tech_firm_borrowers", "420100"): 650,
        ("tech_loan_balance", "420102"): 40.0, ("tech_firm_borrowers", "420102"): 250,
        ("tech_loan_balance", "420103"): 35.0, ("tech_firm_borrowers", "420103"): 200,
        ("tech_loan_balance", "420111"): 25.0, ("tech_firm_borrowers", "420111"): 150,
    })
    assert cells(out)[("tech_loan_balance", "420100")] == "B5"


@pytest.mark.parametrize("keys", [["甲", "A", "B", "C=A+B"], [None, "1", "2", "3=1+2"], ["行次", 1, 2, 3],
                                  ["A", "B", "C", "D"]])
def test_a_column_key_row_under_the_header_is_skipped(reg, keys):
    rows = [["湖北省科技型中小企业贷款情况（2026年9月）"], ["单位：亿元、家"],
            ["市州", "科技型中小企业贷款余额", "科技担保在保余额", "科技型中小企业获贷家数"], keys,
            ["武汉市", 410.5, 30.25, 1200], ["黄石市", 55.0, 8.5, 300]]
    out = parse_upload(xlsx(rows), "hubei.xlsx", reg)
    assert out.problems == []
    assert_exactly(out, {("tech_sme_loan_balance", "420100"): 410.5, ("tech_sme_loan_balance", "420200"): 55.0,
                         ("tech_guarantee_balance", "420100"): 30.25, ("tech_guarantee_balance", "420200"): 8.5,
                         ("tech_sme_borrowers", "420100"): 1200, ("tech_sme_borrowers", "420200"): 300})


def test_a_total_that_is_not_the_sum_still_warns_with_an_own_level_row(reg):
    rows = [[TITLE], ["地区", "科技型企业贷款余额（亿元）"], ["全市", 100.0], ["市本级", 10.0],
            ["江岸区", 40.0], ["江汉区", 40.0]]
    out = parse_upload(xlsx(rows), "loans.xlsx", reg)
    assert out.errors == [] and len(out.warnings) == 1  # 10 + 40 + 40 = 90 ≠ 100
    assert "合计" in out.warnings[0].message
    assert_exactly(out, {("tech_loan_balance", "420100"): 100.0, ("tech_loan_balance", "420102"): 40.0,
                         ("tech_loan_balance", "420103"): 40.0})


# -- 3. the same indicator in other words: groups, 其中, quotes, 户, units in the heading ----------------------------


def test_group_headings_with_total_and_parts(reg):
    # Row 3: groups merged across; row 4: 总数 / 其中：… / 小计 / a blank first sub-column.
    rows = [["武汉市科技金融情况表（2026年10月）"] + [None] * 7,
            [None] * 7 + ["单位：万元、户、家"],
            ["地区", "科技型企业贷款余额", None, None, "科技型企业获贷户数", None, "科技金融专营机构数", None],
            [None, "总数", "其中：科技型中小企业", "其中：中长期贷款", "小计", "其中：科技型中小企业", None, "其中：支行"],
            ["江岸区", "400,000", "150,000", "90,000", 250, 120, 5, 3],
            ["东湖高新区", "600,000", "260,000", "200,000", 400, 210, 12, 8],
            ["合计", "1,000,000", "410,000", "290,000", 650, 330, 17, 11]]
    merges = ("A1:H1", "A3:A4", "B3:D3", "E3:F3", "G3:H3")
    out = parse_upload(xlsx(rows, merges), "科技金融.xlsx", reg)
    assert out.problems == []
    assert_exactly(out, {
        ("tech_loan_balance", "420102"): 40.0, ("tech_loan_balance", "WH_DHGX"): 60.0,
        ("tech_loan_balance", "420100"): 100.0,
        ("tech_sme_loan_balance", "420102"): 15.0, ("tech_sme_loan_balance", "WH_DHGX"): 26.0,
        ("tech_sme_loan_balance", "420100"): 41.0,
        ("tech_firm_borrowers", "420102"): 250, ("tech_firm_borrowers", "WH_DHGX"): 400,
        ("tech_firm_borrowers", "420100"): 650,
        ("tech_sme_borrowers", "420102"): 120, ("tech_sme_borrowers", "WH_DHGX"): 210,
        ("tech_sme_borrowers", "420100"): 330,
        ("specialized_institutions", "420102"): 5, ("specialized_institutions", "WH_DHGX"): 12,
        ("specialized_institutions", "420100"): 17,
    })
    assert cells(out)[("tech_sme_loan_balance", "420102")] == "C5"
    assert cells(out)[("specialized_institutions", "420102")] == "G5"


def test_quotes_households_and_units_in_headings(reg):
    rows = [["武汉市科技金融指标（2026年10月）", None, None, None], [None, None, None, "单位：亿元"],
            ["区域", '"金种子""银种子"企业户数', "科技型企业贷款余额（万元）", "科技担保在保余额/万元"],
            ["江汉区", 3, "123,400", "5,000"], ["蔡甸区", 2, "56,600", "2,500"]]
    out = parse_upload(xlsx(rows, ("A1:D1",)), "指标.xlsx", reg)
    assert out.problems == []
    assert_exactly(out, {("seed_firms", "420103"): 3, ("seed_firms", "420114"): 2,
                         ("tech_loan_balance", "420103"): 12.34, ("tech_loan_balance", "420114"): 5.66,
                         ("tech_guarantee_balance", "420103"): 0.5, ("tech_guarantee_balance", "420114"): 0.25})


@pytest.mark.parametrize("heading", ["“金种子”“银种子”企业数", "「金种子」「银种子」企业数（户）", "『金种子』、『银种子』企业数",
                                     "金种子银种子企业数量\n（家）", "1.金种子、银种子企业户数"])
def test_seed_firm_heading_spellings(reg, heading):
    assert Matcher(reg).indicator(heading) == "seed_firms"


@pytest.mark.parametrize("heading", ["金种子企业数", "银种子企业数"])
def test_half_of_the_seed_firms_is_a_question(reg, heading):
    guess = Matcher(reg).indicator_guess(heading)
    assert guess.code is None and guess.suggestions == ("seed_firms",)


# -- 4. matching that does not confuse indicators -----------------------------------------------------------------


def test_tech_sme_loans_never_become_tech_firm_loans(reg):
    rows = [[TITLE], ["单位：亿元"], ["地区", "科技型中小企业贷款余额", "科技中小企业贷款余额合计"],
            ["江岸区", 12.0, None]]
    out = parse_upload(xlsx(rows), "loans.xlsx", reg)
    assert [(k, v) for k, v in values(out).items()] == [(("tech_sme_loan_balance", "420102"), 12.0)]
    assert all(code != "tech_loan_balance" for code, _ in values(out))


def test_an_increase_is_not_a_balance(reg):
    rows = [[TITLE], ["单位：亿元"], ["地区", "科技型企业贷款余额", "科技型企业贷款比年初增加", "科技型企业贷款余额新增"],
            ["江岸区", 40.0, 3.5, 3.5]]
    out = parse_upload(xlsx(rows), "loans.xlsx", reg)
    assert_exactly(out, {("tech_loan_balance", "420102"): 40.0})
    assert [(p.severity, p.cell) for p in out.problems] == [("warning", "")]
    assert "科技型企业贷款比年初增加" in out.problems[0].message


def test_a_share_is_not_a_count(reg):
    m = Matcher(reg)
    assert m.indicator("科创板、创业板、北交所上市公司占比（%）") == "star_chinext_bse_share"
    assert m.indicator("科创板、创业板、北交所上市公司数占比") == "star_chinext_bse_share"  # a share, not the count
    assert m.indicator("科创板、创业板、北交所上市公司家数占比") != "listed_star_chinext_bse"
    assert m.indicator("科技型企业获贷户数占比") is None
    assert m.indicator("科技型中小企业获贷家数") == "tech_sme_borrowers"


def test_headings_are_normalised_before_matching(reg):
    m = Matcher(reg)
    for heading in ["（一）科技型企业贷款余额", "1.科技型企业贷款余额（亿元）", "科技型企业\n贷款余额", "2026年10月末科技型企业贷款余额",
                    "科技型企业贷款余额/亿元", "其中：科技型企业贷款余额", "科 技 型 企 业 贷 款 余 额（单位：万元）"]:
        assert m.indicator(heading) == "tech_loan_balance", heading


def test_an_uncertain_heading_is_a_question_at_its_cell_and_gives_no_value(reg):
    # Issue 10 item 3: it was a warning (the file went in without the column); now it is asked.
    rows = [[TITLE], ["单位：亿元"], ["地区", "科技企业贷款", "科技型企业获贷家数"], ["江岸区", 40.0, 250]]
    out = parse_upload(xlsx(rows), "loans.xlsx", reg)
    assert_exactly(out, {("tech_firm_borrowers", "420102"): 250})
    assert out.problems == []
    assert [(q.kind, q.cell, q.value) for q in out.questions] == [("indicator", "B3", "科技企业贷款")]
    assert out.questions[0].suggestions[0].label == "科技型企业贷款余额"  # the nearest indicator first
    assert not out.ok


def test_second_best_too_close_is_uncertain(reg):
    # 科创板、创业板、北交所上市公司: the count (…公司数) and the share (…公司占比) are both near, too near
    # each other to choose: a question naming both, at its cell, and no value.
    m = Matcher(reg)
    assert m.indicator_guess("科创板、创业板、北交所上市公司") == Guess(
        None, ("listed_star_chinext_bse", "star_chinext_bse_share"))
    rows = [["湖北省上市公司情况（2026年9月）", None, None], ["市州", "上市公司数（家）", "科创板、创业板、北交所上市公司"],
            ["武汉市", 80, 30], ["宜昌市", 10, 3]]
    out = parse_upload(xlsx(rows, ("A1:C1",)), "上市.xlsx", reg)
    assert_exactly(out, {("listed_companies", "420100"): 80, ("listed_companies", "420500"): 10})
    assert out.problems == []
    assert [(q.kind, q.cell) for q in out.questions] == [("indicator", "C2")]
    labels = [s.label for s in out.questions[0].suggestions]
    assert "科创板、创业板、北交所上市公司数" in labels
    assert "科创板、创业板、北交所上市公司占上市公司比重" in labels
    assert m.indicator_guess("科技型小企业获贷家数").code is None


def test_every_alias_keeps_its_own_indicator_words(reg):
    from loaders.names import _words_ok, heading_key

    for ind in reg.indicators.values():
        for alias in (ind.name_zh, *ind.aliases):
            assert _words_ok(heading_key(alias), ind.requires, ind.forbids), (ind.code, alias)
            assert Matcher(reg).indicator(alias) == ind.code


# -- 5. registers: district column by any name, district from the address, a 合计 row as a check ------------------


def seed_rows(district_heading: str, districts: list[str]) -> list[list]:
    firms = ["武汉光芯科技有限公司", "武汉楚天生物医药有限公司", "武汉江城智造股份有限公司"]
    return [["武汉市“金种子”企业名录（截至2026年10月）", None, None, None],
            ["序号", "企业名称", "类别", district_heading],
            *[[i + 1, f, "金种子", d] for i, (f, d) in enumerate(zip(firms, districts, strict=True))]]


@pytest.mark.parametrize("heading", ["所属区域", "注册地", "所在区", "区域", "所在区域"])
def test_register_district_column_by_any_of_its_names(reg, heading):
    rows = seed_rows(heading, ["洪山区", "东湖高新区（光谷）", "武汉经开区(汉南区)"])
    out = parse_upload(xlsx(rows, ("A1:D1",)), "金种子.xlsx", reg)
    assert out.problems == []
    assert out.registers["seed_firms"]["region_code"].to_list() == ["420111", "WH_DHGX", "WH_JKQ"]
    assert_exactly(out, {("seed_firms", "420100"): 3, ("seed_firms", "420111"): 1, ("seed_firms", "WH_DHGX"): 1,
                         ("seed_firms", "WH_JKQ"): 1})


def test_register_district_from_the_address_and_total_row_as_a_check(reg):
    rows = seed_rows("注册地址", ["武汉市洪山区珞喻路1037号", "湖北省武汉市东湖新技术开发区高新大道666号",
                                "武汉市汉南区纱帽街汉南大道1号"])
    rows.append([None, "合计：3家", None, None])
    out = parse_upload(xlsx(rows, ("A1:D1",)), "金种子.xlsx", reg)
    assert out.problems == []
    assert out.registers["seed_firms"]["region_code"].to_list() == ["420111", "WH_DHGX", "WH_JKQ"]
    assert_exactly(out, {("seed_firms", "420100"): 3, ("seed_firms", "420111"): 1, ("seed_firms", "WH_DHGX"): 1,
                         ("seed_firms", "WH_JKQ"): 1})


def test_an_address_outside_the_city_counts_for_the_city_with_a_warning(reg):
    rows = seed_rows("地址", ["武汉市洪山区珞喻路1037号", "北京市海淀区中关村大街1号", "洪山大道88号"])
    out = parse_upload(xlsx(rows, ("A1:D1",)), "金种子.xlsx", reg)
    assert [(p.severity, p.cell) for p in out.problems] == [("warning", "D4"), ("warning", "D5")]
    assert_exactly(out, {("seed_firms", "420100"): 3, ("seed_firms", "420111"): 1})


def test_register_total_row_that_disagrees_warns_and_is_not_a_member(reg):
    rows = [["武汉市股权投资基金名录（2026年10月）", None, None, None], ["基金名称", "基金类型", "注册地", "认缴规模（万元）"],
            ["武汉光谷创业投资基金", "创业投资基金", "东湖高新区", "50,000"],
            ["共青城长江产业基金", "股权投资基金", "江岸区", "150,000"],
            ["合计", None, None, "210,000"]]
    out = parse_upload(xlsx(rows, ("A1:D1",)), "基金.xlsx", reg)
    assert out.errors == []
    assert [(p.severity, p.cell) for p in out.warnings] == [("warning", "D5")]
    assert out.registers["funds"]["name"].to_list() == ["武汉光谷创业投资基金", "共青城长江产业基金"]
    assert_exactly(out, {("equity_fund_size", "420100"): 20.0, ("equity_fund_size", "WH_DHGX"): 5.0,
                         ("equity_fund_size", "420102"): 15.0, ("venture_capital_size", "420100"): 5.0,
                         ("venture_capital_size", "WH_DHGX"): 5.0})


# -- the kinds_ corpus cases (tests/corpus/make_kinds.py) ---------------------------------------------------------

CORPUS = Path(__file__).resolve().parent / "corpus"


def _kinds_generator():
    spec = importlib.util.spec_from_file_location("make_kinds", CORPUS / "make_kinds.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


KINDS_CASES = sorted(p.name for p in CORPUS.glob("kinds_*.xlsx"))


def test_kinds_corpus_is_what_its_generator_writes():
    generator = _kinds_generator()
    assert sorted(generator.CASES) == KINDS_CASES
    assert len(KINDS_CASES) >= 8
    for name, build in generator.CASES.items():
        _, data = build()
        assert json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8")) == data, name


@pytest.mark.parametrize("name", KINDS_CASES)
def test_kinds_corpus_case_reads_to_its_expected_observations(reg, name):
    expected = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    out = parse_upload((CORPUS / name).read_bytes(), name, reg)
    assert out.errors == []
    asked = [{"sheet": q.sheet, "cell": q.cell, "kind": q.kind} for q in out.questions]
    assert asked == expected.pop("questions", [])
    assert _as_expected(out, name) == expected


# -- titles, questions and other table shapes --------------------------------------------------------------------


def test_a_title_that_is_an_indicator_name_is_not_the_header(reg):
    rows = [["科技型企业贷款余额表", None, None], [None, None, "单位：亿元"],
            ["地区", "科技型企业贷款余额", "科技型企业获贷家数"], ["江岸区", 40.0, 250]]
    out = parse_upload(xlsx(rows, ("A1:C1",)), "202610_loans.xlsx", reg)
    assert out.problems == []
    assert_exactly(out, {("tech_loan_balance", "420102"): 40.0, ("tech_firm_borrowers", "420102"): 250})


def test_a_table_of_only_uncertain_headings_asks_at_each_cell(reg):
    rows = [[TITLE, None], ["地区", "科技企业贷款"], ["江岸区", 40.0]]
    out = parse_upload(xlsx(rows, ("A1:B1",)), "loans.xlsx", reg)
    assert out.observations.is_empty()
    assert [(q.kind, q.cell, q.value) for q in out.questions] == [("indicator", "B2", "科技企业贷款")]
    assert out.problems == []
    assert not out.ok  # nothing to import: the analyst answers the question first


def test_column_keys_and_own_level_in_a_months_down_table(reg):
    rows = [["2026年武汉市分区科技型企业贷款余额（亿元）"], ["月份", "江岸区", "武汉经开区（汉南区）", "合计"],
            ["栏次", 1, 2, "3=1+2"], ["1月", 10.0, 20.0, 30.0], ["2月", 11.0, 21.0, 32.0], ["注：合计含市本级。"]]
    out = parse_upload(xlsx(rows), "loans_2026.xlsx", reg)
    assert out.problems == []
    got = {(r, p.month): v for r, p, v in out.observations.select("region_code", "period", "value").rows()}
    assert got == {("420102", 1): 10.0, ("WH_JKQ", 1): 20.0, ("420100", 1): 30.0,
                   ("420102", 2): 11.0, ("WH_JKQ", 2): 21.0, ("420100", 2): 32.0}


@pytest.mark.parametrize("name", ["kinds_funds_address_202610.xlsx", "kinds_institutions_region_202610.xlsx"])
def test_big_register_path_reads_the_same_kinds(reg, name, monkeypatch):
    from loaders import workbook

    content = (CORPUS / name).read_bytes()
    slow = parse_upload(content, name, reg)
    monkeypatch.setattr(workbook, "BIG_SHEET_XML_BYTES", 0)  # every sheet counts as big: the columnar reader
    fast = parse_upload(content, name, reg)
    assert fast.problems == slow.problems == []
    sort = ["indicator_code", "region_code"]
    assert fast.observations.sort(sort).equals(slow.observations.sort(sort))
    for table, frame in slow.registers.items():
        assert fast.registers[table].sort("row_no").equals(frame.sort("row_no")), table


def test_big_register_path_warns_for_an_address_outside_the_city(reg, monkeypatch):
    from loaders import workbook

    content = xlsx(seed_rows("地址", ["武汉市洪山区珞喻路1037号", "北京市海淀区中关村大街1号", "洪山大道88号"]))
    slow = parse_upload(content, "金种子.xlsx", reg)
    monkeypatch.setattr(workbook, "BIG_SHEET_XML_BYTES", 0)
    fast = parse_upload(content, "金种子.xlsx", reg)
    assert sorted((p.severity, p.cell, p.message) for p in fast.problems) == \
        sorted((p.severity, p.cell, p.message) for p in slow.problems)
    assert len(fast.warnings) == 2


def test_register_total_in_the_row_number_column_is_a_check(reg):
    rows = [*seed_rows("所在区", ["洪山区", "江岸区", "江汉区"]), ["合计（5家）", None, None, None]]
    out = parse_upload(xlsx(rows, ("A1:D1",)), "金种子.xlsx", reg)
    assert out.errors == []
    assert [(p.cell, p.value) for p in out.warnings] == [("A6", "合计（5家）")]  # 5 written, 3 listed
    assert out.registers["seed_firms"].height == 3


def test_total_spelt_总计_names_the_city_and_more_zone_spellings(reg):
    m = Matcher(reg)
    assert m.total("全市总计") == m.total("武汉市总计") == (True, reg.city)
    assert m.not_a_member("全市总计") is None
    assert m.region("武汉东湖高新技术开发区") == m.region("东湖高新技术开发区") == "WH_DHGX"
    assert m.region("武汉经济开发区（汉南区）") == "WH_JKQ"


@pytest.mark.parametrize("total_label", ["合计", "合计（3只）"])
def test_big_register_path_checks_a_total_row_as_the_row_reader_does(reg, monkeypatch, total_label):
    from loaders import workbook

    rows = [["武汉市股权投资基金名录（2026年10月）", None, None, None], ["基金名称（全称）", "基金类型", "注册地", "认缴规模（万元）"],
            ["武汉光谷创业投资基金", "创业投资基金", "东湖高新区※", "50,000"],
            ["武汉长江产业基金", "股权投资基金", "江岸区", "150,000"],
            [total_label, None, None, "210,000"]]
    content = xlsx(rows, ("A1:D1",))
    slow = parse_upload(content, "基金.xlsx", reg)
    monkeypatch.setattr(workbook, "BIG_SHEET_XML_BYTES", 0)
    fast = parse_upload(content, "基金.xlsx", reg)
    expected_cells = ["D5"] if total_label == "合计" else ["A5", "D5"]  # 21 亿元 ≠ 20; 3 只 ≠ 2 rows
    assert sorted(p.cell for p in slow.warnings) == expected_cells and slow.errors == []
    assert sorted((p.cell, p.message) for p in fast.problems) == sorted((p.cell, p.message) for p in slow.problems)
    assert fast.registers["funds"].height == slow.registers["funds"].height == 2


def test_numbered_and_footnoted_region_labels_are_their_regions_not_notes(reg):
    rows = [[TITLE], ["单位：亿元"], ["地区", "科技型企业贷款余额"],
            ["1.江岸区", 40.0], ["（二）武汉经开区（汉南区）", 15.0], ["③东湖高新区※", 60.0], ["注1：※含光谷科学岛。"]]
    out = parse_upload(xlsx(rows), "loans.xlsx", reg)
    assert out.problems == []
    assert_exactly(out, {("tech_loan_balance", "420102"): 40.0, ("tech_loan_balance", "WH_JKQ"): 15.0,
                         ("tech_loan_balance", "WH_DHGX"): 60.0})
