"""The server's settings agree with the product: the uploader states the reader's size limit, and no traceback
reaches a browser."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from loaders.ingest import MAX_FILE_BYTES
from tests.paths import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_uploader_limit_is_the_readers_limit():
    assert CONFIG["server"]["maxUploadSize"] * 1024 * 1024 == MAX_FILE_BYTES


def test_error_details_are_not_shown_to_users():
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_streamlit_reads_that_no_file_is_watched():
    """As `streamlit run` reads the project's settings: a new viewer's session scans no modules and watches no
    files (a misspelt key would leave Streamlit's default, "auto")."""
    read = subprocess.run([sys.executable, "-c", "from streamlit import config; "
                           "print(config.get_option('server.fileWatcherType'), config.get_option('server.runOnSave'))"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert read.stdout.split() == ["none", "False"]
