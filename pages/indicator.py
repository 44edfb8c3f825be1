"""指标详情: one indicator in one region — where it stands, where it should be by now, where this pace ends,
what the rest of the way needs; its months, its units, the clause it comes from and its sources.

The view is in the URL: ?indicator=tech_loan_balance&region=东湖高新区&as_of=2026-10. Every figure comes
from metrics.indicator.indicator_view (the same Standing as `python -m metrics report`); this file lays
it out and formats it.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from charts.theme import chart_config
from charts.trajectory import trajectory_figure, units_figure, yearly_growth_figure
from domain.model import Region
from domain.months import month_label
from domain.tasks import default_tasks
from metrics.freshness import freshness
from metrics.indicator import IndicatorView, indicator_view
from metrics.standing import Standing
from pages import common, peers_view, region_select
from presentation.fmt import (
    as_of_label,
    date_label,
    document_title,
    freshness_line,
    gap_phrase,
    md_text,
    num,
    pace_qty,
    pct,
    policy_text,
    qty,
    quote,
    shown_gap,
    signed_pct,
    signed_qty,
    source_line,
    status_text,
)
from presentation.labels import MEMBERS, WHOLE, subtarget_word
from presentation.monthly import monthly_rows
from presentation.sentences import outlook_sentence, since_phrase, target_label, target_sentence, verdict_line
from presentation.tasks import linked_tasks_markdown
from presentation.units import district_rows

common.through_dashboard()  # a run Streamlit started on its own goes through dashboard.py

DEFAULT_INDICATOR = common.DEFAULT_INDICATOR
GOOD, BAD, OFF = "green", "red", "gray"  # st.metric delta colours; the text says the same in words

reg = common.registry()


@st.cache_data(show_spinner="正在计算…", max_entries=32)
def _view(db: str, rev: str, indicator: str, region: str, as_of: dt.date) -> IndicatorView:
    return indicator_view(common.series(), reg, indicator, region, as_of)


def _indicator_options() -> list[str]:
    """Indicators with a target first (in target order), then the trend and supporting indicators."""
    with_target = list(dict.fromkeys(t.indicator for t in reg.targets.values()))
    return with_target + [c for c in reg.indicators if c not in with_target]


def _label(code: str) -> str:
    ind = reg.indicators[code]
    return f"{ind.name_zh}（{ind.unit}）" + ("" if reg.targets_on(code) else " · 无量化目标")


def _metric(col, label: str, value: str, delta: str | None = None, tone: str = OFF, arrow: str = "off",
            help: str | None = None) -> None:
    col.metric(label, value, delta=delta, delta_color=tone, delta_arrow=arrow, help=help, border=True)


# -- sections -------------------------------------------------------------------------------------------


def header(view: IndicatorView, region: Region, dating: str) -> None:
    s, target = view.standing, view.target
    if target is None:
        elsewhere = list(dict.fromkeys(reg.regions[t.region].name for t in reg.targets_on(view.indicator)))
        if not elsewhere:
            st.markdown(f"**{region.name}**　{dating}　该指标没有量化目标（趋势或辅助指标），下面显示其走势、逐月变化与来源。")
            return
        links = "、".join(f"[{name}](/indicator?indicator={view.indicator}&region={name}&as_of={view.as_of:%Y-%m})"
                         for name in elsewhere)
        st.markdown(f"**{region.name}**　{dating}　该指标的目标设在{links}，{region.name}未设目标，下面只显示其走势与来源。")
        return
    where = reg.regions[target.region].name
    if target.region == region.code:
        st.markdown(f"**{region.name}**　{dating}　{where}{target.deadline.year}年目标：{quote(target.wording)}，"
                    f"截止{month_label(target.deadline)}")
    elif s is not None and s.has_target:
        st.markdown(f"**{region.name}**　{dating}　{where}目标{quote(target.wording)}的"
                    f"{subtarget_word(reg.subtargets_are_examples(target.id))}："
                    f"{target_label(s, reg)}，截止{month_label(target.deadline)}")
    else:
        st.markdown(f"**{region.name}**　{dating}　{where}目标{quote(target.wording)}尚未分解到本单位")
        st.caption(f"未设分解目标的单位只显示走势与预测，不判定进度。{where}整体进度见 "
                   f"[{where}](/indicator?indicator={view.indicator}&region={where}&as_of={view.as_of:%Y-%m})；"
                   "分解目标由系统管理员登记。")


def verdict(s: Standing) -> None:
    style = reg.statuses[s.status]
    with st.container(border=True):
        if s.has_target:
            # the status and, beside it (under it on a phone, at the text's own line height), the 序时进度 comparison
            st.markdown(f"<div style='display:flex;flex-wrap:wrap;align-items:baseline;column-gap:1rem'>"
                        f"<span style='font-size:1.7rem;font-weight:700;color:{style.color}'>{status_text(style)}</span>"
                        f"<span style='font-size:1.05rem;line-height:1.6;color:#1f2933'>{verdict_line(s, reg)}"
                        f"</span></div>", unsafe_allow_html=True)
        st.markdown(target_sentence(s, reg) + outlook_sentence(s, reg))


def _latest(s: Standing, view: IndicatorView, col) -> None:
    ind = reg.indicators[s.indicator_code]
    recent = view.monthly.row(0, named=True) if view.monthly.height else None
    yoy = "—" if recent is None else (signed_qty(recent["yoy"], ind.unit, ind.decimals) if ind.unit == "%"
                                      else signed_pct(recent["yoy_rel"]))
    _metric(col, f"最新值（{ind.unit}），{month_label(s.as_of)}", num(s.value, ind.decimals), f"同比 {yoy}")


def _growth(s: Standing, col) -> None:
    """How fast it went since the baseline: annual growth with the last 12 months'; a share in points (its
    last 12 months are the latest value's 同比, beside it)."""
    ind = reg.indicators[s.indicator_code]
    since = since_phrase(s, ind)
    if since is None:
        _metric(col, "年均增速", "—")
    elif ind.unit == "%":
        _metric(col, *since)
    else:
        _metric(col, *since, f"近12个月 {pct(s.outlook.growth_trailing_annual)}")


