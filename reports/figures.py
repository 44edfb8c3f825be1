"""The meeting's figures, built once from a Brief for the page, the deck, the PDF and the PNG export.

Each is a `Chart`: the Plotly figure (it stands alone: title, 截至…, unit, source inside) with the size it
is exported at and a file name that says what and when. Figure builders are the charts package's
(charts.gauge, charts.trajectory, charts.ranking); this module only feeds them a Brief's records.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from charts.gauge import gauge_figure
from charts.ranking import SUBTARGET_LEGEND, ranking_figure
from charts.theme import enlarge
from charts.trajectory import trajectory_figure
from domain.model import Registry
from metrics.indicator import IndicatorView
from metrics.series import REPORTED
from metrics.standing import Standing
from presentation.fmt import as_of_label, file_stem, gap_phrase, plot_text
from presentation.labels import DERIVATION, MEMBERS
from presentation.sentences import target_label
from reports.brief import Brief, Ranking

# Export sizes (CSS pixels) and how much larger text is drawn for a slide (charts.theme.enlarge):
# on a 13.3-inch-wide slide every text lands at about 9 pt or more, a gauge's lines under the dial at about
# 16 px on a 1920-pixel screen. A ranking has a slide of its own (reports.deck), hence its wide shape.
GAUGE_SIZE, GAUGE_TEXT = (380, 360), 1.2
TREND_SIZE, TREND_TEXT = (1000, 690), 1.2
RANKING_SIZE, RANKING_TEXT = (900, 620), 1.35


@dataclass(frozen=True)
class Chart:
    key: str  # gauge:<target id> | trend:<target id> | ranking:<target id>
    title: str
    dating: str  # 截至2026年10月
    figure: go.Figure
    width: int  # export size in CSS pixels (PNGs are written at twice this)
    height: int
    text_scale: float = 1.0  # text enlarged by this much in exports (charts.theme.enlarge)

    def for_export(self) -> go.Figure:
        """A copy of the figure at its export size, text enlarged for a slide."""
        fig = enlarge(go.Figure(self.figure), self.text_scale) if self.text_scale != 1 else go.Figure(self.figure)
        return fig.update_layout(width=self.width, height=self.height)

    @property
    def file_stem(self) -> str:
        return file_stem(self.title, self.dating)


def agencies_line(s: Standing, registry: Registry) -> str:
    """数据来源：人行武汉分行营管部 — the agencies behind the latest value (the indicator's agency without one)."""
    agencies = (list(dict.fromkeys(plot_text(x.agency) for x in s.sources))
                or [registry.indicators[s.indicator_code].source])
    kinds = {x.derivation for x in s.sources}
    # How a computed value came about, after its agencies (a reported figure needs no note).
    kind = kinds.pop() if len(kinds) == 1 else REPORTED
    computed = "" if kind == REPORTED else f"（{DERIVATION[kind]}）"
    return f"数据来源：{'、'.join(agencies)}{computed}"


def files_line(s: Standing, registry: Registry) -> str:
    """数据来源：人行武汉分行营管部《202610_….xlsx》 — agencies and the files of the latest value."""
    if not s.sources:
        return f"数据来源：{registry.indicators[s.indicator_code].source}"
    return "数据来源：" + "；".join(dict.fromkeys(f"{plot_text(x.agency)}《{plot_text(x.file_name)}》" for x in s.sources))


def gauge_chart(s: Standing, registry: Registry, *, height: int = GAUGE_SIZE[1], room: float = GAUGE_TEXT,
                width: int = GAUGE_SIZE[0]) -> Chart:
    """`room`: the text's scale and `width` the pixels the gauge is drawn in (the export's width, or a column
    of the meeting page), both drawn into the figure: charts.gauge breaks its lines for them."""
    ind = registry.indicators[s.indicator_code]
    region = registry.regions[s.region_code].name
    fig = gauge_figure(s, ind, registry.statuses[s.status], region=region, source=agencies_line(s, registry),
                       height=height, room=room, width=width)
    title = f"{region}{ind.name_zh}"
    return Chart(f"gauge:{s.target_id}", title, as_of_label(s.as_of), fig, width, height)


def trend_chart(s: Standing, view: IndicatorView, registry: Registry, *, height: int = TREND_SIZE[1]) -> Chart:
    """The target's series against both paths to the target, with the projection (charts.trajectory)."""
    ind = registry.indicators[s.indicator_code]
    region = registry.regions[s.region_code].name
    style = registry.statuses[s.status]
    dating = as_of_label(s.as_of)
    title = f"{region}{ind.name_zh}：实际走势、目标路径与预测"
    fig = trajectory_figure(
        view.points, ind=ind, style=style, paths=view.paths, projection=view.projection, fit=view.fit,
        target_value=s.target_value, target_label=target_label(s, registry), deadline=view.deadline,
        baseline=(s.baseline_period, s.baseline_value) if view.paths else None, attainment=view.attainment,
        expected_now=view.expected_now,
        gap_text=gap_phrase(s.outlook.gap_linear, view.ahead_linear, ind.unit, ind.decimals),
        title=f"{style.symbol} {title}", as_of=dating, source=files_line(s, registry), height=height)
    fig.update_xaxes(dtick="M6", tickangle=0)  # half-yearly ticks stay level at slide width
    return Chart(f"trend:{s.target_id}", title, dating, fig, TREND_SIZE[0], height, TREND_TEXT)


def ranking_chart(r: Ranking, registry: Registry, *, height: int = RANKING_SIZE[1]) -> Chart:
    ind = registry.indicators[r.indicator]
    parent = registry.regions[r.parent]
    noun = MEMBERS[parent.kind]
    title = f"{parent.name}各{noun}{ind.name_zh}排名"
    dating = as_of_label(r.month)
    fig = ranking_figure(r.table, registry, indicator=r.indicator, reference=r.average,
                         reference_label=f"各{noun}平均", title=title, as_of=dating,
                         source=f"数据来源：{ind.source}；各报送单位报表", height=height)
    # The sub-target legend sits on its own line under the source line, not on top of it.
    legend = [a for a in fig.layout.annotations if a.name == SUBTARGET_LEGEND]
    for a in legend:
        a.update(yshift=(a.yshift or 0) - 20, x=0, xanchor="left")
    if legend:
        fig.update_layout(margin={"b": fig.layout.margin.b + 22})
    return Chart(f"ranking:{r.target_id}", title, dating, fig, RANKING_SIZE[0], height, RANKING_TEXT)


def gauges(brief: Brief, registry: Registry) -> list[Chart]:
    return [gauge_chart(s, registry) for s in brief.standings]


def trends(brief: Brief, registry: Registry) -> list[Chart]:
    return [trend_chart(s, brief.views[s.target_id], registry) for s in brief.behind]


def rankings(brief: Brief, registry: Registry) -> list[Chart]:
    return [ranking_chart(r, registry) for r in brief.rankings]


def all_charts(brief: Brief, registry: Registry) -> list[Chart]:
    """Every figure of the deck, in its order: gauges, the targets behind, the rankings."""
    return [*gauges(brief, registry), *trends(brief, registry), *rankings(brief, registry)]
