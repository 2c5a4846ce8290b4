"""LibreOffice, the real spreadsheet application on these machines: convert, recalculate, render."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    """The LibreOffice binary; a missing one fails the test (CI installs it) unless allowed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("REGCERT_ALLOW_NO_LIBREOFFICE"):
        pytest.skip("LibreOffice not installed")
    pytest.fail("LibreOffice is needed: apt-get install libreoffice-calc-nogui (.ci/run installs it)")


def profile(folder: Path) -> str:
    """A private LibreOffice profile that recalculates formulas when it opens a workbook."""
    user = folder / "lo-profile" / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD)
    return (folder / "lo-profile").resolve().as_uri()


def convert(book: Path, target: str, out: Path, work: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    out.mkdir(parents=True, exist_ok=True)
    return subprocess.run([soffice(), f"-env:UserInstallation={profile(work)}", "--headless", "--convert-to",
                           target, "--outdir", str(out), str(book)],
                          capture_output=True, text=True, timeout=timeout)


def saved_by_libreoffice(book: Path, work: Path) -> Path:
    """A copy of ``book`` opened and saved again by LibreOffice, as .xlsx."""
    done = convert(book, "xlsx:Calc Office Open XML", work / "lo", work)
    assert done.returncode == 0, done.stderr
    return work / "lo" / book.name


def sheet_csv(book: Path, sheet_number: int, out: Path, work: Path) -> Path:
    """One sheet (1-based) as CSV, after LibreOffice recalculated the workbook."""
    target = f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{sheet_number}"
    done = convert(book, target, out, work)
    assert done.returncode == 0, done.stderr
    return next(out.glob(f"{book.stem}*.csv"))


def pdf_to_png(pdf: Path, out_prefix: Path, first: int, last: int, dpi: int = 60) -> list[Path]:
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.fail("pdftoppm is needed: apt-get install poppler-utils (.ci/run installs it)")
    subprocess.run([tool, "-r", str(dpi), "-png", "-f", str(first), "-l", str(last), str(pdf), str(out_prefix)],
                   check=True, timeout=120)
    return sorted(out_prefix.parent.glob(out_prefix.name + "*.png"))
