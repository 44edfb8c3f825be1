"""Command line: build the demo database, or ingest agency files.

    python -m loaders demo --db PATH [--workbooks DIR]
    python -m loaders ingest FILE... --db PATH [--dry-run] [--json] [--uploader NAME]
    python -m loaders template --out DIR
    python -m loaders users add|disable|enable|reset|list ...   (loaders/users_cli.py)
    python -m loaders backup --db PATH --out DIR
    python -m loaders restore DIR --db NEWPATH [--force]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from domain.registry import default_registry
from loaders.users_cli import add_users_command, cmd_users
from store.cli import command_line, run, sub_command


def _progress(done: int, total: int, name: str) -> None:
    if not sys.stderr.isatty():  # in CI logs, one line per tenth instead of a redrawn bar
        if done * 10 // total != (done - 1) * 10 // total:
            print(f"演示数据：{done}/{total}", file=sys.stderr, flush=True)
        return
    width = 30
    filled = width * done // total
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:40]:<40}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_demo(args: argparse.Namespace) -> int:
    from loaders.demo import build_demo

    db = Path(args.db)
    if db.exists():
        print(f"数据库 {db} 已存在。演示数据只写入新数据库：请换一个路径，或先移走该文件。", file=sys.stderr)
        return 1
    workbooks = Path(args.workbooks) if args.workbooks else db.parent / "demo"
    counts = build_demo(db, workbooks, default_registry(), _progress)
    print(f"演示数据库已生成：{db}（{counts['submissions']}份报送，{counts['observations']}条观测值，"
          f"名录{counts['institutions'] + counts['funds'] + counts['seed_firms']}行）；演示报表在 {workbooks}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from loaders.ingest import ingest
    from store import Store

    registry = default_registry()
    store = Store(args.db)
    results = []
    for name in args.files:
        path = Path(name)
        try:
            content = path.read_bytes()
        except OSError as e:
            results.append({"file": name, "status": "rejected", "source": None, "period": None, "observations": [],
                            "errors": [{"sheet": "", "cell": "", "value": "",
                                        "message": f"无法读取文件：{e.strerror or e}。请检查路径。"}],
                            "warnings": []})
            continue
        report = ingest(store, content, path.name, registry, uploader=args.uploader, dry_run=args.dry_run)
        results.append(report.as_json(registry))
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for r in results:
            mark = {"ok": "✔", "duplicate": "＝", "rejected": "✘"}[r["status"]]
            print(f"{mark} {r['file']}：{r.get('message') or r['status']}（{len(r['observations'])}条观测值）")
            for p in r["errors"] + r["warnings"]:
                where = f"{p['sheet']}!{p['cell']}" if p["cell"] else p["sheet"]
                print(f"    {where} {p['value']}：{p['message']}".replace("     ", " "))
    return 0 if all(r["status"] in ("ok", "duplicate") for r in results) else 1


def cmd_template(args: argparse.Namespace) -> int:
    from loaders.templates import write_templates

    paths = write_templates(Path(args.out), default_registry())
    for path in paths:
        print(f"已生成模板：{path}")
    return 0


def _stage_progress(stage: str, done: int, total: int) -> None:
    """Backup and restore progress on standard error: a redrawn bar, or a line per tenth in logs."""
    total = max(total, 1)
    if not sys.stderr.isatty():
        if done == 0 or done * 10 // total != (done - 1) * 10 // total:
            print(f"{stage}：{done}/{total}", file=sys.stderr, flush=True)
        return
    filled = 30 * done // total
    sys.stderr.write(f"\r{stage} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
    sys.stderr.write("\n" if done == total else "")
    sys.stderr.flush()


def cmd_backup(args: argparse.Namespace) -> int:
    # An operator's action on the server (the account that runs the dashboard), never offered in the UI.
    from store.backup import backup

    print(backup(Path(args.db), Path(args.out), _stage_progress).message)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from store.backup import restore

    print(restore(Path(args.backup), Path(args.db), force=args.force, progress=_stage_progress).message)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap, subs = command_line("python -m loaders", "数据导入：演示数据与报表文件")
    d = sub_command(subs, "demo", "生成演示报表并导入新数据库")
    d.add_argument("--workbooks", help="演示报表的存放目录（默认：数据库旁的 demo/）")
    i = sub_command(subs, "ingest", "导入报表文件", json=True)
    i.add_argument("files", nargs="+")
    i.add_argument("--dry-run", action="store_true", help="只校验，不写入数据库")
    i.add_argument("--uploader", default="命令行")
    t = sub_command(subs, "template", "生成各报送来源的 Excel 数据模板", db=False)
    t.add_argument("--out", required=True, help="模板存放目录")
    add_users_command(subs)
    b = sub_command(subs, "backup", "备份数据库与全部原始文件（看板运行时也可执行）")
    b.add_argument("--out", required=True, help="备份存放目录（每次在其中新建 tfm-日期-时间/）")
    r = sub_command(subs, "restore", "从备份恢复为新的数据库（先校验备份）")
    r.add_argument("backup", help="备份目录（或存放多份备份的目录：取最新一份）")
    r.add_argument("--force", action="store_true", help="允许替换已存在的数据库（原数据库另存一份）")
    return run(ap, {"demo": cmd_demo, "ingest": cmd_ingest, "template": cmd_template, "users": cmd_users,
                    "backup": cmd_backup, "restore": cmd_restore}, argv)


if __name__ == "__main__":
    sys.exit(main())
