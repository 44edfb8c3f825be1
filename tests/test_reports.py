"""Meeting outputs: every figure stands alone (title, 截至…, unit, source inside; status by symbol and label), and
the command line writes the output for the month asked, or says in Chinese why not. (The deck, the PDF and the
zip, built once, are read back in tests/test_meeting_outputs.py.)"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import plotly.graph_objects as go
import pytest
from PIL import Image

from charts.gauge import gauge_figure, wrap
from charts.ranking import SUBTARGET_LEGEND
from charts.sparkline import sparkline_figure
from charts.theme import chart_config, enlarge
from presentation.fmt import file_stem, signed_pct, signed_points, signed_qty
from reports import export, figures
from reports import pdf as pdf_mod
from reports.__main__ import main
from reports.brief import load_brief

needs_chromium = pytest.mark.skipif(not export.available(), reason="Debian chromium is not installed")
needs_office = pytest.mark.skipif(not pdf_mod.available(), reason="LibreOffice (libreoffice-impress) is not installed")


@pytest.fixture(scope="module")
def registry(demo_registry):
    """The demo database is read as the pages read it: with the demo's example sub-targets."""
    return demo_registry


@pytest.fixture(scope="module")
def brief(demo_db, registry):
    return load_brief(demo_db, registry, generated=dt.date(2026, 11, 30))


def test_command_line_writes_the_output_for_the_month_asked(demo_db, tmp_path, capsys, monkeypatch):
    # deck, pdf and png share one path (reports.bundle.make), built whole, with Chromium and LibreOffice, in
    # tests/test_meeting_outputs.py. Here: the command line asks it for the month given and writes its file (each
    # figure's PNG stands in as its key, so that the zip shows which figure went where).
    exported = []

    def chart_pngs(charts, *, progress=None):
        exported.extend(charts)
        return {c.key: c.key.encode() for c in charts}

    monkeypatch.setattr(export, "start", lambda: None)
    monkeypatch.setattr(export, "chart_pngs", chart_pngs)
    png = tmp_path / "figures.zip"
    assert main(["png", "--db", str(demo_db), "--as-of", "2026-09", "--out", str(png)]) == 0
    assert "已生成" in capsys.readouterr().out
    with zipfile.ZipFile(png) as z:
        names = z.namelist()
        assert names[-1] == "会议文字稿_截至2026年9月.txt"
        assert [z.read(n).decode() for n in names[:-1]] == [c.key for c in exported] and len(exported) == 22
        assert all(n.endswith("_截至2026年9月.png") for n in names[:-1])
        assert "截至2026年9月" in z.read(names[-1]).decode()


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
