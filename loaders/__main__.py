"""Command line: build the demo database, or ingest agency files.

    python -m loaders demo --db PATH [--workbooks DIR]
    python -m loaders ingest FILE... --db PATH [--dry-run] [--json] [--uploader NAME]
                                  [--map "标题=指标代码"]... [--region-alias "名称=地区"]...
    python -m loaders mappings list [--json] | remove ID
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

from domain.mappings import KINDS
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


# Exit codes of ingest (also in its --help).
EXIT_OK, EXIT_REJECTED, EXIT_NEEDS_ANSWERS = 0, 1, 3
INGEST_EPILOG = ("退出码：0 = 全部导入（或重复文件无需导入）；1 = 有文件因错误未导入；"
                 "3 = 没有错误，但有标题、名称或报告期待确认（needs_answers），请用 --map / --region-alias 回答后重新导入。\n"
                 "--map \"标题=指标代码\"：该列标题对应的指标（代码，如 tech_loan_balance）；\"标题=\" 表示不导入此列。\n"
                 "--region-alias \"名称=地区\"：该行名称对应的地区（标准名称或代码）；\"名称=\" 表示不导入此行。\n"
                 "回答以命令行操作员身份记住：能判断文件的报送单位时（表中注明，或由指标的报送来源判断）只用于该单位的文件，"
                 "否则用于所有单位；报告期的问题请在上传页面回答；"
                 "可用 mappings list 查看、mappings remove ID 删除。")


def _answers(args: argparse.Namespace, registry) -> list[tuple[str, str, str, str]]:
    """--map and --region-alias as (kind, text as written, key, target), each checked against the registry."""
    from domain.errors import UserError
    from domain.mappings import IGNORE
    from loaders import messages as msg
    from loaders.names import Matcher, indicator_key, region_key

    matcher = Matcher(registry)
    out = []
    for option, kind, items in (("--map", "indicator", args.map), ("--region-alias", "region", args.region_alias)):
        for item in items:
            text, sep, target = item.partition("=")
            text, target = text.strip(), target.strip()
            if not sep or not text:
                raise UserError(msg.bad_mapping_option(option, item))
            if kind == "indicator":
                key = indicator_key(text)
                code = target if not target or target in registry.indicators else matcher.indicator_exact(target)
            else:
                key = region_key(text)
                code = target if not target or target in registry.regions else matcher.region(target)
            if code is None:
                raise UserError(msg.unknown_mapping_target(kind, target))
            out.append((kind, text, key, code or IGNORE))
    return out


def cmd_ingest(args: argparse.Namespace) -> int:
    from loaders.ingest import ingest, parse_upload
    from store import Store
    from store.access import operator
    from store.mappings import learn, mappings

    registry = default_registry()
    store = Store(args.db)
    answers = _answers(args, registry)
    results = []
    for name in args.files:
        path = Path(name)
        try:
            content = path.read_bytes()
        except OSError as e:
            results.append({"file": name, "status": "rejected", "source": None, "period": None, "observations": [],
                            "errors": [{"sheet": "", "cell": "", "value": "",
                                        "message": f"无法读取文件：{e.strerror or e}。请检查路径。"}],
                            "warnings": [], "questions": []})
            continue
        if answers:  # kept for the agency the file names (or its figures' usual source), before it is read
            agency = parse_upload(content, path.name, registry, mappings(store)).answer_agency
            for kind, text, key, target in answers:
                learn(store, operator(), kind=kind, text=text, key=key, target=target, agency=agency,
                      file_name=path.name)
        report = ingest(store, content, path.name, registry, uploader=args.uploader, dry_run=args.dry_run)
        results.append(report.as_json(registry))
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for r in results:
            mark = {"ok": "✔", "duplicate": "＝", "rejected": "✘", "needs_answers": "？"}[r["status"]]
            print(f"{mark} {r['file']}：{r.get('message') or r['status']}（{len(r['observations'])}条观测值）")
            for p in r["errors"] + r["warnings"]:
                where = f"{p['sheet']}!{p['cell']}" if p["cell"] else p["sheet"]
                print(f"    {where} {p['value']}：{p['message']}".replace("     ", " "))
            for q in r["questions"]:
                where = f"{q['sheet']}!{q['cell']}" if q["cell"] else q["sheet"]
                hints = "、".join(f"{s['label']}（{s['code']}）" for s in q["suggestions"]) or "无相近项"
                print(f"    {where} {q['value']}：待确认{KINDS.get(q['kind'], q['kind'])}，建议：{hints}")
    statuses = {r["status"] for r in results}
    if statuses <= {"ok", "duplicate"}:
        return EXIT_OK
    return EXIT_REJECTED if "rejected" in statuses else EXIT_NEEDS_ANSWERS


def cmd_mappings(args: argparse.Namespace) -> int:
    from presentation.mappings_table import ANY_AGENCY, answer_label
    from store import Store
    from store.access import operator
    from store.mappings import forget, mappings

    store = Store(args.db)
    if args.action == "remove":
        print(forget(store, operator(), args.id))
        return 0
    registry = default_registry()
    items = mappings(store).items
    if args.json:
        json.dump([{"id": m.id, "kind": m.kind, "agency": m.agency or None, "text": m.text, "key": m.key,
                    "target": m.target, "target_name": answer_label(m.kind, m.target, registry), "created_by": m.created_by,
                    "created_at": m.created_at.isoformat(timespec="seconds"), "file_name": m.file_name,
                    "cell": m.cell} for m in items], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not items:
        print("还没有记住任何对应关系。")
    for m in items:
        print(f"{m.id}\t{KINDS.get(m.kind, m.kind)}\t「{m.text}」→ {answer_label(m.kind, m.target, registry)}"
              f"\t{m.agency or ANY_AGENCY}\t{m.created_by} {m.created_at:%Y-%m-%d %H:%M}")
    return 0


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
    i.add_argument("--map", action="append", default=[], metavar="标题=指标代码",
                   help="回答列标题的问题（可重复）；“标题=” 表示不导入此列")
    i.add_argument("--region-alias", action="append", default=[], metavar="名称=地区",
                   help="回答地区名称的问题（可重复；地区写标准名称或代码）；“名称=” 表示不导入此行")
    i.epilog = INGEST_EPILOG
    i.formatter_class = argparse.RawDescriptionHelpFormatter
    m = subs.add_parser("mappings", help="查看或删除已记住的标题、名称对应关系")
    msubs = m.add_subparsers(dest="action", required=True)
    sub_command(msubs, "list", "列出已记住的对应关系", json=True)
    mr = sub_command(msubs, "remove", "删除一条对应关系（此后的文件遇到它会重新询问）")
    mr.add_argument("id", type=int, help="对应关系编号（见 mappings list）")
    t = sub_command(subs, "template", "生成各报送来源的 Excel 数据模板", db=False)
    t.add_argument("--out", required=True, help="模板存放目录")
    add_users_command(subs)
    b = sub_command(subs, "backup", "备份数据库与全部原始文件（看板运行时也可执行）")
    b.add_argument("--out", required=True, help="备份存放目录（每次在其中新建 tfm-日期-时间/）")
    r = sub_command(subs, "restore", "从备份恢复为新的数据库（先校验备份）")
    r.add_argument("backup", help="备份目录（或存放多份备份的目录：取最新一份）")
    r.add_argument("--force", action="store_true", help="允许替换已存在的数据库（原数据库另存一份）")
    return run(ap, {"demo": cmd_demo, "ingest": cmd_ingest, "template": cmd_template, "users": cmd_users,
                    "backup": cmd_backup, "restore": cmd_restore, "mappings": cmd_mappings}, argv)


if __name__ == "__main__":
    sys.exit(main())
