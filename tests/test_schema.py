"""Every package regcert-xl writes or edits keeps ECMA-376's rules (tests/ooxml_schema.py): built,
template, refreshed, imported into (with comments and buttons), and refreshed after LibreOffice
saved it. The checker itself is proved on packages broken one rule at a time."""

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment

from regcert_xl import api
from tests.conftest import write_csv
from tests.ooxml_schema import problems
from tests.small_book import HEADER, QUALS, build_small

NOW = dt.datetime(2026, 11, 30, 9, 0)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_small(tmp_path_factory.mktemp("schema"))


def edited(source: Path, target: Path, part: str, old: bytes, new: bytes) -> Path:
    """A copy of ``source`` with ``old`` replaced by ``new`` throughout one part."""
    with zipfile.ZipFile(source) as z_in, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z_out:
        for info in z_in.infolist():
            data = z_in.read(info.filename)
            if info.filename == part:
                assert old in data, (part, old)
                data = data.replace(old, new)
            z_out.writestr(info, data)
    return target


@pytest.mark.parametrize(("part", "old", "new", "expected"), [
    ("xl/workbook.xml", b"<sheets>", b"<oops/><sheets>", "<oops> is not allowed in <workbook>"),
    ("xl/worksheets/sheet1.xml", b"<sheetData", b"<sheetCalcPr/><sheetData",
     "<sheetData> comes after <sheetCalcPr> in <worksheet>; the schema wants it before"),
    ("xl/worksheets/sheet1.xml", b"sheetData", b"sheetDatum", "<worksheet> needs 1 <sheetData>, has 0"),
    ("xl/workbook.xml", b'<sheet name="', b'<sheet name="History"/><sheet name="',
     "'History' is a sheet name Excel reserves"),
    ("[Content_Types].xml", b'Extension="rels"', b'Extension="relz"', "_rels/.rels has no content type"),
    ("xl/_rels/workbook.xml.rels", b'Target="styles.xml"', b'Target="stylez.xml"',
     "points at xl/stylez.xml, which is not in the package"),
    ("xl/styles.xml", b'<xf numFmtId="0" fontId="0"', b'<xf numFmtId="0" fontId="999"', "points at fontId 999"),
    ("xl/styles.xml", b'<xf numFmtId="0"', b'<xf numFmtId="777"', "uses number format 777, which is not declared"),
    ("xl/worksheets/sheet1.xml", b'<row r="1" spans="1:2"', b'<row r="1" spans="1:2" colour="red"',
     "<row> has no attribute colour in the schema"),
    ("xl/worksheets/sheet1.xml", b'<c r="A1" s="1"', b'<c r="A1" s="first"', "<c s='first'> is not a uint"),
    ("xl/worksheets/sheet1.xml", b'showGridLines="0"', b'showGridLines="no"', "<sheetView showGridLines='no'> is not a bool"),
    ("xl/worksheets/sheet1.xml", b'<row r="3" spans="1:2" ht="30"', b'<row r="3" spans="1:2" ht="30pt"',
     "<row ht='30pt'> is not a double"),
    ("xl/worksheets/sheet1.xml", b'<dimension ref="A1:B37"/>', b'<dimension ref="A1:B"/>', "<dimension ref='A1:B'> is not a ref"),
    ("xl/workbook.xml", b'<sheet name="Start" sheetId="1"', b'<sheet name="Start" state="shown" sheetId="1"',
     "<sheet state='shown'> is not one of the schema's values"),
    ("xl/worksheets/sheet1.xml", b'<c r="A1" s="1"', b'<c r="A1" s="4294967296"', "<c s='4294967296'> is not a uint"),
    ("xl/worksheets/sheet2.xml", b'priority="1"', b'priority="2147483648"', "is not a int"),
    ("xl/styles.xml", b"<border><left/><right/>", b"<border><right/><left/>",
     "<left> comes after <right> in <border>"),
    ("xl/sharedStrings.xml", b"<si><t>Registration &amp; certification tracker</t>",
     b"<si><t>Registration</t><t>certification tracker</t>", "<si> allows 1 <t>, has 2"),
    ("xl/comments1.xml", b"</text></comment>", b"</text><text/></comment>", "<comment> allows 1 <text>, has 2"),
    ("docProps/custom.xml", b'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2"',
     b'fmtid="D5CDD505-2E9C-101B-9397-08002B2CF9AE" pid="2"', "property 'regcert-xl' has no GUID fmtid"),
    ("docProps/custom.xml", b"</Properties>", b"<note/></Properties>", "<note> is not allowed in <Properties>"),
    ("docProps/custom.xml", b'pid="3"', b'pid="2"', "property ids are unique whole numbers from 2"),
    ("[Content_Types].xml", b"</Types>",
     b'<Override PartName="/xl/styles.xml" ContentType="application/xml"/></Types>', "xl/styles.xml has two overrides"),
    ("xl/worksheets/_rels/sheet3.xml.rels", b'Target="../tables/table5.xml"', b'Target="../tables/table5.xml"/>'
     b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/table" '
     b'Target="../tables/table1.xml"', "xl/tables/table1.xml belongs to another sheet too"),
    ("docProps/custom.xml", b'name="regcert-xl id"', b'name="regcert-xl"', "property 'regcert-xl' is defined twice"),
    ("docProps/custom.xml", b"</vt:lpwstr></property>", b"</vt:lpwstr><vt:i4>1</vt:i4></property>",
     "needs exactly one value of a variant type"),
])
def test_the_checker_finds_each_broken_rule(built, tmp_path, part, old, new, expected):
    assert problems(built) == []
    broken = edited(built, tmp_path / "broken.xlsx", part, old, new)
    found = problems(broken)
    assert any(expected in line for line in found), found


