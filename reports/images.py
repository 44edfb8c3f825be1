"""Every meeting figure as a 2× PNG in one zip, each named for what it shows and when, with the text."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from reports.figures import Chart
from reports.narrative import Narrative


def png_zip(charts: Sequence[Chart], pngs: dict[str, bytes], story: Narrative, dating: str) -> bytes:
    """01_武汉市科技金融专营机构数_截至2026年10月.png … and 会议文字稿_截至2026年10月.txt."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:  # PNGs are compressed already
        width = max(2, len(str(len(charts))))
        for i, chart in enumerate(charts, start=1):
            z.writestr(f"{i:0{width}d}_{chart.file_stem}.png", pngs[chart.key])
        z.writestr(f"会议文字稿_{dating}.txt", story.as_text().encode("utf-8"),
                   compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
