"""The deck as PDF: LibreOffice (Debian's libreoffice-impress) converts the .pptx headless.

The PDF embeds the fonts it uses (Noto Sans CJK SC from fonts-noto-cjk), so it reads the same on any
machine. Each conversion runs with its own LibreOffice profile in a temporary folder, so two
conversions at once (or a LibreOffice window the user has open) do not get in each other's way.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from domain.errors import UserError

TIMEOUT = 180


class PdfError(UserError):
    """A message in Chinese saying what went wrong and what to do."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice_path() is not None


def pptx_to_pdf(pptx: bytes) -> bytes:
    soffice = soffice_path()
    if soffice is None:
        raise PdfError("生成 PDF 需要 LibreOffice：请运行 python3 dev.py serve（或 apt-get install --no-install-recommends "
                       "libreoffice-impress）后重试。")
    with tempfile.TemporaryDirectory(prefix="tfm-pdf-") as tmp:
        folder = Path(tmp)
        src = folder / "deck.pptx"
        src.write_bytes(pptx)
        profile = (folder / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "pdf", "--outdir", str(folder), str(src)]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False,
                                  env={"HOME": str(folder), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        except subprocess.TimeoutExpired as e:
            raise PdfError(f"LibreOffice 转换 PDF 超过{TIMEOUT}秒未完成，请稍后重试。") from e
        out = folder / "deck.pdf"
        if done.returncode != 0 or not out.exists():
            detail = (done.stderr or done.stdout).decode(errors="replace").strip()[-400:]
            raise PdfError(f"LibreOffice 未能生成 PDF（退出码{done.returncode}）：{detail}")
        return out.read_bytes()
