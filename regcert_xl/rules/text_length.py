"""Values longer than an Excel cell holds (TEXT_TOO_LONG): the workbook can only show their
first 32,767 characters, so the admin is told which ones, rather than finding them cut."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pyarrow.compute as pc

from regcert_xl.model.excel_limits import MAX_CELL_TEXT, excel_length, too_long
from regcert_xl.model.frames import arrow_text, text_block
from regcert_xl.rules.base import Context, emit

CODES = ("TEXT_TOO_LONG",)


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    for table in ctx.tables():
        kept = {c.position: c.header for c in table.columns if c.field is None or c.duplicate_of is not None}
        columns: list[tuple[str | None, str, pd.Series]] = [
            (name, table.header_for(name), table.data[name]) for name in table.fields
            if pd.api.types.is_string_dtype(table.data[name].dtype)]
        columns += [(None, kept.get(p, f"Column {p + 1}"), table.extras[p]) for p in _may_be_long(table.extras)]
        for name, header, values in columns:
            text = arrow_text(values.astype(object).where(values.notna(), None).astype("string")
                              if pd.api.types.is_object_dtype(values.dtype) else values)
            over = too_long(text).to_numpy(zero_copy_only=False)
            if not over.any():
                continue
            mask = pd.Series(over, index=table.data.index)
            length = pd.Series(excel_length(text).to_numpy(zero_copy_only=False), index=table.data.index)
            message = (f"{header}: " + length[mask].map("{:,}".format)
                       + f" characters; an Excel cell holds {MAX_CELL_TEXT:,}, so the workbook shows the first "
                       + f"{MAX_CELL_TEXT:,}")
            yield emit(table, mask, "TEXT_TOO_LONG", message, column=name,
                       values=values.astype("string").str.slice(0, 50) + "…")


def _may_be_long(extras: pd.DataFrame) -> list:
    """The kept columns that may hold a value over the limit: text columns are measured together
    (one Arrow pass over them all, so a 16,384-column export costs no pandas call per column),
    and only those with a value of more bytes than a cell holds are looked at closely."""
    labels, text = text_block(extras)
    short: set = set(labels)
    if labels and len(extras):
        over = pc.fill_null(pc.greater(pc.binary_length(text), MAX_CELL_TEXT), False)
        hits = over.to_numpy(zero_copy_only=False).reshape(len(labels), len(extras)).any(axis=1)
        short -= {label for label, hit in zip(labels, hits, strict=True) if hit}
    return [p for p in extras.columns if p not in short]
