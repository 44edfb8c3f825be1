"""The project's modules form layers without cycles, read from their source with `ast`.

Bottom to top: domain < store < loaders = metrics < presentation < charts < reports < pages < dashboard.py.
A module may import its own layer's modules and those of the layers below it, never one above, and never
its sibling (loaders and metrics). Entry points (`*/__main__.py`, dashboard.py, dev.py, bench/, tests/,
the data/ scripts) may import any layer, but no layered module may import them, and nothing may form a
cycle. Imports inside functions and under `if TYPE_CHECKING:` count: they are dependencies all the same.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.paths import ROOT

LAYERS = {"domain": 0, "store": 1, "loaders": 2, "metrics": 2, "presentation": 3, "charts": 4, "reports": 5,
          "pages": 6, "dashboard": 7}
ENTRY_FOLDERS = {"bench", "tests", "data", "tools"}  # scripts and tests, outside the layer order
ENTRY_MODULES = {"dashboard", "dev"}
SKIP_DIRS = {".venv", ".git", "__pycache__", "artifacts", ".cache"}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        where = module_path(self.importer) if self.importer in project_modules() else self.importer
        return f"{where}:{self.line} imports {self.imported}"


@cache
def project_modules() -> dict[str, Path]:
    """Dotted module name → file, for every .py file of the repository."""
    out = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts):
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def module_path(name: str) -> str:
    return project_modules()[name].relative_to(ROOT).as_posix()


def _project_target(name: str) -> str | None:
    """The project module `name` stands for: itself, else its longest prefix that is one; None if not ours."""
    modules = project_modules()
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in modules:
            return ".".join(parts[:n])
    return None


def imports_of(name: str) -> list[Import]:
    path = project_modules()[name]
    return imports_in(path.read_text(encoding="utf-8"), name, is_package=path.name == "__init__.py")


def imports_in(source: str, name: str, *, is_package: bool = False) -> list[Import]:
    """The project modules that the source of module `name` imports, anywhere in it."""
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            # `from pkg import mod` imports the module pkg.mod when there is one, else a name of pkg
            targets = []
            for alias in node.names:
                sub = f"{origin}.{alias.name}" if origin else alias.name
                targets.append(sub if sub in project_modules() or not origin else origin)
        for target in targets:
            resolved = _project_target(target)
            if resolved is not None and resolved != name:
                found.append(Import(name, resolved, node.lineno))
    return found


def layer(name: str) -> str | None:
    """The layer a module belongs to; None for an entry point."""
    top = name.split(".")[0]
    if name in ENTRY_MODULES or top in ENTRY_FOLDERS or name.endswith("__main__"):
        return None
    return top


def test_every_module_has_a_layer_or_is_an_entry_point():
    unknown = sorted(module_path(m) for m in project_modules() if layer(m) is not None and layer(m) not in LAYERS)
    assert not unknown, f"modules outside every layer (add their folder to LAYERS or ENTRY_FOLDERS): {unknown}"


def layer_violations(imports: list[Import]) -> list[str]:
    out = []
    for imp in imports:
        mine, theirs = layer(imp.importer), layer(imp.imported)
        if mine is None or mine not in LAYERS or theirs == mine:
            continue
        if theirs is None:
            out.append(f"{imp}: an entry point")
        elif theirs not in LAYERS or LAYERS[theirs] > LAYERS[mine]:
            out.append(f"{imp}: {mine} is below {theirs}")
        elif LAYERS[theirs] == LAYERS[mine]:
            out.append(f"{imp}: {mine} and {theirs} are siblings")
    return out


def test_no_layer_imports_a_layer_above_it_or_its_sibling():
    violations = layer_violations([imp for name in sorted(project_modules()) for imp in imports_of(name)])
    assert not violations, f"{len(violations)} imports against the layers:\n" + "\n".join(violations)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _one_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest cycle through the component's first module, to show where to cut."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return component


def test_no_import_cycles():
    graph = {name: {imp.imported for imp in imports_of(name)} for name in project_modules()}
    cycles = _cycles(graph)
    assert not cycles, f"{len(cycles)} import cycles:\n" + "\n".join(
        f"{' → '.join(_one_cycle(graph, c))}   (all in the cycle: {', '.join(c)})" for c in cycles)


# -- the checks themselves, on made-up graphs ----------------------------------------------------------------


def test_a_cycle_is_found_and_a_chain_is_not():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _one_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_upward_sibling_and_entry_point_imports_are_violations():
    made_up = [Import("domain.months", "pages.common", 1), Import("loaders.ingest", "metrics.series", 2),
               Import("store.database", "loaders.__main__", 3), Import("charts.gauge", "tests.paths", 4),
               Import("reports.deck", "charts.gauge", 5), Import("metrics.series", "metrics.progress", 6),
               Import("loaders.__main__", "pages.common", 7), Import("dashboard", "pages.common", 8)]
    assert [v.split(": ")[-1] for v in layer_violations(made_up)] == [
        "domain is below pages", "loaders and metrics are siblings", "an entry point", "an entry point"]


def test_imports_at_module_level_inside_functions_and_relative_are_read():
    source = """
from __future__ import annotations
import json
from typing import TYPE_CHECKING
from domain.months import month_key
from . import series
from .. import store
if TYPE_CHECKING:
    from charts import gauge

def f():
    import reports.deck
    from .standing import Standing
"""
    found = {imp.imported for imp in imports_in(source, "metrics.changes")}
    assert found == {"domain.months", "metrics.series", "store", "charts.gauge", "reports.deck", "metrics.standing"}
    assert "loaders.demo" in {imp.imported for imp in imports_of("loaders.__main__")}  # inside cmd_demo
