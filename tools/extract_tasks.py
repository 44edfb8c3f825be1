"""Extract the plans' tasks from the policy texts in data/seeds/ and write the task registry, data/tasks.toml.

    .venv/bin/python tools/extract_tasks.py            # write data/tasks.toml
    .venv/bin/python tools/extract_tasks.py --check    # exit 1 when data/tasks.toml is not what the texts give

The registry is extracted, never typed: every task's wording, number, heading and units are cut from the seed
text, so a test can run this again and compare. What it reads (data/seeds/PROVENANCE.md says where each text
comes from):

- WH2027 (武政办〔2025〕67号): the 20 numbered tasks of 二、主要任务 in five actions, each with its 责任单位, from
  the Simplified Chinese copy inside the July-2025 briefing (004_…); the original (001_…) is in Traditional
  characters, and each task is checked to match it character for character apart from the script;
- WHC (高水平推进武汉科技金融中心建设的工作方案): the annex's 任务分工表, 65 rows of 序号, 工作事项, 牵头单位,
  责任单位; a row whose two unit cells are one merged "…按职责分工负责" cell stays so (`shared`); each row is
  placed under the numbered item of the plan's body it comes from, for its heading;
- HB2026 (湖北省科技金融质效提升行动方案): the 16 measures （一）…（十六） and 三、保障措施, each with 责任单位;
- WH2016 (武政〔2016〕39号): the 50 tasks of sections 二 … 九, each with 完成时限 and 责任单位 (an archive).

What is changed from the seed text, and only that: lines broken by a page of the source (a paragraph split over
two lines) are joined, and Markdown emphasis left by the conversion (**3**, *REITs*, ### headings) is dropped.
Every other character, spaces and half-width punctuation included, is kept as the seed has it.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "seeds"
OUT = ROOT / "data" / "tasks.toml"

WH2016_FILE = "000_6c3a898c44989d26.txt"
WH2027_ORIGINAL_FILE = "001_568b00b0e1e413d2.txt"  # Traditional characters
WHC_FILE = "002_3efbdf18d216e6a7.txt"
HB2026_FILE = "003_9531cef3b42412f3.txt"
WH2027_FILE = "004_b575fdfc2b5a798a.txt"  # the briefing that reprints WH2027 in Simplified characters

CN_NUMBER = "一二三四五六七八九十"
PART = re.compile(rf"^([{CN_NUMBER}]+)、(.+)$")  # 二、主要任务
ACTION = re.compile(rf"^([(（][{CN_NUMBER}]+[)）])(.+)$")  # (一)实施耐心资本培育行动 / （九）提高…
NUMBERED = re.compile(r"^(\d{1,2})\.(.+)$")  # 9.强化科技金融服务平台支撑。…
UNITS_AT_END = re.compile(r"[(（]责任单位[:：](.+)[)）]$")
WH2016_TRAILER = re.compile(r"[(（]完成时限[:：](.+?)[;；]\s*责任单位[:：](.+)[)）]$")
SHARED = "按职责分工负责"


class ExtractionError(Exception):
    """The seed text is not shaped as expected: the extraction stops rather than guess."""


@dataclass
class Document:
    id: str
    seed: str
    end: str  # YYYY-MM-DD: the plan's end, the deadline of a task that names none
    end_wording: str  # the words of the text that set it
    archived: bool
    note: str


@dataclass
class Task:
    id: str
    document: str
    number: str  # as written: 9, 25, （九）, (一)
    part: str  # 二、主要任务
    action: str  # (一)实施耐心资本培育行动; the part where the plan has no finer heading
    clause: str  # where the task stands in its document, for a citation
    text: str  # the task's wording, verbatim
    source: str  # seed file and line
    responsible: list[str] = field(default_factory=list)  # unit names as written, in order
    lead: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)  # the units of a merged "…按职责分工负责" cell
    units_as_written: str = ""  # the unit text, verbatim (the 责任单位 cell or parenthesis)
    lead_as_written: str = ""  # WHC's 牵头单位 cell
    deadline_as_written: str = ""  # WH2016's 完成时限


# -- reading the texts ----------------------------------------------------------------------------------------


def read_seed(seeds: Path, name: str) -> str:
    path = seeds / name
    if not path.exists():
        raise ExtractionError(f"找不到种子文本 {path}")
    return path.read_text(encoding="utf-8")


def plain(line: str) -> str:
    """A line without Markdown heading marks and emphasis (**…**, *…*), stripped of surrounding blanks."""
    line = re.sub(r"^#+\s*", "", line.strip())
    return line.replace("**", "").replace("*", "").strip()


def split_units(text: str) -> list[str]:
    """`市委金融办、市财政局，武汉金控集团，各区人民政府〈含…，下同〉` → the names, in order: split at 、，, outside
    brackets, and a bracketed note (〈含开发区…〉) dropped from the name (it stays in the text as written)."""
    names, depth, current = [], 0, ""
    for ch in text:
        if ch in "〈(（":
            depth += 1
        elif ch in "〉)）":
            depth -= 1
        elif depth == 0 and ch in "、，,":
            names.append(current)
            current = ""
            continue
        if depth == 0 and ch not in "〉)）":
            current += ch
    names.append(current)
    out = [n.strip() for n in names if n.strip()]
    if not out:
        raise ExtractionError(f"责任单位为空：{text!r}")
    return out


def blocks(lines: list[tuple[int, str]], starts: re.Pattern[str] = re.compile(r"(?!)")) -> list[tuple[int, str]]:
    """Paragraphs: each heading (二、… / （一）…) and each line where `starts` matches begins one, and so does the
    first line after a heading; the lines in between are joined (a paragraph broken over a page of the source).
    (line number, text) each."""
    out: list[tuple[int, str]] = []
    after_heading = True
    for no, line in lines:
        if not line:
            continue
        heading = bool(PART.match(line))
        if heading or after_heading or starts.match(line) or ACTION.match(line) or not out:
            out.append((no, line))
        else:
            out[-1] = (out[-1][0], out[-1][1] + line)
        after_heading = heading
    return out


def numbered_lines(text: str, start: str, end: str | None = None, *, after: str = "") -> list[tuple[int, str]]:
    """The plain lines of `text` from the first line holding `start` (below the first holding `after`) up to the
    next holding `end`, numbered from 1 as in the file."""
    raw = text.splitlines()
    top = next((i for i, ln in enumerate(raw) if after in ln), None)
    first = None if top is None else next((i for i, ln in enumerate(raw) if start in ln and i >= top), None)
    if first is None:
        raise ExtractionError(f"找不到「{start}」")
    last = len(raw) if end is None else next((i for i, ln in enumerate(raw) if end in ln and i > first), None)
    if last is None:
        raise ExtractionError(f"找不到「{end}」")
    return [(i + 1, plain(raw[i])) for i in range(first, last)]


def headed(line: str, part: str, action: str) -> tuple[str, str]:
    """The part and action after a paragraph: changed by a heading (二、主要任务 / (一)实施…行动)."""
    if PART.match(line):
        return line, ""
    if (m := ACTION.match(line)) and not NUMBERED.match(line):
        return part, m[1] + m[2].split("。")[0]
    return part, action


# -- WH2027 ---------------------------------------------------------------------------------------------------


def wh2027(seeds: Path) -> list[Task]:
    text = read_seed(seeds, WH2027_FILE)
    lines = numbered_lines(text, "二、主要任务", "三、保障措施", after="武汉市推动科技金融高质量发展加快建设全国科技金融中心行动方案(2025")
    tasks, part, action = [], "", ""
    for no, line in blocks(lines, NUMBERED):
        part, action = headed(line, part, action)
        m = NUMBERED.match(line)
        if not m:
            continue
        units = UNITS_AT_END.search(m[2])
        if not units:
            raise ExtractionError(f"WH2027 第{m[1]}项没有（责任单位：…）")
        tasks.append(Task(
            id=f"WH2027-{m[1]}", document="WH2027", number=m[1], part=part, action=action,
            clause=f"{part} {m[1]}", text=m[2][:units.start()].strip(), source=f"{WH2027_FILE}:{no}",
            responsible=split_units(units[1]), units_as_written=units[1]))
    check_against_original(seeds, tasks)
    return tasks


def check_against_original(seeds: Path, tasks: list[Task]) -> None:
    """The briefing's copy against the original: per task the same length and the same characters, but for
    Chinese characters (Traditional there, Simplified here)."""
    original: dict[str, str] = {}
    for line in read_seed(seeds, WH2027_ORIGINAL_FILE).splitlines():
        if (m := NUMBERED.match(line.strip())) and "責任單位" in line:
            original[m[1]] = m[2]
    for t in tasks:
        copy = f"{t.text}(责任单位:{t.units_as_written})"
        theirs = original.get(t.number, "")
        differs = len(copy) != len(theirs) or any(
            a != b and not ("\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff") for a, b in zip(copy, theirs, strict=True))
        if differs:
            raise ExtractionError(f"WH2027 第{t.number}项与原文（{WH2027_ORIGINAL_FILE}）不一致")
    if set(original) != {t.number for t in tasks}:
        raise ExtractionError("WH2027 的任务编号与原文不一致")


# -- WHC ------------------------------------------------------------------------------------------------------


def _whc_body(text: str) -> list[tuple[str, str, str, str]]:
    """The plan's body: (number, part, action, wording) of each numbered item, and of the closing section (no
    number, its part as action)."""
    items, part, action = [], "", ""
    for _no, line in blocks(numbered_lines(text, "一、强化武汉科技金融中心功能定位", "附件："), NUMBERED):
        part, action = headed(line, part, action)
        if m := NUMBERED.match(line):
            items.append((m[1], part, action, m[2]))
        elif part.startswith("三、") and line != part:
            items.append(("", part, part, line))
    return items


def _whc_rows(text: str) -> list[tuple[int, list[str]]]:
    """The annex's table: (line of its 序号, its cells) per row; a blank line ends a row."""
    lines = text.splitlines()
    top = next((i for i, ln in enumerate(lines) if ln.strip() == "序号"), None)
    if top is None:
        raise ExtractionError("找不到任务分工表（序号、工作事项、牵头单位、责任单位）")
    rows: list[tuple[int, list[str]]] = []
    cells: list[str] = []
    for i in range(top, len(lines) + 1):
        line = lines[i].strip() if i < len(lines) else ""
        if line:
            if not cells:
                rows.append((i + 1, cells))
            cells.append(line)
        else:
            cells = []
    header = rows.pop(0)[1]
    if header != ["序号", "工作事项", "牵头单位", "责任单位"]:
        raise ExtractionError(f"任务分工表的表头不是 序号、工作事项、牵头单位、责任单位：{header}")
    return rows


