"""The demo database: monthly agency workbooks for 2024-01 … 2026-10, ingested like real uploads.

Deterministic (fixed seed). Levels follow public press figures (city press conference 2025-09: tech
loans up ~20% a year; 344 seed firms at end-2021) so the picture is plausible: loans growing ~19% a
year (on track), the institution count passing 50 (achieved), seed firms barely moving (behind),
Hubei's borrower count short of +70% (needs acceleration).
Every file has the shape agencies send: a merged title, a 单位 line, a header, a 合计 row,
notes under the table.

Each file is uploaded on a day of the following month (`ARRIVAL`, before its due day in data/calendar.toml), so
that the 数据质量 page and the daily digest have something to show, the last months carry the slips a real
office meets (`FLAWS`): a register sent late, a quarterly report never sent, a file corrected after a
wrong first version, a 合计 that does not add up, a figure that jumps. None of them touches a target's figure,
and the submissions in force are the same 204 files.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from domain import clock
from domain.model import Registry
from domain.months import add_months, month_end, month_label, months_between
from loaders.ingest import ingest
from loaders.workbook_style import merged_notes, table_head
from store import Store

FIRST = month_end(2024, 1)
LAST = month_end(2026, 10)
WH_BASELINE = month_end(2025, 6)  # WH2027's baseline month
HB_BASELINE = month_end(2024, 8)  # HB2026's baseline month
SEED = 20261031
UPLOADER = "演示数据"

WUHAN_UNITS = ["江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区", "蔡甸区", "江夏区",
               "黄陂区", "新洲区", "东湖高新区", "武汉经开区", "长江新区", "东湖风景区"]
# Share of the city's tech-firm loans by unit (东湖高新区 = 光谷 dominates), and a yearly drift.
LOAN_SHARE = [0.05, 0.06, 0.03, 0.04, 0.065, 0.025, 0.07, 0.05, 0.025, 0.04, 0.03, 0.02, 0.35, 0.10, 0.03, 0.015]
HUBEI_CITIES = ["武汉市", "黄石市", "十堰市", "宜昌市", "襄阳市", "鄂州市", "荆门市", "孝感市", "荆州市", "黄冈市", "咸宁市",
                "随州市", "恩施州", "仙桃市", "潜江市", "天门市", "神农架林区"]
# Weights of the 市州 in tech SMEs (Wuhan 12,581 of 35,303 in 2023) and listed companies.
HUBEI_SME_SHARE = [0.36, 0.04, 0.035, 0.09, 0.10, 0.02, 0.04, 0.055, 0.05, 0.045, 0.035, 0.025, 0.02, 0.025, 0.025,
                   0.02, 0.0]
HUBEI_LISTED = [88, 6, 5, 12, 14, 3, 5, 4, 5, 4, 3, 2, 1, 2, 1, 1, 0]


# When each source's file for a month is uploaded: (day of the next month, hour); data/calendar.toml says when it
# is due (pboc_loans the 15th, hubei_cities the 20th, the rest the 10th).
ARRIVAL = {"pboc_loans": (12, 9), "institutions": (8, 10), "funds": (8, 11), "seed_firms": (7, 15),
           "products": (6, 16), "hubei_cities": (17, 10)}
LATE_MONTH = month_end(2026, 10)  # 市财政局's fund register for this month arrives on the 14th: four days late
LATE_DAY = 14
# 人行湖北省分行 owes the city's quarterly 科技贷款余额 from 2026Q3 on (data/calendar.toml, since = 2026-09): its first
# report never arrives (and so adds no figure and no submission to the demo).
MISSING_QUARTER = month_end(2026, 9)
CORRECTED_MONTH = month_end(2026, 8)  # 人行营管部's loans table: a first version with a typo, corrected a week later
UNBALANCED_MONTH = month_end(2026, 9)  # 东湖高新区's 获贷家数 3% above the figure its 合计 was summed from
JUMP_MONTH = month_end(2026, 10)  # 青山区's 获贷家数 typed with an extra digit: ten times last month's
# What the 数据质量 page shows for them (tests read these): (source, month, what).
FLAWS = (("funds", LATE_MONTH, "late"), ("sci_tech_loans", MISSING_QUARTER, "missing"),
         ("pboc_loans", CORRECTED_MONTH, "corrected"), ("pboc_loans", UNBALANCED_MONTH, "total_mismatch"),
         ("pboc_loans", JUMP_MONTH, "jump"))
# A typo in a unit's 获贷家数 (column C) that the 合计 row does not carry: (unit, factor).
TYPOS = {UNBALANCED_MONTH: ("东湖高新区", 1.03), JUMP_MONTH: ("青山区", 10.0)}


def arrival(source: str, day: dt.date) -> dt.datetime:
    """When the demo's file of `source` for the month `day` is uploaded."""
    on, hour = ARRIVAL[source]
    if source == "funds" and day == LATE_MONTH:
        on = LATE_DAY
    month = add_months(day, 1)
    return dt.datetime(month.year, month.month, on, hour, 30)


