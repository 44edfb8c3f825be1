"""The deck as PDF: LibreOffice (Debian's libreoffice-impress) converts the .pptx headless.

The PDF embeds the fonts it uses (Noto Sans CJK SC from fonts-noto-cjk), so it reads the same on any
machine. Each conversion runs with its own LibreOffice profile in a temporary folder, so two
conversions at once (or a LibreOffice window the user has open) do not get in each other's way.

Impress puts extra space wherever Chinese meets Latin letters or digits ("截至 2026 年 10 月") unless a
paragraph's "apply spacing between Asian and non-Asian text" (ParaIsCharacterDistance) is off. Its PPTX
import sets that from nothing in the file (a:pPr's eaLnBrk, latinLnBrk, a run's lang or spc are all tried
and ignored), and the default is on, except that Impress turns it off for documents opened under a Japanese
or Korean locale setting (sd's SdDrawDocument). The conversion's own profile therefore sets the locale
setting (ooSetupSystemLocale, not the UI language) to ja-JP; every run names its language (zh-CN) and font
(reports.deck), so nothing else changes.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from domain.errors import UserError

TIMEOUT = 180
# The profile's settings (see the module's docstring): only the locale setting, which switches Impress's
# Asian/Western autospace off.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>ja-JP</value></prop></item>
</oor:items>
"""


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
        user = folder / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
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
