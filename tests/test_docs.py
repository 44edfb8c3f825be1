"""README.md is kept true by the code: its architecture names every package and module, and every
`python -m PACKAGE COMMAND` it shows is a real command (datasette's tests/test_docs.py does the same for its docs).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re

import pytest

from tests.paths import ROOT

README = ROOT / "README.md"
SKIP_DIRS = {"__pycache__"}
# Modules that need no mention: package plumbing, and the tests pytest finds by their names.
UNNAMED = re.compile(r"^(__init__|__main__|conftest|test_\w+)\.py$")
COMMAND = re.compile(r"python3? -m (\w+) ([a-z][\w-]*(?:\|[a-z][\w-]*)*)")


def section(title: str) -> str:
    """README's `## title` section, up to the next `## ` heading."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def architecture_rows() -> dict[str, str]:
    """The architecture table: `folder/` (or `file.py`) → its row."""
    rows = {}
    for line in section("Architecture").splitlines():
        if m := re.match(r"\|\s*`([^`]+)`\s*\|", line):
            rows[m.group(1)] = line
    return rows


def package_folders() -> list[str]:
    """The repository's top-level folders that hold Python files."""
    return sorted(p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")
                  and p.name not in {"__pycache__", "artifacts"} and any(p.rglob("*.py")))


def commands_in(text: str) -> set[tuple[str, str]]:
    """(package, sub-command) of every `python -m package sub` or `python -m package a|b|c` in `text`."""
    return {(pkg, sub) for pkg, subs in COMMAND.findall(text) for sub in subs.split("|")}


def cli_packages() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/__main__.py"))


def run_main(package: str, argv: list[str]) -> tuple[int | str | None, str]:
    """The package's `main(argv)` in this process: its exit code and what it printed."""
    main = importlib.import_module(f"{package}.__main__").main
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = main(argv)
        except SystemExit as e:
            code = e.code
    return code, out.getvalue()


def sub_commands(package: str) -> set[str]:
    """The sub-commands `python -m package --help` offers ({a,b,c} in its usage line)."""
    code, text = run_main(package, ["--help"])
    assert code == 0, text
    match = re.search(r"\{([\w,-]+)\}", text)
    assert match, f"python -m {package} --help names no sub-commands:\n{text}"
    return set(match.group(1).split(","))


def test_the_architecture_table_lists_every_package_folder():
    rows = architecture_rows()
    folders = package_folders()
    assert {"domain", "store", "loaders", "metrics", "presentation", "charts", "reports", "pages"} <= set(folders)
    missing = [f"{folder}/" for folder in folders if f"{folder}/" not in rows]
    assert not missing, f"README.md's architecture table has no row for {missing}"


def test_every_module_is_named_in_the_architecture():
    """A module counts as named in its folder's row (as `name.py`) or by its path anywhere in the section."""
    text, rows = section("Architecture"), architecture_rows()
    missing = []
    for folder in package_folders():
        row = rows.get(f"{folder}/", "")
        for path in sorted((ROOT / folder).rglob("*.py")):
            if UNNAMED.match(path.name) or SKIP_DIRS & set(path.parts):
                continue
            rel = path.relative_to(ROOT).as_posix()
            if not re.search(rf"(?<![\w/]){re.escape(path.name)}", row) and rel not in text:
                missing.append(rel)
    assert not missing, ("README.md's architecture section does not name these modules (in their folder's row, "
                         f"or by path): {missing}")


def test_every_command_in_the_readme_exists():
    text = README.read_text(encoding="utf-8")
    shown = commands_in(text)
    assert {pkg for pkg, _ in shown} >= {"loaders", "metrics", "reports"}
    broken = []
    for pkg, sub in sorted(shown):
        if pkg not in cli_packages():
            broken.append(f"python -m {pkg} {sub}: {pkg}/__main__.py does not exist")
            continue
        code, out = run_main(pkg, [sub, "--help"])
        if code != 0:
            broken.append(f"python -m {pkg} {sub}: exit {code}: {out.strip().splitlines()[-1:]}")
    assert not broken, "README.md shows commands that do not run:\n" + "\n".join(broken)


@pytest.mark.parametrize("package", cli_packages())
def test_every_command_is_documented_in_its_module_and_the_readme(package):
    """Each sub-command the parser offers is in the package's __main__ docstring and in README.md."""
    module = importlib.import_module(f"{package}.__main__")
    offered = {(package, sub) for sub in sub_commands(package)}
    in_docstring = commands_in(module.__doc__ or "")
    in_readme = commands_in(README.read_text(encoding="utf-8"))
    assert in_docstring <= offered, f"{package}/__main__.py documents commands it lacks: {in_docstring - offered}"
    assert offered <= in_docstring, f"{package}/__main__.py's docstring omits {sorted(offered - in_docstring)}"
    assert offered <= in_readme, f"README.md omits {sorted(offered - in_readme)}"


def test_the_command_parser_is_read_correctly():
    assert commands_in("`.venv/bin/python -m reports deck|pdf|png --db X` and python -m loaders demo --db P") == {
        ("reports", "deck"), ("reports", "pdf"), ("reports", "png"), ("loaders", "demo")}
    code, out = run_main("metrics", ["no-such-command", "--help"])
    assert code == 2 and "invalid choice" in out  # what a stale README command gets
