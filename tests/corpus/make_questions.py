"""Write the corpus cases that make the reader ask (files starting q_) and their expected JSON.

    .venv/bin/python tests/corpus/make_questions.py

Issue 10 item 3: what the reader is unsure of is asked, never guessed. Each case's JSON lists, under
"questions", the cells the reader must ask about ({sheet, cell, kind}), and as observations only what it reads
with certainty before any answer: a question's column or row gives nothing (tests/test_corpus.py scores both).
Every expected value is written out by hand here, never by running the reader. Re-run after changing a number,
and commit the outputs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or loaded by path: the shared helpers beside it
from corpus_files import book, dump, expected, obs

HERE = Path(__file__).resolve().parent

PBOC = "人行武汉分行营管部"


def question(cell: str, kind: str, sheet: str = "Sheet1") -> dict:
    return {"sheet": sheet, "cell": cell, "kind": kind}


def heading_and_region() -> tuple[bytes, dict]:
    """A heading near 科技型企业贷款余额 without its 余额 (C3), and a district name no registry spells (A6,
    光谷片区): both asked; the certain column (万元 → 亿元) is read for the other rows, the 合计 row too."""
    name = "q_heading_and_region_202610.xlsx"
    rows = [["武汉市科技型企业融资情况表（2026年10月）", None, None],
            [None, None, "单位：万元"],
            ["地区", "科技型中小企业贷款余额", "科技企业贷款"],
            ["江岸区", 125000, 400000],
            ["武昌区", 87500, 310000],
            ["光谷片区", 60000, 280000],
            ["合计", 272500, 990000],
            [f"数据来源：{PBOC}", None, None]]
    p = "2026-10"
    # 125000 万元 = 12.5 亿元; 87500 = 8.75; 合计 272500 = 27.25 (光谷片区's 6 is in it, so no sum check)
    out = [obs("tech_sme_loan_balance", "420102", p, 12.5), obs("tech_sme_loan_balance", "420106", p, 8.75),
           obs("tech_sme_loan_balance", "420100", p, 27.25)]
    return (book(rows, ("A1:C1", "A8:C8")),
            expected(name, p, PBOC, out, questions=[question("C3", "indicator"), question("A6", "region")]))


def no_period() -> tuple[bytes, dict]:
    """No month in the title, the sheet name or the file name: the month is asked; nothing is read before it."""
    name = "q_no_period.xlsx"
    rows = [["武汉市科技型企业获贷情况表", None], ["地区", "科技型企业获贷家数"],
            ["江岸区", 250], ["江汉区", 180], [f"数据来源：{PBOC}", None]]
    return (book(rows, ("A1:B1",), sheet="获贷"),
            expected(name, None, PBOC, [], questions=[question("", "period", "获贷")]))


def months_across_unknown_region() -> tuple[bytes, dict]:
    """One indicator by month across and district down (the year in the title); 新城区 names no district:
    its row is asked, the others read month by month."""
    name = "q_months_across_region_2026.xlsx"
    rows = [["2026年武汉市分区科技型企业获贷家数（家）", None, None, None],
            ["地区", "1月", "2月", "3月"],
            ["江岸区", 200, 210, 225],
            ["新城区", 40, 42, 45],
            ["洪山区", 300, 305, 330]]
    out = [obs("tech_firm_borrowers", "420102", f"2026-0{m}", v) for m, v in ((1, 200), (2, 210), (3, 225))]
    out += [obs("tech_firm_borrowers", "420111", f"2026-0{m}", v) for m, v in ((1, 300), (2, 305), (3, 330))]
    # no 数据来源 line: the agency is the indicator's usual source (data/indicators.toml)
    return book(rows, ("A1:D1",)), expected(name, "2026-03", "人行湖北省分行", out, questions=[question("A4", "region")])


def two_row_group() -> tuple[bytes, dict]:
    """A two-row header: 科技型企业贷款余额 over 总数 | 其中：科技型中小企业 is read; 科技型企业贷款笔数 (loans
    counted, not firms) is near 科技型企业获贷家数 but not it: asked at its cell (the lower header row), unread."""
    name = "q_two_row_group_202609.xlsx"
    rows = [["武汉市科技金融情况（2026年9月）", None, None, None],
            ["单位：亿元", None, None, None],
            ["地区", "科技型企业贷款余额", None, "科技型企业贷款笔数"],
            [None, "总数", "其中：科技型中小企业", None],
            ["江岸区", 40.0, 12.5, 250],
            ["武昌区", 30.0, 9.0, 180],
            [f"数据来源：{PBOC}", None, None, None]]
    p = "2026-09"
    out = [obs("tech_loan_balance", "420102", p, 40.0), obs("tech_loan_balance", "420106", p, 30.0),
           obs("tech_sme_loan_balance", "420102", p, 12.5), obs("tech_sme_loan_balance", "420106", p, 9.0)]
    return (book(rows, ("A1:D1", "B3:C3", "A7:D7")),
            expected(name, p, PBOC, out, questions=[question("D4", "indicator")]))


CASES: dict[str, Callable[[], tuple[bytes, dict]]] = {
    "q_heading_and_region_202610.xlsx": heading_and_region,
    "q_no_period.xlsx": no_period,
    "q_months_across_region_2026.xlsx": months_across_unknown_region,
    "q_two_row_group_202609.xlsx": two_row_group,
}


def main() -> None:
    for name, build in CASES.items():
        content, data = build()
        assert data["file"] == name
        text = dump(data)
        assert json.loads(text) == data
        (HERE / name).write_bytes(content)
        (HERE / f"{name}.expected.json").write_text(text, encoding="utf-8")
        print(f"wrote {name} ({len(content)} bytes, {len(data['observations'])} observations, "
              f"{len(data['questions'])} questions)")


if __name__ == "__main__":
    main()
