"""会议模式 (/meeting) in Streamlit's AppTest: slides, keys, the URL, the same text as the deck, downloads."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st

from domain import clock
from reports import bundle
from reports.brief import load_brief
from reports.narrative import narrative

PAGE = "pages/meeting.py"
SLIDES = ["概况", "目标仪表", "滞后目标1", "滞后目标2", "滞后目标3", "分区排名", "数据来源"]


def html(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown) + "\n".join(str(c.value) for c in at.caption)


@pytest.fixture(scope="module")
def registry(demo_registry):
    """The demo database is read as the pages read it: with the demo's example sub-targets."""
    return demo_registry


@pytest.fixture(scope="module")
def story(demo_db, registry):
    return narrative(load_brief(demo_db, registry), registry)


def test_first_slide_says_where_things_stand(open_page, demo_db, story):
    at = open_page(PAGE, db=demo_db)
    assert at.radio(key="meeting_slide").options == SLIDES
    assert at.selectbox(key="meeting_as_of").value == "2026-10"
    body = html(at)
    assert "截至2026年10月" in body and "1 / 7" in body
    assert story.headline[0] in body  # the same text as the deck
    assert story.changes[0] in body
    assert all(story.watch[k] in body for k in story.watch)
    assert "stSidebar" in at.markdown[0].value and "display: none" in at.markdown[0].value  # chrome hidden


def test_keys_move_between_slides_and_the_url_follows(open_page, demo_db, registry):
    at = open_page(PAGE, db=demo_db)
    at.button(key="meeting_next").click().run()
    assert at.radio(key="meeting_slide").value == 1
    assert at.query_params["slide"] == ["2"] or at.query_params["slide"] == "2"
    assert len(at.get("plotly_chart")) == 10  # every target's gauge
    at.button(key="meeting_prev").click().run()
    at.button(key="meeting_prev").click().run()  # ← on the first slide stays there
    assert at.radio(key="meeting_slide").value == 0
    assert at.query_params["slide"] == ["1"] or at.query_params["slide"] == "1"
    for _ in SLIDES:  # a presenter's remote sends PageDown, once too often at the end
        at.button(key="meeting_pgdn").click().run()
    assert at.radio(key="meeting_slide").value == len(SLIDES) - 1  # → on the last slide stays there
    # the sources slide, with the count of submissions the brief uses (however many the demo builds)
    assert f"本材料依据{load_brief(demo_db, registry).n_submissions}份有效报送" in html(at)
    at.button(key="meeting_next").click().run()
    assert at.radio(key="meeting_slide").value == len(SLIDES) - 1
    at.button(key="meeting_pgup").click().run()
    assert at.radio(key="meeting_slide").value == len(SLIDES) - 2


def test_a_link_opens_a_slide_and_a_month(open_page, demo_db, story):
    at = open_page(PAGE, db=demo_db, slide="3", as_of="2026-10")
    assert at.radio(key="meeting_slide").value == 2
    body = html(at)
    assert "进度滞后目标（1/3）：武汉市“金种子”“银种子”企业数" in body
    assert story.behind[0] in body and "此后每月需新增" in body
    assert len(at.get("plotly_chart")) == 1
    earlier = open_page(PAGE, db=demo_db, as_of="2026-09")
    assert "截至2026年9月" in html(earlier)


def test_ranking_slide_shows_units_and_who_leads(open_page, demo_db, story):
    at = open_page(PAGE, db=demo_db, slide="6")
    assert story.units["WH2027.tech_loan_balance"] in html(at)
    at.selectbox(key="meeting_ranking").set_value("HB2026.tech_sme_borrowers").run()
    assert not at.exception
    assert story.units["HB2026.tech_sme_borrowers"] in html(at)


def test_one_click_builds_the_deck_the_pdf_and_the_figures(open_page, demo_db, registry, story, monkeypatch,
                                                           request):
    """The button hands reports.bundle.make the month's brief and shows its progress; the three files are offered,
    and the next run offers them without building again. (That make turns this brief into the deck, its PDF and
    the PNGs, with Chromium and LibreOffice, is tests/test_meeting_outputs.py: one real build for both.)"""
    built = []

    def make(brief, reg, *, progress):
        built.append((brief, reg))
        progress(0.5, "已导出图表 11/22")
        return bundle.Outputs(pptx=b"pptx", pdf=b"%PDF", zip=b"PK")

    monkeypatch.setattr(bundle, "make", make)
    # The page keeps built files for the server's process: the stand-ins above must not reach a later test.
    request.addfinalizer(st.cache_resource.clear)
    at = open_page(PAGE, db=demo_db)
    at.button(key="meeting_make").click().run()
    assert not at.exception, at.exception
    [(brief, reg)] = built
    assert brief.as_of == dt.date(2026, 10, 31) and reg.targets.keys() == registry.targets.keys()
    assert narrative(brief, reg) == story  # the same brief tests/test_meeting_outputs.py builds from
    assert at.get("status")[0].proto.label == "会议材料已生成"
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["下载演示文稿（PPT）", "下载 PDF", "下载全部图表（PNG）"]
    again = open_page(PAGE, db=demo_db)
    assert len(again.get("download_button")) == 3 and len(built) == 1


def test_empty_database_says_what_to_do(open_page, tmp_path):
    at = open_page(PAGE, db=tmp_path / "empty.duckdb")
    assert "还没有任何数据" in at.info[0].value


def test_the_brief_is_dated_by_the_clock(demo_db, registry):
    # One second before midnight: a brief dated from the wall clock rather than domain.clock fails here.
    with clock.frozen(dt.datetime(2026, 11, 30, 23, 59, 59)):
        assert load_brief(demo_db, registry).generated == dt.date(2026, 11, 30)
    assert load_brief(demo_db, registry, generated=dt.date(2026, 12, 1)).generated == dt.date(2026, 12, 1)