def test_the_checker_takes_the_extremes_of_a_type(built, tmp_path):
    lowest = edited(built, tmp_path / "lowest.xlsx", "xl/worksheets/sheet2.xml", b'priority="1"',
                    b'priority="-2147483648"')
    assert problems(lowest) == []


def test_the_checker_finds_clashing_tables_and_cells_out_of_order(built, tmp_path):
    with zipfile.ZipFile(built) as z:
        tables = sorted(n for n in z.namelist() if n.startswith("xl/tables/"))
        first, second = (z.read(t) for t in tables[:2])
    name = first.split(b'displayName="', 1)[1].split(b'"', 1)[0]
    other = second.split(b'displayName="', 1)[1].split(b'"', 1)[0]
    clash = edited(built, tmp_path / "clash.xlsx", tables[1], b'displayName="' + other, b'displayName="' + name)
    assert any("is used twice in the workbook" in line for line in problems(clash))
    swapped = edited(built, tmp_path / "rows.xlsx", "xl/worksheets/sheet1.xml", b'<row r="1"', b'<row r="9999"')
    assert any("out of order" in line for line in problems(swapped))


def test_build_template_refresh_and_import_keep_the_schema(tmp_path):
    book = build_small(tmp_path, "small.xlsm")
    assert problems(book) == []
    assert problems(api.template_workbook(tmp_path / "template.xlsm")) == []

    wb = openpyxl.load_workbook(book, keep_vba=True)  # a user's comment and sheet of their own
    wb["Qualifications"]["A2"].comment = Comment("checked with the employer", "Pat")
    wb.create_sheet("My notes")["A1"] = "call back"
    wb.save(book)
    api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    assert problems(book) == []
    api.import_export(book, write_csv(tmp_path / "newer.csv", QUALS, HEADER), as_of="2026-12-01", refreshed=NOW)
    assert problems(book) == []
    api.refresh_workbook(book, as_of="2026-12-02", refreshed=NOW)
    assert problems(book) == []


def test_the_demo_keeps_the_schema(tmp_path):
    from click.testing import CliRunner

    from regcert_xl.cli import main

    out = tmp_path / "demo.xlsx"
    result = CliRunner().invoke(main, ["demo", "-o", str(out), "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert problems(out) == []


@pytest.mark.libreoffice
def test_a_workbook_libreoffice_saved_keeps_the_schema_when_refreshed(built, tmp_path):
    from tests.render import saved_by_libreoffice

    saved = saved_by_libreoffice(built, tmp_path)
    api.refresh_workbook(saved, as_of="2026-11-30", refreshed=NOW)
    assert problems(saved) == []
