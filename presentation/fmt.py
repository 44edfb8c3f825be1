"""Numbers, changes, percentages, dates and plans the way official documents write them."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from domain.model import Document, StatusStyle
from domain.months import month_label
from presentation.labels import DERIVATION, NOT_REPORTED

POINTS = "个百分点"  # the unit of a change in a percentage
_UNSAFE = str.maketrans({c: "_" for c in '/\\:*?"<>|：　 \n'})


def num(value: float | None, decimals: int = 1) -> str:
    """4595.93 → "4,595.9"; None → "—"."""
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}"


def qty(value: float | None, unit: str, decimals: int = 1) -> str:
    """A value with its unit: "4,595.9亿元", "52家", "47.0%"."""
    if value is None:
        return "—"
    return f"{num(value, decimals)}{unit}"


def pct(ratio: float | None, decimals: int = 1) -> str:
    """0.919 → "91.9%"."""
    if ratio is None:
        return "—"
    return f"{ratio * 100:.{decimals}f}%"


def signed(value: float | None, unit: str, decimals: int = 1) -> str:
    """A change with its sign: +224.2亿元 / −24.7家 (a true minus sign, so a fall cannot be misread);
    one that rounds to zero has none (0.0亿元); None → "—"."""
    if value is None:
        return "—"
    if round(value, decimals) == 0:
        return qty(0, unit, decimals)
    return f"{'+' if value > 0 else '−'}{qty(abs(value), unit, decimals)}"


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
    """"实际领先 224.2亿元" / "实际落后 24.7家" — the gap to a path, with the verdict from metrics."""
    if gap is None or ahead is None:
        return "—"
    size = qty(abs(gap), POINTS if unit == "%" else unit, decimals)
    return f"实际{'领先' if ahead else '落后'} {size}"


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
