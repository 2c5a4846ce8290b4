"""Sheet rows as SpreadsheetML, built a whole column at a time with Arrow string kernels.

Big tables are not written cell by cell through a Python library: each column becomes an array
of ``<c>`` elements (pyarrow compute: join, replace, cast), rows are those arrays joined, and the
result's data buffer — every row's text, end to end — goes straight into the package. Text is
always an inline string (``t="inlineStr"``), so nothing from the data can ever be a formula.
Blank cells are left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from regcert_xl.model.excel_limits import fit_cell_text
from regcert_xl.reports.base import ColumnKind

EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
MAX_HYPERLINKS = 65_530  # Excel's limit per worksheet
CHUNK_ROWS = 50_000
# characters XML forbids, and the carriage return, which an XML reader turns into a line feed
_ILLEGAL = r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x{fffe}\x{ffff}]"
_ILLEGAL_PY = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
_TYPE_KIND = {str: "text", int: "number", float: "number", np.int64: "number", np.float64: "number",
              bool: "bool", np.bool_: "bool", pd.Timestamp: "date", dt.datetime: "date", dt.date: "date"}


def column_letter(n: int) -> str:
    """0 -> A, 26 -> AA (0-based)."""
    n += 1
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation; a null part makes the whole element null."""
    return pc.binary_join_element_wise(*parts, "")


def escape_text(text: pa.Array) -> pa.Array:
    """XML-escape text the way Excel stores it: &, <, >; characters XML forbids as _xHHHH_, and
    text that already looks like _xHHHH_ protected as _x005F_xHHHH_."""
    text = pc.replace_substring_regex(text, r"(_x[0-9A-Fa-f]{4}_)", r"_x005F\1")
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = pc.replace_substring(text, raw, entity)
    illegal = pc.fill_null(pc.match_substring_regex(text, _ILLEGAL), False)
    if pc.any(illegal).as_py():
        values = text.to_pylist()
        for i in np.flatnonzero(illegal.to_numpy(zero_copy_only=False)):
            values[i] = _ILLEGAL_PY.sub(lambda m: f"_x{ord(m.group(0)):04X}_", values[i])
        text = pa.array(values, type=pa.string())
    return text


def escape_attribute(text: pa.Array) -> pa.Array:
    return pc.replace_substring(escape_text(text), '"', "&quot;")


def _numbers(values: pd.Series) -> pa.Array:
    """Numbers as Excel writes them: whole numbers without '.0'; NaN and infinities blank."""
    nums = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    finite = np.isfinite(nums)
    whole = finite & (np.floor(nums) == nums) & (np.abs(nums) < 1e15)
    as_int = pc.cast(pa.array(np.where(whole, nums, 0).astype("int64")), pa.string())
    as_float = pc.cast(pa.array(np.where(finite, nums, 0.0)), pa.string())
    out = pc.if_else(pa.array(whole), as_int, as_float)
    return pc.if_else(pa.array(finite), out, pa.nulls(len(nums), pa.string()))


def excel_serial(value: pd.Timestamp | np.datetime64) -> float:
    """One date-time as Excel's serial number (days since 1899-12-30, time as a fraction)."""
    return float((pd.Timestamp(value).as_unit("ns").to_datetime64() - EXCEL_EPOCH) / np.timedelta64(1, "D"))


def _serials(values: pd.Series) -> pa.Array:
    stamps = pd.to_datetime(values, errors="coerce").to_numpy(dtype="datetime64[ns]")
    days = (stamps - EXCEL_EPOCH) / np.timedelta64(1, "D")
    return _numbers(pd.Series(days))


def _text(values: pd.Series) -> pa.Array:
    arr = pa.array(values.astype(object).where(values.notna(), None).to_numpy(dtype=object), type=pa.string()) \
        if not isinstance(values.dtype, pd.ArrowDtype | pd.StringDtype) else pa.array(values, type=pa.string())
    return fit_cell_text(arr)


def _kinds(values: pd.Series) -> np.ndarray:
    """Per cell: text, number, date, bool or blank."""
    dtype = values.dtype
    missing = values.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(dtype):
        kind = "date"
    elif pd.api.types.is_bool_dtype(dtype):
        kind = "bool"
    elif pd.api.types.is_numeric_dtype(dtype):
        kind = "number"
    elif pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        kind = "text"
    else:
        kinds = values.map(type).map(_TYPE_KIND).fillna("text").to_numpy(dtype=object)
        kinds[missing] = "blank"
        return kinds
    out = np.full(len(values), kind, dtype=object)
    out[missing] = "blank"
    return out


