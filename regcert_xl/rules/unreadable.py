"""Values that could not be read as their column's kind: dates (DATE_INVALID) and whole
numbers (VALUE_INVALID). The raw value is reported, never turned into a blank."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.fields import Kind, field_map
from regcert_xl.read.values import date_problem
from regcert_xl.rules.base import Context, emit

CODES = ("DATE_INVALID", "VALUE_INVALID")


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    for table in ctx.tables():
        fields = field_map(table.record)
        for name, raw in table.invalid.items():
            mask = pd.Series(False, index=table.data.index)
            mask[raw.index] = True
            header = table.header_for(name)
            values = raw.reindex(table.data.index)
            if fields[name].kind is Kind.DATE:
                message = values.map(lambda v, h=header: f"{h}: {date_problem(v)}", na_action="ignore")
                yield emit(table, mask, "DATE_INVALID", message, column=name, values=values)
            else:
                message = values.map(lambda v, h=header: f"{h}: '{v}' is not a whole number", na_action="ignore")
                yield emit(table, mask, "VALUE_INVALID", message, column=name, values=values)
