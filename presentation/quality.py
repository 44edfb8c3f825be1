"""数据质量 as people read it: the states' labels and colours, the completeness matrices as HTML tables, one
sentence per line that does not add up or looks wrong, and the tables of open and reviewed lines.

Every text that came with an upload (a file name, a sheet name) is escaped before it goes into HTML.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

import polars as pl

from domain.calendar import FREQUENCY_LABELS, Calendar, Checks, Obligation
from domain.model import Registry
from domain.months import month_label
from metrics.quality import Line, Placement, UnitCell
from presentation.fmt import date_label, md_text, num, pct, qty, signed_pct

STATE_LABELS = {"on_time": "按时", "late": "逾期", "corrected": "更正", "missing": "未报送", "pending": "未到期"}
# (background, text): 未报送 and 逾期 stand out; each cell also says its state in words (grey-scale print).
STATE_COLOURS = {"on_time": ("#e3f1e4", "#1b5e20"), "late": ("#ffe2b8", "#8a4b00"), "corrected": ("#dce8f7", "#1f4e99"),
                 "missing": ("#f8d0cc", "#a4161a"), "pending": ("#eeeeee", "#555555")}
STATE_MEANINGS = {"on_time": "在报送期限内收到", "late": "超过报送期限才收到", "corrected": "收到后又报送了更正版本",
                  "missing": "已过报送期限仍未收到", "pending": "尚未到报送期限"}
NOT_OWED = "—"
KIND_LABELS = {"total_mismatch": "合计不符", "city_mismatch": "总数与各单位报表不符", "register_mismatch": "名录与报表不符", "jump": "较上月异常变动",
               "yoy_outlier": "同比增速离群"}
LINE_HEADINGS = ["类别", "月份", "地区", "指标", "提交", "工作表", "单元格", "说明", "文件"]

_TABLE = ("border-collapse:collapse;font-size:0.85rem;white-space:nowrap")
_CELL = "border:1px solid #d0d0d0;padding:3px 6px;text-align:center"
_HEAD = "border:1px solid #d0d0d0;padding:3px 6px;background:#f4f4f4;font-weight:600"
# The row's name: wraps, and stays in view while a phone scrolls the months sideways.
_NAME = ("border:1px solid #d0d0d0;padding:3px 6px;text-align:left;white-space:normal;min-width:7em;max-width:18em;"
         "position:sticky;left:0;background:#ffffff")


def state_text(p: Placement) -> str:
    """按时 / 逾期4天 / 更正 / 未报送 / 未到期: what a cell of the source × month matrix says."""
    if p.state == "late":
        return f"逾期{p.days_late}天"
    return STATE_LABELS[p.state]


def _cell(state: str | None, text: str, title: str = "") -> str:
    if state is None:
        return f'<td style="{_CELL};color:#999" title="不需报送">{NOT_OWED}</td>'
    bg, fg = STATE_COLOURS[state]
    tip = f' title="{html.escape(title)}"' if title else ""
    return f'<td style="{_CELL};background:{bg};color:{fg}"{tip}>{html.escape(text)}</td>'


def _table(head: list[str], rows: list[str]) -> str:
    heads = "".join(f'<th style="{_HEAD}{";position:sticky;left:0" if i == 0 else ""}">{html.escape(h)}</th>'
                    for i, h in enumerate(head))
    return (f'<div style="overflow-x:auto"><table style="{_TABLE}"><thead><tr>{heads}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def legend_html() -> str:
    """The colours and what each state means, one line."""
    items = []
    for state, label in STATE_LABELS.items():
        bg, fg = STATE_COLOURS[state]
        items.append(f'<span style="background:{bg};color:{fg};padding:1px 6px;border:1px solid #d0d0d0">'
                     f'{label}</span> {STATE_MEANINGS[state]}')
    items.append(f'<span style="color:#999;padding:1px 6px;border:1px solid #d0d0d0">{NOT_OWED}</span> 不需报送')
    return '<div style="font-size:0.85rem;line-height:2">' + "　".join(items) + "</div>"


def source_label(source: Obligation) -> str:
    return f"{source.agency}·{source.name}（{FREQUENCY_LABELS[source.frequency]}）"


def placement_title(p: Placement) -> str:
    """The tooltip of a cell: due day, when it came, which file."""
    parts = [f"应于{date_label(p.due)}前报送"]
    if p.received_at is not None:
        parts.append(f"首次报送于{p.received_at:%Y-%m-%d %H:%M}")
    if p.versions > 1:
        parts.append(f"共{p.versions}个版本")
    if p.file_name:
        parts.append(f"现行：提交{p.submission_id}「{p.file_name}」")
    return "；".join(parts)


def source_matrix_html(calendar: Calendar, placements: list[Placement], months: list[dt.date]) -> str:
    """Source × month: each owed file's state, coloured, the month's tooltip saying due day and file."""
    placed = {(p.source_id, p.period): p for p in placements}
    rows = []
    for source in calendar.sources:
        cells = [f'<td style="{_NAME}">{html.escape(source_label(source))}</td>']
        for m in months:
            p = placed.get((source.id, m))
            cells.append(_cell(None, "") if p is None else _cell(p.state, state_text(p), placement_title(p)))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head = ["报送来源"] + [f"{m.year}年{m.month}月" if m.month == 1 or m == months[0] else f"{m.month}月" for m in months]
    return _table(head, rows)


def unit_scopes(calendar: Calendar, registry: Registry) -> dict[str, str]:
    """The scopes that report by unit → 武汉市各单位 / 湖北省各市州."""
    out = {}
    for s in calendar.sources:
        if s.units and s.scope and s.scope not in out:
            name = registry.regions[s.scope].name
            out[s.scope] = f"{name}各{'市州' if s.scope == registry.province else '单位'}"
    return out


FLAG = "⚠"


def unit_matrix_html(registry: Registry, cells: list[UnitCell], scope: str, lines: Sequence[Line] = (),
                     month: dt.date | None = None) -> str:
    """Unit × indicator for `month` (the cells'): the scope's own total first (合计), then its units; a figure with
    an open line of `lines` in that month is marked ⚠ with what the line says."""
    mine = [c for c in cells if c.scope == scope]
    flags: dict[tuple[str, str], list[str]] = {}
    for x in (x for x in lines if x.period == month):
        flags.setdefault((x.region_code, x.indicator_code), []).append(KIND_LABELS[x.kind])
    indicators = list(dict.fromkeys(c.indicator_code for c in mine))
    regions = list(dict.fromkeys(c.region_code for c in mine))
    by = {(c.region_code, c.indicator_code): c for c in mine}
    rows = []
    for region in regions:
        name = registry.regions[region].name + ("（合计）" if region == scope else "")
        tds = [f'<td style="{_NAME}">{html.escape(name)}</td>']
        for code in indicators:
            c = by.get((region, code))
            title = f"提交{c.submission_id}，{c.origin}" if c is not None and c.submission_id is not None else ""
            flagged = flags.get((region, code))
            text = STATE_LABELS[c.state] if c is not None else ""
            if flagged:
                text, title = f"{text} {FLAG}", f"{title}；待核实：{'、'.join(flagged)}"
            tds.append(_cell(None, "") if c is None else _cell(c.state, text, title))
        rows.append(f"<tr>{''.join(tds)}</tr>")
    return _table(["地区"] + [registry.indicators[c].short_zh for c in indicators], rows)


def reported_count(cells: list[UnitCell], scope: str) -> tuple[int, int]:
    """(figures reported, figures owed) of a scope's matrix."""
    mine = [c for c in cells if c.scope == scope]
    return sum(c.state not in ("missing", "pending") for c in mine), len(mine)


# -- lines ---------------------------------------------------------------------------------------------------


def line_summary(line: Line, registry: Registry) -> str:
    """One sentence: where, what, by how much."""
    ind = registry.indicators[line.indicator_code]
    unit, d = ind.unit, ind.decimals
    where = f"{registry.regions[line.region_code].name}{ind.name_zh}（{month_label(line.period)}）"
    if line.kind == "total_mismatch":
        return (f"{where}：合计{qty(line.value, unit, d)}，{line.units}个单位之和{qty(line.reference, unit, d)}，"
                f"相差{signed_pct(line.measure)}")
    if line.kind == "city_mismatch":
        return (f"{where}：本级报送{qty(line.value, unit, d)}，{line.units}个单位报送之和{qty(line.reference, unit, d)}"
                f"（提交{line.other_submission}等），相差{signed_pct(line.measure)}")
    if line.kind == "register_mismatch":
        return (f"{where}：报表数{qty(line.value, unit, d)}，名录（提交{line.other_submission}）汇总"
                f"{qty(line.reference, unit, d)}，相差{signed_pct(line.measure)}")
    if line.kind == "jump":
        times = line.value / line.reference if line.reference else 0.0
        return (f"{where}：{qty(line.value, unit, d)}，上月{qty(line.reference, unit, d)}，变动{signed_pct(line.measure)}"
                f"（为上月的{num(times, 1)}倍）")
    return (f"{where}：同比{signed_pct(line.value)}，{line.units}个单位同比增速中位数{signed_pct(line.reference)}，"
            f"稳健z值{num(line.measure, 1)}")


def where_text(line: Line) -> str:
    """提交12「文件」工作表 Sheet1 单元格 C10 — plain text (escape it for HTML, md_text it for Markdown)."""
    place = f"工作表「{line.sheet}」单元格{line.cell}" if line.cell else line.origin
    return f"提交{line.submission_id}「{line.file_name}」{place}"


def lines_frame(lines: list[Line], registry: Registry) -> pl.DataFrame:
    """The open lines as a table (LINE_HEADINGS)."""
    rows = [[KIND_LABELS[x.kind], month_label(x.period), registry.regions[x.region_code].name,
             registry.indicators[x.indicator_code].short_zh, f"提交{x.submission_id}", x.sheet or x.origin,
             x.cell or "—", line_summary(x, registry), x.file_name] for x in lines]
    return pl.DataFrame(rows, schema=LINE_HEADINGS, orient="row")


def submission_detail(line: Line, submission: dict) -> str:
    """Markdown: the submission a line comes from, who sent and uploaded it and when, where the figure was read.
    Upload text (file, agency, sheet, account names) is made inert (md_text)."""
    where = (f"工作表「{md_text(line.sheet)}」单元格 **{md_text(line.cell)}**" if line.cell
             else f"由「{md_text(line.origin)}」汇总")
    return (f"**提交{line.submission_id}**「{md_text(submission['file_name'])}」：报送单位{md_text(submission['agency'])}，"
            f"上传于{submission['uploaded_at']:%Y-%m-%d %H:%M}（上传账号：{md_text(submission['uploader'])}）；{where}。")


def line_choice(line: Line, registry: Registry) -> str:
    """How a line reads in the 已核实 selector."""
    return f"[{KIND_LABELS[line.kind]}] {line_summary(line, registry)}｜{where_text(line)}"


def reviews_frame(reviews: pl.DataFrame) -> pl.DataFrame:
    """store.quality.reviews → 核实时间, 核实人, 问题, 核实说明."""
    return reviews.select(
        pl.col("reviewed_at").dt.strftime("%Y-%m-%d %H:%M").alias("核实时间"), pl.col("reviewed_by").alias("核实人"),
        pl.col("kind").replace_strict(KIND_LABELS, default=pl.col("kind"), return_dtype=pl.String).alias("类别"),
        pl.col("summary").alias("问题"), pl.col("note").alias("核实说明"))


def overdue_text(p: Placement, calendar: Calendar) -> str:
    """人行湖北省分行·武汉市科技贷款余额（季报）2026年9月：未报送（应于2026年10月20日前报送）."""
    source = calendar.source(p.source_id)
    head = f"{source.agency}·{source.name}{month_label(p.period)}"
    if p.state == "missing":
        return f"{head}：未报送（应于{date_label(p.due)}前报送）"
    if p.received_at is None:
        return f"{head}：逾期"
    corrected = "，后有更正" if p.state == "corrected" else ""
    return f"{head}：逾期{p.days_late}天（应于{date_label(p.due)}前报送，{date_label(p.received_at.date())}报送{corrected}）"


def headline(placements: list[Placement], month: dt.date, n_chase: int, n_open: int) -> list[tuple[str, str]]:
    """The page's four figures: owed this month, on time this month, files to chase (metrics.quality.overdue),
    lines to review."""
    mine = [p for p in placements if p.period == month]
    return [(f"{month.month}月应报", f"{len(mine)}份"), (f"{month.month}月按时", f"{sum(p.state == 'on_time' for p in mine)}份"),
            ("需催报（逾期或未报送）", f"{n_chase}份"), ("待核实问题", f"{n_open}条")]


def checks_caption(checks: Checks) -> str:
    return (f"核对不符：合计与各单位之和、名录汇总与报表数相差超过{pct(checks.reconcile_tolerance)}；"
            f"异常：较上月变动超过{pct(checks.jump_limit, 0)}，或同比增速在各单位中离群"
            f"（中位数绝对偏差法，稳健z值超过{checks.mad_limit:g}）。")


def completeness_sentence(placements: list[Placement], month: dt.date) -> str:
    """截至月份的一句话: 2026年10月应报7份，按时5份、逾期1份、未报送1份."""
    mine = [p for p in placements if p.period == month]
    counts = {s: sum(p.state == s for p in mine) for s in STATE_LABELS}
    parts = "、".join(f"{STATE_LABELS[s]}{n}份" for s, n in counts.items() if n)
    share = pct(counts["on_time"] / len(mine), 0) if mine else "—"
    return f"{month_label(month)}应报{len(mine)}份：{parts or '无'}；按时率{share}。"
