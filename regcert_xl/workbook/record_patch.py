"""Refresh the generated columns of a record sheet in place.

Every cell the admin owns keeps its exact XML (value, shared string, style); in each row only
the cells of the generated columns are taken out and the new ones put in, column-wise.
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from regcert_xl.reports.base import ColumnKind
from regcert_xl.workbook.sheet_xml import column_cells, column_letter, joined_bytes


def sheet_data_span(sheet: bytes) -> tuple[int, int] | None:
    """Where the rows of a sheet part start and end (a self-closing sheetData is opened up)."""
    start = sheet.find(b"<sheetData")
    if start < 0:
        return None
    open_end = sheet.find(b">", start) + 1
    if sheet[open_end - 2:open_end] == b"/>":
        return None
    return open_end, sheet.rfind(b"</sheetData>")


def column_style(sheet: bytes, letter: str, index: int) -> int:
    """The style a generated column's cells use now: an existing cell's (looked for near the
    top), else the column's."""
    m = re.search(rb'<c r="' + letter.encode() + rb'(?:[2-9]|\d\d)\d*" s="(\d+)"', sheet[:2_000_000])
    if m:
        return int(m.group(1))
    for col in re.finditer(rb"<col\b([^>]*)/>", sheet):
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', col.group(1)))
        if int(attrs.get(b"min", 0)) <= index + 1 <= int(attrs.get(b"max", 0)) and b"style" in attrs:
            return int(attrs[b"style"])
    return 0


def patch_generated(sheet: bytes, positions: list[int], values: pd.DataFrame, kinds: list[ColumnKind],
                    rows: pd.Series, date_style: int | None = None, header_row: int = 1,
                    columns_after: bool = False) -> bytes:
    """The sheet with the generated columns (0-based ``positions``) of every data row replaced:
    the rows in ``rows`` (sheet row numbers, aligned with ``values``) get the new values.
    ``columns_after``: the admin has columns to the right of the generated ones."""
    letters = [column_letter(p) for p in positions]
    styles = [column_style(sheet, letter, p) for letter, p in zip(letters, positions, strict=True)]
    row_text = pa.array(rows.astype("int64").astype(str).to_numpy(dtype=object), pa.string())
    cells = [column_cells(values[column], letters[i], row_text, styles[i], kinds[i], date_style)
             for i, column in enumerate(values.columns)]
    joined = (pc.binary_join_element_wise(*cells, "", null_handling="replace", null_replacement="")
              if cells else pa.array([""] * len(rows)))
    by_row = pd.Series(joined.to_numpy(zero_copy_only=False), index=rows.astype("int64").to_numpy(), dtype=object)

    span = sheet_data_span(sheet)
    if span is None:
        return sheet
    open_end, close_start = span
    body = sheet[open_end:close_start]
    if re.search(rb"<row\b[^>]*/>", body):  # empty self-closing rows: split them apart first
        body = re.sub(rb"(<row\b[^>]*?)/>", rb"\1></row>", body)
    old_rows = pa.array(body.decode("utf-8").split("</row>")[:-1], pa.string())
    numbers = pc.cast(pc.struct_field(pc.extract_regex(old_rows, r'^<row\b[^>]*?\sr="(?P<r>\d+)"'), "r"), pa.int64())
    generated = "|".join(letters)
    stripped = pc.replace_substring_regex(old_rows, rf'<c r="(?:{generated})\d+"(?:[^>]*?/>|[^>]*?>.*?</c>)', "")
    data_rows = pc.greater(numbers, header_row).to_numpy(zero_copy_only=False)
    stripped = pc.if_else(pa.array(data_rows), stripped, old_rows)
    found = by_row.reindex(numbers.to_numpy(zero_copy_only=False))
    additions = pa.array(found.where(found.notna(), "").to_numpy(dtype=object), pa.string())
    if columns_after:
        patched = pa.array(_insert_in_order(pd.Series(stripped.to_pylist(), dtype=object),
                                            pd.Series(additions.to_pylist(), dtype=object)).tolist(), pa.string())
        new_body = joined_bytes(pc.binary_join_element_wise(patched, "</row>", ""))
    else:
        new_body = joined_bytes(pc.binary_join_element_wise(stripped, additions, "</row>", ""))
    return sheet[:open_end] + new_body + sheet[close_start:]


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _insert_in_order(rows: pd.Series, additions: pd.Series) -> pd.Series:
    """Rare case (the admin added columns after the generated ones): merge cells by column.
    Rows here have no closing tag."""
    cell = re.compile(r'<c r="([A-Z]+)\d+"(?:[^>]*?/>|[^>]*?>.*?</c>)', re.S)
    out = rows.copy()
    for i in additions.index[additions != ""]:
        head, _, rest = rows[i].partition(">")
        cells = [(m.group(1), m.group(0)) for m in cell.finditer(rest)]
        cells += [(m.group(1), m.group(0)) for m in cell.finditer(additions[i])]
        cells.sort(key=lambda c: _column_index(c[0]))
        out[i] = head + ">" + "".join(c[1] for c in cells)
    return out