def judged_metrics(s: Standing, view: IndicatorView) -> None:
    """The four questions, two rows: where we are and should be; where this pace ends and what it needs."""
    ind = reg.indicators[s.indicator_code]
    o, d, unit = s.outlook, ind.decimals, f"（{ind.unit}）"

    def gap(col, label: str, expected: float | None, ahead: bool | None) -> None:
        if expected is None:
            _metric(col, label, "—", help="基期值或目标值不是正数时，等比增长路径无定义")
        else:
            _metric(col, label, num(expected, d), gap_phrase(shown_gap(s.value, expected, ind.unit, d), ahead,
                                                             ind.unit, d), GOOD if ahead else BAD,
                    "up" if ahead else "down")

    st.markdown("**当前进度与序时进度**")
    cols = st.columns(3)
    _latest(s, view, cols[0])
    gap(cols[1], f"按序时进度此时应达{unit}", o.expected_linear, view.ahead_linear)
    gap(cols[2], f"按等比增长路径此时应达{unit}", o.expected_growth, view.ahead_growth)

    st.markdown("**到期预判与此后所需**")
    cols = st.columns(3)
    _growth(s, cols[0])
    label = f"按{'此趋势' if ind.unit == '%' else '现增速'}{month_label(s.deadline)}预计{unit}"
    if o.projected_at_deadline is None:
        _metric(cols[1], label, "—", "数据点不足")
    elif o.projected_attainment is not None:
        _metric(cols[1], label, num(o.projected_at_deadline, d), f"预计{month_label(o.projected_attainment)}达到目标",
                GOOD, "up")
    else:
        _metric(cols[1], label, num(o.projected_at_deadline, d), "到期达不到目标", BAD, "down")
    monthly = pace_qty(o.increase_required_monthly, ind.unit, d)
    if s.status == "achieved":
        _metric(cols[2], "此后所需增速", reg.statuses["achieved"].label, "保持即可", GOOD)
    elif ind.unit == "%" and o.increase_required_monthly is not None:
        _metric(cols[2], "如期完成，此后每月需提高", monthly)
    elif o.growth_required_annual is not None and (o.months_left or 0) >= 12:
        _metric(cols[2], "如期完成，此后需年均增长", pct(o.growth_required_annual), f"每月新增 {monthly}")
    elif o.increase_required_monthly is not None:  # under a year left: a monthly amount reads better
        _metric(cols[2], f"如期完成，此后{o.months_left}个月每月需新增", monthly)
    else:
        _metric(cols[2], "如期完成，此后需年均增长", "—")


