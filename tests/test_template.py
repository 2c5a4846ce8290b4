"""The macro-enabled workbook: VBA project from the installed xlwings plus macros/, buttons wired
to real subs, built reproducibly; and a refresh that keeps the VBA project and buttons."""

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from oletools.olevba import VBA_Parser

from regcert_xl.cli import main
from regcert_xl.ooxml.opc import Package
from regcert_xl.workbook.vba.template import build_vba_project, template_spec, xlwings_folder

MACROS = Path(__file__).parent.parent / "macros"


def modules(path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _f, _s, name, code in parser.extract_macros()}
    finally:
        parser.close()


def body(code: str) -> list[str]:
    """Source lines without the Attribute lines VBA keeps in the stream."""
    return [line for line in code.replace("\r\n", "\n").split("\n") if not line.startswith("Attribute VB_")]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    out = tmp_path_factory.mktemp("t") / "RegCert.xlsm"
    result = CliRunner().invoke(main, ["template", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_macros_extract_back_to_the_sources(template):
    found = modules(template)
    assert {"RegCert", "xlwings", "Dictionary", "ThisWorkbook"} <= set(found)
    assert body(found["RegCert"]) == body((MACROS / "RegCert.bas").read_text())
    installed = (xlwings_folder() / "xlwings.bas").read_text(encoding="utf-8")
    assert body(found["xlwings"]) == body(installed)
    # one document module per sheet, named as the sheets' code names
    sheets = len(openpyxl.load_workbook(template, keep_vba=True).sheetnames)
    assert {f"Sheet{i}" for i in range(1, sheets + 1)} <= set(found)
    assert "Module1" not in found


def test_every_button_calls_a_sub_that_exists(template):
    subs = set(re.findall(r"^Sub (\w+)\(", modules(template)["RegCert"], re.M))
    assert subs == {"Refresh", "Validate", "ImportExport", "ShowLearner"}
    with zipfile.ZipFile(template) as z:
        vml = b"".join(z.read(n) for n in z.namelist() if n.endswith(".vml"))
    wired = {m.decode() for m in re.findall(rb"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml)}
    assert wired == {b.macro for b in template_spec().buttons} == subs


def test_vba_project_is_reproducible():
    assert build_vba_project(11) == build_vba_project(11)


def test_the_template_is_macro_enabled(template):
    with zipfile.ZipFile(template) as z:
        types = z.read("[Content_Types].xml")
        assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
        assert "xl/vbaProject.bin" in z.namelist()
        assert b'codeName="ThisWorkbook"' in z.read("xl/workbook.xml")


def test_template_refresh_keeps_vba_buttons_user_sheet_and_column(tmp_path, template):
    book = tmp_path / "RegCert.xlsm"
    book.write_bytes(template.read_bytes())
    # the admin adds a sheet and a column of their own (saved by a third-party writer)
    wb = openpyxl.load_workbook(book, keep_vba=True)
    wb.create_sheet("Team Notes")["A1"] = "Exams team rota"
    q = wb["Qualifications"]
    q.cell(row=1, column=q.max_column + 1, value="Our Note")
    wb.save(book)
    runner = CliRunner()
    before = Package.open(book).parts
    assert runner.invoke(main, ["refresh", str(book), "--as-of", "2026-11-30"]).exit_code == 0
    first = Package.open(book).parts
    assert runner.invoke(main, ["refresh", str(book), "--as-of", "2026-11-30"]).exit_code == 0
    second = Package.open(book)
    assert second.parts["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    for name, data in before.items():
        if name.endswith(".vml") or "drawings/_rels/vml" in name:
            assert second.parts[name] == data, name
    notes = second.sheets["Team Notes"]
    assert second.parts[notes] == before[notes]
    start = second.sheets["Start"]
    assert b"30/11/2026" in second.parts[start] and b"30/11/2026" not in before[start]
    assert b"legacyDrawing" in second.parts[start]  # the buttons are still on the Start sheet
    assert openpyxl.load_workbook(book, keep_vba=True)["Qualifications"].cell(row=1, column=q.max_column).value == "Our Note"
    unchanged = {n for n in first if first[n] == second.parts.get(n)}
    changed = set(first) - unchanged
    assert changed <= {second.sheets["Start"]}  # only the refresh time moved


@pytest.mark.libreoffice
def test_libreoffice_opens_the_template_and_imports_its_macros(tmp_path, template):
    from tests.render import convert

    done = convert(template, "ods", tmp_path / "ods", tmp_path)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "ods" / "RegCert.ods") as z:
        basic = {n: z.read(n) for n in z.namelist() if n.startswith("Basic/")}
    regcert = next(data for name, data in basic.items() if name.endswith("RegCert.xml"))
    assert b"Sub Refresh" in regcert and b"regcert_xl.xl.refresh()" in regcert
    pdf = convert(template, "pdf", tmp_path / "pdf", tmp_path)
    assert pdf.returncode == 0, pdf.stderr


def test_build_to_xlsm_has_the_buttons(tmp_path):
    from tests.small_book import build_small

    book = build_small(tmp_path, "small.xlsm")
    assert "RegCert" in modules(book)
    with zipfile.ZipFile(book) as z:
        assert any(n.endswith(".vml") and b"[0]!Refresh" in z.read(n) for n in z.namelist())


def test_a_template_named_xlsx_is_refused_with_one_line_and_exit_2(tmp_path):
    out = tmp_path / "x.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == (f"regcert-xl: {out}: the template has buttons, so it is macro-enabled: "
                             "give a name ending .xlsm, e.g. RegCert.xlsm\n")
    assert not out.exists()
