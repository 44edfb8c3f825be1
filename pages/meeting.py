"""会议模式 (/meeting): the dashboard as slides for a meeting room screen, and the meeting outputs.

16:9, Streamlit's chrome hidden, large type. Slides: 概况 (counts, what changed, the targets behind),
目标仪表 (every target's gauge), one slide for each of the three targets furthest behind (trajectory and
the pace now needed), 分区排名, 数据来源. ← → (or PageUp / PageDown) move between them; ?slide=N&as_of=YYYY-MM
in the URL reproduces a view. The text is reports.narrative's, the same as in the deck; the figures
are reports.figures', the same as in the exports. 会议材料 builds the deck, its PDF and a zip of the figures.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

from charts.theme import chart_config, enlarge
from domain import clock
from domain.months import month_key, month_label, parse_month_key
from metrics.series import months_with_data
from metrics.standing import status_counts
from pages import common
from presentation.fmt import as_of_label, document_title, status_text
from presentation.labels import APP_TITLE, MEETING_DOWNLOADS
from reports import bundle, figures
from reports.brief import Brief, build_brief
from reports.export import ExportError
from reports.narrative import Narrative, key_figures, narrative
from reports.pdf import PdfError
from store import db_path

common.through_dashboard()  # a run Streamlit started on its own goes through dashboard.py

MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf": "application/pdf", "zip": "application/zip"}
GAUGES_PER_ROW = 5
SLIDE_HEIGHT = 640  # the height of a slide's main chart, for a 1600 × 900 screen
GAUGE_HEIGHT = 385  # two rows fill a 1920 × 1080 screen under the header
GAUGE_TEXT = 1.3  # the lines under a dial at 15 px: legible across a room
GAUGE_WIDTH = 290  # a fifth of a 1600-pixel screen, less the gaps (375 at 1920): where a gauge's lines break
RANKING_HEIGHT = 600
ROOM_TEXT = 1.3  # text of a slide's main chart, enlarged for the far end of a meeting room

CSS = """
<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"], [data-testid="stDecoration"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stStatusWidget"], footer { display: none !important; }
html { font-size: 19px; }
.block-container, [data-testid="stMainBlockContainer"] {
  padding: 0.6rem 1.6rem 0.4rem 1.6rem !important; max-width: min(100vw, calc(100vh * 16 / 9)) !important;
  margin: 0 auto; }
