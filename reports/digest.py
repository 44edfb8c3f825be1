"""The morning digest an office mails (python -m reports digest): targets whose status worsened since last month,
sources overdue (each with its agency and 未报送 or 逾期), and the lines of 数据质量 no one has marked 已核实.

Gathered once (`gather`, from the store through metrics), written as Markdown or HTML. Text that came with an
upload (file names, sheet names, agencies as the file gave them) is escaped in both: in HTML every piece of text
goes through html.escape, in Markdown through presentation.fmt.md_text.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field

from domain.calendar import Calendar, month_ends
from domain.model import Registry
from domain.months import add_months, month_label
from metrics import quality as q
from metrics.series import resolve
from metrics.standing import standings
from presentation import quality as view
from presentation.fmt import date_label, md_text
from store import Store
from store import quality as reviews_store

TITLE = "武汉科技金融目标监测·每日提醒"


@dataclass(frozen=True)
class Digest:
    as_of: dt.date
    today: dt.date
    worsened: list[str] = field(default_factory=list)  # 武汉市科技保险在库产品数：进度正常 → 需加快
    overdue: list[str] = field(default_factory=list)  # presentation.quality.overdue_text
    lines: list[tuple[str, str, str]] = field(default_factory=list)  # (kind label, summary, where)

    @property
    def empty(self) -> bool:
        return not (self.worsened or self.overdue or self.lines)

    def _sections(self, upload_text: Callable[[str], str]) -> list[tuple[str, list[str], str]]:
        """(heading, items, what to say when there are none), with `upload_text` applied to what came with an
        upload (where a line was read: the file and sheet names)."""
        return [
            (f"目标状态变差（与{month_label(add_months(self.as_of, -1))}相比）", self.worsened, "无目标状态变差。"),
            ("逾期与未报送", self.overdue, "各来源均已按时报送。"),
            (f"待核实的数据问题（{len(self.lines)}条）",
             [f"【{k}】{s}（{upload_text(w)}）" for k, s, w in self.lines], "没有待核实的问题。"),
        ]

    def as_markdown(self) -> str:
        out = [f"# {TITLE}", "", f"截至{month_label(self.as_of)}，生成于{date_label(self.today)}。", ""]
        for heading, items, none in self._sections(md_text):
            out += [f"## {heading}", ""]
            out += [f"- {item}" for item in items] if items else [none]
            out.append("")
        out.append("详情见仪表板“数据质量”页（/quality）。")
        return "\n".join(out) + "\n"

    def as_html(self) -> str:
        e = html.escape
        body = [f"<h1>{e(TITLE)}</h1>", f"<p>截至{e(month_label(self.as_of))}，生成于{e(date_label(self.today))}。</p>"]
        for heading, items, none in self._sections(str):  # everything is escaped below
            body.append(f"<h2>{e(heading)}</h2>")
            body.append("<ul>" + "".join(f"<li>{e(item)}</li>" for item in items) + "</ul>" if items
                        else f"<p>{e(none)}</p>")
        body.append("<p>详情见仪表板“数据质量”页（/quality）。</p>")
        return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
                f"<title>{e(TITLE)}</title></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n")


def gather(store: Store, registry: Registry, calendar: Calendar, as_of: dt.date, today: dt.date) -> Digest:
    """What the digest says for the month `as_of` on `today`."""
    subs, obs = store.submissions(), store.active_observations()
    months = month_ends(as_of, calendar.checks.window_months)
    series = resolve(obs, registry)
    now = {s.target_id: s for s in standings(series, registry, as_of)}
    before = {s.target_id: s.status for s in standings(series, registry, add_months(as_of, -1))}
    worsened = []
    for target_id, was, is_ in q.worsened(before, {t: s.status for t, s in now.items()}):
        s = now[target_id]
        name = f"{registry.regions[s.region_code].name}{registry.indicators[s.indicator_code].name_zh}"
        worsened.append(f"{name}：{registry.statuses[was].label} → {registry.statuses[is_].label}")
    placements = q.place(calendar, subs, months, today)
    overdue = [view.overdue_text(p, calendar) for p in q.overdue(placements)]
    lines = q.reconciliation(obs, registry, calendar.checks, months) + q.anomalies(obs, registry, calendar.checks,
                                                                                  months)
    open_lines = q.unresolved(lines, reviews_store.reviews(store)["line_key"].to_list())
    return Digest(as_of, today, worsened, overdue,
                  [(view.KIND_LABELS[x.kind], view.line_summary(x, registry), view.where_text(x)) for x in open_lines])
