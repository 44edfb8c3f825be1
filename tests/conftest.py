"""Shared fixtures: the registries, the demo database (built once, cached between runs), a page opener,
and golden files for long generated text (`pytest --update-golden` rewrites them)."""

from __future__ import annotations

import difflib
import fcntl
import hashlib
import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from domain.model import Registry
from domain.registry import DATA_DIR, load_registry
from tests.paths import GOLDEN, ROOT

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

# Everything the demo database is built from: the loader and what it imports (domain/, store/), the
# registries and the schema. A change to any of them, or to a library below, builds it afresh.
DEMO_INPUTS = ("domain/**/*.py", "store/**/*.py", "store/migrations/*.sql", "loaders/**/*.py", "data/*.toml")
DEMO_LIBRARIES = ("duckdb", "openpyxl", "polars", "python-calamine", "fastexcel")
DEMO_CACHE = ROOT / ".cache" / "demo-db"
DEMO_CACHE_KEEP = 4  # other checkouts' states (branches, a colleague's edits) stay usable


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the code instead of comparing with it")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest files first, so that parallel workers (dev.py test: one file per worker at a time) end together:
    the browser tests' files, then those on the demo database, then the rest; collection order within each.
    (A group of files on one worker, --dist loadgroup, would need pytest-xdist to set a test's id the way
    pytest 9.2 keeps it: xdist 3.8.0 sets a field pytest no longer reads.)"""
    def weight(item: pytest.Item) -> int:
        module = item.getparent(pytest.Module)
        return weights.setdefault(module, 0 if any(i.get_closest_marker("browser") for i in by_module[module]) else
                                  1 if any("demo_db" in i.fixturenames for i in by_module[module]) else 2)

    by_module: dict[object, list[pytest.Item]] = {}
    for item in items:
        by_module.setdefault(item.getparent(pytest.Module), []).append(item)
    weights: dict[object, int] = {}
    items.sort(key=weight)  # stable: each module's tests keep their order


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(DATA_DIR)


@pytest.fixture(scope="session")
def demo_registry() -> Registry:
    """The registries as the pages and the command lines read them for the demo database: with the demo's example
    split of the loans target over the units (data/demo_subtargets.toml). (A test module working on the demo database
    may rename it `registry`: neither this nor demo_db asks for that fixture.)"""
    from domain.registry import with_demo_subtargets

    return with_demo_subtargets(load_registry(DATA_DIR))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/*.toml that a test may break."""
    target = tmp_path / "data"
    target.mkdir()
    for path in DATA_DIR.glob("*.toml"):
        shutil.copy(path, target / path.name)
    return target


def demo_key() -> str:
    """sha256 of every file and library version the demo database depends on."""
    h = hashlib.sha256(sys.version.encode())
    for name in DEMO_LIBRARIES:
        try:
            h.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} absent".encode())
    files = sorted({p for pattern in DEMO_INPUTS for p in ROOT.glob(pattern) if p.is_file()})
    for path in files:
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:24]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the demo database (a DuckDB file is opened for writing by one process at a time),
    copied from .cache/demo-db/, where it is built through the real loader when anything it is built from has
    changed. Built once for all pytest-xdist workers and concurrent runs: the first to need it builds under a
    file lock while the others wait for it. Delete that folder to force a build."""
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    cached = DEMO_CACHE / f"{demo_key()}.duckdb"
    if not cached.exists():
        DEMO_CACHE.mkdir(parents=True, exist_ok=True)
        with open(DEMO_CACHE / "build.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed, also if this process dies
            if not cached.exists():
                _build_demo_cache(cached, tmp_path_factory.mktemp("demo-build"), load_registry(DATA_DIR))
    shutil.copy(cached, db)
    return db


def _build_demo_cache(cached: Path, folder: Path, registry: Registry) -> None:
    from loaders.demo import build_demo

    db = folder / "demo.duckdb"
    build_demo(db, folder / "workbooks", registry)
    assert not db.with_name(db.name + ".wal").exists(), "the demo build left a WAL: the copy would be incomplete"
    partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
    shutil.copy(db, partial)
    os.replace(partial, cached)  # atomic: a concurrent run sees the whole file or none
    for old in sorted(DEMO_CACHE.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)[DEMO_CACHE_KEEP:]:
        old.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def demo_dashboard(demo_db: Path) -> Iterator[str]:
    """The base URL of the dashboard on demo_db, for the browser tests that only read: one per test process,
    started at its first use (a start and its first imports cost about two CPU-seconds). A test that writes, logs
    in or needs a fresh server starts its own."""
    from tests.streamlit_server import dashboard

    with dashboard(demo_db) as url:
        yield url


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo database a test may write to."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    return db


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every time the process opens a database file from now on."""
    import store.database

    seen: list[str] = []
    connect = store.database._connect_file

    def counting(path):
        seen.append(str(path))
        return connect(path)

    monkeypatch.setattr(store.database, "_connect_file", counting)
    return seen


# -- pages ---------------------------------------------------------------------------------------------------

_COMPONENT_MANIFESTS: dict[str, list] = {}