def _coverage(row: str, item: str) -> float:
    """How much of a table row's wording is found in a body item's (the rows cut and trim the body's sentences)."""
    matcher = difflib.SequenceMatcher(None, row, item, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()) / max(len(row), 1)


def whc(seeds: Path) -> list[Task]:
    text = read_seed(seeds, WHC_FILE)
    body = _whc_body(text)
    tasks: list[Task] = []
    last = 0
    for line, cells in _whc_rows(text):
        number = cells[0]
        if not number.isdigit() or int(number) != len(tasks) + 1:
            raise ExtractionError(f"任务分工表第{line}行：序号应为 {len(tasks) + 1}，实为「{number}」")
        wording = cells[1]
        # The body item the row comes from: the best cover of its wording, never before the previous row's.
        scores = [(_coverage(wording, w), i) for i, (_n, _p, _a, w) in enumerate(body) if i >= last]
        score, at = max(scores)
        if score < 0.8:
            raise ExtractionError(f"任务分工表序号{number}在正文中找不到出处")
        last = at
        item_no, part, action, _w = body[at]
        clause = f"附件 任务分工表 序号{number}（正文{f'第{item_no}条' if item_no else part}）"
        task = Task(id=f"WHC-{number}", document="WHC", number=number, part=part, action=action or part,
                    clause=clause, text=wording, source=f"{WHC_FILE}:{line}")
        if len(cells) == 3 and cells[2].endswith(SHARED):
            task.shared = split_units(cells[2].removesuffix(SHARED))
            task.units_as_written = cells[2]
        elif len(cells) == 4:
            task.lead, task.lead_as_written = split_units(cells[2]), cells[2]
            task.responsible, task.units_as_written = split_units(cells[3]), cells[3]
        else:
            raise ExtractionError(f"任务分工表序号{number}的格子数不对：{cells}")
        tasks.append(task)
    return tasks


