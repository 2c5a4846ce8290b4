"""Patching the generated columns of a record sheet: the admin's cells keep their exact XML and
their place, wherever they are in the row."""

import re

import pandas as pd
import pytest

from regcert_xl.reports.base import ColumnKind
from regcert_xl.workbook.record_patch import letters_from, patch_chunks, patch_generated
from regcert_xl.workbook.sheet_xml import column_letter


def sheet(*rows: str) -> bytes:
    return ('<worksheet><sheetData>' + "".join(rows) + '</sheetData><autoFilter ref="A1:D3"/></worksheet>').encode()


def text(ref: str, value: str, style: int = 0) -> str:
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{value}</t></is></c>'


def row_cells(xml: bytes, number: int) -> list[str]:
    row = re.search(rb'<row r="' + str(number).encode() + rb'"[^>]*>(.*?)</row>', xml).group(1).decode()
    return re.findall(r'<c r="([A-Z]+)\d+"', row)


FLAGS = pd.DataFrame({"Flag": ["RED_ONE", "GREEN_TWO"], "Note": ["first", "second"]})
KINDS = [ColumnKind.TEXT, ColumnKind.TEXT]
ROWS = pd.Series([2, 3])


@pytest.mark.parametrize(("index", "inside", "outside"), [
    (0, ["A", "Z", "AA", "XFD"], []),
    (2, ["C", "D", "Z", "AA", "ZZ", "AAA"], ["A", "B"]),
    (27, ["AB", "AC", "BA", "ZZ", "ABC"], ["A", "Z", "AA"]),
    (26 * 27 + 1, ["AAB", "AAC", "ABA", "BAA", "XFD"], ["AAA", "ZZ", "A"]),
])
def test_letters_from_matches_exactly_the_columns_at_or_right(index, inside, outside):
    pattern = re.compile(letters_from(index) + "$")
    assert pattern.fullmatch(column_letter(index))
    assert all(pattern.fullmatch(x) for x in inside)
    assert not any(pattern.fullmatch(x) for x in outside)


def test_generated_cells_replaced_and_the_admins_cells_kept_byte_for_byte():
    before = sheet('<row r="1">' + text("A1", "Name") + text("C1", "Flag") + text("D1", "Note") + "</row>",
                   '<row r="2" ht="20">' + text("A2", "Ann – Zoë", 4) + text("B2", "x") + text("C2", "OLD") + "</row>",
                   '<row r="3">' + text("A3", "Bob") + text("C3", "OLD") + text("D3", "OLD") + "</row>")
    after = patch_generated(before, [2, 3], FLAGS, KINDS, ROWS)
    assert text("A2", "Ann – Zoë", 4).encode() in after and text("B2", "x").encode() in after
    assert b"OLD" not in after and b"RED_ONE" in after and b"second" in after
    assert row_cells(after, 1) == ["A", "C", "D"] and text("C1", "Flag").encode() in after  # header untouched
    assert row_cells(after, 2) == ["A", "B", "C", "D"] and b'<row r="2" ht="20">' in after
    assert after.endswith(b'</sheetData><autoFilter ref="A1:D3"/></worksheet>')


def test_the_admins_column_after_the_generated_ones_stays_in_place():
    before = sheet('<row r="1">' + text("A1", "Name") + text("B1", "Flag") + text("C1", "Note")
                   + text("D1", "Our Note") + "</row>",
                   '<row r="2">' + text("A2", "Ann") + text("B2", "OLD") + text("D2", "call Friday") + "</row>",
                   '<row r="3">' + text("A3", "Bob") + '<c r="E3" s="7"/>' + "</row>")
    after = patch_generated(before, [1, 2], FLAGS, KINDS, ROWS)
    assert row_cells(after, 2) == ["A", "B", "C", "D"]
    assert text("D2", "call Friday").encode() in after
    assert row_cells(after, 3) == ["A", "B", "C", "E"] and b'<c r="E3" s="7"/>' in after
    assert b"OLD" not in after


def test_the_admins_column_between_generated_ones_stays_between():
    before = sheet('<row r="1">' + text("A1", "Name") + text("B1", "Flag") + text("C1", "Mine")
                   + text("D1", "Note") + "</row>",
                   '<row r="2">' + text("A2", "Ann") + text("B2", "OLD") + text("C2", "keep me")
                   + text("D2", "OLD") + text("E2", "after") + "</row>",
                   '<row r="3">' + text("A3", "Bob") + "</row>")
    after = patch_generated(before, [1, 3], FLAGS, KINDS, ROWS)
    assert row_cells(after, 2) == ["A", "B", "C", "D", "E"]
    assert text("C2", "keep me").encode() in after and text("E2", "after").encode() in after
    assert row_cells(after, 3) == ["A", "B", "D"]


def test_rows_not_among_the_records_lose_their_generated_cells_and_empty_rows_survive():
    before = sheet('<row r="1">' + text("A1", "Name") + text("B1", "Flag") + "</row>",
                   '<row r="2">' + text("A2", "Ann") + text("B2", "OLD") + "</row>",
                   '<row r="3" ht="30" customHeight="1"/>',
                   '<row r="4">' + text("B4", "STALE") + "</row>")
    after = patch_generated(before, [1, 2], FLAGS.iloc[:1], KINDS, ROWS.iloc[:1])
    assert row_cells(after, 2) == ["A", "B", "C"] and b"RED_ONE" in after
    assert b'<row r="3" ht="30" customHeight="1"></row>' in after
    assert b"STALE" not in after and row_cells(after, 4) == []


def test_a_sheet_without_rows_is_left_alone():
    empty = b"<worksheet><sheetData/></worksheet>"
    assert patch_generated(empty, [1], FLAGS, KINDS, ROWS) == empty


def test_a_sheet_streamed_in_small_chunks_is_patched_the_same_as_whole():
    rows = [f'<row r="{r}">' + text(f"A{r}", f"Learner {r} – é") + text(f"B{r}", "OLD") + (
        f'<c r="D{r}" s="2"/>' if r % 3 == 0 else "") + "</row>" for r in range(2, 40)]
    rows.insert(5, '<row r="99" ht="12"/>')
    before = sheet('<row r="1">' + text("A1", "Name") + text("B1", "Flag") + "</row>", *rows)
    values = pd.DataFrame({"Flag": [f"F{r}" for r in range(2, 40)], "Note": ["n"] * 38})
    numbers = pd.Series(range(2, 40))
    whole = patch_generated(before, [1, 2], values, KINDS, numbers)
    pieces = [before[i:i + 7] for i in range(0, len(before), 7)]
    streamed = b"".join(bytes(c) for c in patch_chunks(pieces, [1, 2], values, KINDS, numbers, block=50))
    assert streamed == whole
    assert whole.count(b"<row ") == 40 and b"OLD" not in whole and b"F39" in whole
    assert row_cells(whole, 4) == ["A", "B", "C"] and row_cells(whole, 6) == ["A", "B", "C", "D"]
