"""Write the orientation corpus cases (files starting orient_) and their hand-worked expected observations.

    .venv/bin/python tests/corpus/make_orient.py

Issue 10 items 1 and 5, tables as cross-tabs: months down for the city (no region anywhere), the province or a
district the title names; indicators down with regions across and a 计量单位 column, the month from the title;
indicators down with months across, the year only in the title; flows written as the year so far (累计, 1-3月)
or the month's own (当月), stored as each month's own amount (metrics.changes adds them up). Written with
openpyxl, through LibreOffice (.xlsx and .xls) and as CSV in GBK and UTF-8. Every expected value is worked out
by hand here (万元 ÷ 10000 = 亿元; a month's amount = its 累计 − the month before's), never by running the reader.
Re-run after changing a number, and commit the outputs.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or loaded by path: the shared helpers beside it
from corpus_files import book, dump, expected, libreoffice, obs

HERE = Path(__file__).resolve().parent

WH, HB, DHGX = "420100", "420000", "WH_DHGX"
PBOC = "人行武汉分行营管部"


def series(indicator: str, region: str, values: dict[str, float]) -> list[dict]:
    return [obs(indicator, region, period, value) for period, value in values.items()]


# -- months down, indicators across ---------------------------------------------------------------------------


def city_months_down() -> tuple[bytes, dict]:
    """The city's monthly table: 2026年1月 … down, two indicators across (单位 line: 亿元; 家 in the heading), no
    region anywhere: the city itself."""
    name = "orient_city_months_down_2026.xlsx"
    rows = [["武汉市科技金融主要指标月度统计表", None, None], [None, None, "单位：亿元"],
            ["月份", "科技型企业贷款余额", "科技型企业获贷家数（家）"],
            ["2026年1月", 3120.5, 10210], ["2026年2月", 3150.25, 10300], ["2026年3月", 3201, 10452],
            ["2026年4月", 3240.75, 10510], ["注：余额为月末数。", None, None], [f"数据来源：{PBOC}", None, None]]
    out = (series("tech_loan_balance", WH, {"2026-01": 3120.5, "2026-02": 3150.25, "2026-03": 3201,
                                            "2026-04": 3240.75})
           + series("tech_firm_borrowers", WH, {"2026-01": 10210, "2026-02": 10300, "2026-03": 10452,
                                                "2026-04": 10510}))
    return book(rows, ("A1:C1",)), expected(name, "2026-04", PBOC, out)


def city_dates_down_book() -> bytes:
    rows = [["武汉市科技贷款月度情况（2026年）", None], ["统计时点", "科技贷款余额（万元）"],
            [dt.datetime(2026, 5, 31), 41_250_000], [dt.datetime(2026, 6, 30), 41_800_000],
            [dt.datetime(2026, 7, 31), 42_125_000], [f"数据来源：{PBOC}", None]]
    return book(rows, ("A1:B1",))


def city_dates_down() -> tuple[bytes, dict]:
    """Month-end dates down (saved through LibreOffice), 万元 in the heading: 41,250,000 万元 = 4125 亿元."""
    name = "orient_city_dates_down_lo_2026.xlsx"
    out = series("sci_tech_loan_balance", WH, {"2026-05": 4125, "2026-06": 4180, "2026-07": 4212.5})
    return libreoffice(city_dates_down_book(), "xlsx"), expected(name, "2026-07", PBOC, out)


def province_months_down() -> tuple[bytes, dict]:
    """湖北省 in the title: the province. 2026-01 labels, 万元 and 户数 (= 家数) in the headings; saved as .xls."""
    name = "orient_province_months_down_lo_2026.xls"
    rows = [["湖北省科技型中小企业贷款情况（2026年）", None, None],
            ["月份", "科技型中小企业贷款余额（万元）", "科技型中小企业获贷户数"],
            ["2026-01", 12_500_000, 9100], ["2026-02", 12_634_500, 9188], ["2026-03", 12_900_000, 9305],
            ["数据来源：人行湖北省分行", None, None]]
    out = (series("tech_sme_loan_balance", HB, {"2026-01": 1250, "2026-02": 1263.45, "2026-03": 1290})
           + series("tech_sme_borrowers", HB, {"2026-01": 9100, "2026-02": 9188, "2026-03": 9305}))
    return libreoffice(book(rows, ("A1:C1",)), "xls"), expected(name, "2026-03", "人行湖北省分行", out)


def district_months_down() -> tuple[bytes, dict]:
    """东湖高新区 in the title: that unit. 1月末 … labels with the year in the title; a 合计 row under the months
    is no month."""
    name = "orient_district_months_down_2026.xlsx"
    rows = [["东湖高新区科技金融月报（2026年）", None, None], ["月份", "科技型企业贷款余额（亿元）", "科技担保在保余额（亿元）"],
            ["1月末", 980.5, 45.25], ["2月末", 1001, 46], ["3月末", 1022.75, 47.5], ["合计", None, None],
            ["填报单位：东湖高新区管委会", None, None]]
    out = (series("tech_loan_balance", DHGX, {"2026-01": 980.5, "2026-02": 1001, "2026-03": 1022.75})
           + series("tech_guarantee_balance", DHGX, {"2026-01": 45.25, "2026-02": 46, "2026-03": 47.5}))
    return book(rows, ("A1:C1",)), expected(name, "2026-03", "东湖高新区管委会", out)


# -- indicators down, regions across ----------------------------------------------------------------------------


def units_across() -> tuple[bytes, dict]:
    """Indicators down, units across, a 计量单位 column (万元 / 亿元 / 户), the month from the title."""
    name = "orient_units_across_202610.xlsx"
    rows = [["2026年10月武汉市各区科技金融主要指标", None, None, None, None, None],
            ["指标名称", "计量单位", "江岸区", "洪山区", "东湖高新区", "合计"],
            ["科技型企业贷款余额", "万元", 1_200_000, 950_000, 9_800_000, 11_950_000],
            ["科技型企业获贷家数", "户", 410, 380, 2900, 3690],
            ["科技担保在保余额", "亿元", 3.5, 2.25, 41, 46.75],
            [f"数据来源：{PBOC}", None, None, None, None, None]]
    # 1200000 + 950000 + 9800000 = 11950000 万元 → 120 + 95 + 980 = 1195 亿元; 410 + 380 + 2900 = 3690;
    # 3.5 + 2.25 + 41 = 46.75.
    p = "2026-10"
    out = [obs("tech_loan_balance", "420102", p, 120), obs("tech_loan_balance", "420111", p, 95),
           obs("tech_loan_balance", DHGX, p, 980), obs("tech_loan_balance", WH, p, 1195),
           obs("tech_firm_borrowers", "420102", p, 410), obs("tech_firm_borrowers", "420111", p, 380),
           obs("tech_firm_borrowers", DHGX, p, 2900), obs("tech_firm_borrowers", WH, p, 3690),
           obs("tech_guarantee_balance", "420102", p, 3.5), obs("tech_guarantee_balance", "420111", p, 2.25),
           obs("tech_guarantee_balance", DHGX, p, 41), obs("tech_guarantee_balance", WH, p, 46.75)]
    return book(rows, ("A1:F1",)), expected(name, p, PBOC, out)


def cities_across() -> tuple[bytes, dict]:
    """Indicators down, the province's cities across (全省 first), a 单位 column, the month from the sheet
    name; saved as .xls."""
    name = "orient_cities_across_lo_202609.xls"
    rows = [["湖北省科技金融指标分市州情况", None, None, None, None],
            ["指标", "单位", "全省", "武汉市", "宜昌市"],
            ["科技型中小企业贷款余额", "亿元", 1400, 1300.5, 99.5],
            ["科技型中小企业获贷家数", "家", 6000, 5200, 800],
            ["数据来源：人行湖北省分行", None, None, None, None]]
    content = book(rows, ("A1:E1",), sheet="2026年9月")
    p = "2026-09"  # 1300.5 + 99.5 = 1400; 5200 + 800 = 6000
    out = [obs("tech_sme_loan_balance", HB, p, 1400), obs("tech_sme_loan_balance", WH, p, 1300.5),
           obs("tech_sme_loan_balance", "420500", p, 99.5), obs("tech_sme_borrowers", HB, p, 6000),
           obs("tech_sme_borrowers", WH, p, 5200), obs("tech_sme_borrowers", "420500", p, 800)]
    return libreoffice(content, "xls"), expected(name, p, "人行湖北省分行", out)


# -- indicators down, months across -----------------------------------------------------------------------------


def months_across() -> tuple[bytes, dict]:
    """Indicators down, 1月 … 4月 across, the year only in the title, the city from it."""
    name = "orient_months_across_2026.xlsx"
    rows = [["武汉市2026年科技金融指标月度表", None, None, None, None, None],
            ["指标", "单位", "1月", "2月", "3月", "4月"],
            ["科技型企业贷款余额", "亿元", 3100, 3125.5, 3160, 3190.25],
            ["上市公司数", "家", 110, 111, 111, 113],
            ["科技保险在库产品数", "个", 52, 55, 57, 60],
            ["报送单位：市委金融办", None, None, None, None, None]]
    out = (series("tech_loan_balance", WH, {"2026-01": 3100, "2026-02": 3125.5, "2026-03": 3160, "2026-04": 3190.25})
           + series("listed_companies", WH, {"2026-01": 110, "2026-02": 111, "2026-03": 111, "2026-04": 113})
           + series("tech_insurance_products", WH, {"2026-01": 52, "2026-02": 55, "2026-03": 57, "2026-04": 60}))
    return book(rows, ("A1:F1",)), expected(name, "2026-04", "市委金融办", out)


# -- flows ------------------------------------------------------------------------------------------------------


def flows_ytd() -> tuple[bytes, dict]:
    """Indicators down, months across (1月, 1-2月 … 1-4月), the title saying 科创债 is the year so far; a stock
    beside it reads each column as its month. Stored: each month's own amount."""
    name = "orient_flows_ytd_2026.xlsx"
    rows = [["2026年武汉市科技金融指标（科创债为累计数）", None, None, None, None], ["单位：亿元", None, None, None, None],
            ["指标", "1月", "1-2月", "1-3月", "1-4月"],
            ["科创债发行规模", 12, 30.5, 41, 66],
            ["科技型企业贷款余额", 3100, 3125.5, 3160, 3190.25],
            ["数据来源：人行武汉分行营管部", None, None, None, None]]
    # 科创债: 12; 30.5 − 12 = 18.5; 41 − 30.5 = 10.5; 66 − 41 = 25.
    out = (series("sci_tech_bond_issuance", WH, {"2026-01": 12, "2026-02": 18.5, "2026-03": 10.5, "2026-04": 25})
           + series("tech_loan_balance", WH, {"2026-01": 3100, "2026-02": 3125.5, "2026-03": 3160, "2026-04": 3190.25}))
    return book(rows), expected(name, "2026-04", PBOC, out)


