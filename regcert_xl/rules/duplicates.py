"""The same record twice: identical copies are info, differing copies an error (§2)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.identity import LEARNER_KEY, QUAL_KEY, TITLE_KEY, norm_key
from regcert_xl.model.issues import Severity, fill
from regcert_xl.model.table import Table
from regcert_xl.rules.base import Context, emit

CODES = ("DUPLICATE_RECORD",)


def identity(table: Table) -> pd.DataFrame:
    """The columns that say which record a row is."""
    d = table.data
    if table.record == "qualifications":
        return d[[LEARNER_KEY, QUAL_KEY]]
    keys = pd.DataFrame({LEARNER_KEY: d[LEARNER_KEY], TITLE_KEY: d[TITLE_KEY]})
    for name in ("assessment", "assessment_type"):
        if name in d:
            keys[name] = norm_key(d[name])
    for name in ("assessment_date", "attempt"):
        if name in d:
            keys[name] = d[name]
    return keys


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    for table in ctx.tables():
        keys = identity(table)
        complete = keys[[LEARNER_KEY, keys.columns[1]]].notna().all(axis=1)
        repeated = keys.duplicated(keep=False) & complete
        if not repeated.any():
            continue
        group = keys[repeated].groupby(list(keys.columns), dropna=False, sort=False).ngroup()
        rows = table.origin.loc[repeated, "row"]
        content = _content_hash(table, repeated)
        first_row = rows.groupby(group).transform("min")
        # identical to an earlier copy: the same content seen before within the group
        first_same = rows.groupby([group, content]).transform("min")
        identical = rows > first_same
        later = rows > first_row
        severity = identical.map({True: Severity.INFO.value, False: Severity.ERROR.value})
        message = pd.Series(index=rows.index, dtype=object)
        message[identical] = fill("An identical copy of row {r}", r=first_same[identical])
        message[~identical] = fill("Same learner and {what} as row {r}, with different values",
                                   what=_what(table), r=first_row[~identical])
        mask = pd.Series(False, index=table.data.index)
        mask[later[later].index] = True
        yield emit(table, mask, "DUPLICATE_RECORD", message.reindex(table.data.index),
                   severity=severity.reindex(table.data.index))


def _what(table: Table) -> str:
    return "qualification" if table.record == "qualifications" else "assessment, date and attempt"


def _content_hash(table: Table, rows: pd.Series) -> pd.Series:
    """A hash of everything a record holds, for the rows in ``rows``."""
    own = [c for c in table.data.columns if not c.startswith("_")]
    values = pd.concat([table.data.loc[rows, own], table.extras.loc[rows]], axis=1).astype("string")
    return pd.util.hash_pandas_object(values.set_axis(range(values.shape[1]), axis=1), index=False)
