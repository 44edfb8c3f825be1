"""Command line: the meeting outputs.

    python -m reports deck --db PATH [--as-of YYYY-MM] --out FILE.pptx
    python -m reports pdf  --db PATH [--as-of YYYY-MM] --out FILE.pdf
    python -m reports png  --db PATH [--as-of YYYY-MM] --out FILE.zip
    python -m reports text --db PATH [--as-of YYYY-MM]             (the narrative, on standard output)
    python -m reports tasks --db PATH [--as-of YYYY-MM] [--json]   (every task of the plans and where it stands)
    python -m reports digest --db PATH [--as-of YYYY-MM] --out digest.md|digest.html   (the morning digest)

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
from store.cli import command_line, run, sub_command

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
    return run(ap, {**dict.fromkeys(("deck", "pdf", "png", "text"), cmd_output), "tasks": cmd_tasks,
                    "digest": cmd_digest}, argv)


def cmd_digest(args: argparse.Namespace) -> int:
    """The morning digest at --as-of (default: the latest month with data), as Markdown or HTML by --out's suffix."""
    from domain import clock
    from domain.calendar import default_calendar
    from domain.months import parse_month_key
    from metrics.series import resolve
    from metrics.standing import latest_month
    from reports.digest import gather
    from store import Store

    out = Path(args.out)
    if out.suffix.lower() not in (".md", ".html", ".htm"):
        print(f"--out 应以 .md 或 .html 结尾，现为「{out.name}」。", file=sys.stderr)
        return 2
    if not Path(args.db).exists():
        print(f"数据库 {args.db} 不存在。请先导入数据，或用 python -m loaders demo --db {args.db} 生成演示数据库。",
              file=sys.stderr)
        return 1
    try:
        as_of = parse_month_key(args.as_of) if args.as_of else None
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    registry, store = default_registry(), Store(args.db)
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
    from domain.months import month_of, parse_month_key
    from domain.tasks import default_tasks
    from metrics.series import resolve
    from metrics.standing import latest_month
    from metrics.tasks import task_standings
    from presentation.tasks import summary_sentence, task_line
    from store import Store

    if not Path(args.db).exists():
        print(f"数据库 {args.db} 不存在。请先导入数据，或用 python -m loaders demo --db {args.db} 生成演示数据库。",
              file=sys.stderr)
        return 1
    try:
        as_of = parse_month_key(args.as_of) if args.as_of else None
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    as_of = as_of or latest_month(resolve(Store(args.db).active_observations(), default_registry())) \
        or month_of(clock.today())
    tasks = default_tasks()
    rows = task_standings(tasks, as_of)
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
    registry = default_registry()
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