def months() -> Iterator[dt.date]:
    for i in range(months_between(FIRST, LAST) + 1):
        yield add_months(FIRST, i)


def _idx(day: dt.date) -> int:
    """Months since 2025-06 (WH2027's baseline month)."""
    return months_between(WH_BASELINE, day)


def _hb_idx(day: dt.date) -> int:
    """Months since 2024-08 (HB2026's baseline month)."""
    return months_between(HB_BASELINE, day)


# -- workbook shape ------------------------------------------------------------------------------

THIN = Side(style="thin", color="999999")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)


def _write_book(path: Path, title: str, unit_line: str | None, header: list[str], rows: list[list],
                notes: list[str], widths: list[int] | None = None) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ncol = len(header)
    header_row = table_head(ws, title, unit_line, header)
    for c in range(1, ncol + 1):
        ws.cell(header_row, c).alignment = Alignment(horizontal="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    # What `cell.border = BOX` does for each cell, with the border registered once: openpyxl hashes and
    # compares a border on every assignment, which for the registers' ~170,000 cells took over a minute.
    border_id = wb._borders.add(BOX)
    for cells in ws.iter_rows(min_row=header_row, max_row=ws.max_row, max_col=ncol):
        for cell in cells:
            if not cell._style:
                cell._style = StyleArray()
            cell._style.borderId = border_id
    merged_notes(ws, notes, ncol)
    for i, w in enumerate(widths or [14] * ncol, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    # Fixed document properties keep the files' content identical from one build to the next.
    wb.properties.creator = "武汉科技金融目标监测（演示）"
    wb.properties.created = dt.datetime(2026, 11, 1)
    wb.save(path)


# -- the agencies' files ---------------------------------------------------------------------------


@dataclass
class DemoWorld:
    rng: random.Random

    def __post_init__(self) -> None:
        self.loan_drift = [self.rng.uniform(-0.04, 0.06) for _ in WUHAN_UNITS]
        self.borrower_drift = [self.rng.uniform(-0.03, 0.05) for _ in WUHAN_UNITS]
        self.hb_drift = [self.rng.uniform(-0.05, 0.08) for _ in HUBEI_CITIES]
        self.institutions = _institutions(self.rng)
        self.funds = _funds(self.rng)
        self.seed_firms = _seed_firms(self.rng)


def _noise(rng: random.Random, scale: float) -> float:
    return 1 + rng.uniform(-scale, scale)


def pboc_loans(world: DemoWorld, day: dt.date, out: Path, *, typo: tuple[str, float] | None = None,
               version: str = "") -> Path:
    """The city's loans by unit; `typo` (unit, factor) changes that unit's 获贷家数 but not the 合计 row's."""
    rng = random.Random(f"{SEED}-loans-{day}")
    years = _idx(day) / 12
    city_loans = 3650 * 1.19 ** years * _noise(rng, 0.002)  # 亿元
    city_borrowers = 11800 * 1.14 ** years * _noise(rng, 0.003)
    weights = [s * (1 + d) ** (years + 1.5) for s, d in zip(LOAN_SHARE, world.loan_drift, strict=True)]
    bweights = [s * (1 + d) ** (years + 1.5) for s, d in zip(LOAN_SHARE, world.borrower_drift, strict=True)]
    loans = [round(city_loans * w / sum(weights) * 10000) for w in weights]  # 万元
    borrowers = [round(city_borrowers * w / sum(bweights)) for w in bweights]
    rows = [["合计", f"{sum(loans):,}", sum(borrowers)]]
    if typo is not None:
        at = WUHAN_UNITS.index(typo[0])
        borrowers[at] = round(borrowers[at] * typo[1])
    rows += [[u, f"{v:,}", b] for u, v, b in zip(WUHAN_UNITS, loans, borrowers, strict=True)]
    path = out / f"{day:%Y%m}_人行营管部_科技型企业贷款{version}.xlsx"
    _write_book(path, f"武汉市科技型企业贷款情况表（{month_label(day)}）{version}", "单位：万元",
                ["地区", "科技型企业贷款余额", "科技型企业获贷家数（家）"], rows,
                ["注：1.科技型企业包括高新技术企业、科技型中小企业、专精特新企业等；2.贷款余额为月末数。",
                 "数据来源：人行武汉分行营管部"], [16, 22, 24])
    return path


def products(day: dt.date, out: Path) -> Path:
    i = _idx(day)
    insurance = round(35 + 0.63 * i) if i >= 0 else round(35 + 0.5 * i)
    hanrongtong = max(0, min(8, 4 + (i + 1) // 4)) if i >= -6 else 0
    path = out / f"{day:%Y%m}_市委金融办_科技金融产品.xlsx"
    _write_book(path, f"武汉市科技金融产品情况统计表（{month_label(day)}）", None,
                ["地区", "科技保险在库产品数（个）", "“汉融通”平台科技融资产品数（款）"],
                [["武汉市", insurance, hanrongtong]],
                ["注：科技保险在库产品数为东湖高新区科技保险产品库月末在库数。", "填报单位：市委金融办"], [14, 26, 32])
    return path


def hubei(world: DemoWorld, day: dt.date, out: Path) -> Path:
    rng = random.Random(f"{SEED}-hubei-{day}")
    k = _hb_idx(day)
    borrowers = 14200 * 1.0155 ** k
    sme_loans = 3100 * 1.21 ** (k / 12)
    guarantees = 330 * 1.0155 ** k
    listed = round(150 + 0.55 * k)
    star = round(64 + 0.5 * k)
    w = [s * (1 + d) ** (k / 12 + 2) for s, d in zip(HUBEI_SME_SHARE, world.hb_drift, strict=True)]
    rows = []
    listed_split = _split_int(listed, HUBEI_LISTED)
    star_split = [min(n, round(n * star / listed * _noise(rng, 0.1))) for n in listed_split]
    star_split[0] += star - sum(star_split)
    for i, city in enumerate(HUBEI_CITIES):
        share = w[i] / sum(w)
        rows.append([city, round(borrowers * share), round(sme_loans * share, 2), round(guarantees * share, 2),
                     listed_split[i], star_split[i]])
    total = ["全省合计", sum(r[1] for r in rows), round(sum(r[2] for r in rows), 2), round(sum(r[3] for r in rows), 2),
             listed, star]
    path = out / f"{day:%Y%m}_人行湖北省分行_分市州科技金融指标.xlsx"
    _write_book(path, f"湖北省科技金融主要指标（分市州）{month_label(day)}", "单位：亿元、家",
                ["市州", "科技型中小企业获贷家数（家）", "科技型中小企业贷款余额（亿元）", "科技担保在保余额（亿元）",
                 "上市公司数（家）", "科创板、创业板、北交所上市公司数（家）"], [*rows, total],
                ["注：上市公司数为境内A股上市公司数；科技担保在保余额含政府性融资担保机构。",
                 "数据来源：人行湖北省分行、湖北证监局、省地方金融管理局"], [16, 24, 26, 22, 16, 30])
    return path


def _split_int(total: int, weights: list[int]) -> list[int]:
    raw = [total * w / sum(weights) for w in weights]
    out = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out


# -- registers -------------------------------------------------------------------------------------

BANKS = ["招商银行", "中国银行", "工商银行", "建设银行", "农业银行", "交通银行", "汉口银行", "湖北银行", "浦发银行",
         "兴业银行", "中信银行", "光大银行", "民生银行", "华夏银行", "平安银行", "武汉农商银行", "邮储银行", "广发银行"]
INSURERS = ["人保财险", "太平洋财险", "平安财险", "中华联合财险", "国寿财险", "大地财险"]
PLACES = {"东湖高新区": "光谷", "武汉经开区": "经开", "洪山区": "洪山", "武昌区": "武昌", "江汉区": "江汉",
          "江岸区": "江岸", "汉阳区": "汉阳", "东西湖区": "临空港", "长江新区": "长江新区", "江夏区": "江夏"}


def _date_for(months_after: int, rng: random.Random) -> dt.date:
    """A day inside the month `months_after` months after 2025-06 (before it when negative)."""
    month = add_months(WH_BASELINE, months_after)
    return dt.date(month.year, month.month, rng.randint(1, 28))


def _institutions(rng: random.Random) -> list[dict]:
    # 30 before 2024, 38 by mid-2025, 50 by 2026-08, then a couple more: the achieved target.
    schedule = [-40] * 30 + sorted(rng.sample(range(-17, 0), 8)) + sorted(rng.sample(range(1, 15), 12)) + [15, 16]
    out, used = [], set()
    for i, month in enumerate(schedule):
        place = rng.choice(list(PLACES))
        kind = "科技支行" if i % 5 < 3 else ("科技保险分支公司" if i % 5 == 3 else "科技金融事业部")
        for _ in range(50):
            if kind == "科技支行":
                org = rng.choice(BANKS)
                name = f"{org}武汉{PLACES[place]}科技支行"
            elif kind == "科技保险分支公司":
                org = rng.choice(INSURERS)
                name = f"{org}武汉{PLACES[place]}科技保险支公司"
            else:
                org = rng.choice(BANKS)
                name = f"{org}武汉分行科技金融事业部"
            if name not in used:
                break
        else:
            name = f"{name}（{i}）"
        used.add(name)
        opened = dt.date(2019 + i % 5, 1 + i % 12, 10) if month == -40 else _date_for(month, rng)
        out.append({"name": name, "type": kind, "org": org, "region": place, "date": opened})
    return out


FUND_TYPES = ["种子基金", "天使基金", "创业投资基金", "产业基金", "并购基金", "S基金"]
MANAGERS = ["武汉金控集团", "武汉投控集团", "长江产业投资集团", "湖北高投", "光谷金控", "武汉创新投资", "华中科创资本",
            "楚天凤鸣资本", "长江资本", "汉江投资管理"]
FUND_WORDS = ["光谷", "长江", "楚天", "江城", "黄鹤", "东湖", "汉江", "知音", "晴川", "龟山", "珞珈", "南湖", "沙湖"]
FUND_FIELDS = ["科创", "生物医药", "光电子信息", "新能源汽车", "人工智能", "数字经济", "高端装备", "新材料", "种子", "天使"]


def _funds(rng: random.Random) -> list[dict]:
    """Funds registered month by month so that the committed total grows about 13% a year."""
    out: list[dict] = []
    total = 0.0
    used: set[str] = set()
    for month in range(-17 - 1, 17):  # -18 = before 2024-01
        goal = 2300 * 1.13 ** (month / 12)
        while total < goal:
            kind = rng.choices(FUND_TYPES, weights=[1, 2, 4, 3, 1, 1])[0]
            size = round(min(120.0, rng.lognormvariate(1.9, 0.8)), 2)
            for _ in range(100):
                name = (f"武汉{rng.choice(FUND_WORDS)}{rng.choice(FUND_FIELDS)}{kind.replace('基金', '')}"
                        f"{'投资' if rng.random() < 0.5 else '股权投资'}基金合伙企业（有限合伙）")
                if name not in used:
                    break
                name = name.replace("武汉", f"武汉{rng.choice(FUND_WORDS)}", 1)
            used.add(name)
            region = rng.choices(list(PLACES), weights=[8, 2, 1, 2, 3, 1, 1, 1, 2, 1])[0]
            day = dt.date(2018 + len(out) % 6, 1 + len(out) % 12, 15) if month < -17 else _date_for(month, rng)
            out.append({"name": name, "type": kind, "manager": rng.choice(MANAGERS), "region": region,
                        "size": size, "date": day})
            total += size
    return out


SEED_PREFIX = ["华", "汉", "楚", "光", "芯", "智", "云", "联", "创", "思", "天", "瑞", "科", "博", "睿", "星", "精", "恒"]
SEED_CORE = ["微", "源", "测", "视", "达", "锐", "能", "谷", "康", "迈", "驰", "宇", "航", "安", "新", "诺", "为", "晶"]
SEED_SUFFIX = ["科技有限公司", "生物科技有限公司", "光电技术有限公司", "信息技术股份有限公司", "智能装备有限公司",
               "医疗科技有限公司", "新材料有限公司", "半导体有限公司"]
INDUSTRIES = ["光电子信息", "生物医药", "新能源与智能网联汽车", "高端装备", "人工智能", "新材料", "数字创意"]


def _seed_firms(rng: random.Random) -> list[dict]:
    """344 firms at end-2021, ~400 by mid-2025, barely 420 by late 2026: the target that lags."""
    out, used = [], set()

    def firm(month: int) -> dict:
        for _ in range(200):
            name = f"武汉{rng.choice(SEED_PREFIX)}{rng.choice(SEED_CORE)}{rng.choice(SEED_CORE)}{rng.choice(SEED_SUFFIX)}"
            if name not in used:
                break
        used.add(name)
        region = rng.choices(list(PLACES), weights=[10, 3, 2, 2, 1, 1, 1, 1, 1, 1])[0]
        gold = rng.random() < 0.43
        tier = rng.choices(["孵化层", "加速层", "冲刺层"], weights=[5, 3, 2] if not gold else [2, 4, 4])[0]
        day = dt.date(2021, rng.randint(1, 12), rng.randint(1, 28)) if month < -17 else _date_for(month, rng)
        return {"name": name, "category": "金种子" if gold else "银种子", "tier": tier,
                "industry": rng.choice(INDUSTRIES), "region": region, "date": day, "exit": None}

    out = [firm(-40) for _ in range(384)]
    for month in range(-17, 17):
        for _ in range(2 if month < 0 else 1 + (month % 2)):
            out.append(firm(month))
        if month >= 0 and month % 3 == 0:  # graduates leave the pool when they list
            leaver = rng.choice([f for f in out if f["exit"] is None])
            leaver["exit"] = _date_for(month, rng)
    return out


def institutions_register(world: DemoWorld, day: dt.date, out: Path) -> Path:
    rows = [[i + 1, x["name"], x["type"], x["org"], x["region"], x["date"]]
            for i, x in enumerate(x for x in world.institutions if x["date"] <= day)]
    path = out / f"{day:%Y%m}_湖北金融监管局_科技金融专营机构名录.xlsx"
    _write_book(path, f"武汉市科技金融专营机构名录（截至{month_label(day)}末）", None,
                ["序号", "机构名称", "机构类型", "所属法人机构", "所在区", "设立日期"], rows,
                ["注：专营机构指经监管部门认定或报备的科技支行、科技保险分支公司、科技金融事业部等。",
                 "填报单位：湖北金融监管局"], [6, 40, 18, 16, 14, 14])
    return path


def funds_register(world: DemoWorld, day: dt.date, out: Path) -> Path:
    live = [x for x in world.funds if x["date"] <= day]
    rows = [[i + 1, x["name"], x["type"], x["manager"], x["region"], x["size"], x["date"]] for i, x in enumerate(live)]
    path = out / f"{day:%Y%m}_市财政局_股权投资基金名录.xlsx"
    _write_book(path, f"武汉市股权投资基金名录（截至{month_label(day)}末）", None,
                ["序号", "基金名称", "基金类型", "基金管理人", "注册地", "认缴规模（亿元）", "备案日期"], rows,
                ["注：规模为认缴规模；含在中国证券投资基金业协会备案的股权投资基金及创业投资基金。",
                 "数据来源：市财政局、武汉金控集团、武汉投控集团"], [6, 52, 14, 16, 12, 16, 14])
    return path


def seed_register(world: DemoWorld, day: dt.date, out: Path) -> Path:
    live = [x for x in world.seed_firms if x["date"] <= day and (x["exit"] is None or x["exit"] > day)]
    rows = [[i + 1, x["name"], x["category"], x["tier"], x["industry"], x["region"], x["date"]]
            for i, x in enumerate(live)]
    path = out / f"{day:%Y%m}_市委金融办_金种子银种子企业名录.xlsx"
    _write_book(path, f"武汉市“金种子”“银种子”企业名录（截至{month_label(day)}末）", None,
                ["序号", "企业名称", "类别", "梯队层级", "所属行业", "所在区", "入库日期"], rows,
                ["注：梯队层级分为孵化层、加速层、冲刺层；已上市企业出库。", "填报单位：市委金融办"],
                [6, 36, 10, 10, 22, 12, 14])
    return path


def write_month(world: DemoWorld, day: dt.date, out: Path) -> list[Path]:
    """The month's files, in the order they are uploaded."""
    return [path for _, path in month_files(world, day, out)]


def month_files(world: DemoWorld, day: dt.date, out: Path) -> list[tuple[dt.datetime, Path]]:
    """The month's files, each with when it is uploaded, in that order (see ARRIVAL and FLAWS)."""
    files = [(arrival("pboc_loans", day), pboc_loans(world, day, out, typo=TYPOS.get(day))),
             (arrival("institutions", day), institutions_register(world, day, out)),
             (arrival("funds", day), funds_register(world, day, out)),
             (arrival("seed_firms", day), seed_register(world, day, out)),
             (arrival("products", day), products(day, out)),
             (arrival("hubei_cities", day), hubei(world, day, out))]
    if day == CORRECTED_MONTH:  # the first version carried 武昌区's 获贷家数 twice over; the correction is right
        first = pboc_loans(world, day, out, typo=("武昌区", 2.0), version="（初报）")
        files[0] = (arrival("pboc_loans", day) - dt.timedelta(days=7), first)
        files.append((arrival("pboc_loans", day), pboc_loans(world, day, out, version="（更正）")))
    return sorted(files, key=lambda f: f[0])


_writer_world: DemoWorld | None = None


def _start_writer() -> None:
    global _writer_world
    _writer_world = DemoWorld(random.Random(SEED))


def _write_month_in_writer(day: dt.date, out: Path) -> list[tuple[dt.datetime, Path]]:
    assert _writer_world is not None
    return month_files(_writer_world, day, out)


def build_demo(db: Path, workbooks: Path, registry: Registry,
               progress: Callable[[int, int, str], None] | None = None) -> dict[str, int]:
    """Write every month's workbooks into `workbooks` and ingest them into `db`; returns counts.

    A second process writes the workbooks, month after month in order, while this one ingests each month's
    files as soon as they are written: the two halves of the work (about equal) overlap."""
    workbooks.mkdir(parents=True, exist_ok=True)
    store = Store(db)
    all_months = list(months())
    done = 0
    total = len(all_months) * 6 + 1  # and the corrected file's first version
    # spawn, not fork: a fork of a process with DuckDB's threads running may deadlock
    writer = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_start_writer)
    # Held open for the whole build, the process's one database is shared by every read and write of the
    # ingests below (each still its own transaction) instead of being opened and closed a few times a file.
    try:
        with store.kept_open():
            for files in writer.map(_write_month_in_writer, all_months, repeat(workbooks)):
                for at, path in files:
                    with clock.frozen(at):  # uploaded when the office would have received it
                        report = ingest(store, path.read_bytes(), path.name, registry, uploader=UPLOADER,
                                        is_demo=True)
                    if report.status == "rejected":
                        problems = "; ".join(p.message for p in report.outcome.errors[:3])
                        raise RuntimeError(f"演示文件 {path.name} 未通过校验：{problems}")
                    done += 1
                    if progress:
                        progress(done, total, path.name)
            return store.counts()
    finally:
        writer.shutdown(cancel_futures=True)
