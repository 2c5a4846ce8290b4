"""VML drawings brought into a workbook take shape-id blocks nobody else uses."""

from regcert_xl.workbook.vml import blocks, renumber, taken_blocks

PART = (b'<xml xmlns:o="urn:schemas-microsoft-com:office:office"><o:shapelayout v:ext="edit">'
        b'<o:idmap v:ext="edit" data="1,2"/></o:shapelayout>'
        b'<v:shape id="_x0000_s1025" o:spid="_x0000_s1025"/><v:shape id="_x0000_s2049"/></xml>')


def test_a_part_moves_into_the_lowest_free_blocks_with_its_shapes():
    moved, used = renumber(PART, taken={1, 3})
    assert used == [2, 4] and blocks(moved) == [2, 4]
    assert moved.count(b"_x0000_s2049") == 2 and b'id="_x0000_s4097"' in moved
    assert b"_x0000_s1025" not in moved


def test_a_part_in_free_blocks_is_left_as_it_is():
    assert renumber(PART, taken={3}) == (PART, [1, 2])
    assert taken_blocks([PART, b'<o:idmap v:ext="edit" data="5"/>']) == {1, 2, 5}