def _scanned_once(scan: Callable[..., list]) -> Callable[..., list]:
    """Streamlit's scan of the installed packages for components, done once per test process. Each new AppTest
    scans them all again (parsing every package's metadata: 0.17 s, a third of a typical page test); a server
    scans once at its start, and what is installed does not change during a test run."""
    def scan_once(*args, **kwargs) -> list:
        if "found" not in _COMPONENT_MANIFESTS:
            _COMPONENT_MANIFESTS["found"] = scan(*args, **kwargs)
        return list(_COMPONENT_MANIFESTS["found"])

    return scan_once


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> Iterator[Callable[..., AppTest]]:
    """open_page(page, db=…, data_dir=…, **query) → the AppTest of dashboard.py after a link to `page` (a path like
    "pages/indicator.py"; None: the default page, 总览) with `query` in its URL was opened, checked to have run
    without an exception and through dashboard.py (registry check, banner, 地区, st.navigation).

    dashboard.py turns a page's exception into a Chinese sentence and a log record; a test fails when any
    run it made (also after clicks) logged one.
    """
    from streamlit.components.v2 import manifest_scanner
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(manifest_scanner, "scan_component_manifests",
                        _scanned_once(manifest_scanner.scan_component_manifests))
    # AppTest starts every run in Streamlit's pages-folder mode, where a file of pages/ runs on its own, without
    # dashboard.py (pages/common.py hands such a run back only the first time it is imported). A server leaves
    # that mode at its first st.navigation for good; so do the tests, before each run.
    init = PagesManager.__init__

    def navigation_mode(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", navigation_mode)

    def open_(page: str | None = None, *, db: Path, data_dir: Path | None = None, **query: str) -> AppTest:
        monkeypatch.setenv("TFM_DB", str(db))
        if data_dir is None:
            monkeypatch.delenv("TFM_DATA_DIR", raising=False)
        else:
            monkeypatch.setenv("TFM_DATA_DIR", str(data_dir))
        monkeypatch.chdir(ROOT)
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        for key, value in query.items():
            at.query_params[key] = value
        if page is not None:
            at.switch_page(page)  # before any run AppTest finds the page by its file name, which is its url_path
        at.run()
        assert not at.exception, at.exception
        if page is not None:
            registered = at._registered_pages
            ran = registered.get(at._finished_page_script_hash, {}).get("script_path")
            routed = all(Path(str(info.get("script_path"))).name != "dashboard.py" for info in registered.values())
            assert ran and Path(ran).resolve() == (ROOT / page).resolve() and routed, \
                f"asked for {page} through dashboard.py; ran {ran}{'' if routed else ' on its own'}"
        return at

    caplog.set_level(logging.ERROR, logger="dashboard")
    yield open_
    failures = [r for r in caplog.records if r.name == "dashboard" and r.levelno >= logging.ERROR]
    trace = logging.Formatter().formatException
    assert not failures, "a page failed: " + "\n".join(
        f"{r.getMessage()}\n{trace(r.exc_info) if r.exc_info else ''}" for r in failures)


# -- accounts ------------------------------------------------------------------------------------------------


@pytest.fixture
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its lowest cost in this process: the same code path, a fraction of the CPU (the product keeps
    the library's defaults; a login on a stronger setting rehashes)."""
    from store import accounts
    from tests.streamlit_server import cheap_hasher

    monkeypatch.setattr(accounts, "_hasher", cheap_hasher)
    accounts._decoy_hash.cache_clear()


@pytest.fixture
def sign_in(cheap_hashes: None) -> Callable[..., AppTest]:
    """sign_in(at, db, role="analyst", name=…, unit=…) → `at` after an account of that role (made in `db` as the
    command line makes it) logged in through the sidebar's 用户名 / 密码 / 登录 form."""
    from tests.streamlit_server import TEST_PASSWORD, make_account

    def sign_in_(at: AppTest, db: Path, role: str = "analyst", *, name: str | None = None,
                 unit: str | None = None) -> AppTest:
        name = make_account(db, name or f"测试{role}", role, unit)
        at.text_input(key="login_name").input(name)
        at.text_input(key="login_password").input(TEST_PASSWORD)
        at.button(key="login_submit").click().run()
        assert not at.exception, at.exception
        assert any(f"已登录：**{name}**" in c.value for c in at.sidebar.caption), "the login did not take"
        return at

    return sign_in_


# -- golden files --------------------------------------------------------------------------------------------


def _first_difference(line: int, expected: str, actual: str) -> str:
    """Where two long lines part, with some context: a long Chinese sentence in a diff is hard to scan."""
    i = next((k for k, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
             min(len(expected), len(actual)))
    start = max(0, i - 20)
    return (f"line {line} differs from character {i + 1}:\n  expected …{expected[start:i + 30]}…\n"
            f"  got      …{actual[start:i + 30]}…")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """golden(name, text): `text` must equal tests/golden/<name>; with --update-golden it is written there.

    On a difference the failure shows a unified diff, and for each changed line where it first differs.
    """
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update:
            if not path.exists() or path.read_text(encoding="utf-8") != actual:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(actual, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"tests/golden/{name} does not exist: run `pytest --update-golden` to write it, then "
                        "read it before committing.", pytrace=False)
        expected = path.read_text(encoding="utf-8")
        if actual == expected:
            return
        old, new = expected.splitlines(), actual.splitlines()
        diff = list(difflib.unified_diff(old, new, f"tests/golden/{name}", "generated now", lineterm=""))
        diff.append("")
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            if tag == "replace":
                diff += [_first_difference(i1 + k + 1, a, b)
                         for k, (a, b) in enumerate(zip(old[i1:i2], new[j1:j2], strict=False))]
        pytest.fail(f"generated text differs from tests/golden/{name}. If the change is intended, run "
                    "`pytest --update-golden` and review `git diff tests/golden`.\n" + "\n".join(diff), pytrace=False)

    return check
