"""The workbook's own document properties, kept as Excel keeps them: Excel trims a custom
property's value to 255 UTF-16 units when it saves, so longer values are kept in pieces."""

from regcert_xl.workbook.manifest import HISTORY, Manifest, pieces, with_properties

EMPTY = (b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
         b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
         b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="regcert-xl">'
         b"<vt:lpwstr>0.1.0</vt:lpwstr></property></Properties>")


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_pieces_are_at_most_255_utf16_units_and_never_split_a_character():
    path = "C:/OneDrive - Exams 😀/" + "😀" * 200 + "/RegCert.xlsx.history.sqlite"
    made = pieces(HISTORY, path)
    assert [(name, units(text)) for name, text in made] == [(HISTORY, 255), (f"{HISTORY} (2)", 196)]
    assert "".join(text for _, text in made) == path
    faces = pieces(HISTORY, "😀" * 200)  # 254 units: the 128th face would take the piece to 256
    assert [units(text) for _, text in faces] == [254, 146] and "".join(t for _, t in faces) == "😀" * 200
    book = with_properties(EMPTY, {HISTORY: "😀" * 200})
    assert Manifest.read(book).history == "😀" * 200
    assert pieces(HISTORY, "") == [(HISTORY, "")]
    assert pieces(HISTORY, "x" * 255) == [(HISTORY, "x" * 255)]
    assert pieces(HISTORY, "x" * 256) == [(HISTORY, "x" * 255), (f"{HISTORY} (2)", "x")]


def test_a_value_set_longer_then_shorter_leaves_no_piece_behind():
    long = with_properties(EMPTY, {HISTORY: "y" * 600})
    assert Manifest.read(long).history == "y" * 600 and f"{HISTORY} (3)".encode() in long
    short = with_properties(long, {HISTORY: "C:/Exams/RegCert.xlsx.history.sqlite"})
    assert Manifest.read(short).history == "C:/Exams/RegCert.xlsx.history.sqlite"
    assert f"{HISTORY} (2)".encode() not in short and f"{HISTORY} (3)".encode() not in short


def test_an_admins_property_that_looks_like_a_piece_is_neither_joined_nor_removed():
    theirs = with_properties(EMPTY, {f"{HISTORY} (2)": "the admin's own note"})
    book = with_properties(theirs, {HISTORY: "C:/Exams/RegCert.xlsx.history.sqlite"})
    assert Manifest.read(book).history == "C:/Exams/RegCert.xlsx.history.sqlite"
    again = with_properties(book, {HISTORY: "D:/Moved/RegCert.xlsx.history.sqlite"})
    assert Manifest.read(again).history == "D:/Moved/RegCert.xlsx.history.sqlite"
    assert b"the admin's own note" in again