# -- HB2026 ---------------------------------------------------------------------------------------------------


def hb2026(seeds: Path) -> list[Task]:
    text = read_seed(seeds, HB2026_FILE)
    lines = numbered_lines(text, "二、行动举措")
    tasks, part, action = [], "", ""
    for no, line in blocks(lines):
        part, action = headed(line, part, action)
        m = ACTION.match(line)
        if m:
            number, wording = m[1], m[2]
        elif part.startswith("三、") and line != part:
            number, wording = "三", line
        else:
            continue
        units = UNITS_AT_END.search(wording)
        if not units:
            raise ExtractionError(f"HB2026 {number} 没有（责任单位：…）")
        index = CN_NUMBER.index(number[1:-1][-1]) + 1 + (10 if len(number) == 4 else 0) if m else 0
        tasks.append(Task(
            id=f"HB2026-{index}" if m else "HB2026-safeguards", document="HB2026", number=number, part=part,
            action=part, clause=f"{part}{number}" if m else part, text=wording[:units.start()].strip(),
            source=f"{HB2026_FILE}:{no}", responsible=split_units(units[1]), units_as_written=units[1]))
    return tasks


# -- WH2016 ---------------------------------------------------------------------------------------------------


def wh2016(seeds: Path) -> list[Task]:
    text = read_seed(seeds, WH2016_FILE)
    lines = numbered_lines(text, "二、完善顶层设计", "# 市科技金融改革创新工作领导小组")
    tasks, part = [], ""
    for no, line in blocks(lines):
        if PART.match(line):
            part = line
            continue
        m = ACTION.match(line)
        if not m:
            raise ExtractionError(f"WH2016 第{no}行不是任务：{line[:30]}")
        trailer = WH2016_TRAILER.search(m[2])
        if not trailer:
            raise ExtractionError(f"WH2016 {part}{m[1]} 没有（完成时限：…；责任单位：…）")
        section = CN_NUMBER.index(part[0]) + 1
        item = CN_NUMBER.index(m[1][1:-1][-1]) + 1
        tasks.append(Task(
            id=f"WH2016-{section}.{item}", document="WH2016", number=m[1], part=part, action=part,
            clause=f"{part}{m[1]}", text=m[2][:trailer.start()].strip(), source=f"{WH2016_FILE}:{no}",
            responsible=split_units(trailer[2]), units_as_written=trailer[2], deadline_as_written=trailer[1].strip()))
    return tasks


