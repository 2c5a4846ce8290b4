"""EPAO IDs are 'EPA' followed by four digits (§2)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.issues import fill
from regcert_xl.rules.base import Context, blank, emit

CODES = ("EPAO_ID_INVALID",)


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    q = ctx.qualifications
    if not q.has("epao_id"):
        return
    ids = q.data["epao_id"].astype("string")
    wrong = ~blank(ids) & ~ids.str.fullmatch(r"EPA\d{4}").fillna(False).astype(bool)
    yield emit(q, wrong, "EPAO_ID_INVALID",
               fill("EPAO ID '{v}' is not EPA followed by four digits (e.g. EPA0123)", v=ids),
               column="epao_id", values=ids)
