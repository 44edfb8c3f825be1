"""Meeting outputs read back, built once here as the 会议材料 button builds them (in a process where Streamlit has
switched Plotly's template): the deck opens with python-pptx and has the expected slides and text in an East Asian
font; the PDF has one rendered page per slide; the PNG zip names each figure for what and when. Every axis label
of every trend and ranking PNG is drawn whole inside the image, under Plotly's default template and under
Streamlit's (there the PNGs of the zip); the deck places those PNGs uncropped and the PDF embeds them at full
size; a ranking has a slide of its own; the lines under a gauge are at least 14 px on a 1920-pixel screen, in the
deck and on /meeting; the PDF writes 截至2026年10月 without spaces.

A label is located in kaleido's SVG of the figure (the same layout as its PNG), its width measured with the
font it is drawn in; it must lie inside the figure, carry the text the axis's own ticks call for, and leave
ink in the PNG where it says it is. `test_the_check_sees_a_cut_label` shows the check failing on a margin
that is too small.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from PIL import Image, ImageFont
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from metrics.tasks import needing_attention, supervision_summary
from reports import export, figures
from reports import pdf as pdf_mod
from reports.brief import load_brief
from reports.bundle import file_name, make
from reports.deck import INK, WIDTH, text_box
from reports.narrative import narrative
from tests.decks import slide_texts

needs_chromium = pytest.mark.skipif(not export.available(), reason="Debian chromium is not installed")
needs_office = pytest.mark.skipif(not pdf_mod.available(), reason="LibreOffice (libreoffice-impress) is not installed")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
needs_fonts = pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig is not installed")

SCREEN = 1920  # px across a 16:9 slide shown full screen
LEGIBLE = 14  # px: the smallest text under a gauge that reads across a meeting room


@pytest.fixture(scope="module")
def registry(demo_registry):
    """The demo database is read as the pages read it: with the demo's example sub-targets."""
    return demo_registry


@pytest.fixture(scope="module")
def brief(demo_db, registry):
    return load_brief(demo_db, registry, generated=dt.date(2026, 11, 30))


def _streamlit_template() -> str:
    """Register Streamlit's Plotly template (importing st.plotly_chart does, and makes it the default)."""
    before = pio.templates.default
    import streamlit.elements.plotly_chart  # noqa: F401

    pio.templates.default = before
    return "streamlit"


@pytest.fixture(params=["plotly", "streamlit"])
def template(request) -> Iterator[str]:
    """Plotly's default template while a test builds its figures (it is copied into a figure when it is made)."""
    name = _streamlit_template() if request.param == "streamlit" else request.param
    before = pio.templates.default
    pio.templates.default = name
    yield name
    pio.templates.default = before


# -- reading labels back ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    axis: str  # "x" or "y"
    text: str
    left: float
    right: float
    top: float
    bottom: float


@cache
def _font(size: float) -> ImageFont.FreeTypeFont:
    found = subprocess.run(["fc-match", "-f", "%{file}:%{index}", "Noto Sans CJK SC"], capture_output=True,
                           text=True, check=True).stdout
    path, index = found.rsplit(":", 1)
    return ImageFont.truetype(path, size, index=int(index))


def _render(fig: go.Figure, width: int, height: int, fmt: str) -> bytes:
    import kaleido

    export.start()
    with export._LOCK:  # one kaleido queue per process (reports.export)
        return kaleido.calc_fig_sync(fig, opts={"format": fmt, "width": width, "height": height,
                                                "scale": 1 if fmt == "svg" else export.SCALE})