# -- the documents --------------------------------------------------------------------------------------------

# Facts about each plan that the task tracker needs beyond data/targets.toml's [[document]] (title, number,
# issuer, date): the seed it is read from and its end, each end checked to be written in that text.
DOCUMENTS = [
    Document("WH2027", WH2027_FILE, "2027-12-31", "到2027年", False,
             "文件未逐项规定完成时限，各项任务以方案期末（2027年底）为限。"),
    Document("WHC", WHC_FILE, "2027-12-31", "到2027年底，初步建成武汉科技金融中心", False,
             "任务分工表没有完成时限一栏，各项任务以方案期末（2027年底）为限，管理员可另行设定。"),
    Document("HB2026", HB2026_FILE, "2026-12-31", "到 2026 年末", False,
             "文件未逐项规定完成时限，各项举措以方案期末（2026年底）为限。"),
    Document("WH2016", WH2016_FILE, "2018-12-31", "到 2018 年", True,
             "2016年文件，已归档：各项任务的完成时限照录原文，“每年”以方案目标年（2018年）为限；不再跟踪。"),
]


def extract(seeds: Path = SEEDS) -> tuple[list[Document], list[Task]]:
    for doc in DOCUMENTS:
        if doc.end_wording not in read_seed(seeds, doc.seed):
            raise ExtractionError(f"{doc.id} 的期末依据「{doc.end_wording}」不在 {doc.seed} 中")
    tasks = wh2027(seeds) + whc(seeds) + hb2026(seeds) + wh2016(seeds)
    return DOCUMENTS, tasks


