"""Assessment types, statuses and results are known words; a result needs a date (§2)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.issues import fill
from regcert_xl.model.vocab import (
    ASSESSMENT_STATUSES,
    ASSESSMENT_TYPES,
    STATUS_INDEX,
    TYPE_INDEX,
    resolve,
    result_index,
)
from regcert_xl.rules.base import Context, blank, emit

CODES = ("VALUE_UNKNOWN", "RESULT_WITHOUT_DATE")


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    a = ctx.assessments
    if a is None:
        return
    s = ctx.settings
    vocabularies = (
        ("assessment_type", TYPE_INDEX, ", ".join(ASSESSMENT_TYPES)),
        ("status", STATUS_INDEX, ", ".join(ASSESSMENT_STATUSES)),
        ("result", result_index(s), ", ".join([*s.pass_results, *s.fail_results, *s.void_results])),
    )
    for name, index, known in vocabularies:
        if not a.has(name):
            continue
        values = a.data[name]
        unknown = (resolve(values, index) == "?").fillna(False).astype(bool)
        if not unknown.any():
            continue
        yield emit(a, unknown, "VALUE_UNKNOWN",
                   fill("{h} '{v}' is not recognised: use one of {known}", h=a.header_for(name), v=values[unknown],
                        known=known),
                   column=name, values=values)
    if a.has("result"):
        no_date = blank(a.column("assessment_date"))
        if "assessment_date" in a.invalid:
            no_date[a.invalid["assessment_date"].index] = False
        dateless = ~blank(a.data["result"]) & no_date
        if dateless.any():
            yield emit(a, dateless, "RESULT_WITHOUT_DATE",
                       fill("Result '{r}' has no assessment date", r=a.data["result"][dateless]),
                       column="assessment_date", values=a.data["result"])
