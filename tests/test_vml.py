"""VML drawings brought into a workbook take shape-id blocks nobody else uses."""

from regcert_xl.workbook.vml import blocks, renumber, taken_blocks

NS = b'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
PART = (b'<xml ' + NS + b'><o:shapelayout v:ext="edit">'
        b'<o:idmap v:ext="edit" data="1,2"/></o:shapelayout>'
        b'<v:shape id="_x0000_s1025" o:spid="_x0000_s1025"/><v:shape id="_x0000_s2049"/></xml>')


def test_a_part_moves_into_the_lowest_free_blocks_with_its_shapes():
    moved, used = renumber(PART, taken={1, 3})
    assert used == [2, 4] and blocks(moved) == [2, 4]
    assert moved.count(b"_x0000_s2049") == 2 and b'id="_x0000_s4097"' in moved
    assert b"_x0000_s1025" not in moved


def test_a_part_in_free_blocks_is_left_as_it_is():
    assert renumber(PART, taken={3}) == (PART, [1, 2])
    assert taken_blocks([PART, b'<o:idmap ' + NS + b' v:ext="edit" data="5"/>']) == {1, 2, 5}


def test_only_the_ids_change_whatever_the_attribute_order_quotes_or_html_breaks():
    part = (b"<xml " + NS + b"><o:shapelayout v:ext='edit'><o:idmap data='1' v:ext='edit'/></o:shapelayout>\n"
            b"<v:shape type='#_x0000_t201' o:spid='_x0000_s1025' id='_x0000_s1025' style='a:b'>"
            b"<v:textbox><div>Run<br>me</div></v:textbox></v:shape></xml>")
    moved, used = renumber(part, taken={1})
    assert used == [2]
    assert moved == part.replace(b"data='1'", b'data="2"').replace(b"'_x0000_s1025'", b'"_x0000_s2049"') \
        .replace(b"<br>", b"<br/>")
    assert b"#_x0000_t201" in moved  # a shape type is not a shape
