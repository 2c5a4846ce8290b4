"""EPAO IDs (§2): 'EPA' followed by four digits, or, from 2026-27, the organisation's
8-digit UKPRN (UK Provider Reference Numbers run 10000000–19999999)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.issues import fill
from regcert_xl.rules.base import Context, blank, emit

CODES = ("EPAO_ID_INVALID",)

# EPA + 4 digits, or a UKPRN: 8 digits starting with 1
EPAO_ID_PATTERN = r"EPA\d{4}|1\d{7}"


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    q = ctx.qualifications
    if not q.has("epao_id"):
        return
    ids = q.data["epao_id"].astype("string")
    wrong = ~blank(ids) & ~ids.str.fullmatch(EPAO_ID_PATTERN).fillna(False).astype(bool)
    yield emit(q, wrong, "EPAO_ID_INVALID",
               fill("EPAO ID '{v}' is neither EPA followed by four digits (e.g. EPA0123) "
                    "nor an 8-digit UKPRN (e.g. 10012345)", v=ids),
               column="epao_id", values=ids)
