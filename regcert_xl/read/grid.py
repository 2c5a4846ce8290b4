"""The raw shape every reader produces, and the header-row search they share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from regcert_xl.model.fields import key
from regcert_xl.model.table import ODataPage
from regcert_xl.read.values import blank_frame

HEADER_SEARCH_ROWS = 30


@dataclass
class RawTable:
    """Cells exactly as read, before headers are mapped.

    ``cells`` has integer columns 0..n-1 (positions of ``headers``); ``origin`` has, per
    row, the sheet (file, or file › sheet) and the row number the user sees there.
    """

    label: str
    headers: list[str]
    cells: pd.DataFrame
    origin: pd.DataFrame
    header_row: int | None  # 1-based row of the header, None for JSON
    blank_columns: frozenset[int] = frozenset()  # positions known to hold no value at all
    odata_table: str | None = None  # the OData table a JSON page names (source detection)
    pages: tuple[ODataPage, ...] = ()  # OData paging, one per page read


def header_score(row: Sequence[object], aliases: dict[str, str]) -> int:
    """How many distinct fields a candidate header row names."""
    return len({aliases[k] for k in (key(c) for c in row if isinstance(c, str) and c.strip()) if k in aliases})


def find_header_row(rows: Sequence[Sequence[object]], aliases: dict[str, str]) -> tuple[int, int]:
    """(index, score) of the row among the first rows that names the most fields; ties go to the first."""
    best, best_score = 0, -1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = header_score(row, aliases)
        if score > best_score:
            best, best_score = i, score
    return best, max(best_score, 0)


def header_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def drop_blank_rows(cells: pd.DataFrame, origin: pd.DataFrame,
                    columns: Iterable[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows with no value at all are dropped; the others keep their row numbers. ``columns``:
    the only columns that can hold values (the others are known to be blank)."""
    if cells.empty:
        return cells, origin
    filled = cells if columns is None else cells.iloc[:, list(columns)]
    keep = ~blank_frame(filled).all(axis=1)
    if keep.all():
        return cells, origin
    return cells[keep].reset_index(drop=True), origin[keep].reset_index(drop=True)
