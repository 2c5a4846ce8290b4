"""Refresh the generated columns of a record sheet in place.

Every cell the admin owns keeps its exact XML (value, shared string, style); in each row only
the cells of the generated columns are taken out and the new ones put in. The sheet's rows are
one Arrow string array (split without a Python string per row) and every step is a column-wide
kernel, so a 200,000-row sheet is patched in about a second.

A row is cut in two at its first cell at or right of the first generated column: what is before
it is kept as it is. What is after it is rebuilt in column order: each generated cell new, and any
run of the admin's cells among or after the generated columns as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from regcert_xl.ooxml import xmlpart
from regcert_xl.reports.base import ColumnKind
from regcert_xl.workbook.sheet_xml import column_cells, column_letter, joined_view

_CELL_REST = r'\d+"(?:[^>]*?/>|[^>]*?>.*?</c>)'  # the rest of a <c> element after its column letters


def sheet_data_span(sheet: bytes) -> tuple[int, int] | None:
    """Where the rows of a sheet part start and end (None when sheetData is empty or absent)."""
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
    data_at = sheet.find(b"<sheetData")
    for col in xmlpart.find(xmlpart.start_tags(sheet[:data_at] if data_at >= 0 else sheet), "cols", "col"):
        style = col.get("style")
        if int(col.get("min", "0")) <= index + 1 <= int(col.get("max", "0")) and style is not None:
            return int(style)
    return 0


def letters_from(index: int) -> str:
    """A regex matching the column letters of every column at or right of 0-based ``index``
    (up to Excel's three letters)."""
    first = column_letter(index)
    options = [f"[A-Z]{{{len(first) + 1},3}}"] if len(first) < 3 else []
    for i, ch in enumerate(first):
        last = i == len(first) - 1
        low = ch if last else chr(ord(ch) + 1)
        if low <= "Z":
            options.append(first[:i] + f"[{low}-Z]" + "[A-Z]" * (len(first) - i - 1))
    return "(?:" + "|".join(options) + ")"


def _letters(indices) -> str:
    return "(?:" + "|".join(column_letter(i) for i in indices) + ")"


@dataclass(frozen=True)
class _Block:
    """One step of the rebuilt row tail: a generated column, or a run of the admin's columns
    (``stop`` None: every column from ``start`` on)."""

    generated: int | None = None
    start: int = 0
    stop: int | None = None


def _tail_blocks(positions: list[int]) -> list[_Block]:
    blocks = []
    for i, p in enumerate(positions):
        blocks.append(_Block(generated=i))
        following = positions[i + 1] if i + 1 < len(positions) else None
        if following is None:
            blocks.append(_Block(start=p + 1))
        elif following > p + 1:
            blocks.append(_Block(start=p + 1, stop=following))
    return blocks


def _rows(body: bytes) -> pa.Array:
    """The sheetData body as one string per ``<row>`` (closing tag dropped); an empty
    self-closing row is opened up first so every row ends in ``</row>``."""
    if body.count(b"<row") != body.count(b"</row>"):
        body = re.sub(rb"(<row\b[^>]*?)/>", rb"\1></row>", body)
    whole = pa.Array.from_buffers(pa.large_string(), 1,
                                  [None, pa.py_buffer(np.array([0, len(body)], dtype=np.int64)), pa.py_buffer(body)])
    whole.validate(full=True)  # UTF-8
    return pc.split_pattern(whole, "</row>").flatten()[:-1]  # what follows the last </row> is not a row


def _cut(rows: pa.Array, at: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """Each row cut in two at byte ``at`` (its length: not cut), without copying the text:
    the cut points of consecutive rows are the offsets of one array of halves."""
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset:rows.offset + len(rows) + 1]
    points = np.empty(2 * len(rows) + 1, dtype=np.int64)
    points[0::2] = offsets
    points[1::2] = offsets[:-1] + at
    halves = pa.Array.from_buffers(pa.large_string(), 2 * len(rows), [None, pa.py_buffer(points), rows.buffers()[2]])
    return halves.take(np.arange(0, 2 * len(rows), 2)), halves.take(np.arange(1, 2 * len(rows), 2))


def _drop_cells(rows: pa.Array, letters: str) -> pa.Array:
    return pc.replace_substring_regex(rows, f'(?s)<c r="{letters}{_CELL_REST}', "")


BLOCK = 1 << 24  # bytes of rows patched at a time: memory stays flat however big the sheet
HEAD = 1 << 21  # bytes read before the first rows, to find the generated columns' styles


@dataclass
class _Patch:
    """What the rows of a record sheet get: the generated values of the records, by sheet row."""

    positions: list[int]
    values: pd.DataFrame
    kinds: list[ColumnKind]
    rows: pd.Series
    styles: list[int]
    date_style: int | None
    header_row: int

    def __post_init__(self) -> None:
        self.letters = [column_letter(p) for p in self.positions]
        numbers = self.rows.astype("int64").to_numpy()
        self.row_numbers = pa.array(numbers)
        self.row_text = pa.array(numbers.astype(str).astype(object), pa.string())
        self.contiguous = self.positions == list(range(self.positions[0], self.positions[-1] + 1))

    def new_cells(self, where: pa.Array) -> list[pa.Array]:
        """Each generated column's cells for the sheet rows of a block (``where``: each row's
        position among the records, null for a row that is not a record)."""
        valid = where.is_valid().to_numpy(zero_copy_only=False)
        chosen = where.drop_null().to_numpy()
        slot = pa.array(np.cumsum(valid) - 1, mask=~valid)
        text = pc.take(self.row_text, chosen)
        cells = []
        for i, column in enumerate(self.values.columns):
            made = column_cells(self.values[column].iloc[chosen], self.letters[i], text, self.styles[i], self.kinds[i],
                                self.date_style)
            cells.append(pc.take(made.cast(pa.large_string()), slot))
        return cells

    def block(self, body: bytes) -> memoryview:
        """A run of whole ``<row>`` elements, patched."""
        old_rows = _rows(body)
        found = pc.extract_regex(old_rows, r'^\s*<row\b[^>]*?\sr="(?P<r>\d+)"')
        numbers = pc.cast(pc.struct_field(found, "r"), pa.int64())
        is_data = pc.fill_null(pc.greater(numbers, self.header_row), False).to_numpy(zero_copy_only=False)
        new_cells = self.new_cells(pc.index_in(numbers, value_set=self.row_numbers))

        first = pc.find_substring_regex(old_rows, f'<c r="{letters_from(self.positions[0])}\\d+"').to_numpy()
        lengths = pc.binary_length(old_rows).to_numpy()
        head, rest = _cut(old_rows, np.where(is_data & (first >= 0), first, lengths))
        pieces = [head]
        beyond = pc.any(pc.match_substring_regex(rest, f'<c r="{letters_from(self.positions[-1] + 1)}\\d+"')).as_py()
        if self.contiguous and not beyond:  # the usual shape: the generated columns end every row
            pieces += new_cells
        else:
            admin = _drop_cells(rest, _letters(self.positions))
            for block in _tail_blocks(self.positions):
                pieces.append(new_cells[block.generated] if block.generated is not None
                              else _admin_run(admin, block, self.positions))
        end, nothing = pa.scalar("</row>", pa.large_string()), pa.scalar("", pa.large_string())
        patched = pc.binary_join_element_wise(*pieces, end, nothing, null_handling="replace", null_replacement="")
        return joined_view(patched)


def patch_chunks(chunks: Iterable[bytes | memoryview], positions: list[int], values: pd.DataFrame, kinds: list[ColumnKind],
                 rows: pd.Series, date_style: int | None = None, header_row: int = 1,
                 block: int = BLOCK) -> Iterator[bytes | memoryview]:
    """The sheet (given and produced in chunks) with the generated columns (0-based
    ``positions``, in column order) of every data row replaced: the rows in ``rows`` (sheet row
    numbers, aligned with ``values``) get the new values, other data rows lose theirs."""
    source = iter(chunks)
    buffer = b""
    for chunk in source:
        buffer += chunk
        start = buffer.find(b"<sheetData")
        if len(buffer) >= HEAD and start >= 0 and buffer.find(b">", start) >= 0:
            break
    start = buffer.find(b"<sheetData")
    open_end = buffer.find(b">", start) + 1 if start >= 0 else 0
    if not positions or open_end == 0 or buffer[open_end - 2:open_end] == b"/>":  # no rows to patch
        yield buffer
        yield from source
        return
    styles = [column_style(buffer, column_letter(p), p) for p in positions]
    patch = _Patch(positions, values, kinds, rows, styles, date_style, header_row)
    yield buffer[:open_end]
    buffer, searched = buffer[open_end:], 0
    while True:
        close = buffer.find(b"</sheetData>", max(searched - 12, 0))
        if close >= 0:
            if close:
                yield patch.block(buffer[:close])
            yield buffer[close:]
            yield from source
            return
        searched = len(buffer)
        if len(buffer) >= block and (cut := buffer.rfind(b"</row>")) >= 0:
            yield patch.block(buffer[:cut + 6])
            buffer, searched = buffer[cut + 6:], 0
        more = next(source, None)
        if more is None:  # no closing tag: not a sheet we can patch safely
            yield buffer
            return
        buffer += more


def patch_generated(sheet: bytes, positions: list[int], values: pd.DataFrame, kinds: list[ColumnKind],
                    rows: pd.Series, date_style: int | None = None, header_row: int = 1) -> bytes:
    """:func:`patch_chunks` for a sheet held whole."""
    return b"".join(patch_chunks([sheet], positions, values, kinds, rows, date_style, header_row))


def _admin_run(cells: pa.Array, block: _Block, positions: list[int]) -> pa.Array:
    """The admin's cells of one run of columns, from the row tails with generated cells removed."""
    if block.stop is None:  # everything after the last generated column: drop the gap runs
        gaps = [i for a, b in zip(positions, positions[1:], strict=False) for i in range(a + 1, b)]
        return _drop_cells(cells, _letters(gaps)) if gaps else cells
    others = [i for i in range(positions[0], positions[-1] + 1) if not block.start <= i < block.stop]
    kept = _drop_cells(cells, _letters(others))
    return _drop_cells(kept, letters_from(positions[-1] + 1))
