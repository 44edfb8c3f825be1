"""Every target in one compact table, for printing and for a phone (总览's 表格视图): 指标, 地区, 目标, 截至, 实际,
按序时进度应达, 差/超, 完成, 状态 — the same figures the cards show, in the same words (presentation.sentences).

`targets_rows` gives the rows as text; `targets_table_html` draws them as one HTML table with `TABLE_CSS`: on a
narrow screen each target becomes a block of label–value lines (nothing is cut at the right edge), and in print
the overview is this table alone. Every text is escaped.
"""

from __future__ import annotations

from html import escape

from domain.model import Registry
from domain.months import month_label
from metrics.standing import Standing
from presentation.fmt import pct, qty, status_text
from presentation.sentences import schedule, target_label

COLUMNS = ("指标", "地区", "目标", "截至", "实际", "按序时进度应达", "差/超", "完成", "状态")
NARROW = 640  # px: below this width a row is a block of lines (a phone)


def targets_rows(rows: list[Standing], registry: Registry) -> list[dict[str, str]]:
    """One row per target, as text: the value and the value due as shown on the cards, the difference between
    those two shown figures (差25家 / 超224.2亿元 / 持平; — without a path), the status by symbol and label."""
    out = []
    for s in rows:
        ind = registry.indicators[s.indicator_code]
        style = registry.statuses[s.status]
        plan = schedule(s, ind)
        out.append({
            "指标": ind.short_zh,
            "地区": registry.regions[s.region_code].name,
            "目标": f"{s.deadline.year}年底{target_label(s, registry)}",
            "截至": month_label(s.as_of) if s.as_of else "—",
            "实际": plan.actual if plan else qty(s.value, ind.unit, ind.decimals),
            "按序时进度应达": plan.due if plan else "—",
            "差/超": plan.verdict if plan else "—",
            "完成": pct(s.completion),
            "状态": status_text(style),
        })
    return out


TABLE_CSS = f"""<style>
.tfm-targets {{width: 100%; border-collapse: collapse; font-size: 0.95rem; line-height: 1.45}}
.tfm-targets caption {{text-align: left; font-weight: 600; padding: 0 0 0.4rem}}
.tfm-targets th, .tfm-targets td {{border-bottom: 1px solid #d1d5db; padding: 0.35rem 0.5rem; text-align: left;
  vertical-align: top}}
.tfm-targets th {{background: #f3f4f6; font-weight: 600; white-space: nowrap}}
.tfm-targets td.n {{text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums}}
.tfm-targets .plan td {{background: #f9fafb; font-weight: 600}}
.tfm-print-only {{display: none}}
@media (max-width: {NARROW}px) {{
  .tfm-targets, .tfm-targets tbody, .tfm-targets tr, .tfm-targets td {{display: block; width: 100%;
    box-sizing: border-box}}
  .tfm-targets thead {{display: none}}
  .tfm-targets caption {{display: block; width: 100%}}
  .tfm-targets tr {{border: 1px solid #d1d5db; border-radius: 0.4rem; margin: 0 0 0.6rem; padding: 0.3rem 0}}
  .tfm-targets .plan {{border: none; margin: 0.8rem 0 0.3rem; padding: 0}}
  .tfm-targets td, .tfm-targets td.n {{border: none; padding: 0.1rem 0.6rem; text-align: left; white-space: normal}}
  .tfm-targets td[data-label]::before {{content: attr(data-label) "："; color: #6b7280}}
  .tfm-targets td.head {{font-weight: 600}}
}}
@media print {{
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]:not(:has(.tfm-targets)) {{
    display: none !important}}
  .tfm-print-only {{display: block !important}}
  .tfm-targets {{font-size: 10pt}}
  .tfm-targets tr {{break-inside: avoid}}
}}
</style>"""

NUMERIC = {"实际", "按序时进度应达", "差/超", "完成"}


def targets_table_html(groups: list[tuple[str, list[Standing]]], registry: Registry, *, caption: str,
                       print_only: bool = False) -> str:
    """`groups`: (heading, standings) per plan, as the overview groups them; `caption` heads the table (the title
    and 截至… of a printed page). `print_only`: drawn in print only (the cards are the screen's view)."""
    head = "".join(f"<th>{escape(c)}</th>" for c in COLUMNS)
    body = []
    for heading, rows in groups:
        if not rows:
            continue
        body.append(f'<tr class="plan"><td colspan="{len(COLUMNS)}">{escape(heading)}</td></tr>')
        for row in targets_rows(rows, registry):
            cells = []
            for c in COLUMNS:
                if c == "指标":  # the row's heading on a phone: no label before it
                    cells.append(f'<td class="head">{escape(row[c])}</td>')
                else:
                    cls = ' class="n"' if c in NUMERIC else ""
                    cells.append(f'<td{cls} data-label="{escape(c)}">{escape(row[c])}</td>')
            body.append(f"<tr>{''.join(cells)}</tr>")
    table = (f'<table class="tfm-targets"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
             f"<tbody>{''.join(body)}</tbody></table>")
    return f'<div class="tfm-print-only">{table}</div>' if print_only else table
