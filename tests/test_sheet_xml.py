"""Column-built sheet XML: every kind of value, escaped as Excel stores it, blanks left out."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from regcert_xl.model.excel_limits import MAX_CELL_TEXT
from regcert_xl.reports.base import ColumnKind as K
from regcert_xl.workbook.sheet_xml import column_letter, hyperlinks_xml, rows_xml


def xml(frame, kinds, styles=None, first_row=2, date_style=None):
    styles = styles or list(range(1, frame.shape[1] + 1))
    return b"".join(rows_xml(frame, first_row, 0, styles, kinds, date_style)).decode()


def test_text_is_inline_escaped_and_never_a_formula():
    frame = pd.DataFrame({"a": ["x", "=1+1", " sp", "a&b<c>", "bad\x01ch", "_x0041_", None, "line\nbreak"]})
    out = xml(frame, [K.TEXT])
    assert out == (
        '<row r="2"><c r="A2" s="1" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="3"><c r="A3" s="1" t="inlineStr"><is><t>=1+1</t></is></c></row>'
        '<row r="4"><c r="A4" s="1" t="inlineStr"><is><t xml:space="preserve"> sp</t></is></c></row>'
        '<row r="5"><c r="A5" s="1" t="inlineStr"><is><t>a&amp;b&lt;c&gt;</t></is></c></row>'
        '<row r="6"><c r="A6" s="1" t="inlineStr"><is><t>bad_x0001_ch</t></is></c></row>'
        '<row r="7"><c r="A7" s="1" t="inlineStr"><is><t>_x005F_x0041_</t></is></c></row>'
        '<row r="8"></row>'
        '<row r="9"><c r="A9" s="1" t="inlineStr"><is><t xml:space="preserve">line\nbreak</t></is></c></row>')
    assert "<f>" not in out


def test_numbers_dates_booleans_and_mixed_columns():
    frame = pd.DataFrame({
        "n": [1, 2.5, None, np.inf, -3.0],
        "d": pd.to_datetime(["2026-01-02", None, "2024-02-29 12:00:00", "2026-01-01", "1900-03-01"], format="ISO8601"),
        "m": [dt.date(2026, 1, 2), "31/02/2026", 3, True, None],
    })
    out = xml(frame, [K.INT, K.DATE, K.TEXT], date_style=9)
    assert '<c r="A2" s="1"><v>1</v></c><c r="B2" s="2"><v>46024</v></c><c r="C2" s="9"><v>46024</v></c>' in out
    assert '<c r="A3" s="1"><v>2.5</v></c><c r="C3" s="3" t="inlineStr"><is><t>31/02/2026</t></is></c>' in out
    assert '<c r="B4" s="2"><v>45351.5</v></c><c r="C4" s="3"><v>3</v></c>' in out
    assert '<row r="5"><c r="B5" s="2"><v>46023</v></c><c r="C5" s="3" t="b"><v>1</v></c></row>' in out  # inf: blank
    assert '<c r="A6" s="1"><v>-3</v></c><c r="B6" s="2"><v>61</v></c></row>' in out


def test_long_text_is_cut_to_excels_limit():
    out = xml(pd.DataFrame({"a": ["é" * (MAX_CELL_TEXT + 10)]}), [K.TEXT])
    assert out.count("é") == MAX_CELL_TEXT


@pytest.mark.parametrize(("value", "kept"), [
    ("a" * MAX_CELL_TEXT, "a" * MAX_CELL_TEXT),                     # exactly the limit: untouched
    ("😀" * 20_000, "😀" * 16_383),                                  # an emoji is two units in Excel
    ("x" + "😀" * 16_383 + "y", "x" + "😀" * 16_383),
    ("short 😀", "short 😀"),
])
def test_cell_text_is_cut_where_excel_would_count_the_limit(value, kept):
    import pyarrow as pa

    from regcert_xl.model.excel_limits import excel_length, fit_cell_text

    fitted = fit_cell_text(pa.array([value, None, "b"])).to_pylist()
    assert fitted == [kept, None, "b"]
    assert excel_length(pa.array([fitted[0]])).to_pylist()[0] <= MAX_CELL_TEXT


def test_many_rows_in_chunks_keep_their_numbers():
    frame = pd.DataFrame({"a": np.arange(120_000)})
    out = xml(frame, [K.INT], first_row=5)
    assert out.count("<row ") == 120_000
    assert out.endswith('<row r="120004"><c r="A120004" s="1"><v>119999</v></c></row>')


def test_column_letters():
    assert [column_letter(n) for n in (0, 25, 26, 51, 52, 701, 702, 16383)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]


def test_hyperlinks():
    cells = pd.Series(["A5", "A6", "A7"])
    out = hyperlinks_xml(cells, pd.Series(["'Learner'!$C$3", None, "'Q & A'!B2"]), pd.Series(["1", "2", 'x"y']))
    assert out == (b'<hyperlinks><hyperlink ref="A5" location="\'Learner\'!$C$3" display="1"/>'
                   b'<hyperlink ref="A7" location="\'Q &amp; A\'!B2" display="x&quot;y"/></hyperlinks>')
