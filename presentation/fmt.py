"""Numbers, changes, percentages, dates and plans the way official documents write them."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from typing import Any

from domain.model import Document, StatusStyle
from domain.months import month_label
from presentation.labels import DERIVATION, NOT_REPORTED

POINTS = "个百分点"  # the unit of a change in a percentage
# The one minus sign of every figure shown (U+2212, not the hyphen "-"): a fall cannot be misread as a dash or a
# range, and it is what Plotly's axes draw for a negative tick. Every number passes through num() or signed().
MINUS = "\u2212"
# Units of things counted one by one: a count, and a change or a pace of one, is a whole number (1,480家, never
# 1,479.5家). A % indicator's changes are points (个百分点), never a percentage of a percentage.
COUNT_UNITS = frozenset({"家", "个", "款", "户", "只", "项"})
_UNSAFE = str.maketrans({c: "_" for c in '/\\:*?"<>|：　 \n'})


def num(value: float | None, decimals: int = 1) -> str:
    """4595.93 → "4,595.9"; −3.25 → "−3.2"; None → "—".

    The one rule for digits: a comma between each group of three in the whole part (1,000 and up, 4,595.9), a
    point before the decimals, and the true minus sign (MINUS); a value that rounds to zero has no sign."""
    if value is None:
        return "—"
    if round(value, decimals) == 0:
        value = 0.0
    text = f"{abs(value):,.{decimals}f}"
    return f"{MINUS}{text}" if value < 0 else text


def is_count(unit: str) -> bool:
    """家, 个, 款, 户: a unit of things counted one by one (COUNT_UNITS)."""
    return unit in COUNT_UNITS


def whole_pace(value: float) -> int:
    """A pace of things counted one by one (firms a month) as a whole number, rounded UP: a fraction of a firm
    cannot be added, and a pace rounded down would fall short of the target (4.5家 a month for 14 months is 63;
    4家 a month makes 56, 5家 makes 70). A hair over a whole number from floating point stays that number."""
    return math.ceil(value - 1e-9)


def pace_qty(value: float | None, unit: str, decimals: int = 1) -> str:
    """A pace the rest of the way needs, in the indicator's unit: counts whole and rounded up with 约 (约1,480家,
    see whole_pace); points for a % indicator (1.52个百分点, two decimals: a month's share of a point); else the
    indicator's decimals, at least one (28.9亿元)."""
    if value is None:
        return "—"
    if is_count(unit):
        return f"约{num(whole_pace(value), 0)}{unit}"
    if unit == "%":
        return f"{num(value, 2)}{POINTS}"
    return qty(value, unit, max(1, decimals))


def amount(value: float | None, unit: str, decimals: int = 1) -> str:
    """A size of a difference or a change, without sign: points for a % indicator (2.5个百分点), counts whole
    (25家), else the indicator's unit (224.2亿元)."""
    if value is None:
        return "—"
    if unit == "%":
        return qty(abs(value), POINTS, decimals)
    return qty(abs(value), unit, 0 if is_count(unit) else decimals)


def qty(value: float | None, unit: str, decimals: int = 1) -> str:
    """A value with its unit: "4,595.9亿元", "52家", "47.0%"."""
    if value is None:
        return "—"
    return f"{num(value, decimals)}{unit}"


def pct(ratio: float | None, decimals: int = 1) -> str:
    """0.919 → "91.9%"; −0.045 → "−4.5%" (num's digits and minus sign)."""
    if ratio is None:
        return "—"
    return f"{num(ratio * 100, decimals)}%"


def signed(value: float | None, unit: str, decimals: int = 1) -> str:
    """A change with its sign: +224.2亿元 / −24.7家 (a true minus sign, so a fall cannot be misread);
    one that rounds to zero has none (0.0亿元); None → "—"."""
    if value is None:
        return "—"
    if round(value, decimals) == 0:
        return qty(0, unit, decimals)
    return f"{'+' if value > 0 else MINUS}{qty(abs(value), unit, decimals)}"


def signed_qty(value: float | None, unit: str, decimals: int = 1) -> str:
    """A change in an indicator's unit; percentage points for a % indicator (+1.2个百分点)."""
    return signed(value, POINTS if unit == "%" else unit, decimals)


def signed_pct(ratio: float | None, decimals: int = 1) -> str:
    """A relative change: 0.123 → "+12.3%"; −0.045 → "−4.5%"; None → "—"."""
    return signed(None if ratio is None else ratio * 100, "%", decimals)


def signed_points(points: float | None, decimals: int = 1) -> str:
    """A change of a percentage, in points: 3.8 → "+3.8个百分点"; −1.25 → "−1.3个百分点"."""
    return signed(points, POINTS, decimals)


def growth_text(row: dict[str, Any]) -> str:
    """A metrics.districts.district_table row's y/y change as read: points for a share, else a signed percentage."""
    if row.get("yoy_points") is not None:
        return signed_points(row["yoy_points"])
    return signed_pct(row.get("yoy"))


def why_missing(row: dict[str, Any]) -> str:
    """What stands in for a unit's missing value: the reason it has none (a metrics.districts note), else 未报送."""
    return row.get("note") or NOT_REPORTED


def gap_phrase(gap: float | None, ahead: bool | None, unit: str, decimals: int) -> str:
    """"实际领先 224.2亿元" / "实际落后 25家" / "实际落后 2.5个百分点" — the gap to a path, with the verdict from
    metrics (a count whole, a % indicator in points)."""
    if gap is None or ahead is None:
        return "—"
    if round(gap, 0 if is_count(unit) else decimals) == 0:
        return "实际与之持平"  # at the baseline month, or level with the path: never "领先 0.0亿元"
    return f"实际{'领先' if ahead else '落后'} {amount(gap, unit, decimals)}"


def shown_gap(value: float | None, path: float | None, unit: str, decimals: int) -> float | None:
    """value − path between the two figures as shown (each rounded to its displayed places first), so that the
    gap printed beside them is their difference as the reader computes it: 47.0% against 49.4% is 2.4个百分点,
    not the 2.5 of the unrounded 46.95 and 49.44."""
    if value is None or path is None:
        return None
    d = 0 if is_count(unit) else decimals
    return round(value, d) - round(path, d)


def status_text(style: StatusStyle) -> str:
    """★ 已达标: a status by its symbol and label (data/status.toml), so it reads in grey-scale print."""
    return f"{style.symbol} {style.label}"


def as_of_label(day: dt.date | None) -> str:
    """截至2026年10月 — the dating line every chart carries."""
    return f"截至{month_label(day)}" if day else "暂无数据"


def date_label(day: dt.date) -> str:
    """2026-10-31 → 2026年10月31日."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_title(doc: Document) -> str:
    """A plan as cited: its title and, when it has one, its number (…行动方案（武政办〔2024〕12号）)."""
    return f"{doc.title}（{doc.number}）" if doc.number else doc.title


NOT_STATED = "文件未载明"


def document_origin(doc: Document) -> str:
    """Who issued a plan and when, as its text says, and what the text leaves out said so, never guessed:
    湖北省人民政府办公厅，2024年8月8日印发（文件未载明文号）; WHC: （文件未载明文号、发文单位和印发日期）."""
    said = "，".join(p for p in (doc.issuer, f"{date_label(doc.issued)}印发" if doc.issued else "") if p)
    missing = [what for what, value in (("文号", doc.number), ("发文单位", doc.issuer), ("印发日期", doc.issued))
               if not value]
    if not missing:
        return said
    words = "、".join(missing[:-1]) + ("和" if len(missing) > 1 else "") + missing[-1]
    return f"{said}（{NOT_STATED}{words}）"


def target_phrase(comparator: str, value: float, unit: str, decimals: int = 0) -> str:
    """The target as the plans word it: 突破5,000亿元, 50家以上, 超过50%."""
    shown = qty(value, unit, decimals)
    if comparator == ">":
        return f"超过{shown}" if unit == "%" else f"突破{shown}"
    if comparator == ">=":
        return f"{shown}以上"
    if comparator == "<":
        return f"低于{shown}"
    return f"不高于{shown}"


_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]"


def policy_text(text: str) -> str:
    """Policy text as quoted: half-width punctuation in Chinese text made full-width (到2027年,设立 → 到2027年，设立;
    首台(套) → 首台（套）; "汉融通" → “汉融通”). A comma or a point between digits (3,000; 1.5) stays."""
    out = []
    for i, c in enumerate(text):
        before, after = text[i - 1] if i else "", text[i + 1] if i + 1 < len(text) else ""
        if c in ",." and before.isdigit() and after.isdigit():
            out.append(c)
        elif c in _HALF_TO_FULL and c != "." and (re.match(_CJK, before) or re.match(_CJK, after) or before.isdigit()
                                                   or c in "()"):
            out.append(_HALF_TO_FULL[c])
        else:
            out.append(c)
    text = "".join(out)
    # straight double quotes in pairs: opening, then closing
    parts = text.split('"')
    if len(parts) % 2 == 1:
        text = "".join(p + ("“" if k % 2 == 0 else "”") for k, p in enumerate(parts[:-1])) + parts[-1]
    return text


def quote(text: str) -> str:
    """Policy words quoted: “…” around policy_text (its punctuation full-width); quotation marks inside become
    single ones, as Chinese nests them (“培育‘金种子’‘银种子’企业500家以上”)."""
    inner = policy_text(text).replace("“", "‘").replace("”", "’")
    return f"“{inner}”"


def file_stem(*parts: str) -> str:
    """A file name (without extension) that says what and when: 武汉市科技贷款余额_截至2026年10月.

    Characters that Windows, macOS or a zip file would refuse become "_"; HTML markup is dropped."""
    text = "_".join(re.sub(r"<[^>]+>", "", p).strip() for p in parts if p and p.strip())
    return re.sub(r"_+", "_", text.translate(_UNSAFE)).strip("_")[:120] or "图表"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md_text(text: str) -> str:
    """Text from an upload (a file name, an agency, a sheet name) made inert inside Markdown: no link, image,
    emphasis or HTML can come out of it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def plot_text(text: str) -> str:
    """Text from an upload made inert inside a Plotly label, which understands a little HTML (<a href>, <b>)."""
    return html.escape(text, quote=False)


def source_line(src: Any) -> str:
    """One source of a figure (metrics.standing.Source) as a Markdown list item, its upload text escaped."""
    return (f"- **{md_text(src.agency)}**：《{md_text(src.file_name)}》，{md_text(src.origin)}"
            f"（{DERIVATION[src.derivation]}），上传于 {src.uploaded_at:%Y-%m-%d %H:%M}"
            + (f"，上传账号 {md_text(src.uploader)}" if getattr(src, "uploader", "") else ""))


def freshness_line(f: Any) -> str:
    """metrics.freshness.Freshness as officials read it: 数据截至2026年10月 · 报送于2026年11月14日, and when the
    units have not all reported, · 14/16个单位已报送（合计可能不全）."""
    parts = []
    if f.data_month is not None:
        parts.append(f"数据截至{f.data_month.year}年{f.data_month.month}月")
    if f.reported_on is not None:
        parts.append(f"报送于{date_label(f.reported_on)}")
    if f.units_expected is not None:
        note = "（合计可能不全）" if f.incomplete else ""
        parts.append(f"{f.units_reported}/{f.units_expected}个单位已报送{note}")
    return " · ".join(parts)
