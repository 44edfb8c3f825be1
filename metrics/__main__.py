"""Command line: where every target stands.

    python -m metrics report --db PATH [--as-of YYYY-MM] [--json] [--by-region]

--json: one object per target (metrics.standing.Standing.as_json: the standing, then the trajectory
figures of metrics/trajectory.py). --by-region: after each target, one object (or line) per unit that
sums to its region, judged against the unit's sub-target where data/targets.toml sets one (while the
database holds demo data, also data/demo_subtargets.toml's examples).
"""

from __future__ import annotations

import argparse
import json
import sys

from domain.months import month_label
from metrics.series import resolve
from metrics.standing import latest_month, standings, standings_by_region
from store.cli import command_line, existing_store, month_option, registry_of, run, sub_command


def cmd_report(args: argparse.Namespace) -> int:
    store, as_of = existing_store(args.db), month_option(args.as_of)
    registry = registry_of(store)
    series = resolve(store.active_observations(), registry)
    as_of = as_of or latest_month(series)
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
