"""File-level column checks: required columns present, unknown and duplicate headers reported."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.fields import IDENTITY_FIELDS, REQUIRED_COLUMNS, field_map
from regcert_xl.rules.base import Context, emit_file

CODES = ("MISSING_COLUMN", "UNKNOWN_COLUMN", "COLUMN_DUPLICATE", "NO_RECORDS")


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    for table in ctx.tables():
        found = ", ".join(c.header for c in table.columns if c.header) or "none"
        labels = field_map(table.record)
        if not any(table.has(f) for f in IDENTITY_FIELDS):
            yield emit_file(table, "MISSING_COLUMN",
                            f"No learner identity column: a {table.record} export needs ULN or "
                            f"Learner Reference. Headers found: {found}", column="uln")
        for names in REQUIRED_COLUMNS[table.record]:
            if not any(table.has(n) for n in names):
                wanted = " or ".join(labels[n].label for n in names)
                yield emit_file(table, "MISSING_COLUMN", f"No {wanted} column. Headers found: {found}",
                                column=names[0])
        for c in table.columns:
            if c.duplicate_of:
                yield emit_file(table, "COLUMN_DUPLICATE",
                                f"'{c.header}' is a second {labels[c.duplicate_of].label} column; "
                                f"the first ('{table.header_for(c.duplicate_of)}') is used and this one is kept as it is",
                                column=c.duplicate_of, value=c.header)
        unknown = [c for c in table.columns if c.field is None and not c.duplicate_of]
        if unknown:  # one frame however many (an export can carry thousands of columns)
            yield emit_file(table, "UNKNOWN_COLUMN",
                            [f"'{c.header or f'(column {c.position + 1} has no header)'}' is not a column "
                             "regcert-xl uses; it is kept as it is" for c in unknown],
                            value=[c.header for c in unknown])
        if len(table) == 0:
            yield emit_file(table, "NO_RECORDS", f"No {table.record} records under the header (if this is an "
                                                 "export, check the report's filters in the learner system)")