# -- writing TOML ---------------------------------------------------------------------------------------------

HEADER = """\
# ============================================================================
# 任务登记表（tasks.toml）—— 由 tools/extract_tasks.py 从 data/seeds/ 的政策原文提取，请勿手工编辑。
# 原文变化时重新运行：.venv/bin/python tools/extract_tasks.py
#
# [[plan]]  每份文件：id（与 targets.toml 的 [[document]] 一致）、seed（原文文件）、end（方案期末，
#           未规定完成时限的任务以此为限）、end_wording（原文依据）、archived（已归档，不再跟踪）、note。
# [[task]]  每项任务：id、document、number（原文编号）、part（所在部分）、action（所在行动或小标题）、
#           clause（出处）、text（任务原文）、source（原文文件:行号）；
#           responsible / lead / shared：原文所列单位（shared 为合并格“…按职责分工负责”所列单位）；
#           units_as_written / lead_as_written：单位原文；deadline_as_written：完成时限原文（仅 WH2016）。
# 原文的改动仅限：跨页断开的段落接回一行，去掉转换遗留的 Markdown 标记（**、*、#）。
# 单位的规范名称、别名与更名见 data/units.toml；任务与指标的对应见 data/task_links.toml。
#
# English: generated from the policy texts by tools/extract_tasks.py; do not edit by hand.
# ============================================================================
"""


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def render(documents: list[Document], tasks: list[Task]) -> str:
    out = [HEADER]
    for doc in documents:
        out.append("[[plan]]")
        out.append(f"id = {toml_value(doc.id)}")
        out.append(f"seed = {toml_value(doc.seed)}")
        out.append(f"end = {doc.end}")
        for key in ("end_wording", "archived", "note"):
            out.append(f"{key} = {toml_value(getattr(doc, key))}")
        out.append("")
    for doc in documents:
        mine = [t for t in tasks if t.document == doc.id]
        out.append(f"# ---- {doc.id}：{len(mine)}项 ----\n")
        for t in mine:
            out.append("[[task]]")
            for key in ("id", "document", "number", "part", "action", "clause", "text", "source", "lead",
                        "responsible", "shared", "lead_as_written", "units_as_written", "deadline_as_written"):
                value = getattr(t, key)
                if value:
                    out.append(f"{key} = {toml_value(value)}")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="从 data/seeds/ 的政策原文提取任务登记表 data/tasks.toml")
    ap.add_argument("--seeds", type=Path, default=SEEDS, help="原文所在文件夹（默认 data/seeds）")
    ap.add_argument("--out", type=Path, default=OUT, help="输出文件（默认 data/tasks.toml）")
    ap.add_argument("--check", action="store_true", help="只比较，不写入：不一致时退出码为1")
    args = ap.parse_args(argv)
    try:
        documents, tasks = extract(args.seeds)
    except ExtractionError as e:
        print(f"提取失败：{e}", file=sys.stderr)
        return 2
    text = render(documents, tasks)
    counts = "，".join(f"{d.id} {sum(t.document == d.id for t in tasks)}项" for d in documents)
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out} {'与原文提取结果一致' if same else '与原文提取结果不一致，请重新运行本脚本'}（{counts}）")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"已写入 {args.out}（{counts}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
