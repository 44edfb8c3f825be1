"""Write the workbook-level corpus cases (files starting wb_) and their hand-worked expected observations.

    .venv/bin/python tests/corpus/make_corpus.py          (LibreOffice Calc is needed: soffice --convert-to)

Each case is one data file and `<file>.expected.json` (the layout of tests/fixtures/*.expected.json); the
corpus test (tests/test_corpus.py) reads every case, so adding one is adding those two files. The files come
from several writers, as agencies' files do:
- openpyxl .xlsx (with a sheet's XML edited where a real program saves what openpyxl cannot: a formula's
  cached result, as Excel and WPS save =IFERROR(…,"") when the division fails);
- LibreOffice Calc: the same workbooks converted to .xlsx, to .xls (BIFF8) and once to .ods by
  `soffice --convert-to`, which computes every formula and saves its result;
- CSV in GBK, UTF-8 and UTF-8 with BOM.
Every expected value below is written out by hand (万元 ÷ 10000 = 亿元, counts and sums of the rows written),
never by running the reader. Re-run after changing a number, and commit the outputs.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or loaded by path: the shared helpers beside it
from corpus_files import dump, expected, libreoffice, obs

HERE = Path(__file__).resolve().parent

# -- writers ----------------------------------------------------------------------------------------------


def save(wb: Workbook) -> bytes:
    wb.properties.creator = "tests/corpus/make_corpus.py"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheet_from(wb: Workbook, title: str, rows: list[list], merges: tuple[str, ...] = ()):
    """A sheet of `rows` from A1: the workbook's first (still named "Sheet") or a new one."""
    ws = wb.active if wb.active.title == "Sheet" else wb.create_sheet()
    ws.title = title
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    return ws


