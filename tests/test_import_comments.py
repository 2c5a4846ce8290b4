"""`regcert-xl import` writes the record sheets afresh: the admin's cell comments go with them —
same text, same author, on the cell of the same record and column — and regcert-xl's own header
note is renewed, not doubled."""

import datetime as dt
import re
import zipfile

import openpyxl
from defusedxml.ElementTree import fromstring
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


THREADS_NS = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
THREAD_REL = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
PERSON_REL = "http://schemas.microsoft.com/office/2017/10/relationships/person"
FIRST, REPLY, JO = "{A1B2C3D4-0000-4000-8000-000000000001}", "{A1B2C3D4-0000-4000-8000-000000000002}", \
    "{5E3D0000-0000-4000-8000-0000000000AA}"
THREADS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="{THREADS_NS}" '
           'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           f'<threadedComment ref="AB3" dT="2026-11-30T10:15:00.00" personId="{JO}" id="{FIRST}"><text>ask Sam</text>'
           f'</threadedComment><threadedComment ref="AB3" dT="2026-11-30T11:00:00.00" personId="{JO}" id="{REPLY}" '
           f'parentId="{FIRST}"><text>Sam says Friday</text></threadedComment></ThreadedComments>').encode()
PERSONS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<personList xmlns="{THREADS_NS}" '
           'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><person displayName="Jo Bloggs" '
           f'id="{JO}" userId="jo@provider.example" providerId="AD"/></personList>').encode()


def with_threaded_comment(book) -> None:
    """A conversation on AB3 of Qualifications as Excel 365 saves one: the threaded comments part
    linked from the sheet, the people in a persons part linked from the workbook, and the legacy
    note Excel writes beside it for older versions."""
    wb = openpyxl.load_workbook(book)
    q = wb["Qualifications"]
    q["AB1"], q["AB3"] = "My Column", "ring Friday"
    q["AB3"].comment = Comment("[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment."
                               "\n\nComment:\n    ask Sam", f"tc={FIRST}")
    wb.save(book)
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    from regcert_xl.ooxml.opc import Package, rels_name

    with Package.open(book) as pkg:
        sheet_rels = rels_name(pkg.sheets["Qualifications"])
    parts[sheet_rels] = parts[sheet_rels].replace(
        b"</Relationships>", f'<Relationship Id="rId90" Type="{THREAD_REL}" '
                             'Target="../threadedComments/threadedComment1.xml"/></Relationships>'.encode())
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rId91" Type="{PERSON_REL}" Target="persons/person.xml"/>'
                             "</Relationships>".encode())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/threadedComments/threadedComment1.xml" '
                     b'ContentType="application/vnd.ms-excel.threadedcomments+xml"/><Override '
                     b'PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.person+xml"/></Types>')
    parts["xl/threadedComments/threadedComment1.xml"], parts["xl/persons/person.xml"] = THREADS, PERSONS
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def threads(book) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The conversations (cell, text, id) and the sheets whose rels link a threaded comments part."""
    from regcert_xl.ooxml.opc import Package

    with Package.open(book) as pkg:
        linked = [name for name, part in pkg.sheets.items() for r in pkg.rels(part) if r.type == THREAD_REL]
        found = [(t.get("ref"), t.findtext(f"{{{THREADS_NS}}}text"), t.get("id"))
                 for r in pkg.rels(pkg.sheets["Qualifications"]) if r.type == THREAD_REL
                 for t in fromstring(pkg.parts[r.target])]
        persons = [r.target for r in pkg.rels(pkg.workbook) if r.type == PERSON_REL and r.target in pkg.parts]
        types = pkg.parts["[Content_Types].xml"]
    assert persons == ["xl/persons/person.xml"]
    assert b"/xl/threadedComments/threadedComment1.xml" in types
    return found, linked


def test_threaded_comments_follow_their_cell_through_an_import_and_stay_linked(tmp_path):
    from tests.ooxml_schema import problems

    book = build_small(tmp_path)
    with_threaded_comment(book)
    assert threads(book) == ([("AB3", "ask Sam", FIRST), ("AB3", "Sam says Friday", REPLY)], ["Qualifications"])
    newer = [*QUALS, {**QUALS[0], "Learner Reference": "L009", "ULN": "9999999999"}]
    api.import_export(book, write_csv(tmp_path / "newer.csv", newer, [*HEADER, "Postal Tracking Ref"]),
                      as_of="2026-11-30", refreshed=NOW)
    header = [c.value for c in openpyxl.load_workbook(book)["Qualifications"][1]]
    assert header[20] == "My Column"  # the column moved from AB to U: the conversation and its note with it
    assert threads(book) == ([("U3", "ask Sam", FIRST), ("U3", "Sam says Friday", REPLY)], ["Qualifications"])
    assert comments(book)[(3, "My Column")] == (
        "[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment.\n\nComment:\n    ask Sam",
        f"tc={FIRST}")
    assert problems(book) == []
    api.refresh_workbook(book, as_of="2026-12-01", refreshed=NOW)
    assert threads(book) == ([("U3", "ask Sam", FIRST), ("U3", "Sam says Friday", REPLY)], ["Qualifications"])


def test_a_conversation_on_the_cell_of_regcert_xls_own_note_goes_with_that_note():
    from regcert_xl.workbook.comments import moved_threads

    data = THREADS.replace(b'ref="AB3"', b'ref="U1"', 1)
    headers = [f"column {i}" for i in range(28)]
    moved = moved_threads(data, CellMoves(headers, headers, {}), {(0, 20)})
    assert moved.count(b"<threadedComment ") == 1 and b'ref="AB3"' in moved and b"ask Sam" not in moved


def chart_titles(book) -> dict[str, list[bytes]]:
    """Each sheet's charts, by the text of their titles."""
    from regcert_xl.ooxml.opc import Package

    with Package.open(book) as pkg:
        out = {}
        for name, part in pkg.sheets.items():
            for drawing in (r.target for r in pkg.rels(part) if r.kind == "drawing"):
                charts = [pkg.parts[r.target] for r in pkg.rels(drawing) if r.kind == "chart"]
                out[name] = sorted(b"".join(re.findall(rb"<a:t>([^<]*)</a:t>", c)) for c in charts)
        return out


