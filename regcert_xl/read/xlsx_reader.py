"""Workbooks (.xlsx/.xlsm) through python-calamine: a named sheet, else the sheet named for the
record (Qualifications / Assessments), else the first visible worksheet."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from regcert_xl.model.fields import key
from regcert_xl.model.issues import UnusableInput
from regcert_xl.read.grid import (
    HEADER_SEARCH_ROWS,
    RawTable,
    drop_blank_rows,
    find_header_row,
    header_text,
)


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


ROWS_PER_BATCH = 100_000  # rows turned into Python values at a time (memory stays bounded)


def read_xlsx(path: Path, record: str, aliases: dict[str, str], sheet: str | None = None) -> RawTable:
    try:
        book = CalamineWorkbook.from_path(str(path))
        name = choose_sheet(path, book, record, sheet)
        found = book.get_sheet_by_name(name)
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
    blank_columns = found.start[1] if found.start else 0
    head = [[""] * blank_columns + list(row) for row in head]
    header_index, _score = find_header_row(head, aliases)
    headers = [header_text(h) for h in head[header_index]]
    width = len(headers)
    batches = [_typed(pd.DataFrame(head[header_index + 1:], columns=range(width), dtype=object))]
    while batch := list(islice(rows, ROWS_PER_BATCH)):
        frame = pd.DataFrame(batch, dtype=object)
        frame.columns = range(blank_columns, blank_columns + frame.shape[1])
        batches.append(_typed(frame.reindex(columns=range(width), fill_value="")))
    cells = pd.concat(batches, ignore_index=True) if len(batches) > 1 else batches[0]
    origin = pd.DataFrame({"sheet": label, "row": cells.index + header_index + 2})
    cells, origin = drop_blank_rows(cells, origin)
    return RawTable(label, headers, cells, origin, header_index + 1)


def _typed(cells: pd.DataFrame) -> pd.DataFrame:
    """Columns holding only text become text columns (the fast path CSVs take); in the others
    calamine's empty strings become missing values."""
    columns = {}
    for position in cells.columns:
        column = cells[position]
        if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
            columns[position] = column.astype(str).where(column.notna(), "")
        else:
            values = column.to_numpy(dtype=object, copy=True)
            values[values == ""] = None
            columns[position] = pd.Series(values, index=cells.index, dtype=object)
    return pd.DataFrame(columns, index=cells.index, columns=cells.columns)
