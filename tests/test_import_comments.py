"""`regcert-xl import` writes the record sheets afresh: the admin's cell comments go with them —
same text, same author, on the cell of the same record and column — and regcert-xl's own header
note is renewed, not doubled."""

import datetime as dt
import re
import zipfile

import openpyxl
from openpyxl.comments import Comment
from python_calamine import CalamineWorkbook

from regcert_xl import api
from regcert_xl.workbook import vml
from regcert_xl.workbook.comments import CellMoves, carry
from tests.conftest import write_csv
from tests.small_book import HEADER, QUALS, build_small

NOW = dt.datetime(2026, 11, 30, 9, 0)


def comments(path, sheet="Qualifications"):
    ws = openpyxl.load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return {(c.row, header[c.column - 1]): (c.comment.text, c.comment.author)
            for row in ws.iter_rows() for c in row if c.comment}


def assert_vml_unique(path) -> None:
    """No two drawings claim a shape-id block, every shape is in its drawing's blocks (any prefix)."""
    with zipfile.ZipFile(path) as z:
        drawings = [z.read(n) for n in z.namelist() if n.endswith(".vml")]
    blocks = [b for d in drawings for b in vml.blocks(d)]
    assert len(blocks) == len(set(blocks)), blocks
    for d in drawings:
        assert all(int(s) // vml.BLOCK in vml.blocks(d) for s in re.findall(rb'id="_x0000_s(\d+)"', d))


def test_comments_on_record_and_user_cells_survive_an_import(tmp_path):
    book = build_small(tmp_path)
    wb = openpyxl.load_workbook(book)
    q = wb["Qualifications"]
    assert q["AA1"].value == "Learner Key" and q["AB1"].value is None
    q["AB1"], q["AB3"] = "My Column", "ring Friday"
    q["A2"].comment = Comment("checked with employer", "admin")
    q["AB3"].comment = Comment("ask Sam", "Jo Bloggs")
    wb["Assessments"]["B3"].comment = Comment("resit booked by phone", "admin")
    wb.save(book)
    newer = [*QUALS, {**QUALS[0], "Learner Reference": "L009", "ULN": "9999999999"}]
    api.import_export(book, write_csv(tmp_path / "newer.csv", newer, [*HEADER, "Postal Tracking Ref"]),
                      as_of="2026-11-30", refreshed=NOW)
    header = [c.value for c in openpyxl.load_workbook(book)["Qualifications"][1]]
    assert header[19:23] == ["Notes From Tutor", "My Column", "Postal Tracking Ref", "Flag"]  # columns moved
    found = comments(book)
    assert found[(2, "Learner Reference")] == ("checked with employer", "admin")
    assert found[(3, "My Column")] == ("ask Sam", "Jo Bloggs")
    assert found[(1, "Flag")][0].startswith("Your export, one row per learner")  # the note, once
    assert len(found) == 3
    assert comments(book, "Assessments")[(3, "Qualification")] == ("resit booked by phone", "admin")
    assert_vml_unique(book)
    assert "Qualifications" in CalamineWorkbook.from_path(str(book)).sheet_names
    api.refresh_workbook(book, as_of="2026-11-30", refreshed=NOW)
    assert comments(book) == found


EXCEL_VML = (b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
             b'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
             b'data="3"/></o:shapelayout><v:shapetype id="_x0000_t202"/>'
             b'<v:shape id="_x0000_s3073" type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Anchor>1, 15, 0, 2, '
             b'3, 15, 4, 16</x:Anchor><x:Row>1</x:Row><x:Column>5</x:Column></x:ClientData></v:shape>'
             b'<v:shape id="_x0000_s3074" type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Row>0</x:Row>'
             b'<x:Column>2</x:Column></x:ClientData></v:shape></xml>')
EXCEL_COMMENTS = (b'<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                  b'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision"><authors><author>'
                  b'Sam</author></authors><commentList><comment ref="F2" authorId="0" xr:uid="{1}"><text><t>mine'
                  b'</t></text></comment><comment ref="C1" authorId="0"><text><t>old note</t></text></comment>'
                  b'</commentList></comments>')
FRESH_VML = (b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
             b'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
             b'data="1"/></o:shapelayout><v:shapetype id="_x0000_t202"/><v:shape id="_x0000_s1025" '
             b'type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Row>0</x:Row><x:Column>3</x:Column>'
             b'</x:ClientData></v:shape></xml>')
FRESH_COMMENTS = (b'<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>'
                  b'</author></authors><commentList><comment ref="D1" authorId="0"><text><t>new note</t></text>'
                  b'</comment></commentList></comments>')


def test_an_excel_comment_moves_with_its_column_and_the_old_note_gives_way_to_the_new():
    """Column C (the old note's) is now D, column F now G; the fresh note on D1 replaces the old."""
    moves = CellMoves(["a", "b", "Flag", "x", "y", "Mine"], ["a", "b", "New", "Flag", "x", "y", "Mine"], {1: 1})
    merged_comments, merged_vml = carry(EXCEL_COMMENTS, EXCEL_VML, FRESH_COMMENTS, FRESH_VML, moves)
    assert merged_comments == (
        b'<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision"><authors><author>Sam</author>'
        b'<author></author></authors><commentList><comment ref="G2" authorId="0" xr:uid="{1}"><text><t>mine</t>'
        b'</text></comment><comment ref="D1" authorId="1"><text><t>new note</t></text></comment></commentList>'
        b'</comments>')
    assert merged_vml == (
        b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        b'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
        b'data="3"/></o:shapelayout><v:shapetype id="_x0000_t202"/>'
        b'<v:shape id="_x0000_s3073" type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Anchor>2, 15, 0, 2, '
        b'4, 15, 4, 16</x:Anchor><x:Row>1</x:Row><x:Column>6</x:Column></x:ClientData></v:shape>'
        b'<v:shape id="_x0000_s3074" type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Row>0</x:Row>'
        b'<x:Column>3</x:Column></x:ClientData></v:shape></xml>')