.tfm-head { display: flex; justify-content: space-between; align-items: baseline;
  border-bottom: 3px solid #1f4e99; padding-bottom: 0.2rem; margin-bottom: 0.4rem; }
.tfm-head .t { font-size: 1.7rem; font-weight: 700; color: #1f2933; }
.tfm-head .d { font-size: 1.25rem; color: #1f4e99; font-weight: 600; }
.tfm-lead { font-size: 1.45rem; font-weight: 700; line-height: 1.5; margin: 0.3rem 0 0.5rem 0; }
.tfm-text { font-size: 1.05rem; line-height: 1.6; }
.tfm-tile { border-radius: 0.4rem; padding: 0.5rem 0.8rem; color: white; text-align: center; }
.tfm-tile .n { font-size: 2.2rem; font-weight: 700; line-height: 1.1; }
.tfm-tile .l { font-size: 1.0rem; }
.tfm-kv { width: 100%; border-collapse: collapse; font-size: 1.0rem; }
.tfm-kv td { padding: 0.25rem 0.4rem; border-bottom: 1px solid #e5e7eb; }
.tfm-kv td.v { text-align: right; font-weight: 600; }
.st-key-meeting_pgup, .st-key-meeting_pgdn { display: none; }
</style>
"""

st.markdown(CSS, unsafe_allow_html=True)
reg = common.registry()
series = common.series()
months = common.stop_if_empty(months_with_data(series), lacking="暂无会议材料", back=True)


@st.cache_resource(show_spinner="正在整理会议材料…", max_entries=16)
def _brief(db: str, rev: str, as_of: dt.date, today: dt.date) -> tuple[Brief, Narrative]:
    brief = build_brief(common.series(), common.store().submissions(), reg, as_of, generated=today,
                        checkins=common.store().checkins())
    return brief, narrative(brief, reg)


@st.cache_resource(max_entries=4)
def _outputs() -> dict[tuple, bundle.Outputs]:
    """Generated files by (database, revision, month, day): shared by the sessions of this server."""
    return {}


# -- the month and the slide, both in the URL ----------------------------------------------------------

keys = [month_key(m) for m in months]
if "meeting_as_of" not in st.session_state:
    st.session_state["meeting_as_of"] = common.url_choice("as_of", keys, keys[0])
as_of = parse_month_key(st.session_state["meeting_as_of"])
brief, story = _brief(str(db_path()), common.revision(), as_of, clock.today())

SLIDES = ["概况", "目标仪表", *[f"滞后目标{i + 1}" for i in range(len(brief.meeting_behind))], "分区排名", "数据来源"]
if "meeting_slide" not in st.session_state:
    raw = st.query_params.get("slide", "1")
    st.session_state["meeting_slide"] = min(max(int(raw) - 1, 0), len(SLIDES) - 1) if raw.isdigit() else 0
st.session_state["meeting_slide"] = min(st.session_state["meeting_slide"], len(SLIDES) - 1)


def _step(delta: int) -> None:
    # → on the last slide stays there (a presenter pressing once too often must not land on the cover).
    st.session_state["meeting_slide"] = min(max(st.session_state["meeting_slide"] + delta, 0), len(SLIDES) - 1)


controls = st.columns([1.1, 6.2, 0.55, 0.55, 1.5, 1.1], vertical_alignment="center")
controls[0].selectbox("截至月份", keys, key="meeting_as_of", format_func=lambda k: month_label(parse_month_key(k)),
                      label_visibility="collapsed", help="截至月份")
controls[1].radio("页面", range(len(SLIDES)), key="meeting_slide", format_func=lambda i: SLIDES[i], horizontal=True,
                  label_visibility="collapsed")
controls[2].button("◀", key="meeting_prev", on_click=_step, args=(-1,), shortcut="Left", help="上一页（←）")
controls[3].button("▶", key="meeting_next", on_click=_step, args=(1,), shortcut="Right", help="下一页（→）")
st.button("上一页", key="meeting_pgup", on_click=_step, args=(-1,), shortcut="PageUp")  # presenter remotes
st.button("下一页", key="meeting_pgdn", on_click=_step, args=(1,), shortcut="PageDown")
slide = st.session_state["meeting_slide"]
st.query_params["slide"] = str(slide + 1)
st.query_params["as_of"] = st.session_state["meeting_as_of"]


def _downloads() -> None:
    """会议材料: build once per month and data revision (progress shown), then one button per file."""
    key = (str(db_path()), common.revision(), month_key(brief.as_of), brief.generated)
    done = _outputs().get(key)
    if done is None:
        st.caption("演示文稿、PDF 和全部图表（2倍 PNG）一次生成，约需半分钟。")
        if st.button("生成会议材料", key="meeting_make", type="primary", icon=":material/slideshow:"):
            with st.status("正在生成会议材料…", expanded=True) as status:
                bar = st.progress(0.0)

                def progress(fraction: float, message: str) -> None:
                    bar.progress(min(1.0, fraction), text=message)

                try:
                    done = bundle.make(brief, reg, progress=progress)
                except (ExportError, PdfError) as e:
                    status.update(label="生成失败", state="error")
                    st.error(str(e))
                    return
                _outputs()[key] = done
                status.update(label="会议材料已生成", state="complete", expanded=False)
    if done is not None:
        for kind in bundle.KINDS:
            st.download_button(MEETING_DOWNLOADS[kind], getattr(done, kind), file_name=bundle.file_name(brief, kind),
                               mime=MIME[kind], key=f"meeting_dl_{kind}", icon=":material/download:",
                               width="stretch", on_click="ignore")


with controls[4].popover("会议材料", icon=":material/download:", width="stretch"):
    _downloads()
controls[5].page_link("pages/overview.py", label="退出", icon=":material/close:")


def header(title: str) -> None:
    st.markdown(f"<div class='tfm-head'><span class='t'>{title}</span><span class='d'>{as_of_label(brief.as_of)}"
                f"　{slide + 1} / {len(SLIDES)}</span></div>", unsafe_allow_html=True)


def plot(chart: figures.Chart, key: str, text_scale: float = 1.0) -> None:
    """A figure with a camera button that saves a 2× PNG named for what and when; text enlarged for a room."""
    fig = enlarge(go.Figure(chart.figure), text_scale) if text_scale != 1 else chart.figure
    st.plotly_chart(fig, config=chart_config(chart.title, chart.dating), key=key, width="stretch", theme=None)


# -- slides ----------------------------------------------------------------------------------------------


def overview_slide() -> None:
    header(f"{APP_TITLE} · 会议")
    st.markdown(f"<div class='tfm-lead'>{story.headline[0]}</div>", unsafe_allow_html=True)
    counts = status_counts(brief.standings)
    shown = [(style, counts[code]) for code, style in reg.statuses.items() if counts.get(code)]
    for col, (style, n) in zip(st.columns(len(shown)), shown, strict=True):
        col.markdown(f"<div class='tfm-tile' style='background:{style.color}'><div class='n'>{n}</div>"
                     f"<div class='l'>{status_text(style)}</div></div>", unsafe_allow_html=True)
    left, right = st.columns([1.25, 1], gap="large")
    with left:
        st.markdown("#### 各计划情况")
        st.markdown("<div class='tfm-text'>" + "<br>".join(story.groups.values()) + "</div>",
                    unsafe_allow_html=True)
        st.markdown("#### 进度滞后的目标")
        body = [story.watch[s.target_id] for s in brief.behind] or ["目前没有进度滞后的目标。"]
        st.markdown("<div class='tfm-text'>" + "<br>".join(body) + "</div>", unsafe_allow_html=True)
    with right:
        st.markdown("#### 与上月相比")
        others = [c for c in story.changes if not c.startswith("本月数值变化")]
        st.markdown("<div class='tfm-text'>" + others[0] + "</div>", unsafe_allow_html=True)
        if story.moves:
            st.markdown("<div class='tfm-text'>" + "".join(f"· {m}<br>" for m in story.moves) + "</div>",
                        unsafe_allow_html=True)
        for c in others[1:]:
            st.caption(c)


def gauges_slide() -> None:
    header(f"目标仪表：{len(brief.standings)}项目标")
    charts = [figures.gauge_chart(s, reg, height=GAUGE_HEIGHT, room=GAUGE_TEXT, width=GAUGE_WIDTH) for s in brief.standings]
    for start in range(0, len(charts), GAUGES_PER_ROW):
        row = charts[start:start + GAUGES_PER_ROW]
        for col, chart in zip(st.columns(GAUGES_PER_ROW), row, strict=False):
            with col:
                plot(chart, f"meeting-{chart.key}")
    st.caption("指针弧长为最新值；黑色刻线为目标；灰色段为按序时进度此时应达的水平。状态以符号和文字标注："
               + "　".join(status_text(style) for style in reg.statuses.values()))


def behind_slide(index: int) -> None:
    s = brief.meeting_behind[index]
    ind = reg.indicators[s.indicator_code]
    style = reg.statuses[s.status]
    header(f"进度滞后目标（{index + 1}/{len(brief.meeting_behind)}）：{reg.regions[s.region_code].name}{ind.name_zh}")
    left, right = st.columns([2.35, 1], gap="medium")
    with left:
        chart = figures.trend_chart(s, brief.views[s.target_id], reg, height=SLIDE_HEIGHT)
        plot(chart, f"meeting-{chart.key}", ROOM_TEXT)
    with right:
        st.markdown(f"<div style='font-size:1.7rem;font-weight:700;color:{style.color}'>{status_text(style)}</div>",
                    unsafe_allow_html=True)
        rows = "".join(f"<tr><td>{k}</td><td class='v'>{v}</td></tr>" for k, v in key_figures(s, reg))
        st.markdown(f"<table class='tfm-kv'>{rows}</table>", unsafe_allow_html=True)
        st.markdown(f"<div class='tfm-text' style='margin-top:0.6rem'>{story.behind[index]}</div>",
                    unsafe_allow_html=True)
    more = brief.behind[len(brief.meeting_behind):]
    if more and index == len(brief.meeting_behind) - 1:
        # the other targets behind, each with its 序时进度 comparison, in the slide's text size (not a grey caption)
        st.markdown("<div class='tfm-text'>另有进度滞后的目标：" + "".join(f"<br>{story.watch[m.target_id]}" for m in more)
                    + "</div>", unsafe_allow_html=True)


def ranking_slide() -> None:
    header("分区排名")
    if not brief.rankings:
        st.info("还没有各区（市州）数据。")
        return
    names = {r.target_id: f"{reg.regions[r.parent].name} · {reg.indicators[r.indicator].name_zh}"
             for r in brief.rankings}
    left, right = st.columns([1.6, 1], gap="large")
    with right:
        pick = st.selectbox("指标", list(names), format_func=names.get, key="meeting_ranking")
        st.markdown(f"<div class='tfm-text' style='font-size:1.2rem'>{story.units[pick]}</div>", unsafe_allow_html=True)
    with left:
        r = next(x for x in brief.rankings if x.target_id == pick)
        chart = figures.ranking_chart(r, reg, height=RANKING_HEIGHT)
        plot(chart, f"meeting-{chart.key}", ROOM_TEXT)


def sources_slide() -> None:
    header("数据来源")
    st.markdown(f"<div class='tfm-text'>本材料依据{brief.n_submissions}份有效报送（{as_of_label(brief.as_of)}及以前）：</div>",
                unsafe_allow_html=True)
    st.dataframe([{"报送单位": g.agency, "内容": g.content, "份数": g.files,
                   "报告期": f"{month_label(g.first)}—{month_label(g.last)}", "最新一份": g.latest_file,
                   "最新上传": f"{g.latest_uploaded:%Y-%m-%d %H:%M}"} for g in brief.sources],
                 hide_index=True, width="stretch", key="meeting_sources")
    st.markdown("#### 目标出处")
    for d in brief.documents:
        if brief.by_document(d):
            doc = reg.documents[d]
            st.markdown(f"<div class='tfm-text'>{document_title(doc)}，{doc.issuer}印发</div>", unsafe_allow_html=True)
    st.markdown("#### 会议材料")
    st.caption("点击右上角“会议材料”，生成并下载演示文稿、PDF 和全部图表。")


name = SLIDES[slide]
if name == "概况":
    overview_slide()
elif name == "目标仪表":
    gauges_slide()
elif name.startswith("滞后目标"):
    behind_slide(int(name.removeprefix("滞后目标")) - 1)
elif name == "分区排名":
    ranking_slide()
else:
    sources_slide()