def tick_labels(svg: str) -> list[Label]:
    """Every x and y tick label of a Plotly SVG with the box it is drawn in (CSS pixels)."""
    out = []
    for m in re.finditer(r'<g class="([xy])tick"><text ([^>]*)>([^<]*)</text>', svg):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m[2]))
        size = float(re.search(r"font-size: ([\d.]+)px", attrs["style"])[1])
        dx, dy = 0.0, 0.0
        if t := re.search(r"translate\(([-\d.e]+)(?:,\s*([-\d.e]+))?\)", attrs.get("transform", "")):
            dx, dy = float(t[1]), float(t[2] or 0)
        x, y = float(attrs.get("x", 0)) + dx, float(attrs.get("y", 0)) + dy
        text = m[3].replace("&amp;", "&")
        width = _font(size).getlength(text)
        left = {"end": x - width, "middle": x - width / 2}.get(attrs.get("text-anchor", "start"), x)
        out.append(Label(m[1], text, left, left + width, y - 0.88 * size, y + 0.12 * size))
    return out


def cut(labels: list[Label], width: int, height: int) -> list[str]:
    return [lab.text for lab in labels if lab.left < 0 or lab.top < 0 or lab.right > width or lab.bottom > height]


def expected_ticks(fig: go.Figure, axis: str) -> list[str]:
    """The labels a linear axis calls for: tick0 + k·dtick inside its range, in its tickformat."""
    full = getattr(fig.full_figure_for_development(warn=False).layout, f"{axis}axis")
    low, high = sorted(full.range)
    step, first = float(full.dtick), float(full.tick0)
    k = -(-(low - first) // step)
    out = []
    while (v := first + k * step) <= high + step * 1e-9:
        out.append(format(v, full.tickformat or ",g"))
        k += 1
    return out


def check_figure(chart: figures.Chart, png: bytes | None = None) -> list[Label]:
    """Render `chart` as it is exported; every tick label whole, with the expected text and ink in the PNG."""
    fig = chart.for_export()
    svg = _render(fig, chart.width, chart.height, "svg").decode()
    labels = tick_labels(svg)
    assert labels, chart.key
    assert not cut(labels, chart.width, chart.height), (chart.key, cut(labels, chart.width, chart.height))
    value_axis = "y" if chart.key.startswith("trend:") else "x"
    assert [lab.text for lab in labels if lab.axis == value_axis] == expected_ticks(fig, value_axis), chart.key
    img = Image.open(io.BytesIO(png or _render(fig, chart.width, chart.height, "png"))).convert("L")
    assert img.size == (2 * chart.width, 2 * chart.height)
    for lab in labels:
        box = img.crop((int(2 * lab.left), int(2 * lab.top), int(2 * lab.right) + 1, int(2 * lab.bottom) + 1))
        assert box.getextrema()[0] < 128, (chart.key, lab.text)  # the label's ink is where the SVG puts it
    return labels


# -- the figures ---------------------------------------------------------------------------------------------


@needs_chromium
@needs_fonts
def test_every_axis_label_is_drawn_whole(brief, registry, template, request):
    charts = [*figures.trends(brief, registry), *figures.rankings(brief, registry)]
    assert len(charts) == 4 + 8
    assert charts[0].figure.layout.template.layout.yaxis.automargin == (True if template == "plotly" else None)
    pngs = {}
    if template == "streamlit":  # the PNGs the 会议材料 button puts in its zip, built under this template
        out, built = request.getfixturevalue("outputs")
        with zipfile.ZipFile(io.BytesIO(out.zip)) as z:
            names = z.namelist()
            pngs = {c.key: z.read(names[i]) for i, c in enumerate(built)}
            assert all(names[i].endswith(f"{c.file_stem}.png") for i, c in enumerate(built))
    seen = {c.key: [lab.text for lab in check_figure(c, pngs.get(c.key)) if lab.axis == "y"] for c in charts}
    assert seen["trend:WH2027.seed_firms"] == ["380", "400", "420", "440", "460", "480", "500"]  # not "00"
    assert seen["trend:HB2026.star_chinext_bse_share"] == ["42.0", "44.0", "46.0", "48.0", "50.0"]  # not ".0"


@needs_chromium
@needs_fonts
def test_the_check_sees_a_cut_label(brief, registry):
    chart = figures.trends(brief, registry)[0]
    fig = chart.for_export().update_yaxes(automargin=False).update_layout(margin={"l": 0})
    svg = _render(fig, chart.width, chart.height, "svg").decode()
    assert "500" in cut(tick_labels(svg), chart.width, chart.height)


# -- the deck, its PDF and the zip, built as the 会议材料 button builds them ------------------------------------


@pytest.fixture(scope="module")
def outputs(brief, registry):
    if not (export.available() and pdf_mod.available()):
        pytest.skip("Chromium and LibreOffice are needed to build the outputs")
    before = pio.templates.default
    pio.templates.default = _streamlit_template()
    steps = []
    try:
        out = make(brief, registry, progress=lambda f, m: steps.append((f, m)))
        charts = figures.all_charts(brief, registry)
    finally:
        pio.templates.default = before
    assert steps[-1] == (1.0, "会议材料已生成")
    assert [f for f, _ in steps] == sorted(f for f, _ in steps)  # progress only goes forward
    return out, charts


# cover, 总体情况, two plans, four targets behind, eight rankings one a slide, sources; then the 督办清单
SLIDES = 1 + 1 + 2 + 4 + 8 + 1


def slides_of(brief) -> int:
    """SLIDES and the 督办清单's: its units twelve to a slide, its tasks to raise eleven to a slide (one slide when
    there are none)."""
    units = supervision_summary(brief.supervision).height
    raise_ = needing_attention(brief.supervision).height
    return SLIDES + math.ceil(units / 12) + max(1, math.ceil(raise_ / 11))


@needs_chromium
@needs_office
def test_deck_has_the_expected_slides_and_text(outputs, brief, registry):
    prs = Presentation(io.BytesIO(outputs[0].pptx))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9, 13.333 × 7.5 inches
    texts = slide_texts(outputs[0].pptx)
    assert len(texts) == slides_of(brief)
    story = narrative(brief, registry)
    cover, overview = texts[0], texts[1]
    assert "武汉科技金融目标监测" in cover and "数据截至2026年10月" in cover and "生成日期：2026年11月30日" in cover
    assert "演示数据" in cover
    assert story.headline[0] in overview and story.changes[0] in overview
    assert "▼ 明显滞后" in overview and "★ 已达标" in overview  # status by symbol and label
    assert "武汉市2027年目标（6项）" in texts[2] and "湖北省2026年目标（4项）" in texts[3]
    assert story.groups["WH2027"] in texts[2]
    for i, sentence in enumerate(story.behind):
        assert f"进度滞后目标（{i + 1}/4）" in texts[4 + i]
        assert sentence in texts[4 + i]
    assert "此后每月需新增" in texts[4] and "约5家" in texts[4] and "4.5家" not in texts[4]
    # the overview's table: each target against its 序时进度 (应达, 实际, 差/超) before its completion
    assert "序时进度应达" in overview and "较序时进度" in overview and "时间进度" not in overview
    assert "差25家" in overview and "超224.2亿元" in overview and "差2.5个百分点" in overview
    assert overview.index("序时进度应达") < overview.index("较序时进度") < overview.index("完成")
    for text in texts:  # counts whole on every slide, one minus sign
        assert not re.search(r"\d\.\d+(家|个(?!百分点)|款|户)", text) and not re.search(r"(?<![\w-])-\d", text), text
    assert "分区排名（1/8）：武汉市科技型企业贷款余额" in texts[8] and story.units["WH2027.tech_loan_balance"] in texts[8]
    assert "分区排名（5/8）：湖北省科技型中小企业获贷家数" in texts[12]
    sources = texts[-1]
    assert "数据来源" in sources and f"本材料依据{brief.n_submissions}份有效报送" in sources
    assert "202610_人行营管部_科技型企业贷款.xlsx" in sources and "武政办〔2025〕67号" in sources
    # every slide but the cover: its number, and the demo warning
    assert all("演示数据" in t for t in texts)
    pictures = sum(1 for s in prs.slides for sh in s.shapes if sh.shape_type == 13)
    assert pictures == 10 + 4 + 8


@needs_chromium
@needs_office
def test_every_run_names_an_east_asian_font(outputs):
    prs = Presentation(io.BytesIO(outputs[0].pptx))
    runs = [r for s in prs.slides for sh in s.shapes if sh.has_text_frame
            for p in sh.text_frame.paragraphs for r in p.runs]
    assert runs
    for r in runs:
        ea = r._r.rPr.find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == "Noto Sans CJK SC", r.text


@needs_chromium
@needs_office
@needs_poppler
def test_pdf_has_one_page_per_slide_and_renders(outputs, brief, tmp_path):
    path = tmp_path / "deck.pdf"
    path.write_bytes(outputs[0].pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert f"Pages:           {slides_of(brief)}" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts and " yes " in fonts  # the Chinese font is embedded
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == slides_of(brief)
    for page in pages:
        img = Image.open(page)
        assert abs(img.width / img.height - 16 / 9) < 0.01
        assert len(img.convert("L").getcolors(maxcolors=100_000) or []) > 20  # not a blank page
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "总体情况" in text and "与上月相比" in text


@needs_chromium
@needs_office
def test_png_zip_names_each_figure_for_what_and_when(outputs, brief):
    with zipfile.ZipFile(io.BytesIO(outputs[0].zip)) as z:
        names = z.namelist()
        assert len(names) == 22 + 1
        assert names[0] == "01_武汉市科技金融专营机构数_截至2026年10月.png"
        assert "11_武汉市“金种子”“银种子”企业数_实际走势、目标路径与预测_截至2026年10月.png" in names
        assert "15_武汉市各单位科技型企业贷款余额排名_截至2026年10月.png" in names
        assert names[-1] == "会议文字稿_截至2026年10月.txt"
        img = Image.open(io.BytesIO(z.read(names[0])))
        assert img.size == (2 * figures.GAUGE_SIZE[0], 2 * figures.GAUGE_SIZE[1])  # 2× PNG
    assert file_name(brief, "pdf") == "武汉科技金融目标监测_会议材料_截至2026年10月.pdf"


def _pictures(pptx: bytes) -> Iterator[tuple[int, object]]:
    prs = Presentation(io.BytesIO(pptx))
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.shape_type == 13:
                yield number, shape


def _png_size(picture) -> tuple[int, int]:
    return Image.open(io.BytesIO(picture.image.blob)).size


@needs_chromium
@needs_office
@needs_poppler
def test_deck_and_pdf_show_the_pngs_whole(outputs, tmp_path):
    out, charts = outputs
    prs = Presentation(io.BytesIO(out.pptx))
    pictures = list(_pictures(out.pptx))
    assert len(pictures) == len(charts) == 22
    for _, pic in pictures:
        assert (pic.crop_left, pic.crop_right, pic.crop_top, pic.crop_bottom) == (0, 0, 0, 0)
        assert pic.left >= 0 and pic.top >= 0
        assert pic.left + pic.width <= prs.slide_width and pic.top + pic.height <= prs.slide_height
    # The PDF embeds each PNG at its own size (LibreOffice neither crops nor downsamples it).
    path = tmp_path / "deck.pdf"
    path.write_bytes(out.pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    sizes = Counter((int(w), int(h)) for w, h in re.findall(r"^\s*\d+\s+\d+\s+image\s+(\d+)\s+(\d+)", listing, re.M))
    wanted = Counter((2 * c.width, 2 * c.height) for c in charts)  # besides them: the shapes' shadows, drawn
    assert all(sizes[size] == n for size, n in wanted.items()), (wanted, sizes)


@needs_chromium
@needs_office
def test_each_ranking_has_a_slide_of_its_own(outputs):
    out, charts = outputs
    rankings = {c.key for c in charts if c.key.startswith("ranking:")}
    ranking_png = (2 * figures.RANKING_SIZE[0], 2 * figures.RANKING_SIZE[1])
    pictures = [(n, pic) for n, pic in _pictures(out.pptx) if _png_size(pic) == ranking_png]
    assert len(pictures) == len(rankings) == 8
    assert len({n for n, _ in pictures}) == 8  # one a slide
    for _, pic in pictures:
        inches = Emu(pic.width).inches
        assert inches >= 8.3
        # the unit names (13 px × RANKING_TEXT in a figure RANKING_SIZE wide) in points on the slide
        assert 13 * figures.RANKING_TEXT * inches * 72 / figures.RANKING_SIZE[0] >= 11.5


def _sub_lines(fig: go.Figure) -> list[float]:
    """Font sizes of the lines under a gauge's dial: its 序时进度 comparison, its target and completion."""
    sizes = [a.font.size for a in fig.layout.annotations if "完成" in (a.text or "") or "序时进度" in (a.text or "")]
    assert len(sizes) == 2
    return sizes


@needs_chromium
@needs_office
def test_deck_gauges_lines_are_legible_at_1920(outputs):
    out, charts = outputs
    gauges = [c for c in charts if c.key.startswith("gauge:")]
    size = min(min(_sub_lines(c.for_export())) for c in gauges)
    heights = [pic.height for _, pic in _pictures(out.pptx)
               if _png_size(pic) == (2 * gauges[0].width, 2 * gauges[0].height)]
    assert len(heights) == len(gauges) == 10
    on_screen = size * min(heights) * SCREEN / WIDTH / gauges[0].height  # CSS px → px of a 1920 screen
    assert on_screen >= LEGIBLE + 1, on_screen


def test_meeting_gauges_lines_are_legible(open_page, demo_db):
    at = open_page("pages/meeting.py", db=demo_db, slide="2")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(specs) == 10
    for spec in specs:
        lines = [a["font"]["size"] for a in spec["layout"]["annotations"]
                 if "完成" in a["text"] or "序时进度" in a["text"]]
        assert len(lines) == 2 and min(lines) >= LEGIBLE, lines  # drawn 1:1 in CSS px on the page


# -- the PDF's text -------------------------------------------------------------------------------------------


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@needs_chromium
@needs_office
@needs_poppler
def test_pdf_writes_dates_without_spaces(outputs, tmp_path):
    text = _pdf_text(outputs[0].pdf, tmp_path)
    dates = re.findall(r"截至\s*\d{4}\s*年\s*\d{1,2}\s*月", text)
    assert len(dates) >= 17  # the header of every slide but the cover, the footer of every slide …
    assert set(dates) == {"截至2026年10月"}
    assert not re.search(r"\d[ \t]+[年月日项家个]|[年月][ \t]+\d", text)  # no space; a line may wrap there


def _one_line_deck() -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, Emu(6858000)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    text_box(slide, Emu(400000), Emu(400000), Emu(9000000), Emu(900000), [("截至2026年10月，完成87.4%", 28, False, INK)])
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


@needs_office
@needs_poppler
def test_the_locale_setting_is_what_keeps_dates_together(monkeypatch, tmp_path):
    # Without the profile's locale setting LibreOffice spaces Chinese from digits: the cause, pinned.
    deck = _one_line_deck()
    assert "截至2026年10月，完成87.4%" in _pdf_text(pdf_mod.pptx_to_pdf(deck), tmp_path)
    monkeypatch.setattr(pdf_mod, "PROFILE_SETTINGS", pdf_mod.PROFILE_SETTINGS.replace("ja-JP", ""))
    assert "截至 2026 年 10 月" in _pdf_text(pdf_mod.pptx_to_pdf(deck), tmp_path)
