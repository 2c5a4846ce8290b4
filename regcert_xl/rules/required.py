"""Values a record cannot do without: learner identity, qualification, status."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.fields import REQUIRED_VALUES
from regcert_xl.rules.base import Context, blank, emit

CODES = ("REQUIRED_VALUE",)


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    for table in ctx.tables():
        if table.has("uln") or table.has("learner_ref"):
            no_identity = blank(table.column("uln")) & blank(table.column("learner_ref"))
            yield emit(table, no_identity, "REQUIRED_VALUE",
                       "No ULN and no learner reference: the record cannot be matched to a learner",
                       column="uln" if table.has("uln") else "learner_ref")
        for names in REQUIRED_VALUES[table.record]:
            present = [n for n in names if table.has(n)]
            if not present:
                continue
            missing = pd.concat([blank(table.column(n)) for n in present], axis=1).all(axis=1)
            shown = " and ".join(table.header_for(n) for n in present)
            yield emit(table, missing, "REQUIRED_VALUE", f"{shown} {'is' if len(present) == 1 else 'are'} blank",
                       column=present[0])
