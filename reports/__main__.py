"""Command line: the meeting outputs.

    python -m reports deck --db PATH [--as-of YYYY-MM] --out FILE.pptx
    python -m reports pdf  --db PATH [--as-of YYYY-MM] --out FILE.pdf
    python -m reports png  --db PATH [--as-of YYYY-MM] --out FILE.zip
    python -m reports text --db PATH [--as-of YYYY-MM]             (the narrative, on standard output)
    python -m reports tasks --db PATH [--as-of YYYY-MM] [--json]   (every task of the plans and where it stands)
    python -m reports digest --db PATH [--as-of YYYY-MM] --out digest.md|digest.html   (the morning digest)
    python -m reports peers [--json]                           (the briefing's peer-city figures, quoted)
    python -m reports trends --db PATH [--as-of YYYY-MM] [--json]   (WHC's trend indicators: growth, no status)

Exit codes: 0 done; 1 no database or no data; 2 a bad argument or a missing tool (Chromium, LibreOffice).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from domain.registry import default_registry
from reports.brief import load_brief
from store.cli import command_line, existing_store, month_option, registry_of, run, sub_command

KIND = {"deck": "pptx", "pdf": "pdf", "png": "zip"}


def main(argv: list[str] | None = None) -> int:
    ap, subs = command_line("python -m reports", "会议材料：演示文稿、PDF、图表图片")
    for name, helptext in (("deck", "演示文稿（.pptx）"), ("pdf", "PDF（由演示文稿转换）"), ("png", "全部图表（2倍PNG，.zip）"),
                           ("text", "会议文字稿（输出到屏幕）")):
        p = sub_command(subs, name, helptext, as_of=True)
        if name != "text":
            p.add_argument("--out", required=True, help=f"输出文件（.{KIND[name]}）")
    sub_command(subs, "tasks", "各文件任务及其状态（--json：每项任务一个对象）", as_of=True, json=True)
    p = sub_command(subs, "digest", "每日提醒：目标状态变差、逾期与未报送、待核实的数据问题", as_of=True)
    p.add_argument("--out", required=True, help="输出文件：.md（Markdown）或 .html")
    peers = subs.add_parser("peers", help="兄弟城市对照：简报所载外地与全国数字及原文（--json：每条一个对象）")
    peers.add_argument("--json", action="store_true", help="输出 JSON")
    sub_command(subs, "trends", "WHC 关键指标的趋势（基期以来增长与趋势标签，不判定进度）", as_of=True, json=True)
    return run(ap, {**dict.fromkeys(("deck", "pdf", "png", "text"), cmd_output), "tasks": cmd_tasks,
                    "digest": cmd_digest, "peers": cmd_peers, "trends": cmd_trends}, argv)


def cmd_peers(args: argparse.Namespace) -> int:
    """Every peer figure of data/peers.toml, with its quote and the Wuhan indicators it may be read beside."""
    from domain.peers import default_peers
    from presentation.peers import BRIEFING, NOT_WUHAN, peer_json, peer_line

    peers, registry = default_peers(), default_registry()
    if args.json:
        json.dump([peer_json(p) for p in peers.peers], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{BRIEFING}所载外地与全国数字{len(peers.peers)}条。{NOT_WUHAN}")
    for p in peers.peers:
        print(peer_line(p, registry))
    return 0


def cmd_trends(args: argparse.Namespace) -> int:
    """The plans' trend indicators at --as-of (default: the latest month with data): growth since the baseline and a
    trend label, never a status."""
    from domain.trends import default_trends
    from metrics.series import resolve
    from metrics.standing import latest_month
    from metrics.trend_label import trend_of
    from presentation.trends import NO_STATUS, trend_sentence

    store, as_of = existing_store(args.db), month_option(args.as_of)
    registry, trends = registry_of(store), default_trends()
    series = resolve(store.active_observations(), registry)
    as_of = as_of or latest_month(series)
    if as_of is None:
        print(f"数据库 {args.db} 中还没有任何数据。", file=sys.stderr)
        return 1
    readings = [(t, trend_of(series, t, registry, as_of, trends.thresholds)) for t in trends.trends]
    if args.json:
        out = [{"document": t.document, "indicator": t.indicator, "region": t.region, "wording": t.wording,
                **r.as_json()} for t, r in readings]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"截至{as_of.year}年{as_of.month}月，趋势指标（{NO_STATUS}）：")
    for t, r in readings:
        print(f"- {t.document}：{trend_sentence(t, r, registry)}")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    """The morning digest at --as-of (default: the latest month with data), as Markdown or HTML by --out's suffix."""
    from domain import clock
    from domain.calendar import default_calendar
    from metrics.series import resolve
    from metrics.standing import latest_month
    from reports.digest import gather

    out = Path(args.out)
    if out.suffix.lower() not in (".md", ".html", ".htm"):
        print(f"--out 应以 .md 或 .html 结尾，现为「{out.name}」。", file=sys.stderr)
        return 2
    store, as_of = existing_store(args.db), month_option(args.as_of)
    registry = registry_of(store)
    as_of = as_of or latest_month(resolve(store.active_observations(), registry))
    if as_of is None:
        print(f"数据库 {args.db} 中还没有任何数据，无法生成提醒。", file=sys.stderr)
        return 1
    digest = gather(store, registry, default_calendar(), as_of, clock.today())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(digest.as_markdown() if out.suffix.lower() == ".md" else digest.as_html(), encoding="utf-8")
    print(f"已生成 {out}：逾期与未报送{len(digest.overdue)}项，待核实问题{len(digest.lines)}条，"
          f"状态变差目标{len(digest.worsened)}项。")
    return 0


def cmd_tasks(args: argparse.Namespace) -> int:
    """Every task at --as-of (default: the latest month with data, else this month), one JSON object each."""
    from domain import clock
    from domain.months import month_of
    from domain.tasks import default_tasks
    from metrics.series import resolve
    from metrics.standing import latest_month
    from metrics.tasks import task_standings
    from presentation.tasks import summary_sentence, task_line

    store, as_of = existing_store(args.db), month_option(args.as_of)
    as_of = as_of or latest_month(resolve(store.active_observations(), default_registry())) \
        or month_of(clock.today())
    tasks = default_tasks()
    rows = task_standings(tasks, as_of, store.checkins())  # the units' check-ins set each task's state
    if args.json:
        out = [s.as_json([link.indicator for link in tasks.links_of(s.task.id)]) for s in rows]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(summary_sentence(rows, tasks, as_of))
    for s in rows:
        print(task_line(s))
    return 0


def cmd_output(args: argparse.Namespace) -> int:
    registry = registry_of(existing_store(args.db))
    brief = load_brief(args.db, registry, args.as_of)
    if args.command == "text":
        from reports.narrative import narrative

        sys.stdout.write(narrative(brief, registry).as_text())
        return 0

    from reports.bundle import make

    kind = KIND[args.command]
    out = Path(args.out)
    start = time.perf_counter()
    data = getattr(make(brief, registry, (kind,)), kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"已生成 {out}（{len(data) / 1024:,.0f} KB，用时{time.perf_counter() - start:.1f}秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
