"""Proof in a real spreadsheet application: the demo workbook opens, renders and recalculates."""

import csv
import re
import zipfile

import pytest
from click.testing import CliRunner

from regcert_xl.cli import main
from tests.render import convert, pdf_to_png, sheet_csv
from tests.small_book import build_small

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def test_demo_workbook_converts_to_pdf_and_renders(tmp_path):
    book = tmp_path / "demo.xlsx"
    assert CliRunner().invoke(main, ["demo", "-o", str(book)]).exit_code == 0
    done = convert(book, "pdf", tmp_path / "pdf", tmp_path)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "pdf" / "demo.pdf"
    assert pdf.stat().st_size > 50_000
    pages = pdf_to_png(pdf, tmp_path / "pdf" / "page", 1, 2)
    assert len(pages) == 2 and all(p.stat().st_size > 5_000 for p in pages)


def test_learner_sheet_follows_the_chooser_when_recalculated(tmp_path):
    book = build_small(tmp_path)  # built showing learner 1234567899 (Bo Jones)
    switched = tmp_path / "switched.xlsx"
    with zipfile.ZipFile(book) as old, zipfile.ZipFile(switched, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet7.xml":  # Learner: choose Ann instead, values left stale
                data, n = re.subn(rb'<c r="C3" s="(\d+)" t="s"><v>\d+</v></c>',
                                  rb'<c r="C3" s="\1" t="inlineStr"><is><t>1000000043</t></is></c>', data)
                assert n == 1
            new.writestr(info, data)
    rows = list(csv.reader(sheet_csv(switched, 7, tmp_path / "csv", tmp_path).open(encoding="utf-8")))
    values = {r[1]: r[2] for r in rows if len(r) > 2}
    assert values["Learner"] == "Ann Smith" and values["Learner Ref"] == "L001"
    quals = [r[1:3] for r in rows if len(r) > 2 and r[1].startswith("EPA Assessment")]
    assert ["EPA Assessment – Knowledge Test", "Registered"] in quals
    assert ["EPA Assessment – Observation", "Achieved"] in quals
    checklist = [r for r in rows if len(r) > 5 and r[5] == "CLAIM_OVERDUE"]
    assert checklist and checklist[0][2].startswith("Claim the certificate")