def measured_metrics(s: Standing, view: IndicatorView) -> None:
    """A unit without a sub-target: where it is, how fast it grows, where this pace ends."""
    ind = reg.indicators[s.indicator_code]
    cols = st.columns(3)
    _latest(s, view, cols[0])
    _growth(s, cols[1])
    _metric(cols[2], f"按现增速{month_label(s.deadline)}预计（{ind.unit}）",
            num(s.outlook.projected_at_deadline, ind.decimals))


def trend_metrics(view: IndicatorView) -> None:
    """An indicator without a target: the latest month and its changes."""
    ind = reg.indicators[view.indicator]
    r = view.monthly.row(0, named=True)
    rel = ind.unit != "%"
    cols = st.columns(3)
    _metric(cols[0], f"最新值（{ind.unit}），{month_label(r['period'])}", num(r["value"], ind.decimals))
    _metric(cols[1], "环比", signed_qty(r["mom"], ind.unit, ind.decimals), signed_pct(r["mom_rel"]) if rel else None)
    _metric(cols[2], "同比", signed_qty(r["yoy"], ind.unit, ind.decimals), signed_pct(r["yoy_rel"]) if rel else None)


def chart(view: IndicatorView, region: Region, dating: str, source: str) -> None:
    s = view.standing
    ind = reg.indicators[view.indicator]
    judged = s is not None and s.value is not None and s.has_target
    what = "实际走势、目标路径与预测" if view.paths else "走势与预测" if view.projection else "走势"
    fig = trajectory_figure(
        view.points, ind=ind, style=reg.statuses[s.status] if judged else None, paths=view.paths,
        projection=view.projection, fit=view.fit,
        target_value=s.target_value if judged else None, target_label=target_label(s, reg) if judged else None,
        deadline=view.deadline, baseline=(s.baseline_period, s.baseline_value) if view.paths else None,
        attainment=view.attainment, expected_now=view.expected_now,
        gap_text=gap_phrase(shown_gap(s.value, s.outlook.expected_linear, ind.unit, ind.decimals), view.ahead_linear,
                            ind.unit, ind.decimals) if judged else None,
        title=f"{region.name}{ind.short_zh}：{what}", as_of=dating, source=source)
    st.plotly_chart(fig, config=chart_config(f"{region.name}{ind.short_zh}", dating), key="trajectory")
    if view.paths:
        st.caption("粗实线：实际值；灰色虚线：序时进度，即从基期匀速（线性）到目标的路径；灰色点线：从基期按同一增长率（等比）到目标的路径；"
                   "彩色虚线：按基期以来的年均增速外推；彩色细点线：按近12个月线性趋势外推；◇ 按序时进度此时应达的水平；"
                   "★ 预计达标的月份。")


def yearly(view: IndicatorView, region: Region, dating: str, source: str) -> None:
    s = view.standing
    ind = reg.indicators[view.indicator]
    title = f"{region.name}{ind.short_zh}：逐年增速与目标年均{pct(s.target_raw, 0)}"
    st.plotly_chart(yearly_growth_figure(
        view.years, required=s.target_raw, met_style=reg.statuses["on_track"],
        short_style=reg.statuses["needs_acceleration"], title=title, as_of=dating, source=source),
        config=chart_config(title, dating), key="yearly-growth")
    st.caption("每一年自基期月份起算（第1年 = 基期至满12个月）；“近12个月”为最新月份的同比；"
               "“基期以来年均”为复合年均增速，目标比较的正是这一项。")


