"""Small parts parsed as XML and edited in place: every byte not edited stays as it was."""

import pytest
from defusedxml import DTDForbidden, EntitiesForbidden

from regcert_xl.ooxml import xmlpart
from regcert_xl.ooxml.opc import ensure_default, set_overrides

BOOK = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        b'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15" '
        b'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main">'
        b"<sheets><sheet r:id='rId1' sheetId='1' name='R&amp;D \xc3\xa9 &gt; &quot;x&quot;'/>"
        b'<sheet name="B" sheetId="2" r:id="rId2"></sheet></sheets>'
        b'<definedNames/></workbook>')


def test_nodes_decode_attributes_in_any_order_and_quote_style():
    sheets = xmlpart.find(BOOK, "sheets", "sheet")
    assert [(s.get("name"), s.get("sheetId"), s.get("id")) for s in sheets] == [
        ('R&D é > "x"', "1", "rId1"), ("B", "2", "rId2")]
    assert [s.empty for s in sheets] == [True, False]
    assert BOOK[sheets[0].start:sheets[0].end].startswith(b"<sheet r:id='rId1'")
    assert BOOK[sheets[1].start:sheets[1].end] == b'<sheet name="B" sheetId="2" r:id="rId2"></sheet>'


def test_remove_keeps_every_other_byte():
    first = xmlpart.find(BOOK, "sheets", "sheet")[0]
    out = xmlpart.remove(BOOK, [first])
    assert out == BOOK[:first.start] + BOOK[first.end:]
    assert [s.get("name") for s in xmlpart.find(out, "sheets", "sheet")] == ["B"]


def test_append_child_opens_up_an_empty_element():
    names = xmlpart.find(BOOK, "definedNames")[0]
    new = xmlpart.element("definedName", {"name": "A&B"}, "'R&D'!$A$1")
    out = xmlpart.append_child(BOOK, names, new)
    assert b"<definedNames><definedName name=\"A&amp;B\">'R&amp;D'!$A$1</definedName></definedNames>" in out
    again = xmlpart.append_child(out, xmlpart.find(out, "definedNames")[0], xmlpart.element("definedName", {"name": "Z"}, "1"))
    assert [n.get("name") for n in xmlpart.find(again, "definedNames", "definedName")] == ["A&B", "Z"]
    assert again.startswith(BOOK[:BOOK.index(b"<sheets>")])  # declarations, mc:Ignorable untouched


def test_set_attribute_replaces_or_adds():
    sheet = xmlpart.find(BOOK, "sheets", "sheet")[1]
    out = xmlpart.set_attribute(BOOK, sheet, "name", 'New "one" & <b>')
    assert xmlpart.find(out, "sheets", "sheet")[1].get("name") == 'New "one" & <b>'
    out = xmlpart.set_attribute(out, xmlpart.find(out, "sheets", "sheet")[1], "state", "hidden")
    assert xmlpart.find(out, "sheets", "sheet")[1].get("state") == "hidden"
    first = xmlpart.find(out, "sheets", "sheet")[0]
    out = xmlpart.set_attribute(out, first, "sheetId", "9")
    assert xmlpart.find(out, "sheets", "sheet")[0].attrs["sheetId"] == "9"
    assert xmlpart.find(out, "sheets", "sheet")[0].empty


def test_gt_inside_an_attribute_does_not_end_the_tag():
    data = b'<a><b x="1>2"/><c/></a>'
    assert [n.local for n in xmlpart.find(data, "b")] == ["b"]
    assert xmlpart.remove(data, xmlpart.find(data, "b")) == b"<a><c/></a>"


def test_overlapping_edits_are_refused():
    with pytest.raises(ValueError):
        xmlpart.splice(b"abcdef", [(0, 3, b""), (2, 4, b"")])


def test_dtds_and_entities_are_refused():
    with pytest.raises((DTDForbidden, EntitiesForbidden)):
        xmlpart.nodes(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')


def test_malformed_xml_raises_parse_error():
    with pytest.raises(xmlpart.ParseError):
        xmlpart.nodes(b"<a><b></a>")


TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         b'<Default Extension="xml" ContentType="application/xml"/>'
         b"<Override ContentType='x' PartName='/xl/a&amp;b.xml'/>"
         b'<Override PartName="/xl/keep.xml" ContentType="y"/></Types>')


def test_content_type_overrides_removed_by_part_name_whatever_the_attribute_order():
    out = set_overrides(TYPES, {"xl/a&b.xml"}, {"xl/new.xml": "z"})
    parts = [(o.get("PartName"), o.get("ContentType")) for o in xmlpart.find(out, "Override")]
    assert parts == [("/xl/keep.xml", "y"), ("/xl/new.xml", "z")]


def test_ensure_default_adds_once_case_insensitively():
    assert ensure_default(TYPES, "XML", "application/xml") == TYPES
    out = ensure_default(TYPES, "vml", "application/vnd.openxmlformats-officedocument.vmlDrawing")
    assert [d.get("Extension") for d in xmlpart.find(out, "Default")] == ["xml", "vml"]
