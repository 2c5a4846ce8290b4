"""Record columns as the workbook holds them: what each column is (:class:`ColumnKind`), Excel-safe
unique headers, and a record table's own columns as they are written back (typed where read, the
text the user typed where a value could not be read, unknown columns untouched)."""

from __future__ import annotations

from enum import StrEnum

import pandas as pd

from regcert_xl.model.fields import Kind, field_map
from regcert_xl.model.frames import python_values
from regcert_xl.model.table import Table


class ColumnKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    INT = "int"  # a count or number of days, with thousands separators
    ID = "id"  # a row or attempt number, shown plainly
    RATE = "rate"  # 0..1, shown as a percentage
    FLAG = "flag"  # a flag name, coloured by its RAG
    RAG = "rag"
    LINK = "link"  # a (sheet, row) target the workbook turns into a hyperlink
    GENERATED = "generated"  # marker for the first generated column of a record sheet
    INPUT = "input"  # for the admin to type into, on a protected sheet


def unique_headers(headers: list[str], taken: set[str] | None = None) -> list[str]:
    """Excel table headers must be unique and not blank: blank -> 'Column N', repeats -> 'X (2)'."""
    seen = {h.casefold() for h in (taken or set())}
    out = []
    for i, header in enumerate(headers, start=1):
        name = header.strip() or f"Column {i}"
        candidate, n = name, 2
        while candidate.casefold() in seen:
            candidate, n = f"{name} ({n})", n + 1
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def user_columns(table: Table) -> tuple[pd.DataFrame, dict[str, ColumnKind]]:
    """The source columns as written back: typed where read, raw text where not."""
    fields = field_map(table.record)
    headers = unique_headers([c.header for c in table.columns])
    data: dict[str, pd.Series] = {}
    kinds: dict[str, ColumnKind] = {}
    for header, c in zip(headers, table.columns, strict=True):
        if c.field is not None and c.duplicate_of is None:
            values = table.data[c.field]
            kind = fields[c.field].kind
            if kind is Kind.DATE:
                kinds[header] = ColumnKind.DATE
                raw = table.invalid.get(c.field)
                if raw is not None and len(raw):
                    values = python_values(values)
                    values[raw.index] = raw.astype(str)
            elif kind is Kind.INT and c.field in table.invalid:
                values = python_values(values)
                values[table.invalid[c.field].index] = table.invalid[c.field].astype(str)
            data[header] = values
        else:
            data[header] = table.extras[c.position] if c.position in table.extras else pd.Series(
                None, index=table.data.index, dtype=object)
    return pd.DataFrame(data, index=table.data.index), kinds
