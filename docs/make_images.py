"""Render the README's pictures from the demo workbook through LibreOffice.

    .venv/bin/python docs/make_images.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from regcert_xl import api  # noqa: E402
from regcert_xl.samples import demo_inputs  # noqa: E402
from tests.render import convert  # noqa: E402

PICTURES = {"Overview": "overview.png", "Learner": "learner.png"}


def template_picture(work: Path) -> None:
    """The Start sheet of the macro-enabled template, its buttons made printable for the picture."""
    import re
    import zipfile

    book = work / "RegCert.xlsm"
    api.template_workbook(book)
    shown = work / "RegCert-shown.xlsm"
    with zipfile.ZipFile(book) as old, zipfile.ZipFile(shown, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename.endswith(".vml"):
                data = re.sub(rb"<x:PrintObject>False</x:PrintObject>", b"", data)
            new.writestr(info, data)
    done = convert(shown, "pdf", work, work)
    if done.returncode:
        raise SystemExit(done.stderr)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-x", "40", "-y", "60", "-W", "1500",
                    "-H", "700", "-singlefile", str(work / "RegCert-shown.pdf"), str(work / "template")], check=True)
    shutil.copy(work / "template.png", ROOT / "docs" / "template.png")
    print("docs/template.png")


def page_of(pdf: Path, sheet: str) -> int:
    """The first page whose footer names the sheet."""
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        if any(line.strip().startswith(f"{sheet} ") and "Page" in line for line in text.splitlines()):
            return page
    raise SystemExit(f"no page for {sheet}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        q, a, as_of = demo_inputs()
        book = work / "RegCert-demo.xlsx"
        api.build_workbook(q, a, output=book, as_of=as_of)
        done = convert(book, "pdf", work, work)
        if done.returncode:
            raise SystemExit(done.stderr)
        pdf = work / "RegCert-demo.pdf"
        for sheet, name in PICTURES.items():
            page = page_of(pdf, sheet)
            prefix = work / sheet
            subprocess.run(["pdftoppm", "-r", "230", "-png", "-f", str(page), "-l", str(page), "-x", "60", "-y", "120",
                            "-W", "1600", "-H", "760", "-singlefile", str(pdf), str(prefix)], check=True)
            shutil.copy(prefix.with_suffix(".png"), ROOT / "docs" / name)
            print(f"docs/{name} from page {page}")
        template_picture(work)


if __name__ == "__main__":
    main()
