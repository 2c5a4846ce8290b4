"""Sheet rows as SpreadsheetML, built a whole column at a time.

Big tables are not written cell by cell through a Python library: each column becomes a
column of ``<c>`` strings with pandas string operations, and rows are those columns joined.
Text is always an inline string (``t="inlineStr"``), so nothing from the data can ever be a
formula. Blank cells are left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd

from regcert_xl.reports.base import ColumnKind

EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
MAX_CELL_TEXT = 32_767
MAX_HYPERLINKS = 65_530  # Excel's limit per worksheet
CHUNK_ROWS = 50_000
_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
_ESCAPED_LOOKALIKE = r"(_x[0-9A-Fa-f]{4}_)"


def column_letter(n: int) -> str:
    """0 -> A, 26 -> AA (0-based)."""
    n += 1
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def escape_text(text: pd.Series) -> pd.Series:
    """XML-escape a column of text the way Excel stores it: &, <, >; characters XML forbids
    as _xHHHH_, and text that already looks like _xHHHH_ protected as _x005F_xHHHH_."""
    text = text.astype(str)
    if text.str.contains("_x", regex=False).any():
        text = text.str.replace(_ESCAPED_LOOKALIKE, r"_x005F\1", regex=True)
    text = text.str.replace("&", "&amp;", regex=False).str.replace("<", "&lt;", regex=False) \
        .str.replace(">", "&gt;", regex=False)
    illegal = text.str.contains(_ILLEGAL, regex=True)
    if illegal.any():
        text[illegal] = text[illegal].str.replace(
            _ILLEGAL, lambda m: f"_x{ord(m.group(0)):04X}_", regex=True)
    return text


def escape_attribute(text: pd.Series) -> pd.Series:
    return escape_text(text).str.replace('"', "&quot;", regex=False)


def _classify(values: pd.Series) -> pd.Series:
    """Per cell of a mixed column: text, number, date, bool or blank (C-level type map)."""
    types = values.map(type)
    kinds = types.map({str: "text", int: "number", float: "number", np.int64: "number",
                       np.float64: "number", bool: "bool", np.bool_: "bool", pd.Timestamp: "date",
                       dt.datetime: "date", dt.date: "date"})
    kinds = kinds.fillna("text").astype(object)
    kinds[values.isna()] = "blank"
    return kinds


def _numbers(values: pd.Series) -> pd.Series:
    nums = pd.to_numeric(values, errors="coerce").astype("float64")
    finite = np.isfinite(nums)
    whole = finite & (nums == np.floor(nums)) & (nums.abs() < 1e15)
    text = pd.Series("", index=values.index, dtype=object)
    text[whole] = nums[whole].astype("int64").astype(str)
    text[finite & ~whole] = nums[finite & ~whole].astype(str)
    return text


def _serials(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values, errors="coerce")
    days = (stamps.to_numpy(dtype="datetime64[ns]") - EXCEL_EPOCH) / np.timedelta64(1, "D")
    return _numbers(pd.Series(days, index=values.index))


def column_cells(values: pd.Series, letter: str, rows: pd.Series, style: int, kind: ColumnKind,
                 date_style: int | None = None) -> pd.Series:
    """The ``<c>`` element of every cell of one column ('' for blank cells). Dates in a column
    that is not a date column (kept columns from workbooks) take ``date_style``."""
    cell = f'<c r="{letter}' + rows
    ref = cell + f'" s="{style}"'
    date_ref = ref if kind is ColumnKind.DATE or date_style is None else cell + f'" s="{date_style}"'
    out = pd.Series("", index=values.index, dtype=object)
    dtype = values.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        kinds = pd.Series(np.where(values.isna(), "blank", "date"), index=values.index)
    elif pd.api.types.is_bool_dtype(dtype):
        kinds = pd.Series(np.where(values.isna(), "blank", "bool"), index=values.index)
    elif pd.api.types.is_numeric_dtype(dtype):
        kinds = pd.Series(np.where(values.isna(), "blank", "number"), index=values.index)
    elif pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        kinds = pd.Series(np.where(values.isna(), "blank", "text"), index=values.index)
    else:
        kinds = _classify(values.astype(object))
    for kind_name, builder, start in (("number", _numbers, ref), ("date", _serials, date_ref)):
        mask = kinds == kind_name
        if mask.any():
            out[mask] = start[mask] + "><v>" + builder(values[mask]) + "</v></c>"
    mask = kinds == "bool"
    if mask.any():
        out[mask] = ref[mask] + ' t="b"><v>' + values[mask].astype(bool).astype(int).astype(str) + "</v></c>"
    mask = kinds == "text"
    if mask.any():
        text = values[mask].astype(str).str.slice(0, MAX_CELL_TEXT)
        spaced = text.str.contains(r"^\s|\s$|\n", regex=True)
        body = escape_text(text)
        open_t = pd.Series("<t>", index=text.index, dtype=object).where(~spaced, '<t xml:space="preserve">')
        out[mask] = ref[mask] + ' t="inlineStr"><is>' + open_t + body + "</t></is></c>"
    return out


def rows_xml(frame: pd.DataFrame, first_row: int, first_col: int, styles: list[int],
             kinds: list[ColumnKind], date_style: int | None = None) -> Iterator[bytes]:
    """``<row>`` elements for the frame, whose first row is sheet row ``first_row`` (1-based)."""
    letters = [column_letter(first_col + i) for i in range(frame.shape[1])]
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start:start + CHUNK_ROWS]
        rows = pd.Series(np.arange(first_row + start, first_row + start + len(chunk)), index=chunk.index).astype(str)
        line = '<row r="' + rows + '">'
        for i in range(chunk.shape[1]):
            line = line + column_cells(chunk.iloc[:, i], letters[i], rows, styles[i], kinds[i], date_style)
        line = line + "</row>"
        yield "".join(line.tolist()).encode("utf-8")


def hyperlinks_xml(cells: pd.Series, targets: pd.Series, display: pd.Series) -> bytes:
    """A ``<hyperlinks>`` element of internal links (cell ref -> 'Sheet'!A1), at most Excel's limit."""
    keep = targets.notna() & (targets.astype(str) != "")
    cells, targets, display = cells[keep], targets[keep], display[keep]
    if cells.empty:
        return b""
    cells, targets, display = cells.iloc[:MAX_HYPERLINKS], targets.iloc[:MAX_HYPERLINKS], display.iloc[:MAX_HYPERLINKS]
    items = ('<hyperlink ref="' + cells + '" location="' + escape_attribute(targets) + '" display="'
             + escape_attribute(display.fillna("")) + '"/>')
    return ("<hyperlinks>" + "".join(items.tolist()) + "</hyperlinks>").encode("utf-8")
