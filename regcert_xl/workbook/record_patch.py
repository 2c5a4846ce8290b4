"""Refresh the generated columns of a record sheet in place.

Every cell the admin owns keeps its exact XML (value, shared string, style); in each row only
the cells of the generated columns are taken out and the new ones put in, column-wise.
"""

from __future__ import annotations

import re

import pandas as pd

from regcert_xl.reports.base import ColumnKind
from regcert_xl.workbook.sheet_xml import column_cells, column_letter

_ROW = re.compile(rb"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_SHEETDATA = re.compile(rb"<sheetData\b[^>]*?(?:/>|>(.*?)</sheetData>)", re.S)


def column_style(sheet: bytes, letter: str, index: int) -> int:
    """The style a generated column's cells use now: an existing cell's, else the column's."""
    m = re.search(rb'<c r="' + letter.encode() + rb'(?:[2-9]|\d\d)\d*" s="(\d+)"', sheet)
    if m:
        return int(m.group(1))
    for col in re.finditer(rb'<col\b([^>]*)/>', sheet):
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', col.group(1)))
        if int(attrs.get(b"min", 0)) <= index + 1 <= int(attrs.get(b"max", 0)) and b"style" in attrs:
            return int(attrs[b"style"])
    return 0


def patch_generated(sheet: bytes, positions: list[int], values: pd.DataFrame, kinds: list[ColumnKind],
                    rows: pd.Series, date_style: int | None = None, header_row: int = 1) -> bytes:
    """The sheet with the generated columns (0-based ``positions``) of every data row replaced:
    the rows in ``rows`` (sheet row numbers, aligned with ``values``) get the new values."""
    letters = [column_letter(p) for p in positions]
    styles = [column_style(sheet, letter, p) for letter, p in zip(letters, positions, strict=True)]
    row_text = rows.astype("int64").astype(str)
    new_cells = pd.Series("", index=values.index, dtype=object)
    for i, column in enumerate(values.columns):
        new_cells = new_cells + column_cells(values[column], letters[i], row_text, styles[i], kinds[i], date_style)
    by_row = pd.Series(new_cells.to_numpy(), index=rows.astype("int64").to_numpy(), dtype=object)

    m = _SHEETDATA.search(sheet)
    body = (m.group(1) or b"") if m else b""
    old_rows = pd.Series([r.decode("utf-8") for r in _ROW.findall(body)], dtype=object)
    numbers = old_rows.str.extract(r'^<row\b[^>]*?\sr="(\d+)"', expand=False).astype("int64")
    generated = "|".join(letters)
    cell = rf'<c r="(?:{generated})\d+"(?:[^>]*?/>|[^>]*?>.*?</c>)'
    data_rows = numbers > header_row
    stripped = old_rows.where(~data_rows, old_rows.str.replace(cell, "", regex=True))
    found = numbers.map(by_row).astype(object)
    additions = pd.Series(found.where(found.notna(), "").to_numpy(), index=old_rows.index, dtype=object)
    rightmost = max(positions)
    if _cells_right_of(stripped[data_rows], rightmost):
        patched = _insert_in_order(stripped, additions)
    else:
        empty = stripped.str.endswith("/>") & (additions != "")
        opened = stripped.where(~empty, stripped.str.slice(0, -2) + "></row>")
        patched = opened.str.slice(0, -6) + additions + "</row>"
        patched = patched.where(additions != "", stripped)
    new_body = "".join(patched.tolist()).encode("utf-8")
    if m is None:
        return sheet
    start, end = m.span()
    open_tag = re.match(rb"<sheetData\b[^>]*?", sheet[start:end]).group(0).rstrip(b"/")
    return sheet[:start] + open_tag + b">" + new_body + b"</sheetData>" + sheet[end:]


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _cells_right_of(rows: pd.Series, rightmost: int) -> bool:
    """Whether any row has a cell to the right of the generated columns (a column the admin
    added after them)."""
    refs = rows.str.findall(r'<c r="([A-Z]+)\d+"').explode().dropna()
    return bool(len(refs)) and max(_column_index(r) for r in set(refs)) > rightmost


def _insert_in_order(rows: pd.Series, additions: pd.Series) -> pd.Series:
    """Rare case (the admin added columns after the generated ones): merge cells by column."""
    cell = re.compile(r'<c r="([A-Z]+)\d+"(?:[^>]*?/>|[^>]*?>.*?</c>)', re.S)
    out = rows.copy()
    for i in additions.index[additions != ""]:
        row = rows[i]
        head, _, rest = row.partition(">")
        if row.endswith("/>"):
            head, rest = row[:-2], "</row>"
        cells = [(m.group(1), m.group(0)) for m in cell.finditer(rest)]
        cells += [(m.group(1), m.group(0)) for m in cell.finditer(additions[i])]
        cells.sort(key=lambda c: _column_index(c[0]))
        out[i] = head + ">" + "".join(c[1] for c in cells) + "</row>"
    return out
