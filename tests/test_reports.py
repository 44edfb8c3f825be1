"""Meeting outputs: the deck opens with python-pptx and has the expected slides and text, the PDF has the
expected pages (rendered with pdftoppm), the PNG zip names each figure for what and when, and every
figure stands alone (title, 截至…, unit, source inside; status by symbol and label)."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import shutil
import subprocess
import zipfile

import plotly.graph_objects as go
import pytest
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn

from charts.gauge import gauge_figure, wrap
from charts.ranking import SUBTARGET_LEGEND
from charts.sparkline import sparkline_figure
from charts.theme import chart_config, enlarge
from metrics.tasks import needing_attention, supervision_summary
from presentation.fmt import file_stem, signed_pct, signed_points, signed_qty
from reports import export, figures
from reports import pdf as pdf_mod
from reports.__main__ import main
from reports.brief import load_brief
from reports.bundle import file_name, make
from reports.narrative import narrative

needs_chromium = pytest.mark.skipif(not export.available(), reason="Debian chromium is not installed")
needs_office = pytest.mark.skipif(not pdf_mod.available(), reason="LibreOffice (libreoffice-impress) is not installed")
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")

# cover, 总体情况, two plans, four targets behind, eight rankings one a slide, sources; then the 督办清单
SLIDES = 1 + 1 + 2 + 4 + 8 + 1


def slides_of(brief) -> int:
    """SLIDES and the 督办清单's: its units twelve to a slide, its tasks to raise eleven to a slide (one slide when
    there are none)."""
    units = supervision_summary(brief.supervision).height
    raise_ = needing_attention(brief.supervision).height
    return SLIDES + math.ceil(units / 12) + max(1, math.ceil(raise_ / 11))


@pytest.fixture(scope="module")
def registry(demo_registry):
    """The demo database is read as the pages read it: with the demo's example sub-targets."""
    return demo_registry


@pytest.fixture(scope="module")
def brief(demo_db, registry):
    return load_brief(demo_db, registry, generated=dt.date(2026, 11, 30))


@pytest.fixture(scope="module")
def outputs(brief, registry):
    if not (export.available() and pdf_mod.available()):
        pytest.skip("Chromium and LibreOffice are needed to build the outputs")
    steps = []
    out = make(brief, registry, progress=lambda f, m: steps.append((f, m)))
    assert steps[-1] == (1.0, "会议材料已生成")
    assert [f for f, _ in steps] == sorted(f for f, _ in steps)  # progress only goes forward
    return out


def slide_texts(pptx: bytes) -> list[str]:
    prs = Presentation(io.BytesIO(pptx))
    out = []
    for slide in prs.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        out.append("\n".join(parts))
    return out


@needs_chromium
@needs_office
def test_deck_has_the_expected_slides_and_text(outputs, brief, registry):
    prs = Presentation(io.BytesIO(outputs.pptx))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9, 13.333 × 7.5 inches
    texts = slide_texts(outputs.pptx)
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
    prs = Presentation(io.BytesIO(outputs.pptx))
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
    path.write_bytes(outputs.pdf)
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
    with zipfile.ZipFile(io.BytesIO(outputs.zip)) as z:
        names = z.namelist()
        assert len(names) == 22 + 1
        assert names[0] == "01_武汉市科技金融专营机构数_截至2026年10月.png"
        assert "11_武汉市“金种子”“银种子”企业数_实际走势、目标路径与预测_截至2026年10月.png" in names
        assert "15_武汉市各单位科技型企业贷款余额排名_截至2026年10月.png" in names
        assert names[-1] == "会议文字稿_截至2026年10月.txt"
        img = Image.open(io.BytesIO(z.read(names[0])))
        assert img.size == (2 * figures.GAUGE_SIZE[0], 2 * figures.GAUGE_SIZE[1])  # 2× PNG
    assert file_name(brief, "pdf") == "武汉科技金融目标监测_会议材料_截至2026年10月.pdf"


@needs_chromium
@needs_office
def test_command_line_writes_the_output_for_the_month_asked(demo_db, tmp_path, capsys):
    # deck, pdf and png share this path (reports.bundle.make, built whole by the `outputs` fixture): one
    # format through the command line shows it passes the month and writes the file
    png = tmp_path / "figures.zip"
    assert main(["png", "--db", str(demo_db), "--as-of", "2026-09", "--out", str(png)]) == 0
    assert "已生成" in capsys.readouterr().out
    assert zipfile.ZipFile(png).namelist()[-1] == "会议文字稿_截至2026年9月.txt"


def test_command_line_errors_in_chinese(demo_db, tmp_path, capsys):
    assert main(["deck", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "x.pptx")]) == 1
    assert "不存在" in capsys.readouterr().err
    assert main(["pdf", "--db", str(demo_db), "--as-of", "2026-13", "--out", str(tmp_path / "x.pdf")]) == 1
    assert capsys.readouterr().err
    assert main(["text", "--db", str(demo_db)]) == 0
    assert "【总体情况】" in capsys.readouterr().out


