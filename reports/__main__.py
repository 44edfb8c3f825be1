"""Command line: the meeting outputs.

    python -m reports deck --db PATH [--as-of YYYY-MM] --out FILE.pptx
    python -m reports pdf  --db PATH [--as-of YYYY-MM] --out FILE.pdf
    python -m reports png  --db PATH [--as-of YYYY-MM] --out FILE.zip
    python -m reports text --db PATH [--as-of YYYY-MM]             (the narrative, on standard output)

Exit codes: 0 done; 1 no database or no data; 2 a bad argument or a missing tool (Chromium, LibreOffice).
"""

from __future__ import annotations

import argparse
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
    return run(ap, dict.fromkeys(("deck", "pdf", "png", "text"), cmd_output), argv)


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
