"""Workbooks (.xlsx/.xlsm) through python-calamine: a named sheet, else the sheet named for the
record (Qualifications / Assessments), else the first visible worksheet."""

from __future__ import annotations

from itertools import chain, islice
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from regcert_xl.model.fields import key
from regcert_xl.model.issues import UnusableInput
from regcert_xl.model.settings import Settings
from regcert_xl.read.grid import (
    HEADER_SEARCH_ROWS,
    RawTable,
    drop_blank_rows,
    find_header_row,
    header_text,
)
from regcert_xl.read.guard import check_sheet_area


def choose_sheet(path: Path, book: CalamineWorkbook, record: str, sheet: str | None) -> str:
    names = list(book.sheet_names)
    if sheet is not None:
        matches = [n for n in names if key(n) == key(sheet)]
        if not matches:
            raise UnusableInput.file(path, f"has no sheet '{sheet}'; its sheets are {', '.join(names)}")
        return matches[0]
    worksheets = [m.name for m in book.sheets_metadata
                  if m.typ == SheetTypeEnum.WorkSheet and m.visible == SheetVisibleEnum.Visible]
    for name in worksheets:
        if key(name) == key(record):
            return name
    if not worksheets:
        raise UnusableInput.file(path, "the workbook has no visible worksheet")
    return worksheets[0]


DEFAULT_MAX_CELLS = Settings().max_sheet_cells
ROWS_PER_BATCH = 50_000  # rows turned into Python values at a time (memory stays bounded)


def open_sheet(path: Path, book: CalamineWorkbook, name: str, max_cells: int = DEFAULT_MAX_CELLS):
    """A sheet of the workbook, once its used area is known to be of a size that can be read."""
    check_sheet_area(path, name, max_cells)
    return book.get_sheet_by_name(name)


def read_xlsx(path: Path, record: str, aliases: dict[str, str], sheet: str | None = None,
              max_cells: int = DEFAULT_MAX_CELLS) -> RawTable:
    try:
        book = CalamineWorkbook.from_path(str(path))
        name = choose_sheet(path, book, record, sheet)
        found = open_sheet(path, book, name, max_cells)
        rows = found.iter_rows()
        head = list(islice(rows, HEADER_SEARCH_ROWS))
    except UnusableInput:
        raise
    except (CalamineError, ValueError, OSError, RuntimeError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UnusableInput.file(path, f"the workbook cannot be read ({message})") from None
    label = f"{path.name} › {name}"
    if not head:
        raise UnusableInput.file(label, "the sheet is empty")
    # rows come from the first row, columns from the first used column: put those back in front
    offset = found.start[1] if found.start else 0
    head = [[""] * offset + list(row) for row in head]
    header_index, _score = find_header_row(head, aliases)
    headers = [header_text(h) for h in head[header_index]]
    width = len(headers)
    first_row = header_index + 2  # the sheet row of the first record
    batches, used = [], np.zeros(width, dtype=bool)
    for batch in chain([head[header_index + 1:]], iter(lambda: list(islice(rows, ROWS_PER_BATCH)), [])):
        if not batch:
            continue
        frame = pd.DataFrame(batch, dtype=object)
        frame.columns = range(width - frame.shape[1], width)  # the rows of the head were padded already
        frame = frame.reindex(columns=range(width), fill_value="")
        cells, filled = _typed(frame)
        origin = pd.DataFrame({"sheet": label, "row": np.arange(first_row, first_row + len(cells))})
        first_row += len(cells)
        cells, origin = drop_blank_rows(cells, origin, columns=np.flatnonzero(filled))
        batches.append((cells, origin))
        used |= filled
    if batches:
        cells = pd.concat([c for c, _ in batches], ignore_index=True)
        origin = pd.concat([o for _, o in batches], ignore_index=True)
    else:
        cells = pd.DataFrame({i: pd.Series(dtype=str) for i in range(width)})
        origin = pd.DataFrame({"sheet": pd.Series(dtype=object), "row": pd.Series(dtype="int64")})
    return RawTable(label, headers, cells, origin, header_index + 1,
                    blank_columns=frozenset(np.flatnonzero(~used).tolist()))


def _typed(cells: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The cells typed column by column, and which columns hold anything. Columns holding only
    text become text columns (the fast path CSVs take); in the others calamine's empty strings
    become missing values. Columns with nothing in them are left as one block, untouched, so a
    sheet 16,384 columns wide costs no more than its used columns."""
    values = cells.to_numpy(dtype=object)
    filled = ~((values == "") | pd.isna(values)).all(axis=0)
    columns = {}
    for position in cells.columns[filled]:
        column = cells[position]
        if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
            columns[position] = column.astype(str).where(column.notna(), "")
        else:
            values = column.to_numpy(dtype=object, copy=True)
            values[values == ""] = None
            columns[position] = pd.Series(values, index=cells.index, dtype=object)
    if filled.all():
        return pd.DataFrame(columns, index=cells.index, columns=cells.columns), filled
    empty = pd.DataFrame(None, index=cells.index, columns=cells.columns[~filled], dtype=object)
    return pd.concat([empty, pd.DataFrame(columns, index=cells.index)], axis=1)[cells.columns], filled