def flows_mixed() -> tuple[bytes, dict]:
    """科创债 by month (1月 … 3月) and a 1-3月累计 column beside them: two conventions for one indicator, one
    warning naming the cells; the 累计 figure is no second March."""
    name = "orient_flows_mixed_2026.xlsx"
    rows = [["2026年武汉市科创债发行情况", None, None, None, None],
            ["指标", "1月", "2月", "3月", "1-3月累计"],
            ["科创债发行规模（亿元）", 12, 18.5, 10.5, 41],
            ["数据来源：人行武汉分行营管部", None, None, None, None]]
    out = series("sci_tech_bond_issuance", WH, {"2026-01": 12, "2026-02": 18.5, "2026-03": 10.5})
    # 1-3月累计 41 = 12 + 18.5 + 10.5: the months' own and the year so far agree, so nothing is said.
    return book(rows), expected(name, "2026-03", PBOC, out)


def flows_months_down() -> tuple[bytes, dict]:
    """Months down for the province, 保费 as 本年累计 in its heading (万元): each month's own by difference."""
    name = "orient_flows_months_down_2026.xlsx"
    rows = [["全省科技保险保费收入情况（2026年）", None], ["月份", "科技保险保费收入（本年累计，万元）"],
            ["1月", 21_000], ["2月", 40_500], ["3月", 66_000], ["4月", 90_000],
            ["数据来源：湖北金融监管局", None]]
    # 2.1; 4.05 − 2.1 = 1.95; 6.6 − 4.05 = 2.55; 9 − 6.6 = 2.4 (亿元).
    out = series("tech_insurance_premium", HB, {"2026-01": 2.1, "2026-02": 1.95, "2026-03": 2.55, "2026-04": 2.4})
    return book(rows), expected(name, "2026-04", "湖北金融监管局", out)