# -- figures that stand alone (no browser needed) -----------------------------------------------------------


def _texts(fig) -> str:
    return "\n".join([fig.layout.title.text or "", *[a.text or "" for a in fig.layout.annotations]])


def test_gauge_carries_title_unit_month_source_and_status(brief, registry):
    s = brief.behind[0]  # seed firms, 明显滞后
    ind = registry.indicators[s.indicator_code]
    fig = gauge_figure(s, ind, registry.statuses[s.status], region="武汉市", source="数据来源：市委金融办")
    text = _texts(fig)
    for part in ("武汉市“金种子”“银种子”企业数", "截至2026年10月", "单位：家", "数据来源：市委金融办", "▼ 明显滞后",
                 "按序时进度应达 462家", "实际 437家，差 25家", "完成 87.4%", "目标 500家以上"):
        assert part in text, part
    plain = gauge_figure(s, ind, registry.statuses[s.status])  # the overview's call: still self-explaining
    assert "数据来源：市委金融办" in _texts(plain) and "截至2026年10月" in _texts(plain)


def test_sparkline_stands_alone_when_titled(brief, registry):
    s = brief.standings[2]
    ind = registry.indicators[s.indicator_code]
    compact = sparkline_figure(s.history, ind.unit, ind.decimals, "#2e7d32")
    assert not compact.layout.annotations and compact.layout.height == 80
    style = registry.statuses[s.status]
    fig = sparkline_figure(s.history, ind.unit, ind.decimals, style.color, title="武汉市科技型企业贷款余额：近24个月",
                           source="数据来源：人行武汉分行营管部", status=style)
    text = _texts(fig)
    for part in ("近24个月", "截至2026年10月", "单位：亿元", "数据来源：人行武汉分行营管部", "● 进度正常", "4,595.9"):
        assert part in text, part


def test_every_meeting_figure_says_what_when_and_where_from(brief, registry):
    charts = figures.all_charts(brief, registry)
    assert len(charts) == 22
    for c in charts:
        text = _texts(c.figure)
        assert c.dating in text and "数据来源：" in text and "单位：" in text, c.key
        assert c.file_stem.endswith(c.dating)


def test_file_names_and_camera_button():
    assert file_stem("武汉市科技贷款余额：走势", "截至2026年10月") == "武汉市科技贷款余额_走势_截至2026年10月"
    assert file_stem("<b>a/b</b>", "") == "a_b"
    config = chart_config("武汉市科技贷款余额", "截至2026年10月")
    assert config["toImageButtonOptions"] == {"format": "png", "scale": 2, "filename": "武汉市科技贷款余额_截至2026年10月"}


def test_enlarge_scales_every_text(brief, registry):
    chart = figures.ranking_chart(brief.rankings[0], registry)
    big = enlarge(go.Figure(chart.figure), 2.0)
    assert big.layout.title.font.size == 2 * chart.figure.layout.title.font.size
    assert "font-size:24px" in big.layout.title.text  # the 12px dating line
    assert chart.figure.layout.title.font.size == 17  # the original is left alone


def test_wrap_breaks_long_lines_at_punctuation():
    assert wrap("数据来源：市财政局、武汉金控集团、武汉投控集团（由各下级地区数据加总）", 26) == \
        "数据来源：市财政局、武汉金控集团、<br>武汉投控集团（由各下级地区数据加总）"
    assert wrap("短", 26) == "短"


def test_signed_changes_and_chart_config_options():
    assert (signed_pct(0.123), signed_pct(-0.045), signed_pct(0.0001), signed_pct(None)) == ("+12.3%", "−4.5%", "0.0%", "—")
    assert signed_points(-1.26) == "−1.3个百分点" and signed_qty(3.0, "%") == "+3.0个百分点"
    assert signed_qty(-24.7, "家") == "−24.7家" and signed_pct(12.345) == "+1,234.5%"
    config = chart_config("武汉市各单位科技贷款", "截至2026年10月", scrollZoom=False)
    assert config["scrollZoom"] is False and config["displaylogo"] is False
    assert config["toImageButtonOptions"]["filename"] == "武汉市各单位科技贷款_截至2026年10月"


def test_the_sub_target_legend_is_found_by_its_name(brief, registry):
    legends = [a for r in brief.rankings for a in figures.ranking_chart(r, registry).figure.layout.annotations
               if a.name == SUBTARGET_LEGEND]
    assert legends and all(a.text.startswith("对照分解目标（示例）：") and a.xanchor == "left" for a in legends)


@needs_chromium
def test_export_writes_png_at_twice_the_size(brief, registry):
    chart = figures.gauge_chart(brief.standings[0], registry)
    img = Image.open(io.BytesIO(export.chart_png(chart)))
    assert img.size == (2 * chart.width, 2 * chart.height)


def test_missing_office_says_what_to_install(monkeypatch):
    monkeypatch.setattr(pdf_mod, "soffice_path", lambda: None)
    with pytest.raises(pdf_mod.PdfError, match="libreoffice-impress"):
        pdf_mod.pptx_to_pdf(b"")