def units(view: IndicatorView, region: Region) -> None:
    target = view.target
    ind = reg.indicators[view.indicator]
    parent = reg.regions[view.units_parent]
    noun = MEMBERS[parent.kind]
    st.subheader(f"{parent.name}各{noun}情况")
    c = view.coverage
    example = target is not None and reg.subtargets_are_examples(target.id)
    if c is not None:
        st.markdown(f"{c.units}个{noun}（共{c.of_units}个）已设{subtarget_word(example)}，合计 **{qty(c.total, ind.unit, ind.decimals)}**，"
                    f"为{parent.name}目标（{target_label(view.parent_standing, reg)}）的 **{pct(c.share_of_target)}**。")
    elif target is not None and not reg.subtargets.get(target.id):
        st.caption(f"该目标尚未分解到各{noun}，不判定各{noun}进度。")
    month = next((d for d in view.units["period"].to_list() if d is not None), None)
    left, right = st.columns([5, 8])
    with left:
        title = f"{parent.name}各{noun}{ind.short_zh}" + ("与分解目标" if c else "")
        st.plotly_chart(units_figure(
            view.units, reg, indicator=view.indicator, selected=region.code if region.code != parent.code else None,
            title=title, as_of=as_of_label(month), source=f"数据来源：{ind.source}；各报送单位报表"),
            config=chart_config(title, as_of_label(month)), key="units")
    with right:
        # The city's units are compared with 武汉 (占武汉), the province's 市州 with 全省.
        whole = WHOLE[parent.kind] if parent.kind == "province" else parent.short
        rows = district_rows(view.units, reg, view.indicator, whole)
        shown = [col for col in rows.columns if not col.startswith(("排名", "较上年末"))]  # the chart ranks them
        st.dataframe(rows.select(shown), hide_index=True, width="stretch",
                     height=min(40 + 35 * view.units.height, 680), key="unit-rows")
        st.caption("柱的颜色与名称前的符号为按分解目标判定的状态（无分解目标的不判定，浅蓝）；黑色竖线为分解目标；"
                   "增量贡献 = 较上年末增加额 ÷ 合计增加额。")


def months(view: IndicatorView) -> None:
    ind = reg.indicators[view.indicator]
    st.subheader("逐月数值")
    if view.monthly.is_empty():
        st.info("暂无数据。")
        return
    if ind.kind == "flow":
        st.caption("流量指标按年累计：每月数值为当年1月至该月的累计数，环比即当月发生额。")
    st.dataframe(monthly_rows(view.monthly, ind), hide_index=True, width="stretch", height=420, key="monthly")


def origins(view: IndicatorView, region: Region) -> None:
    s, target = view.standing, view.target
    ind = reg.indicators[view.indicator]
    st.subheader("目标出处与数据来源")
    if target is not None:
        doc = reg.documents[target.document]
        st.markdown(f"**{document_title(doc)}**，{doc.issuer}，{date_label(doc.issued)}印发")
        st.markdown(f"- 条款：{target.clause}\n- 目标表述：{quote(target.wording)}\n"
                    f"- 截止：{date_label(target.deadline)}")
        if s is not None and s.baseline_value is not None:
            how = ("管理员设定" if target.baseline_value is not None and target.region == region.code
                   else "基期日期的观测值" if target.baseline_date else "文件印发后的首个观测值")
            st.markdown(f"- 基期：{month_label(s.baseline_period)}，{qty(s.baseline_value, ind.unit, ind.decimals)}（{how}）")
        st.markdown(f"> {policy_text(target.sentence)}")
    st.markdown("**最新数值的来源**")
    if s is not None and s.sources:
        for src in s.sources:
            st.markdown(source_line(src))
    elif view.monthly.height:
        r = view.monthly.row(0, named=True)
        st.markdown(f"- **{md_text(r['agency'])}**：《{md_text(r['file_name'])}》，{md_text(r['origin'])}，"
                    f"上传于 {r['uploaded_at']:%Y-%m-%d %H:%M}")
    else:
        st.markdown("- 暂无数据")


