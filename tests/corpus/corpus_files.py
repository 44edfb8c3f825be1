"""What the corpus generators (tests/corpus/make_*.py) share: an observation and a case's expected JSON as
tests/test_corpus.py reads them, the JSON written one observation a line, an openpyxl workbook from rows, and a
workbook converted by LibreOffice Calc. Each generator keeps only its cases and the helpers of its own kind."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook


def obs(indicator: str, region: str, period: str, value: float) -> dict:
    return {"indicator_code": indicator, "region_code": region, "period": period, "value": round(float(value), 6)}


def expected(file: str, period: str | None, agency: str, observations: list[dict], *, warnings: int = 0,
             registers: dict[str, int] | None = None, questions: list[dict] | None = None) -> dict:
    """`questions`: what the reader must ask ({sheet, cell, kind}); the observations are then what it reads
    with certainty before any answer (the key is left out when there is none)."""
    return {"file": file, "period": period, "agency": agency, "warnings": warnings, "registers": registers or {},
            **({"questions": questions} if questions else {}),
            "observations": sorted(observations, key=lambda o: (o["indicator_code"], o["region_code"], o["period"]))}


def dump(data: dict) -> str:
    """One observation a line, as tests/fixtures/make_fixtures.py writes them."""
    head = {k: v for k, v in data.items() if k != "observations"}
    lines = ["{"] + [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    body = [f"  {json.dumps(o, ensure_ascii=False)}" for o in data["observations"]]
    return "\n".join([*lines, ' "observations": [', ",\n".join(body), " ]", "}"]) + "\n"


def book(rows: list[list], merges: tuple[str, ...] = (), sheet: str = "Sheet1") -> bytes:
    """.xlsx bytes: `rows` appended from A1 of one sheet, then the merged ranges."""
    wb = Workbook()
    wb.properties.creator = "tests/corpus"
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def libreoffice(content: bytes, target: str) -> bytes:
    """`content` (.xlsx) converted by LibreOffice Calc: target "xls" (BIFF8), "xlsx" or "ods"."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice (LibreOffice Calc) is needed to write the LibreOffice cases")
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in" / "book.xlsx", Path(tmp) / "out"
        src.parent.mkdir()
        src.write_bytes(content)
        filters = {"xls": "xls:MS Excel 97", "xlsx": "xlsx:Calc MS Excel 2007 XML", "ods": "ods:calc8"}
        # A profile of its own: another LibreOffice running on the machine does not get in the way.
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                        "--convert-to", filters[target], "--outdir", str(out), str(src)],
                       check=True, capture_output=True, timeout=120)
        return (out / f"book.{target}").read_bytes()
