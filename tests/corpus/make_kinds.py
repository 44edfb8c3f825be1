"""Write the label-kind corpus cases (files starting kinds_) and their hand-worked expected observations.

    .venv/bin/python tests/corpus/make_kinds.py

Issue 10, label kinds: regions with their managed district in brackets, rows that are no members (本级,
栏次 / A=B+C, 各区合计, notes in the first column), group headings with 总数 / 小计 / 其中 beneath them,
numbered and quoted headings with units in them, an uncertain heading, and registers with the district
under another name, in an address, and a 合计 row. Each case is one .xlsx and `<file>.expected.json` in the
layout of tests/fixtures/*.expected.json. Every expected value is written out by hand here (万元 ÷ 10000 =
亿元, counts and sums of the rows written), never by running the reader. Re-run after changing a number,
and commit the outputs.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or loaded by path: the shared helpers beside it
from corpus_files import book, dump, expected, obs

HERE = Path(__file__).resolve().parent


def many(indicator: str, period: str, by_region: dict[str, float]) -> list[dict]:
    return [obs(indicator, region, period, value) for region, value in by_region.items()]


# -- the cases --------------------------------------------------------------------------------------------


def bracket_regions() -> tuple[bytes, dict]:
    """Regions with their managed district or nickname in brackets, a full name with the city in front, a
    short name; 全市 first; 单位：万元 applies to the balance, not to the 户数."""
    name = "kinds_bracket_regions_202609.xlsx"
    rows = [["武汉市科技型中小企业贷款情况表（2026年9月末）", None, None],
            [None, None, "单位：万元"],
            ["单位名称", "科技型中小企业贷款余额", "科技型中小企业贷款户数"],
            ["全市", "820,000", "1,500"],
            ["东湖高新区（光谷）", "480,000", 800],
            ["武汉经开区（汉南区）", "150,000", 300],
            ["武汉市硚口区", "60,000", 150],
            ["长江新区（托管区域）", "30,000", 50],
            ["江夏", "100,000", 200],
            ["注：武汉经开区数据含其托管的汉南区。", None, None],
            ["数据来源：人行武汉分行营管部", None, None]]
    p = "2026-09"
    # 480,000 + 150,000 + 60,000 + 30,000 + 100,000 = 820,000 万元 = 82 亿元; 800+300+150+50+200 = 1,500 户
    out = (many("tech_sme_loan_balance", p, {"420100": 82.0, "WH_DHGX": 48.0, "WH_JKQ": 15.0, "420104": 6.0,
                                             "WH_CJXQ": 3.0, "420115": 10.0})
           + many("tech_sme_borrowers", p, {"420100": 1500, "WH_DHGX": 800, "WH_JKQ": 300, "420104": 150,
                                            "WH_CJXQ": 50, "420115": 200}))
    return book(rows, ("A1:C1", "A10:C10", "A11:C11")), expected(name, p, "人行武汉分行营管部", out)


def own_level_rows() -> tuple[bytes, dict]:
    """A province table: 栏次 row, 全省合计 = 省本级 + 各市州合计, notes and a signature line in cells."""
    name = "kinds_own_level_rows_202608.xlsx"
    rows = [["全省科技担保与科技型中小企业融资统计表（2026年8月）", None, None],
            ["地区", "科技担保在保余额（亿元）", "科技型中小企业获贷家数（家）"],
            ["栏次", 1, 2],
            ["全省合计", 100.0, 150],
            ["省本级", 20.0, 30],
            ["各市州合计", 80.0, 120],
            ["武汉市", 50.0, 70],
            ["宜昌市", 18.0, 30],
            ["襄阳", 12.0, 20],
            ["说明：省本级为省级融资担保机构直接承保的业务。", None, None],
            ["审核人：王五", None, "联系电话：027-87000000"],
            ["数据来源：省地方金融管理局", None, None]]
    p = "2026-08"
    # 20 + 50 + 18 + 12 = 100; 30 + 70 + 30 + 20 = 150 (省本级 is in the total, not a member)
    out = (many("tech_guarantee_balance", p, {"420000": 100.0, "420100": 50.0, "420500": 18.0, "420600": 12.0})
           + many("tech_sme_borrowers", p, {"420000": 150, "420100": 70, "420500": 30, "420600": 20}))
    return book(rows, ("A1:C1", "A10:C10", "A12:C12")), expected(name, p, "省地方金融管理局", out)


def group_header() -> tuple[bytes, dict]:
    """Two header rows: 科技型企业贷款余额 over 总数 / 其中：科技型中小企业 / 其中：信用贷款, 科技型企业获贷家数 over
    小计 / 其中：科技型中小企业, and a rate merged down both rows."""
    name = "kinds_group_header_202608.xlsx"
    rows = [["湖北省各市州科技型企业贷款情况（2026年8月）"] + [None] * 6,
            [None] * 6 + ["单位：亿元、家"],
            ["市州", "科技型企业贷款余额", None, None, "科技型企业获贷家数", None, "科技型企业获贷率（%）"],
            [None, "总数", "其中：科技型中小企业", "其中：信用贷款", "小计", "其中：科技型中小企业", None],
            ["武汉市", 2000.0, 800.0, 300.0, 9000, 5000, 45.5],
            ["黄石市", 150.0, 60.0, 20.0, 700, 400, 38.2],
            ["十堰市", 120.0, 50.0, 15.0, 500, 300, 35.0],
            ["全省", 2270.0, 910.0, 335.0, 10200, 5700, 43.1],
            ["数据来源：人行湖北省分行"] + [None] * 6]
    p = "2026-08"
    regions = ["420100", "420200", "420300", "420000"]

    def col(values: list[float]) -> dict[str, float]:
        return dict(zip(regions, values, strict=True))

    # 2000 + 150 + 120 = 2270; 800 + 60 + 50 = 910; 9000 + 700 + 500 = 10200; 5000 + 400 + 300 = 5700
    out = (many("tech_loan_balance", p, col([2000.0, 150.0, 120.0, 2270.0]))
           + many("tech_sme_loan_balance", p, col([800.0, 60.0, 50.0, 910.0]))
           + many("tech_firm_borrowers", p, col([9000, 700, 500, 10200]))
           + many("tech_sme_borrowers", p, col([5000, 400, 300, 5700]))
           + many("tech_firm_loan_access_rate", p, col([45.5, 38.2, 35.0, 43.1])))
    merges = ("A1:G1", "A3:A4", "B3:D3", "E3:F3", "G3:G4", "A9:G9")
    return book(rows, merges), expected(name, p, "人行湖北省分行", out)


def blank_first_sub() -> tuple[bytes, dict]:
    """A group whose first sub-column has no heading (its total) and one whose first is 合计; 其中 parts that
    name no indicator are left out; a 序号 column merged down."""
    name = "kinds_blank_first_sub_202610.xlsx"
    rows = [["武汉市科技金融重点指标（2026年10月）"] + [None] * 6,
            ["单位：万元"] + [None] * 6,
            ["序号", "区域", "科技担保在保余额", None, None, "科技金融专营机构", None],
            [None, None, None, "其中：首贷担保", "其中：信用担保", "合计", "其中：科技支行"],
            [1, "江汉区", "35,000", "10,000", "5,000", 4, 2],
            [2, "武昌区", "45,000", "12,000", "8,000", 6, 3],
            [3, "东湖高新区", "120,000", "30,000", "40,000", 15, 9],
            ["数据来源：市委金融办"] + [None] * 6]
    p = "2026-10"
    out = (many("tech_guarantee_balance", p, {"420103": 3.5, "420106": 4.5, "WH_DHGX": 12.0})
           + many("specialized_institutions", p, {"420103": 4, "420106": 6, "WH_DHGX": 15}))
    merges = ("A1:G1", "A3:A4", "B3:B4", "C3:E3", "F3:G3", "A8:G8")
    return book(rows, merges), expected(name, p, "市委金融办", out)


def quotes_units() -> tuple[bytes, dict]:
    """Names in 「」 and “” quotes, units in the heading (（款）, （个）, /万元), a rate as fractions."""
    name = "kinds_quotes_units_202610.xlsx"
    rows = [["武汉市科技金融产品与科技保险情况（2026年10月）", None, None, None, None],
            ["地区", "「汉融通」平台科技融资产品数（款）", "“科技保险”在库产品数（个）", "科技保险保费收入/万元",
             "科技型企业获贷率（%）"],
            ["江岸区", 20, 8, "12,000", 0.385],
            ["东湖高新区", 60, 25, "30,000", 0.452],
            ["全市", 80, 33, "42,000", 0.431],
            ["数据来源：市委金融办", None, None, None, None]]
    p = "2026-10"
    # 12,000 万元 = 1.2 亿元; the rates are all between 0 and 1, so fractions: × 100
    out = (many("hanrongtong_products", p, {"420102": 20, "WH_DHGX": 60, "420100": 80})
           + many("tech_insurance_products", p, {"420102": 8, "WH_DHGX": 25, "420100": 33})
           + many("tech_insurance_premium", p, {"420102": 1.2, "WH_DHGX": 3.0, "420100": 4.2})
           + many("tech_firm_loan_access_rate", p, {"420102": 38.5, "WH_DHGX": 45.2, "420100": 43.1}))
    return book(rows, ("A1:E1", "A6:E6")), expected(name, p, "市委金融办", out)


def numbered_headings() -> tuple[bytes, dict]:
    """Headings numbered 一、 / （二） / 3. / 4., a line break and a unit inside one; 比年初增加 is no balance
    (skipped, one warning)."""
    name = "kinds_numbered_headings_202607.xlsx"
    rows = [["2026年7月武汉市科技信贷统计", None, None, None, None],
            [None, None, None, None, "单位：万元、户"],
            ["地区", "一、科技型企业贷款余额\n（万元）", "（二）科技型企业获贷户数", "3.科技贷款余额（人行口径）",
             "4.科技型企业贷款比年初增加"],
            ["江岸区", "300,000", 210, "500,000", "20,000"],
            ["汉阳区", "200,000", 140, "350,000", "15,000"],
            ["合计", "500,000", 350, "850,000", "35,000"],
            ["数据来源：人行武汉分行营管部", None, None, None, None]]
    p = "2026-07"
    out = (many("tech_loan_balance", p, {"420102": 30.0, "420105": 20.0, "420100": 50.0})
           + many("tech_firm_borrowers", p, {"420102": 210, "420105": 140, "420100": 350})
           + many("sci_tech_loan_balance", p, {"420102": 50.0, "420105": 35.0, "420100": 85.0}))
    return book(rows, ("A1:E1", "A7:E7")), expected(name, p, "人行武汉分行营管部", out, warnings=1)


def formula_row() -> tuple[bytes, dict]:
    """A=B+C style column keys under the header, 全市合计 = 市本级 + 各区合计, a 其中 column in one header row,
    a signature line whose name cell is no note."""
    name = "kinds_formula_row_202609.xlsx"
    rows = [["武汉市科技型企业融资情况（2026年9月）", None, None, None],
            [None, None, None, "单位：亿元"],
            ["区", "科技型企业贷款余额", "其中：科技型中小企业贷款余额", "科技型企业获贷家数"],
            [None, "A", "B", "C"],
            ["全市合计", 300.0, 120.0, 2000],
            ["市本级", 10.0, 2.0, 50],
            ["各区合计", 290.0, 118.0, 1950],
            ["洪山区", 90.0, 38.0, 650],
            ["江夏区", 80.0, 30.0, 500],
            ["黄陂区", 120.0, 50.0, 800],
            ["注：1.市本级为在汉法人银行总行营业部贷款。", None, None, None],
            ["填报人：", "赵六", "联系电话：", "027-88000000"],
            ["数据来源：人行武汉分行营管部", None, None, None]]
    p = "2026-09"
    # 10 + 90 + 80 + 120 = 300; 2 + 38 + 30 + 50 = 120; 50 + 650 + 500 + 800 = 2000
    out = (many("tech_loan_balance", p, {"420100": 300.0, "420111": 90.0, "420115": 80.0, "420116": 120.0})
           + many("tech_sme_loan_balance", p, {"420100": 120.0, "420111": 38.0, "420115": 30.0, "420116": 50.0})
           + many("tech_firm_borrowers", p, {"420100": 2000, "420111": 650, "420115": 500, "420116": 800}))
    return book(rows, ("A1:D1", "A11:D11", "A13:D13")), expected(name, p, "人行武汉分行营管部", out)


def uncertain_heading() -> tuple[bytes, dict]:
    """Two headings near an indicator but not certainly it (科技企业贷款 lacks 余额; 金种子企业数 is not
    金种子 and 银种子): each a question at its cell, no value; the certain column is read."""
    name = "kinds_uncertain_heading_202610.xlsx"
    rows = [["武汉市科技企业融资情况（2026年10月）", None, None, None],
            [None, None, None, "单位：亿元"],
            ["地区", "科技企业贷款", "科技型企业获贷户数（户）", "金种子企业数"],
            ["江岸区", 40.5, 250, 3],
            ["武昌区", 30.0, 180, 2],
            ["数据来源：人行武汉分行营管部", None, None, None]]
    p = "2026-10"
    out = many("tech_firm_borrowers", p, {"420102": 250, "420106": 180})
    return book(rows, ("A1:D1", "A6:D6")), expected(name, p, "人行武汉分行营管部", out, questions=[
        {"sheet": "Sheet1", "cell": "B3", "kind": "indicator"}, {"sheet": "Sheet1", "cell": "D3", "kind": "indicator"}])


def funds_address() -> tuple[bytes, dict]:
    """A fund list with no district column: the district is read from 注册地址; a 合计 row (merged over 序号
    and name) agrees with the rows and is no member."""
    name = "kinds_funds_address_202610.xlsx"
    rows = [["武汉市股权投资基金名录（截至2026年10月末）"] + [None] * 5,
            [None] * 5 + ["金额单位：万元"],
            ["序号", "基金全称", "基金类别", "管理机构", "注册地址", "认缴规模"],
            [1, "武汉光谷种子投资基金合伙企业（有限合伙）", "种子基金", "武汉光谷投资管理有限公司",
             "武汉东湖新技术开发区高新大道999号", "20,000"],
            [2, "武汉江城产业投资基金合伙企业（有限合伙）", "股权投资基金", "武汉江城资本管理有限公司",
             "湖北省武汉市江汉区建设大道568号", "300,000"],
            [3, "武汉车谷天使投资基金合伙企业（有限合伙）", "天使基金", "武汉车谷资本管理有限公司",
             "武汉经济技术开发区沌阳大道88号", "15,000"],
            [4, "武汉长江创业投资基金合伙企业（有限合伙）", "创业投资基金", "长江创投管理有限公司",
             "武汉市汉南区纱帽街兴城大道6号", "65,000"],
            ["合计", None, None, None, None, "400,000"],
            ["数据来源：市财政局"] + [None] * 5]
    p = "2026-10"
    # 亿元: 2.0 (东湖高新区) + 30.0 (江汉区) + 1.5 (经开区) + 6.5 (汉南区, reported by 经开区) = 40.0;
    # venture (种子、天使、创业投资基金): 2.0 + 1.5 + 6.5 = 10.0
    out = (many("equity_fund_size", p, {"420100": 40.0, "WH_DHGX": 2.0, "420103": 30.0, "WH_JKQ": 8.0})
           + many("venture_capital_size", p, {"420100": 10.0, "WH_DHGX": 2.0, "WH_JKQ": 8.0}))
    return (book(rows, ("A1:F1", "A8:B8", "A9:F9")),
            expected(name, p, "市财政局", out, registers={"funds": 4}))


def institutions_region() -> tuple[bytes, dict]:
    """An institution list whose district column is 所属区域, with bracketed names; 合计：4家 merged across."""
    name = "kinds_institutions_region_202610.xlsx"
    rows = [["科技金融专营机构名录（2026年10月）"] + [None] * 5,
            ["序号", "机构名称", "机构类型", "所属法人机构", "所属区域", "挂牌日期"],
            [1, "招商银行武汉光谷科技支行", "科技支行", "招商银行", "东湖高新区（光谷）", dt.date(2021, 5, 18)],
            [2, "汉口银行科技金融服务中心", "科技金融服务中心", "汉口银行", "江岸区", dt.date(2019, 3, 1)],
            [3, "中国建设银行武汉经开科技支行", "科技支行", "中国建设银行", "武汉经开区（汉南区）", dt.date(2022, 9, 9)],
            [4, "中国银行武汉东湖科技支行", "科技支行", "中国银行", "东湖高新区", dt.date(2020, 11, 11)],
            ["合计：4家"] + [None] * 5,
            ["数据来源：湖北金融监管局"] + [None] * 5]
    p = "2026-10"
    out = many("specialized_institutions", p, {"420100": 4, "WH_DHGX": 2, "420102": 1, "WH_JKQ": 1})
    return (book(rows, ("A1:F1", "A7:F7", "A8:F8")),
            expected(name, p, "湖北金融监管局", out, registers={"institutions": 4}))


CASES: dict[str, Callable[[], tuple[bytes, dict]]] = {
    "kinds_bracket_regions_202609.xlsx": bracket_regions,
    "kinds_own_level_rows_202608.xlsx": own_level_rows,
    "kinds_group_header_202608.xlsx": group_header,
    "kinds_blank_first_sub_202610.xlsx": blank_first_sub,
    "kinds_quotes_units_202610.xlsx": quotes_units,
    "kinds_numbered_headings_202607.xlsx": numbered_headings,
    "kinds_formula_row_202609.xlsx": formula_row,
    "kinds_uncertain_heading_202610.xlsx": uncertain_heading,
    "kinds_funds_address_202610.xlsx": funds_address,
    "kinds_institutions_region_202610.xlsx": institutions_region,
}


def main() -> None:
    for name, build in CASES.items():
        content, data = build()
        assert data["file"] == name
        text = dump(data)
        assert json.loads(text) == data
        (HERE / name).write_bytes(content)
        (HERE / f"{name}.expected.json").write_text(text, encoding="utf-8")
        print(f"wrote {name} ({len(content)} bytes, {len(data['observations'])} observations)")


if __name__ == "__main__":
    main()