def test_a_chart_the_admin_put_on_a_record_sheet_survives_an_import(tmp_path):
    """The admin's chart stays on Qualifications, and the generated sheets keep their own charts:
    the parts it lives in are never freed for theirs."""
    from openpyxl.chart import BarChart, Reference

    from tests.ooxml_schema import problems

    book = build_small(tmp_path)
    generated = chart_titles(book)
    assert generated and "Qualifications" not in generated
    wb = openpyxl.load_workbook(book)
    q = wb["Qualifications"]
    chart = BarChart()
    chart.title = "Records by status"
    chart.add_data(Reference(q, min_col=1, min_row=1, max_row=5))
    q.add_chart(chart, "AD2")
    wb.save(book)
    mine = chart_titles(book)["Qualifications"]
    assert mine == [b"Records by status"] and all(titles and all(titles) for titles in generated.values())
    newer = [*QUALS, {**QUALS[0], "Learner Reference": "L009", "ULN": "9999999999"}]
    for day in ("2026-11-30", "2026-12-01"):  # twice: nothing taken back twice, no id growing
        api.import_export(book, write_csv(tmp_path / "newer.csv", newer, HEADER), as_of=day, refreshed=NOW)
        assert chart_titles(book) == {**generated, "Qualifications": mine}
        assert problems(book) == []
    sheet = zipfile.ZipFile(book).read("xl/worksheets/sheet2.xml")
    assert sheet.count(b"<drawing ") == 1 and sheet.index(b"<drawing ") < sheet.index(b"<legacyDrawing ")
    assert len(openpyxl.load_workbook(book)["Qualifications"]._charts) == 1
    api.refresh_workbook(book, as_of="2026-12-02", refreshed=NOW)
    assert chart_titles(book) == {**generated, "Qualifications": mine}


def test_the_drawing_goes_where_the_schema_wants_it():
    from regcert_xl.workbook.carried_parts import with_drawing

    ns = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">')
    bare = ns + b'<sheetData><row r="1"/></sheetData><pageMargins left="0.7"/></worksheet>'
    assert b"".join(with_drawing(bare, "rId7")) == (ns + b'<sheetData><row r="1"/></sheetData><pageMargins left="0.7"/>'
                                          b'<drawing r:id="rId7"/></worksheet>')
    tables = ns + b'<sheetData/><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'
    assert b"".join(with_drawing(tables, "rId2")) == (ns + b'<sheetData/><drawing r:id="rId2"/><tableParts count="1">'
                                            b'<tablePart r:id="rId1"/></tableParts></worksheet>')


def test_an_unreadable_note_drawing_leaves_notes_and_conversations_together_on_their_old_cells(tmp_path):
    """When the old notes cannot be moved, the conversations are not moved either: a thread is
    never parted from its legacy note."""
    from regcert_xl.ooxml.opc import Package

    book = build_small(tmp_path)
    with_threaded_comment(book)
    with Package.open(book) as pkg:
        drawing = next(r.target for r in pkg.rels(pkg.sheets["Qualifications"]) if r.kind == "vmlDrawing")
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts[drawing] = parts[drawing].replace(b"</xml>", b"<unclosed></xml>")
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    newer = [*QUALS, {**QUALS[0], "Learner Reference": "L009", "ULN": "9999999999"}]
    api.import_export(book, write_csv(tmp_path / "newer.csv", newer, [*HEADER, "Postal Tracking Ref"]),
                      as_of="2026-11-30", refreshed=NOW)
    assert threads(book) == ([("AB3", "ask Sam", FIRST), ("AB3", "Sam says Friday", REPLY)], ["Qualifications"])
    with Package.open(book) as pkg:
        notes = next(r.target for r in pkg.rels(pkg.sheets["Qualifications"]) if r.kind == "comments")
        assert b'ref="AB3"' in pkg.parts[notes]