def edit_cells(content: bytes, sheet_part: str, cells: dict[bytes, bytes]) -> bytes:
    """Replace cells' XML in one sheet part (each old cell must be there exactly once)."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == sheet_part:
                for old, new in cells.items():
                    assert data.count(old) == 1, old
                    data = data.replace(old, new)
            dst.writestr(info, data)
    return out.getvalue()


@dataclass(frozen=True)
class Case:
    write: Callable[[], bytes]
    expected: dict


# -- A.1 a formula whose saved result is an empty string ----------------------------------------------------

# 地区, 获贷家数, 科技型企业数, 获贷率 = IFERROR(获贷家数/科技型企业数*100,""): 硚口区 has no firms (0/0 → "").
RATE_ROWS = [("江岸区", 120, 600), ("江汉区", 90, 300), ("硚口区", 0, 0), ("洪山区", 240, 600)]


def rate_book(formulas: bool) -> bytes:
    wb = Workbook()
    rows: list[list] = [["武汉市科技型企业获贷情况表（2026年10月）"],
                        ["地区", "科技型企业获贷家数（家）", "科技型企业数（家）", "科技型企业获贷率（%）"]]
    for i, (region, borrowers, firms) in enumerate(RATE_ROWS, start=3):
        rows.append([region, borrowers, firms, f'=IFERROR(B{i}/C{i}*100,"")' if formulas else i])
    rows.append(["合计", "=SUM(B3:B6)" if formulas else 450, "=SUM(C3:C6)" if formulas else 1500,
                 '=IFERROR(B7/C7*100,"")' if formulas else 7])
    rows.append(["数据来源：人行武汉分行营管部"])
    sheet_from(wb, "获贷情况", rows, ("A1:D1", "A8:D8"))
    return save(wb)


def iferror_excel() -> bytes:
    # openpyxl cannot save a formula's result: the D cells are written as placeholders (their row number) and
    # replaced by the XML Excel writes, with the cached results 20, 30, "", 40 and 30.
    cached = {3: b"<v>20</v>", 4: b"<v>30</v>", 5: None, 6: b"<v>40</v>", 7: b"<v>30</v>"}
    cells = {}
    for r, v in cached.items():
        formula = f'<f>IFERROR(B{r}/C{r}*100,"")</f>'.encode()
        old = f'<c r="D{r}" t="n"><v>{r}</v></c>'.encode()
        cells[old] = (f'<c r="D{r}" s="0" t="str">'.encode() + formula + b"<v></v></c>" if v is None
                      else f'<c r="D{r}" s="0">'.encode() + formula + v + b"</c>")
    return edit_cells(rate_book(formulas=False), "xl/worksheets/sheet1.xml", cells)


def rate_expected(file: str) -> dict:
    # 合计 450 = 120 + 90 + 0 + 240; 1500 = 600 + 300 + 0 + 600; rates 120/600 = 20%, 90/300 = 30%, 240/600 = 40%,
    # 450/1500 = 30%; 硚口区's rate is blank. 科技型企业数 is near 科技型企业获贷家数 but no indicator: asked at C2.
    p = "2026-10"
    return expected(file, p, "人行武汉分行营管部", [
        obs("tech_firm_borrowers", "420102", p, 120), obs("tech_firm_borrowers", "420103", p, 90),
        obs("tech_firm_borrowers", "420104", p, 0), obs("tech_firm_borrowers", "420111", p, 240),
        obs("tech_firm_borrowers", "420100", p, 450),
        obs("tech_firm_loan_access_rate", "420102", p, 20), obs("tech_firm_loan_access_rate", "420103", p, 30),
        obs("tech_firm_loan_access_rate", "420111", p, 40), obs("tech_firm_loan_access_rate", "420100", p, 30),
    ], questions=[{"sheet": "获贷情况", "cell": "C2", "kind": "indicator"}])


# -- A.2 hidden system rows and columns, with a decoy period -------------------------------------------------


def system_book() -> bytes:
    """A government system's export. Row 1 (hidden): VALID# marker with 2019年12月; column A (hidden): 区划代码;
    column D (hidden): internal id; column E (hidden): last year's 获贷家数; row 9 (hidden): a checksum row.
    The visible title has no period: the file name gives it. Loans in 万元."""
    wb = Workbook()
    sheet_from(wb, "贷款", [
        ["VALID#2019年12月#420100#SYS-V3", None, None, None, None, None],
        [None, "武汉市科技型企业贷款情况表"],
        [None, None, None, None, None, "单位：万元"],
        ["区划代码", "地区", "科技型企业贷款余额", "内部ID", "科技型企业获贷家数（家）", "科技型中小企业贷款余额"],
        [420102, "江岸区", 123400, "ID-0001", 300, 45600],
        [420103, "江汉区", 234500, "ID-0002", 310, 56700],
        [420106, "武昌区", 345600, "ID-0003", 320, 67800],
        [420100, "合计", 703500, "ID-0000", 930, 170100],
        ["CHECKSUM", "江岸区", 999999, "#", 999, 999999],
        [None, "数据来源：人行武汉分行营管部"],
    ])
    ws = wb.active
    for r in (1, 9):
        ws.row_dimensions[r].hidden = True
    for c in "ADE":
        ws.column_dimensions[c].hidden = True
    return save(wb)


def system_expected(file: str) -> dict:
    # 万元 ÷ 10000: 123400 → 12.34, 234500 → 23.45, 345600 → 34.56, 703500 → 70.35 (= the three);
    # 45600 → 4.56, 56700 → 5.67, 67800 → 6.78, 170100 → 17.01. One warning: hidden rows 1, 9 and A, D, E.
    p = "2026-10"
    return expected(file, p, "人行武汉分行营管部", [
        obs("tech_loan_balance", "420102", p, 12.34), obs("tech_loan_balance", "420103", p, 23.45),
        obs("tech_loan_balance", "420106", p, 34.56), obs("tech_loan_balance", "420100", p, 70.35),
        obs("tech_sme_loan_balance", "420102", p, 4.56), obs("tech_sme_loan_balance", "420103", p, 5.67),
        obs("tech_sme_loan_balance", "420106", p, 6.78), obs("tech_sme_loan_balance", "420100", p, 17.01),
    ], warnings=1)


def hidden_sheet_book() -> bytes:
    wb = Workbook()
    sheet_from(wb, "获贷家数", [["武汉市科技型中小企业获贷家数（2026年10月）"], ["地区", "科技型中小企业获贷家数（家）"],
                               ["江夏区", 210], ["黄陂区", 190], ["新洲区", 150]])
    codes = sheet_from(wb, "代码表", [["区划代码", "名称", "版本"], [420115, "江夏区", 2019], [420116, "黄陂区", 2019]])
    codes.sheet_state = "hidden"
    return save(wb)


def hidden_sheet_expected(file: str) -> dict:
    p = "2026-10"
    return expected(file, p, "人行湖北省分行", [  # no source line: tech_sme_borrowers' agency in the registry
        obs("tech_sme_borrowers", "420115", p, 210), obs("tech_sme_borrowers", "420116", p, 190),
        obs("tech_sme_borrowers", "420117", p, 150),
    ], warnings=1)


# -- A.3 instructions first, then one table per sheet -------------------------------------------------------


def instructions_book(instructions: str) -> bytes:
    wb = Workbook()
    sheet_from(wb, instructions, [["填报说明"], [1, "请于每月5日前报送上月末数据。"],
                                  [2, "金额单位为万元；2019年版模板已停用。"], [3, "名录按入库日期排序。"]])
    sheet_from(wb, "贷款余额", [["武汉市科技型企业贷款余额（2026年10月）", None], [None, "单位：万元"],
                              ["地区", "科技型企业贷款余额"], ["合计", 501000], ["东湖高新区", 250000],
                              ["武汉经开区", 151000], ["长江新区", 100000]])
    sheet_from(wb, "担保", [["武汉市科技担保在保余额（2026年10月）", None], ["地区", "科技担保在保余额（亿元）"],
                          ["东西湖区", 3.25], ["蔡甸区", 1.5], ["江夏区", 2.75]])
    sheet_from(wb, "金种子", [["“金种子”“银种子”企业名录（截至2026年10月末）", None, None, None],
                            ["序号", "企业名称", "类别", "所在区"],
                            [1, "武汉星河光电有限公司", "金种子", "东湖高新区"],
                            [2, "武汉长江智造有限公司", "银种子", "长江新区"],
                            [3, "武汉楚天生物有限公司", "银种子", "东湖高新区"]])
    return save(wb)


def instructions_expected(file: str, warnings: int) -> dict:
    # 合计 501000 = 250000 + 151000 + 100000 万元 → 50.1 = 25 + 15.1 + 10 亿元; 担保 in 亿元 as written;
    # 金种子: 东湖高新区 2, 长江新区 1, the city 3. No source line: the agency is that of the first sheet
    # read (贷款余额: tech_loan_balance's, 人行湖北省分行).
    p = "2026-10"
    return expected(file, p, "人行湖北省分行", [
        obs("tech_loan_balance", "420100", p, 50.1), obs("tech_loan_balance", "WH_DHGX", p, 25),
        obs("tech_loan_balance", "WH_JKQ", p, 15.1), obs("tech_loan_balance", "WH_CJXQ", p, 10),
        obs("tech_guarantee_balance", "420112", p, 3.25), obs("tech_guarantee_balance", "420114", p, 1.5),
        obs("tech_guarantee_balance", "420115", p, 2.75),
        obs("seed_firms", "420100", p, 3), obs("seed_firms", "WH_DHGX", p, 2), obs("seed_firms", "WH_CJXQ", p, 1),
    ], warnings=warnings, registers={"seed_firms": 3})


# -- ordinary layouts ------------------------------------------------------------------------------------------

# Regions down × indicators across, 合计 first: (地区 as written, code, 获贷家数, 贷款余额 万元)
SME = [("江岸区", "420102", 212, 185000), ("江汉", "420103", 198, 172500), ("硚口区", "420104", 105, 98000),
       ("汉阳区", "420105", 150, 120000), ("武昌区", "420106", 230, 210500), ("青山区", "420107", 88, 75000),
       ("洪山区", "420111", 260, 240000), ("东湖高新区", "WH_DHGX", 1500, 1650000)]


def sme_book() -> bytes:
    wb = Workbook()
    rows: list[list] = [["武汉市科技型中小企业贷款情况（2026年9月）", None, None], [None, None, "单位：万元"],
                        ["地区", "科技型中小企业获贷家数（家）", "科技型中小企业贷款余额"], ["全市合计", 2743, 2751000]]
    rows += [[name, n, v] for name, _, n, v in SME]
    rows += [["注：贷款余额为月末数。", None, None], ["填报单位：人行武汉分行营管部", None, None]]
    sheet_from(wb, "Sheet1", rows, ("A1:C1", "A13:C13", "A14:C14"))
    return save(wb)


def sme_expected(file: str) -> dict:
    # 212+198+105+150+230+88+260+1500 = 2743; 185000+172500+98000+120000+210500+75000+240000+1650000 = 2751000
    p = "2026-09"
    return expected(file, p, "人行武汉分行营管部", [
        obs("tech_sme_borrowers", "420100", p, 2743), obs("tech_sme_borrowers", "420102", p, 212),
        obs("tech_sme_borrowers", "420103", p, 198), obs("tech_sme_borrowers", "420104", p, 105),
        obs("tech_sme_borrowers", "420105", p, 150), obs("tech_sme_borrowers", "420106", p, 230),
        obs("tech_sme_borrowers", "420107", p, 88), obs("tech_sme_borrowers", "420111", p, 260),
        obs("tech_sme_borrowers", "WH_DHGX", p, 1500),
        obs("tech_sme_loan_balance", "420100", p, 275.1), obs("tech_sme_loan_balance", "420102", p, 18.5),
        obs("tech_sme_loan_balance", "420103", p, 17.25), obs("tech_sme_loan_balance", "420104", p, 9.8),
        obs("tech_sme_loan_balance", "420105", p, 12), obs("tech_sme_loan_balance", "420106", p, 21.05),
        obs("tech_sme_loan_balance", "420107", p, 7.5), obs("tech_sme_loan_balance", "420111", p, 24),
        obs("tech_sme_loan_balance", "WH_DHGX", p, 165),
    ])


def hubei_book() -> bytes:
    wb = Workbook()
    sheet_from(wb, "分市州", [["湖北省科技保险保费收入（分市州）2026年9月", None], ["市州", "科技保险保费收入（亿元）"],
                           ["武汉市", 3.6], ["宜昌市", 0.45], ["襄阳市", 0.55], ["恩施州", 0.1], ["全省合计", 4.7],
                           ["数据来源：湖北金融监管局", None]], ("A1:B1",))
    return save(wb)


def hubei_expected(file: str) -> dict:
    p = "2026-09"  # 3.6 + 0.45 + 0.55 + 0.1 = 4.7
    return expected(file, p, "湖北金融监管局", [
        obs("tech_insurance_premium", "420100", p, 3.6), obs("tech_insurance_premium", "420500", p, 0.45),
        obs("tech_insurance_premium", "420600", p, 0.55), obs("tech_insurance_premium", "422800", p, 0.1),
        obs("tech_insurance_premium", "420000", p, 4.7),
    ])


def two_row_header_book() -> bytes:
    wb = Workbook()
    ws = sheet_from(wb, "Sheet1", [["湖北省科技型中小企业贷款情况（2026年8月）", None, None],
                                   ["市州", "科技型中小企业", None], [None, "获贷家数（家）", "贷款余额（亿元）"],
                                   ["武汉市", 5200, 1300.5], ["黄石市", 310, 45.25], ["十堰市", 280, 38.75],
                                   ["全省合计", 5790, 1384.5]], ("A1:C1", "A2:A3", "B2:C2"))
    ws.append(["数据来源：人行湖北省分行"])
    return save(wb)


def two_row_header_expected(file: str) -> dict:
    p = "2026-08"  # 5200 + 310 + 280 = 5790; 1300.5 + 45.25 + 38.75 = 1384.5
    return expected(file, p, "人行湖北省分行", [
        obs("tech_sme_borrowers", "420100", p, 5200), obs("tech_sme_borrowers", "420200", p, 310),
        obs("tech_sme_borrowers", "420300", p, 280), obs("tech_sme_borrowers", "420000", p, 5790),
        obs("tech_sme_loan_balance", "420100", p, 1300.5), obs("tech_sme_loan_balance", "420200", p, 45.25),
        obs("tech_sme_loan_balance", "420300", p, 38.75), obs("tech_sme_loan_balance", "420000", p, 1384.5),
    ])


def months_across_book() -> bytes:
    wb = Workbook()
    sheet_from(wb, "2026年", [["2026年武汉市分区科技型中小企业贷款余额（亿元）", None, None, None],
                             ["地区", "1月", "2月", "3月"], ["江岸区", 18.1, 18.3, 18.6], ["江汉区", 17.0, 17.2, 17.45],
                             ["洪山区", 23.5, 23.9, 24.25]], ("A1:D1",))
    return save(wb)


def months_across_expected(file: str) -> dict:
    rows = {"420102": (18.1, 18.3, 18.6), "420103": (17.0, 17.2, 17.45), "420111": (23.5, 23.9, 24.25)}
    return expected(file, "2026-03", "人行湖北省分行", [
        obs("tech_sme_loan_balance", code, f"2026-0{m}", v) for code, vs in rows.items()
        for m, v in zip((1, 2, 3), vs, strict=True)])


def regions_across_book() -> bytes:
    wb = Workbook()
    sheet_from(wb, "获贷家数", [["2026年武汉市分区科技型企业获贷家数（家）", None, None, None, None],
                              ["月份", "江夏区", "黄陂区", "新洲区", "合计"], ["4月", 300, 250, 200, 750],
                              ["5月", 310, 255, 204, 769], ["6月", 322, 262, 210, 794]], ("A1:E1",))
    return save(wb)


def regions_across_expected(file: str) -> dict:
    # 300+250+200 = 750; 310+255+204 = 769; 322+262+210 = 794
    rows = {4: (300, 250, 200, 750), 5: (310, 255, 204, 769), 6: (322, 262, 210, 794)}
    codes = ("420115", "420116", "420117", "420100")
    return expected(file, "2026-06", "人行湖北省分行", [
        obs("tech_firm_borrowers", code, f"2026-0{m}", v) for m, vs in rows.items()
        for code, v in zip(codes, vs, strict=True)])


def seed_register_book() -> bytes:
    import datetime as dt

    wb = Workbook()
    sheet_from(wb, "名录", [
        ["武汉市“金种子”“银种子”企业名录（截至2026年10月末）", None, None, None, None, None, None],
        ["序号", "企业名称", "类别", "梯队层级", "所属行业", "所在区", "入库日期"],
        [1, "武汉光合芯片有限公司", "金种子", "冲刺层", "集成电路", "东湖高新区", dt.date(2023, 3, 1)],
        [2, "武汉江城医疗器械有限公司", "银种子", "孵化层", "生物医药", "江岸区", dt.date(2024, 6, 15)],
        [3, "武汉汉江新材料有限公司", "银种子", "加速层", "新材料", "汉阳区", dt.date(2025, 1, 10)],
        [4, "武汉车谷智联有限公司", "金种子", "加速层", "智能网联汽车", "武汉经开区", dt.date(2022, 9, 1)],
        [5, "武汉光谷量子有限公司", "金种子", "冲刺层", "量子信息", "光谷", dt.date(2025, 8, 8)],
        [6, "武汉洪山数智有限公司", "银种子", "孵化层", "人工智能", "洪山区", dt.date(2026, 2, 20)],
        ["注：已上市企业出库。", None, None, None, None, None, None],
        ["填报单位：市委金融办", None, None, None, None, None, None],
    ], ("A1:G1", "A9:G9", "A10:G10"))
    return save(wb)


def seed_register_expected(file: str) -> dict:
    p = "2026-10"  # 东湖高新区 2 (东湖高新区, 光谷), 江岸区 1, 汉阳区 1, 经开区 1, 洪山区 1; the city 6
    return expected(file, p, "市委金融办", [
        obs("seed_firms", "420100", p, 6), obs("seed_firms", "WH_DHGX", p, 2), obs("seed_firms", "420102", p, 1),
        obs("seed_firms", "420105", p, 1), obs("seed_firms", "WH_JKQ", p, 1), obs("seed_firms", "420111", p, 1),
    ], registers={"seed_firms": 6})


def funds_register_book() -> bytes:
    wb = Workbook()
    sheet_from(wb, "基金名录", [
        ["武汉市股权投资基金名录（截至2026年10月末）", None, None, None, None, None],
        ["序号", "基金名称", "基金类型", "基金管理人", "注册地", "认缴规模（万元）"],
        [1, "光谷天使一期基金", "天使基金", "光谷金控", "东湖高新区", 20000],
        [2, "武昌科创种子基金", "种子基金", "武昌城发", "武昌区", 5000],
        [3, "长江产业投资基金", "产业基金", "长江产业集团", "江岸区", 300000],
        [4, "汉阳创业投资基金", "创业投资基金", "汉阳投控", "汉阳区", 45000],
        [5, "车谷并购基金", "并购基金", "经开投资", "武汉经开区", 80000],
        ["数据来源：市财政局", None, None, None, None, None],
    ], ("A1:F1", "A8:F8"))
    return save(wb)


def funds_register_expected(file: str) -> dict:
    # 万元 → 亿元: 2, 0.5, 30, 4.5, 8; all 45; 种子、天使、创业投资: 2 + 0.5 + 4.5 = 7
    p = "2026-10"
    return expected(file, p, "市财政局", [
        obs("equity_fund_size", "420100", p, 45), obs("equity_fund_size", "WH_DHGX", p, 2),
        obs("equity_fund_size", "420106", p, 0.5), obs("equity_fund_size", "420102", p, 30),
        obs("equity_fund_size", "420105", p, 4.5), obs("equity_fund_size", "WH_JKQ", p, 8),
        obs("venture_capital_size", "420100", p, 7), obs("venture_capital_size", "WH_DHGX", p, 2),
        obs("venture_capital_size", "420106", p, 0.5), obs("venture_capital_size", "420105", p, 4.5),
    ], registers={"funds": 5})


def institutions_book() -> bytes:
    wb = Workbook()
    sheet_from(wb, "专营机构", [
        ["湖北省科技金融专营机构名录（武汉地区，截至2026年9月末）", None, None, None],
        ["序号", "机构名称", "所属法人机构", "所在区"],
        [1, "招商银行武汉光谷科技支行", "招商银行", "东湖高新区"],
        [2, "汉口银行科技金融服务中心", "汉口银行", "江汉区"],
        [3, "中国银行武汉科技金融部", "中国银行", "江岸区"],
        [4, "武汉农商行光谷科技支行", "武汉农商行", "光谷"],
    ], ("A1:D1",))
    return save(wb)


def institutions_expected(file: str) -> dict:
    p = "2026-09"  # 东湖高新区 2 (东湖高新区, 光谷), 江汉区 1, 江岸区 1; the city 4; agency: the register's
    return expected(file, p, "湖北金融监管局", [
        obs("specialized_institutions", "420100", p, 4), obs("specialized_institutions", "WH_DHGX", p, 2),
        obs("specialized_institutions", "420103", p, 1), obs("specialized_institutions", "420102", p, 1),
    ], registers={"institutions": 4})


# -- CSV in three encodings ------------------------------------------------------------------------------------

LOANS_CSV = ("武汉市科技型企业贷款情况表（2026年9月）,,\r\n"
             ",,单位：万元\r\n"
             "地区,科技型企业贷款余额,科技型企业获贷家数（家）\r\n"
             '合计,"1,203,000",1020\r\n'
             '江夏区,"400,000",350\r\n'
             '黄陂区,"503,000",420\r\n'
             '新洲区,"300,000",250\r\n'
             "数据来源：人行武汉分行营管部,,\r\n")


def loans_csv_expected(file: str) -> dict:
    p = "2026-09"  # 400000 + 503000 + 300000 = 1203000 万元 = 120.3 亿元; 350 + 420 + 250 = 1020
    return expected(file, p, "人行武汉分行营管部", [
        obs("tech_loan_balance", "420100", p, 120.3), obs("tech_loan_balance", "420115", p, 40),
        obs("tech_loan_balance", "420116", p, 50.3), obs("tech_loan_balance", "420117", p, 30),
        obs("tech_firm_borrowers", "420100", p, 1020), obs("tech_firm_borrowers", "420115", p, 350),
        obs("tech_firm_borrowers", "420116", p, 420), obs("tech_firm_borrowers", "420117", p, 250),
    ])


PRODUCTS_CSV = ("武汉市“汉融通”平台科技融资产品情况（2026年10月）\n"
                "地区,“汉融通”平台科技融资产品数（款）\n"
                "全市,86\n"
                "东湖高新区,40\n"
                "江汉区,25\n"
                "武昌区,21\n"
                "填报单位：市委金融办\n")


def products_csv_expected(file: str) -> dict:
    p = "2026-10"  # 40 + 25 + 21 = 86
    return expected(file, p, "市委金融办", [
        obs("hanrongtong_products", "420100", p, 86), obs("hanrongtong_products", "WH_DHGX", p, 40),
        obs("hanrongtong_products", "420103", p, 25), obs("hanrongtong_products", "420106", p, 21),
    ])


SEED_CSV = ("“金种子”“银种子”企业名录（截至2026年10月末）,,,\r\n"
            "序号,企业名称,类别,所在区\r\n"
            "1,武汉东西湖智能装备有限公司,银种子,东西湖区\r\n"
            "2,武汉蔡甸生物科技有限公司,金种子,蔡甸区\r\n"
            "3,武汉临空港信息技术有限公司,银种子,东西湖区\r\n")


def seed_csv_expected(file: str) -> dict:
    p = "2026-10"  # 东西湖区 2, 蔡甸区 1, the city 3
    return expected(file, p, "市委金融办", [
        obs("seed_firms", "420100", p, 3), obs("seed_firms", "420112", p, 2), obs("seed_firms", "420114", p, 1),
    ], registers={"seed_firms": 3})


# -- the cases ---------------------------------------------------------------------------------------------


def cases() -> dict[str, Case]:
    c: dict[str, Case] = {}

    def add(name: str, write: Callable[[], bytes], build: Callable[[str], dict]) -> None:
        c[name] = Case(write, build(name))

    add("wb_iferror_blank_202610.xlsx", iferror_excel, rate_expected)
    add("wb_iferror_blank_lo_202610.xlsx", lambda: libreoffice(rate_book(formulas=True), "xlsx"), rate_expected)
    add("wb_iferror_blank_lo_202610.xls", lambda: libreoffice(rate_book(formulas=True), "xls"), rate_expected)
    add("wb_system_hidden_202610.xlsx", system_book, system_expected)
    add("wb_system_hidden_lo_202610.xlsx", lambda: libreoffice(system_book(), "xlsx"), system_expected)
    add("wb_system_hidden_lo_202610.xls", lambda: libreoffice(system_book(), "xls"), system_expected)
    add("wb_hidden_sheet_202610.xlsx", hidden_sheet_book, hidden_sheet_expected)
    add("wb_hidden_sheet_lo_202610.xls", lambda: libreoffice(hidden_sheet_book(), "xls"), hidden_sheet_expected)
    add("wb_instructions_sheets_202610.xlsx", lambda: instructions_book("填报说明"),
        lambda n: instructions_expected(n, warnings=0))
    add("wb_instructions_named_otherwise_202610.xlsx", lambda: instructions_book("说明（请先阅读）"),
        lambda n: instructions_expected(n, warnings=1))
    add("wb_instructions_sheets_lo_202610.xls", lambda: libreoffice(instructions_book("填表说明"), "xls"),
        lambda n: instructions_expected(n, warnings=1))
    add("wb_sme_regions_total_202609.xlsx", sme_book, sme_expected)
    add("wb_sme_regions_total_lo_202609.xls", lambda: libreoffice(sme_book(), "xls"), sme_expected)
    add("wb_hubei_premium_lo_202609.xlsx", lambda: libreoffice(hubei_book(), "xlsx"), hubei_expected)
    add("wb_two_row_header_lo_202608.xls", lambda: libreoffice(two_row_header_book(), "xls"),
        two_row_header_expected)
    add("wb_months_across_2026.xlsx", months_across_book, months_across_expected)
    add("wb_months_across_lo_2026.xls", lambda: libreoffice(months_across_book(), "xls"), months_across_expected)
    add("wb_regions_across_lo_2026.xlsx", lambda: libreoffice(regions_across_book(), "xlsx"),
        regions_across_expected)
    add("wb_seed_register_202610.xlsx", seed_register_book, seed_register_expected)
    add("wb_seed_register_lo_202610.xls", lambda: libreoffice(seed_register_book(), "xls"), seed_register_expected)
    add("wb_funds_register_lo_202610.xlsx", lambda: libreoffice(funds_register_book(), "xlsx"),
        funds_register_expected)
    add("wb_institutions_register_202609.xlsx", institutions_book, institutions_expected)
    add("wb_institutions_register_lo_202609.ods", lambda: libreoffice(institutions_book(), "ods"),
        institutions_expected)
    add("wb_loans_gbk_202609.csv", lambda: LOANS_CSV.encode("gbk"), loans_csv_expected)
    add("wb_products_utf8_202610.csv", lambda: PRODUCTS_CSV.encode("utf-8"), products_csv_expected)
    add("wb_seed_utf8bom_202610.csv", lambda: SEED_CSV.encode("utf-8-sig"), seed_csv_expected)
    return c


def main() -> None:
    for name, case in cases().items():
        content = case.write()
        (HERE / name).write_bytes(content)
        (HERE / f"{name}.expected.json").write_text(dump(case.expected), encoding="utf-8")
        print(f"wrote {name} ({len(content)} bytes, {len(case.expected['observations'])} observations)")


if __name__ == "__main__":
    main()
