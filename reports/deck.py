"""The meeting deck: a 16:9 PowerPoint built with python-pptx from a Brief, its Narrative and chart PNGs.

Slides, in order:
1. cover: title, 截至…, generation date, how many submissions it rests on (and the demo warning);
2. 总体情况: the status counts, a table of every target (its status, then its 序时进度 comparison: 应达, 实际,
   差/超, and its completion after), and what changed since last month;
3. one slide per plan (WH2027, HB2026): its targets' gauges and the plan's sentence, the targets to watch;
4. one slide per target behind, furthest first: its trajectory chart, key figures, the pace it now needs;
5. the rankings, one per slide, each with its sentence on who leads and who lags;
6. 数据来源: the submissions used (by agency and content), the plans the targets come from, the method.

Every run of text names its font for Latin and East Asian script (a:latin, a:ea), so Chinese renders
with Noto Sans CJK SC wherever it is installed (dev.py installs fonts-noto-cjk; the PDF embeds it).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from domain.model import Registry
from domain.months import month_label
from domain.tasks import default_tasks
from metrics.tasks import TASK_STATES, needing_attention, supervision_summary
from presentation.fmt import as_of_label, date_label, document_title, pct, qty, status_text
from presentation.labels import APP_TITLE
from presentation.sentences import schedule, target_label
from presentation.tasks import STALE, STATE_LABELS
from reports.brief import Brief
from reports.figures import Chart
from reports.narrative import Narrative, key_figures, plan_name

FONT = "Noto Sans CJK SC"
TITLE = APP_TITLE
WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9, 13.333 × 7.5 inches (PowerPoint's widescreen)
MARGIN = Inches(0.45)
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x6B, 0x72, 0x80)
ACCENT = RGBColor(0x1F, 0x4E, 0x99)
RULE = RGBColor(0xD1, 0xD5, 0xDB)
WARN = RGBColor(0xB4, 0x23, 0x18)
BAND = RGBColor(0xF3, 0xF4, 0xF6)
ROW = Inches(0.46)  # a sources row: room for two lines
DEMO_NOTE = "演示数据：系统生成，不是真实统计，请勿用于汇报"


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _font(run, size: float, *, bold: bool = False, color: RGBColor = INK) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    r_pr = run._r.get_or_add_rPr()
    r_pr.set("lang", "zh-CN")
    for tag in ("a:latin", "a:ea", "a:cs"):
        el = r_pr.find(qn(tag))
        if el is None:
            el = r_pr.makeelement(qn(tag), {})
            r_pr.append(el)
        el.set("typeface", FONT)


Paragraph = tuple[str, float, bool, RGBColor] | str


def text_box(slide, x, y, w, h, paragraphs: Sequence[Paragraph], *, size: float = 14, align=PP_ALIGN.LEFT,
             anchor=MSO_ANCHOR.TOP, space_after: float = 6, line_spacing: float = 1.15):
    """A text box; a paragraph is a string (at `size`) or (text, size, bold, colour)."""
    box = slide.shapes.add_textbox(x, y, w, h)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.05)
    frame.margin_top = frame.margin_bottom = Inches(0.03)
    for i, para in enumerate(paragraphs):
        text, psize, bold, color = (para, size, False, INK) if isinstance(para, str) else para
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = align
        p.space_after = Pt(space_after)
        p.line_spacing = line_spacing
        run = p.add_run()
        run.text = text
        _font(run, psize, bold=bold, color=color)
    return box


def _rect(slide, x, y, w, h, color: RGBColor):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, x, y, w, h)
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def picture(slide, png: bytes, chart: Chart, x, y, w, h):
    """The chart's PNG as large as fits in the box, centred, keeping its proportions."""
    ratio = chart.width / chart.height
    if w / h > ratio:
        pw, ph = int(h * ratio), h
    else:
        pw, ph = w, int(w / ratio)
    return slide.shapes.add_picture(io.BytesIO(png), x + (w - pw) // 2, y + (h - ph) // 2, pw, ph)


class DeckBuilder:
    def __init__(self, brief: Brief, story: Narrative, registry: Registry, pngs: dict[str, bytes],
                 charts: Sequence[Chart]):
        self.brief, self.story, self.reg, self.pngs = brief, story, registry, pngs
        self.charts = {c.key: c for c in charts}
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.blank = self.prs.slide_layouts[6]
        self.dating = as_of_label(brief.as_of)

    # -- frame ---------------------------------------------------------------------------------------

    def slide(self, title: str, *, subtitle: str | None = None):
        s = self.prs.slides.add_slide(self.blank)
        _rect(s, 0, 0, WIDTH, Inches(0.12), ACCENT)
        size = min(24.0, 9.4 * 72 / max(1, len(title)))  # one line in 9.6 inches, however long the name
        text_box(s, MARGIN, Inches(0.28), Inches(9.6), Inches(0.6), [(title, size, True, INK)], anchor=MSO_ANCHOR.MIDDLE)
        text_box(s, Inches(9.9), Inches(0.28), WIDTH - Inches(9.9) - MARGIN, Inches(0.6),
                 [(subtitle or self.dating, 15, False, MUTED)], align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.MIDDLE)
        _rect(s, MARGIN, Inches(0.95), WIDTH - 2 * MARGIN, Emu(12700), RULE)
        self._footer(s)
        return s

    def _footer(self, s) -> None:
        n = len(self.prs.slides)
        foot = f"{TITLE} · 会议材料 · {self.dating} · 生成于{date_label(self.brief.generated)}"
        text_box(s, MARGIN, Inches(7.08), Inches(8.5), Inches(0.3), [(foot, 10, False, MUTED)])
        if self.brief.is_demo:
            text_box(s, Inches(7.2), Inches(7.08), Inches(4.6), Inches(0.3), [(DEMO_NOTE, 10, True, WARN)],
                     align=PP_ALIGN.RIGHT)
        text_box(s, WIDTH - MARGIN - Inches(1.0), Inches(7.08), Inches(1.0), Inches(0.3), [(str(n), 10, False, MUTED)],
                 align=PP_ALIGN.RIGHT)

    # -- slides --------------------------------------------------------------------------------------

    def cover(self) -> None:
        s = self.prs.slides.add_slide(self.blank)
        _rect(s, 0, 0, WIDTH, Inches(2.9), ACCENT)
        plans = "、".join(plan_name(self.brief.by_document(d), self.reg) for d in self.brief.documents
                         if self.brief.by_document(d))
        text_box(s, Inches(0.9), Inches(1.0), Inches(11.5), Inches(1.0), [(TITLE, 44, True, RGBColor(255, 255, 255))])
        text_box(s, Inches(0.9), Inches(1.95), Inches(11.5), Inches(0.6),
                 [(f"{plans}进展 · 会议材料", 22, False, RGBColor(255, 255, 255))])
        lines: list[Paragraph] = [
            (f"数据{self.dating}", 28, True, INK),
            (f"生成日期：{date_label(self.brief.generated)}", 18, False, INK),
            (f"依据{self.brief.n_submissions}份有效报送（见“数据来源”页）；"
             f"共{len(self.brief.standings)}项目标", 16, False, MUTED),
        ]
        if self.brief.is_demo:
            lines.append((DEMO_NOTE, 18, True, WARN))
        text_box(s, Inches(0.9), Inches(3.4), Inches(11.5), Inches(2.6), lines, space_after=12)
        text_box(s, Inches(0.9), Inches(6.7), Inches(11.5), Inches(0.4),
                 [("状态以符号和文字标注：" + "　".join(status_text(x) for x in self.reg.statuses.values()),
                   12, False, MUTED)])

    def overview(self) -> None:
        s = self.slide("总体情况")
        story = self.story
        text_box(s, MARGIN, Inches(1.05), WIDTH - 2 * MARGIN, Inches(1.3),
                 [(story.headline[0], 17, True, INK), *[(g, 12.5, False, INK) for g in story.groups.values()]],
                 space_after=2, line_spacing=1.05)
        top = Inches(2.5)
        self._status_table(s, MARGIN, top, Inches(8.75), Inches(4.45))
        x = MARGIN + Inches(8.9)
        _rect(s, x, top, WIDTH - MARGIN - x, Inches(4.45), BAND)
        others = [c for c in story.changes if not c.startswith("本月数值变化")]
        paras: list[Paragraph] = [("与上月相比", 15, True, ACCENT), (others[0], 11.5, False, INK)]
        if story.moves:
            paras += [("本月数值变化", 12.5, True, ACCENT), *[(f"· {m}", 11, False, INK) for m in story.moves]]
        paras += [(c, 11, False, MUTED) for c in others[1:]]
        text_box(s, x + Inches(0.1), top + Inches(0.05), WIDTH - MARGIN - x - Inches(0.2), Inches(4.35), paras,
                 space_after=2, line_spacing=1.05)

    def _status_table(self, s, x, y, w, h) -> None:
        rows = self.brief.standings
        headers = ["状态", "地区", "指标", "目标", "序时进度应达", "实际", "较序时进度", "完成"]
        widths = [1.0, 0.55, 2.1, 1.75, 1.25, 1.1, 1.25, 0.75]
        shape = s.shapes.add_table(len(rows) + 1, len(headers), x, y, w, h)
        table = shape.table
        scale = w / Inches(sum(widths))
        for i, wd in enumerate(widths):
            table.columns[i].width = int(Inches(wd) * scale)
        for j, head in enumerate(headers):
            self._cell(table.cell(0, j), head, 11, bold=True, color=RGBColor(255, 255, 255), fill=ACCENT)
        for i, st in enumerate(rows, start=1):
            ind = self.reg.indicators[st.indicator_code]
            style = self.reg.statuses[st.status]
            fill = BAND if i % 2 == 0 else RGBColor(255, 255, 255)
            region = self.reg.regions[st.region_code].short
            plan = schedule(st, ind)
            values = [status_text(style), region, ind.name_zh, target_label(st, self.reg),
                      plan.due if plan else "—", qty(st.value, ind.unit, ind.decimals), plan.verdict if plan else "—",
                      pct(st.completion)]
            for j, v in enumerate(values):
                self._cell(table.cell(i, j), v, 10, bold=j == 0, color=_rgb(style.color) if j == 0 else INK, fill=fill,
                           align=PP_ALIGN.RIGHT if j >= 4 else PP_ALIGN.LEFT)

    @staticmethod
    def _cell(cell, text: str, size: float, *, bold: bool = False, color: RGBColor = INK, fill: RGBColor | None = None,
              align=PP_ALIGN.LEFT) -> None:
        cell.margin_left = cell.margin_right = Inches(0.06)
        cell.margin_top = cell.margin_bottom = Inches(0.02)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        if fill is not None:
            cell.fill.solid()
            cell.fill.fore_color.rgb = fill
        p = cell.text_frame.paragraphs[0]
        p.alignment = align
        run = p.add_run()
        run.text = text
        _font(run, size, bold=bold, color=color)
        cell.text_frame.word_wrap = True

    def plan(self, document: str) -> None:
        rows = self.brief.by_document(document)
        doc = self.reg.documents[document]
        s = self.slide(f"{plan_name(rows, self.reg)}（{len(rows)}项）")
        cols = 3 if len(rows) > 4 else 2
        grid_w = Inches(9.6)
        x0, y0 = MARGIN, Inches(1.1)
        n_rows = -(-len(rows) // cols)
        cw, ch = grid_w // cols, Inches(5.85) // n_rows
        for k, st in enumerate(rows):
            chart = self.charts[f"gauge:{st.target_id}"]
            picture(s, self.pngs[chart.key], chart, x0 + (k % cols) * cw, y0 + (k // cols) * ch, cw, ch)
        x = x0 + grid_w + Inches(0.2)
        pw = WIDTH - MARGIN - x
        _rect(s, x, y0, pw, Inches(5.85), BAND)
        watch = [self.story.watch[t.target_id] for t in self.brief.behind if t.document == document]
        paras: list[Paragraph] = [(self.story.groups.get(document, ""), 12.5, True, INK)]
        if watch:  # each with its 序时进度 comparison and the pace it needs: smaller, so that the panel holds them
            paras += [("需关注", 13.5, True, ACCENT), *[(w, 11, False, INK) for w in watch]]
        paras += [("目标出处", 11.5, True, MUTED),
                  (f"{document_title(doc)}，{doc.issuer}{date_label(doc.issued)}印发", 10, False, MUTED)]
        text_box(s, x + Inches(0.12), y0 + Inches(0.1), pw - Inches(0.24), Inches(5.65), paras, space_after=6,
                 line_spacing=1.1)

    def _chart_and_panel(self, s, chart, width: int) -> tuple[int, int]:
        """A chart `width` wide on the left of a slide and a shaded panel beside it; the panel's left and width."""
        picture(s, self.pngs[chart.key], chart, MARGIN, Inches(1.1), width, Inches(5.85))
        x = MARGIN + width + Inches(0.15)
        pw = WIDTH - MARGIN - x
        _rect(s, x, Inches(1.1), pw, Inches(5.85), BAND)
        return x, pw

    def behind(self, index: int, total: int) -> None:
        st = self.brief.behind[index]
        ind = self.reg.indicators[st.indicator_code]
        style = self.reg.statuses[st.status]
        region = self.reg.regions[st.region_code].name
        s = self.slide(f"进度滞后目标（{index + 1}/{total}）：{region}{ind.name_zh}")
        x, pw = self._chart_and_panel(s, self.charts[f"trend:{st.target_id}"], Inches(8.3))
        text_box(s, x + Inches(0.12), Inches(1.18), pw - Inches(0.24), Inches(0.5),
                 [(status_text(style), 20, True, _rgb(style.color))])
        figures = key_figures(st, self.reg)
        shape = s.shapes.add_table(len(figures), 2, x + Inches(0.12), Inches(1.75), pw - Inches(0.24),
                                   Inches(0.3) * len(figures))
        table = shape.table
        table.columns[0].width = int((pw - Inches(0.24)) * 0.44)
        table.columns[1].width = (pw - Inches(0.24)) - table.columns[0].width
        for i, (label, value) in enumerate(figures):
            fill = RGBColor(255, 255, 255)
            strong = label.startswith(("此后", "与序时进度"))
            self._cell(table.cell(i, 0), label, 10, color=MUTED, fill=fill)
            self._cell(table.cell(i, 1), value, 10.5, bold=strong, color=_rgb(style.color) if strong else INK, fill=fill,
                       align=PP_ALIGN.RIGHT)
        # The sentence sits at the foot of the panel, clear of the table however its rows wrap.
        top = Inches(1.75) + Inches(0.3) * len(figures) + Inches(0.45)
        text_box(s, x + Inches(0.12), top, pw - Inches(0.24), Inches(6.88) - top,
                 [(self.story.behind[index], 11, False, INK)], anchor=MSO_ANCHOR.BOTTOM)

    def rankings(self) -> None:
        """One ranking a slide, laid out like a target behind: two to a slide left its unit names and values
        at 9–10 pt in the PDF."""
        total = len(self.brief.rankings)
        for k, r in enumerate(self.brief.rankings, start=1):
            ind = self.reg.indicators[r.indicator]
            s = self.slide(f"分区排名（{k}/{total}）：{self.reg.regions[r.parent].name}{ind.name_zh}")
            x, pw = self._chart_and_panel(s, self.charts[f"ranking:{r.target_id}"], Inches(8.6))
            text_box(s, x + Inches(0.12), Inches(1.2), pw - Inches(0.24), Inches(5.65),
                     [(ind.name_zh, 16, True, ACCENT), (self.story.units[r.target_id], 13, False, INK)], space_after=10)

    def supervision(self) -> None:
        """督办清单: each unit's tasks by the state it reported (one row a unit), then the tasks to raise — overdue,
        滞后 or not updated for a quarter — with their units. The whole list is the .xlsx of 任务清单."""
        rows = self.brief.supervision
        if rows is None or rows.is_empty():
            return
        summary = supervision_summary(rows)
        per_slide = 12  # rows of 0.4 inch under the title, clear of the footer
        chunks = [summary[i:i + per_slide] for i in range(0, summary.height, per_slide)]
        headers = ["单位", "任务数", *[STATE_LABELS[x] for x in TASK_STATES], "逾期", STALE]
        for k, chunk in enumerate(chunks, start=1):
            s = self.slide(f"督办清单：各单位任务进展（{k}/{len(chunks)}）")
            values = [[r["unit"], str(r["tasks"]), *[str(r[x]) for x in TASK_STATES], str(r["overdue"]),
                       str(r["stale"])] for r in chunk.iter_rows(named=True)]
            self._table(s, headers, [3.2, 0.9, *[0.95] * len(TASK_STATES), 0.8, 1.2], values, top=Inches(1.15))
        raise_ = needing_attention(rows)
        per = 11
        parts = [raise_[i:i + per] for i in range(0, raise_.height, per)] or [raise_]
        for k, part in enumerate(parts, start=1):
            s = self.slide("督办清单：需督办事项" + (f"（{k}/{len(parts)}）" if len(parts) > 1 else ""))
            if part.is_empty():
                waiting = int((rows["state"] == "not_reported").sum())
                text_box(s, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(1.5),
                         [(f"{self.dating}，没有逾期、滞后或长期未更新的任务。", 20, True, INK),
                          (f"另有{waiting}项（按单位计）尚未报送进展；全部任务及状态见“任务清单”页和督办清单（.xlsx）。",
                           15, False, MUTED)], space_after=8)
                continue
            titles = default_tasks().tasks
            values = [[r["unit"], f"{r['task_id']} {titles[r['task_id']].title}", STATE_LABELS[r["state"]],
                       date_label(r["deadline"]),
                       "、".join(x for x, on in (("逾期", r["overdue"]), (STALE, r["stale"])) if on)]
                      for r in part.iter_rows(named=True)]
            self._table(s, ["单位", "任务", "状态", "完成时限", "标记"], [2.4, 6.0, 1.0, 1.6, 1.5], values,
                        top=Inches(1.15))

    def _table(self, s, headers: list[str], widths: list[float], values: list[list[str]], *, top,
               head_size: float = 11, size: float = 11) -> None:
        """A full-width table under the title: a coloured heading row, banded rows, numbers to the right."""
        shape = s.shapes.add_table(len(values) + 1, len(headers), MARGIN, top, WIDTH - 2 * MARGIN,
                                   ROW * (len(values) + 1))
        table = shape.table
        scale = (WIDTH - 2 * MARGIN) / Inches(sum(widths))
        for i, wd in enumerate(widths):
            table.columns[i].width = int(Inches(wd) * scale)
        for j, head in enumerate(headers):
            self._cell(table.cell(0, j), head, head_size, bold=True, color=RGBColor(255, 255, 255), fill=ACCENT)
        for i, row in enumerate(values, start=1):
            fill = BAND if i % 2 == 0 else RGBColor(255, 255, 255)
            for j, v in enumerate(row):
                self._cell(table.cell(i, j), v, size, fill=fill,
                           align=PP_ALIGN.RIGHT if v.isdigit() else PP_ALIGN.LEFT)

    def sources(self) -> None:
        groups = self.brief.sources
        per_slide = 8
        chunks = [groups[i:i + per_slide] for i in range(0, len(groups), per_slide)] or [[]]
        for k, chunk in enumerate(chunks, start=1):
            title = "数据来源" + (f"（{k}/{len(chunks)}）" if len(chunks) > 1 else "")
            s = self.slide(title)
            text_box(s, MARGIN, Inches(1.08), WIDTH - 2 * MARGIN, Inches(0.4),
                     [(f"本材料依据{self.brief.n_submissions}份有效报送（{self.dating}及以前），按报送单位和内容汇总：",
                       13, False, INK)])
            values = [[g.agency, g.content, str(g.files), f"{month_label(g.first)}—{month_label(g.last)}",
                       g.latest_file, f"{g.latest_uploaded:%Y-%m-%d %H:%M}"] for g in chunk]
            self._table(s, ["报送单位", "内容", "份数", "报告期", "最新一份", "最新上传"], [2.7, 3.1, 0.55, 2.0, 3.5, 1.45],
                        values, top=Inches(1.5), head_size=10.5, size=9.5)
            if k == len(chunks):
                self._method(s, Inches(1.6) + ROW * (len(chunk) + 1) + Inches(0.3))

    def _method(self, s, top) -> None:
        docs = []
        for d in self.brief.documents:
            if self.brief.by_document(d):
                doc = self.reg.documents[d]
                docs.append((f"{document_title(doc)}，{doc.issuer}{date_label(doc.issued)}印发", 11, False, INK))
        t = self.reg.thresholds
        st = self.reg.statuses
        method = ("序时进度：从基期值匀速推进到目标值，截至本月应达到的水平（即“时间过半、任务过半”）；"
                  "“差”“超”为实际值与之相比。"
                  f"进度判定：R = 基期以来的增速 ÷ 如期达标所需的增速（月度复合）。已达到目标为{st['achieved'].label}；"
                  f"R ≥ {t['on_track']:.2f} 为{st['on_track'].label}，{t['needs_acceleration']:.2f} ≤ R < "
                  f"{t['on_track']:.2f} 为{st['needs_acceleration'].label}，{t['limited_progress']:.0f} ≤ R < "
                  f"{t['needs_acceleration']:.2f} 为{st['limited_progress'].label}，R < {t['limited_progress']:.0f} 为"
                  f"{st['regressing'].label}；基期以来不足两个数据点为{st['insufficient_data'].label}"
                  f"{self._observation_method()}。预测按基期以来的年均增速外推。")
        text_box(s, MARGIN, top, WIDTH - 2 * MARGIN, Inches(6.95) - top,
                 [("目标出处", 13, True, ACCENT), *docs, ("口径说明", 13, True, ACCENT), (method, 11, False, INK)],
                 space_after=4)

    def _observation_method(self) -> str:
        """；最新数据距基期不足6个月为观察期，只列数据、暂不判定进度 ("" when data/status.toml sets no span)."""
        months = self.reg.observation_months
        own = "（个别目标另有规定）" if self.reg.observation_by_target else ""
        if not months and not own:
            return ""
        return (f"；最新数据距基期不足{months}个月{own}为{self.reg.statuses['observation'].label}，"
                "只列数据、暂不判定进度")

    def build(self) -> bytes:
        self.cover()
        self.overview()
        for doc in self.brief.documents:
            if self.brief.by_document(doc):
                self.plan(doc)
        for i in range(len(self.brief.behind)):
            self.behind(i, len(self.brief.behind))
        self.rankings()
        self.supervision()
        self.sources()
        buf = io.BytesIO()
        self.prs.core_properties.title = f"{TITLE} · 会议材料 · {self.dating}"
        self.prs.core_properties.language = "zh-CN"
        self.prs.save(buf)
        return buf.getvalue()


def build_deck(brief: Brief, story: Narrative, registry: Registry, pngs: dict[str, bytes], charts: Sequence[Chart]
               ) -> bytes:
    """The .pptx bytes; `pngs`: chart key → PNG (reports.export.chart_pngs of `charts`)."""
    return DeckBuilder(brief, story, registry, pngs, charts).build()
