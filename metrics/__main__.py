"""Command line: where every target stands.

    python -m metrics report --db PATH [--as-of YYYY-MM] [--json] [--by-region]

--json: one object per target (metrics.standing.Standing.as_json: the standing, then the trajectory
figures of metrics/trajectory.py). --by-region: after each target, one object (or line) per unit that
sums to its region, judged against the unit's sub-target where data/targets.toml sets one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from domain.months import month_label, parse_month_key
from domain.registry import default_registry
from metrics.series import resolve
from metrics.standing import latest_month, standings, standings_by_region
from store import Store
from store.cli import command_line, run, sub_command


def cmd_report(args: argparse.Namespace) -> int:
    registry = default_registry()
    if not Path(args.db).exists():
        print(f"数据库 {args.db} 不存在。请先导入数据，或用 python -m loaders demo --db {args.db} 生成演示数据库。",
              file=sys.stderr)
        return 1
    series = resolve(Store(args.db).active_observations(), registry)
    try:
        as_of = parse_month_key(args.as_of) if args.as_of else latest_month(series)
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    if as_of is None:
        print("数据库中还没有任何数据。", file=sys.stderr)
        return 1
    rows = standings_by_region(series, registry, as_of) if args.by_region else standings(series, registry, as_of)
    if args.json:
        json.dump([s.as_json() for s in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    from presentation.sentences import outlook_sentence, target_sentence

    print(f"截至{month_label(as_of)}，各目标进展：")
    for s in rows:
        indent = "  " if s.region_code != registry.targets[s.target_id].region else ""
        print(f"{indent}- {target_sentence(s, registry)}{outlook_sentence(s, registry)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap, subs = command_line("python -m metrics", "目标进展报告")
    r = sub_command(subs, "report", "每个目标的进展", as_of=True, json=True)
    r.add_argument("--by-region", action="store_true", help="同时列出目标所在地区的各下级单位（有分解目标的按分解目标判断）")
    return run(ap, {"report": cmd_report}, argv)


if __name__ == "__main__":
    sys.exit(main())