def this_month() -> tuple[bytes, dict]:
    """Indicators down with 本月 | 本年累计 | 同比增长 columns, the month from the title: 本月 is October's own;
    each flow's 本年累计 is no second October (side by side with 本月 it is the usual form, not a mix: September is not
    in the file, so their agreement cannot be checked), 同比增长 no month (a warning)."""
    name = "orient_this_month_202610.xlsx"
    rows = [["武汉市科技金融主要指标（2026年10月）", None, None, None, None],
            ["指标名称", "计量单位", "本月", "本年累计", "同比增长（%）"],
            ["科创债发行规模", "亿元", 14.5, 96, 20.1],
            ["科技保险保费收入", "万元", 8_500, 80_000, 5.5],
            ["科技型企业贷款余额", "亿元", 3290.5, None, 9.8],
            ["数据来源：人行武汉分行营管部", None, None, None, None]]
    p = "2026-10"  # 8500 万元 = 0.85 亿元
    out = [obs("sci_tech_bond_issuance", WH, p, 14.5), obs("tech_insurance_premium", WH, p, 0.85),
           obs("tech_loan_balance", WH, p, 3290.5)]
    return book(rows, ("A1:E1",)), expected(name, p, PBOC, out, warnings=1)


CITY_GBK_CSV = ("武汉市科技金融月度数据（2026年）,,\r\n"
                "单位：亿元,,\r\n"
                "月份,科技型企业贷款余额,科创债发行规模（当月）\r\n"
                "2026年7月,3301.5,8\r\n"
                "2026年8月,3322,12.5\r\n"
                "2026年9月,3350.25,0\r\n"
                "数据来源：人行武汉分行营管部,,\r\n")