def tasks_moving(indicator: str) -> None:
    """The plans' tasks that move this indicator (data/task_links.toml), with who owes them."""
    text = linked_tasks_markdown(default_tasks(), indicator, reg)
    if text:
        st.subheader("推动该指标的任务")
        st.markdown(text)


def method() -> None:
    t, style = reg.thresholds, reg.statuses  # the statuses' labels, symbols and thresholds: data/status.toml
    on_track, slower, limited = t["on_track"], t["needs_acceleration"], t["limited_progress"]
    with st.expander("计算方法"):
        st.markdown(
            "- **序时进度**：从基期值匀速推进到目标值（线性路径），截至本月应达到的水平，即“时间过半、任务过半”；"
            "**等比增长路径**：从基期值按固定增长率到目标值；差距 = 实际值 − 路径值。\n"
            "- **年均增速**：(最新值 ÷ 基期值)^(12 ÷ 间隔月数) − 1；**近12个月**：与12个月前相比"
            "（该月缺报时取窗口内最早的月份并年化）。\n"
            "- **此后所需增速**：(目标值 ÷ 最新值)^(12 ÷ 剩余月数) − 1；每月新增 = (目标值 − 最新值) ÷ 剩余月数"
            "（家数、个数等按整数向上取整，否则到期差一点）。比重类指标的变化以个百分点计。\n"
            "- **预测**：按基期以来的月均复合增速外推到截止月；另按近12个月的最小二乘直线外推。"
            "预计达标月份为预测值首次达到目标的月份，截止前达不到则为“到期达不到目标”。\n"
            f"- **进度状态**：看增速是否跟得上：R = 实际月均增速 ÷ 所需月均增速；{style['achieved'].label} {style['achieved'].symbol}；"
            f"R ≥ {on_track:.2f} {style['on_track'].label}；{slower:.2f}—{on_track:.2f} {style['needs_acceleration'].label}；"
            f"{limited:.0f}—{slower:.2f} {style['limited_progress'].label}；R < {limited:.0f} {style['regressing'].label}"
            "。")


# -- the page -------------------------------------------------------------------------------------------

options = _indicator_options()
indicator = st.selectbox("指标", options, index=options.index(common.url_choice("indicator", options, DEFAULT_INDICATOR)),
                         format_func=_label, key="indicator_pick")
common.keep_in_url("indicator", indicator, DEFAULT_INDICATOR)
ind = reg.indicators[indicator]

region = region_select.region_selector(reg)  # drawn by dashboard.py, which opens a province target on 湖北省
as_of = common.as_of_month()

st.title(f"指标详情 · {ind.name_zh}")
as_of = common.stop_if_empty(as_of)

view = _view(str(common.db_path()), common.revision(), indicator, region.code, as_of)
s = view.standing
dating = as_of_label(s.as_of if s is not None and s.as_of else as_of)
source = f"数据来源：{ind.source}"
if s is not None and s.sources:
    source = "数据来源：" + "；".join(dict.fromkeys(f"{x.agency}《{x.file_name}》" for x in s.sources))

header(view, region, dating)
if s is not None and s.value is not None:
    fresh = freshness(s, common.series(), reg)
    (st.warning if fresh.incomplete else st.caption)(freshness_line(fresh))
if s is not None and s.value is not None:
    verdict(s)
    (judged_metrics if s.has_target else measured_metrics)(s, view)
elif view.target is not None:
    st.info(f"{region.name}在{month_label(as_of)}及以前没有“{ind.name_zh}”的数据。")
elif view.monthly.height:
    trend_metrics(view)
if view.points:
    chart(view, region, dating, source)
if view.years and s is not None:
    yearly(view, region, dating, source)
if view.units is not None and view.units_parent is not None:
    units(view, region)
months(view)
origins(view, region)
peers_view.draw(reg, indicator, region, view.as_of)
tasks_moving(indicator)
method()
