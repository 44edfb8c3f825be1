"""What every page needs for a room that opens the dashboard at once right after a start (issue 15), where thirty
first runs overlap: no library imported by two of them at once (pages/preload.py says why), and every run, not
only the first, handed to dashboard.py when Streamlit started the page on its own (common.through_dashboard).
tests/test_many_sessions.py opens such a room for real."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.paths import ROOT

PURELIB, PLATLIB = sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]


def libraries() -> set[str]:
    """The top-level packages in sys.modules that come from site-packages."""
    return {name for name, module in list(sys.modules.items())
            if "." not in name and (getattr(module, "__file__", None) or "").startswith((PURELIB, PLATLIB))}


def page_files() -> list[str]:
    """The page scripts dashboard.PAGES lists, read without running dashboard.py."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    pages = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets))
    return [row[0] for row in ast.literal_eval(pages)]


def opened_after_preload() -> dict[str, list[str]]:
    """In this interpreter: Streamlit's server and test harness, then pages/preload.py, then every page (as an
    anonymous visitor, who is refused the administrators' pages after their imports); per page, the libraries it
    loaded that were not loaded before it."""
    import streamlit.web.server  # noqa: F401  (loaded by `streamlit run` before any session)
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    init = PagesManager.__init__

    def navigation_mode(self, *args, **kwargs) -> None:  # as tests/conftest.open_page: dashboard.py routes
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = navigation_mode
    from pages import preload  # noqa: F401

    loaded, new = libraries(), {}
    for page in page_files():
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.switch_page(str(ROOT / page))
        at.run()
        assert not at.exception, (page, at.exception)
        now = libraries()
        new[page], loaded = sorted(now - loaded), now
    return new


def test_no_page_imports_a_library_the_preload_does_not(demo_db: Path) -> None:
    """In a new interpreter, where nothing else has imported them: every page opened after the preload, and the
    libraries (top-level packages installed beside Streamlit) each loaded listed."""
    ran = subprocess.run([sys.executable, "-m", "tests.test_first_runs"], cwd=ROOT, env=dict(os.environ, TFM_DB=str(demo_db)),
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr[-3000:]
    new = json.loads(ran.stdout.splitlines()[-1])
    assert set(new) == set(page_files()), "not every page was opened"
    assert {page: libs for page, libs in new.items() if libs} == {}, "add these to pages/preload.py"


def test_every_page_first_hands_a_run_of_its_own_to_dashboard() -> None:
    """The first statement after a page's imports, so that nothing of the page runs before: a check at each run
    (a module's own code runs only for the first run that imports it)."""
    late = []
    for page in page_files():
        body = ast.parse((ROOT / page).read_text(encoding="utf-8")).body
        first = next(node for node in body if not isinstance(node, (ast.Import, ast.ImportFrom))
                     and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)))  # the docstring
        if ast.unparse(first) != "common.through_dashboard()":
            late.append((page, ast.unparse(first)[:60]))
    assert late == []


if __name__ == "__main__":
    print(json.dumps(opened_after_preload()))