def city_gbk_csv() -> tuple[bytes, dict]:
    """The city's months down as CSV in GBK; 科创债 per month (当月) as written."""
    name = "orient_city_gbk_2026.csv"
    out = (series("tech_loan_balance", WH, {"2026-07": 3301.5, "2026-08": 3322, "2026-09": 3350.25})
           + series("sci_tech_bond_issuance", WH, {"2026-07": 8, "2026-08": 12.5, "2026-09": 0}))
    return CITY_GBK_CSV.encode("gbk"), expected(name, "2026-09", PBOC, out)


UNITS_UTF8_CSV = ("2026年8月武汉市各区科技型企业指标\n"
                  "指标名称,计量单位,江汉区,硚口区,全市\n"
                  "科技型企业贷款余额,万元,\"810,000\",\"405,000\",\"1,215,000\"\n"
                  "科技型企业获贷家数,户,260,140,400\n"
                  "填报单位：人行武汉分行营管部\n")


def units_utf8_csv() -> tuple[bytes, dict]:
    """Indicators down, units across, 计量单位 column, as CSV in UTF-8: 810000 万元 = 81 亿元."""
    name = "orient_units_utf8_202608.csv"
    p = "2026-08"  # 81 + 40.5 = 121.5; 260 + 140 = 400
    out = [obs("tech_loan_balance", "420103", p, 81), obs("tech_loan_balance", "420104", p, 40.5),
           obs("tech_loan_balance", WH, p, 121.5), obs("tech_firm_borrowers", "420103", p, 260),
           obs("tech_firm_borrowers", "420104", p, 140), obs("tech_firm_borrowers", WH, p, 400)]
    return UNITS_UTF8_CSV.encode("utf-8"), expected(name, p, PBOC, out)


CASES: dict[str, Callable[[], tuple[bytes, dict]]] = {
    "orient_city_months_down_2026.xlsx": city_months_down,
    "orient_city_dates_down_lo_2026.xlsx": city_dates_down,
    "orient_province_months_down_lo_2026.xls": province_months_down,
    "orient_district_months_down_2026.xlsx": district_months_down,
    "orient_units_across_202610.xlsx": units_across,
    "orient_cities_across_lo_202609.xls": cities_across,
    "orient_months_across_2026.xlsx": months_across,
    "orient_flows_ytd_2026.xlsx": flows_ytd,
    "orient_flows_mixed_2026.xlsx": flows_mixed,
    "orient_flows_months_down_2026.xlsx": flows_months_down,
    "orient_this_month_202610.xlsx": this_month,
    "orient_city_gbk_2026.csv": city_gbk_csv,
    "orient_units_utf8_202608.csv": units_utf8_csv,
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