def column_cells(values: pd.Series, letter: str, rows: pa.Array, style: int, kind: ColumnKind,
                 date_style: int | None = None) -> pa.Array:
    """The ``<c>`` element of every cell of one column (null for blank cells). Dates in a column
    that is not a date column (kept columns from workbooks) take ``date_style``."""
    n = len(values)
    kinds = _kinds(values)
    ref = _join(f'<c r="{letter}', rows, f'" s="{style}"')
    date_ref = ref if kind is ColumnKind.DATE or date_style is None else _join(f'<c r="{letter}', rows,
                                                                             f'" s="{date_style}"')
    out = pa.nulls(n, pa.string())
    for name, make, start, tag in (("number", _numbers, ref, "><v>"), ("date", _serials, date_ref, "><v>")):
        mask = kinds == name
        if mask.any():
            sub = values.where(mask)
            cells = _join(start, tag, make(sub), "</v></c>")
            out = pc.if_else(pa.array(mask), cells, out)
    mask = kinds == "bool"
    if mask.any():
        flags = pc.cast(pa.array(values.where(mask, False).astype(bool).astype(int).to_numpy()), pa.string())
        out = pc.if_else(pa.array(mask), _join(ref, ' t="b"><v>', flags, "</v></c>"), out)
    mask = kinds == "text"
    if mask.any():
        text = _text(values.where(mask, None).astype(object))
        spaced = pc.fill_null(pc.match_substring_regex(text, r"^\s|\s$|\n"), False)
        open_t = pc.if_else(spaced, '<t xml:space="preserve">', "<t>")
        cells = _join(ref, ' t="inlineStr"><is>', open_t, escape_text(text), "</t></is></c>")
        out = pc.if_else(pa.array(mask), cells, out)
    return out


def joined_view(lines: pa.Array) -> memoryview:
    """The text of every element, end to end, without a copy (the data buffer of a contiguous
    string array)."""
    lines = pc.fill_null(lines, "")
    if len(lines) == 0:
        return memoryview(b"")
    width = np.int64 if pa.types.is_large_string(lines.type) else np.int32
    first, last = np.frombuffer(lines.buffers()[1], dtype=width)[[lines.offset, lines.offset + len(lines)]]
    return memoryview(lines.buffers()[2])[first:last]


def joined_bytes(lines: pa.Array) -> bytes:
    """The text of every element, end to end."""
    return bytes(joined_view(lines))


def rows_xml(frame: pd.DataFrame, first_row: int, first_col: int, styles: list[int],
             kinds: list[ColumnKind], date_style: int | None = None) -> Iterator[bytes]:
    """``<row>`` elements for the frame, whose first row is sheet row ``first_row`` (1-based)."""
    letters = [column_letter(first_col + i) for i in range(frame.shape[1])]
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = frame.iloc[start:start + CHUNK_ROWS]
        rows = pc.cast(pa.array(np.arange(first_row + start, first_row + start + len(chunk))), pa.string())
        cells = [column_cells(chunk.iloc[:, i], letters[i], rows, styles[i], kinds[i], date_style)
                 for i in range(chunk.shape[1])]
        lines = pc.binary_join_element_wise('<row r="', rows, '">', *cells, "</row>", "",
                                            null_handling="replace", null_replacement="")
        yield joined_bytes(lines)


def hyperlinks_xml(cells: pd.Series, targets: pd.Series, display: pd.Series) -> bytes:
    """A ``<hyperlinks>`` element of internal links (cell ref -> 'Sheet'!A1), at most Excel's limit."""
    keep = targets.notna() & (targets.astype(str) != "")
    cells, targets, display = cells[keep], targets[keep], display[keep]
    if cells.empty:
        return b""
    cells, targets, display = cells.iloc[:MAX_HYPERLINKS], targets.iloc[:MAX_HYPERLINKS], display.iloc[:MAX_HYPERLINKS]
    items = _join('<hyperlink ref="', pa.array(cells.astype(str), pa.string()), '" location="',
                  escape_attribute(pa.array(targets.astype(str), pa.string())), '" display="',
                  escape_attribute(pa.array(display.fillna("").astype(str), pa.string())), '"/>')
    return b"<hyperlinks>" + joined_bytes(items) + b"</hyperlinks>"
