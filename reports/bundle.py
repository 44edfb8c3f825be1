"""One call for the meeting outputs: the figures exported once, then the deck, its PDF and the PNG zip.

`progress(fraction, message)` is called as the work goes (the meeting page shows it in st.status).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.model import Registry
from presentation.fmt import as_of_label
from presentation.labels import APP_TITLE
from reports import export, figures
from reports.brief import Brief
from reports.deck import build_deck
from reports.images import png_zip
from reports.narrative import narrative
from reports.pdf import pptx_to_pdf

KINDS = ("pptx", "pdf", "zip")
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Outputs:
    pptx: bytes | None = None
    pdf: bytes | None = None
    zip: bytes | None = None


def file_name(brief: Brief, kind: str) -> str:
    """武汉科技金融目标监测_会议材料_截至2026年10月.pptx (…_图表_….zip for the figures)."""
    what = "图表" if kind == "zip" else "会议材料"
    return f"{APP_TITLE}_{what}_{as_of_label(brief.as_of)}.{kind}"


def make(brief: Brief, registry: Registry, kinds: tuple[str, ...] = KINDS, *, progress: Progress | None = None
         ) -> Outputs:
    def say(fraction: float, message: str) -> None:
        if progress is not None:
            progress(fraction, message)

    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown output kinds {sorted(unknown)}")
    story = narrative(brief, registry)
    charts = figures.all_charts(brief, registry)
    say(0.02, "正在启动图表导出…")
    export.start()
    pngs = export.chart_pngs(charts, progress=lambda i, n, c: say(0.05 + 0.65 * i / n, f"已导出图表 {i}/{n}：{c.title}"))
    out: dict[str, bytes] = {}
    if "zip" in kinds:
        out["zip"] = png_zip(charts, pngs, story, as_of_label(brief.as_of))
    if "pptx" in kinds or "pdf" in kinds:
        say(0.75, "正在生成演示文稿…")
        out["pptx"] = build_deck(brief, story, registry, pngs, charts)
    if "pdf" in kinds:
        say(0.82, "正在转换为 PDF…")
        out["pdf"] = pptx_to_pdf(out["pptx"])
    say(1.0, "会议材料已生成")
    return Outputs(**{k: v for k, v in out.items() if k in kinds})
