"""ULN rules: 10 digits, first digit not 0, DfE check digit; temporary ULN; repairs reported."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.issues import fill
from regcert_xl.read.values import uln_checks
from regcert_xl.rules.base import Context, emit

CODES = ("ULN_INVALID", "ULN_TEMPORARY", "ULN_REPAIRED")
TEMPORARY_ULN = "9999999999"


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    for table in ctx.tables():
        if not table.has("uln"):
            continue
        uln = table.data["uln"]
        checks = uln_checks(uln)
        invalid = checks["present"] & ~checks["check_ok"] & ~checks["temporary"]
        text = uln.astype("string")[invalid]
        digits = text.str.len().astype("Int64").astype(str)
        shape = text.str.fullmatch(r"\d+").fillna(False).astype(bool)
        reason = pd.Series("fails the DfE check digit (a digit is probably mistyped)", index=text.index, dtype=object)
        reason[shape & text.str.startswith("0").fillna(False)] = "starts with 0; ULNs never do"
        reason[shape & (text.str.len() != 10).fillna(False)] = fill("has {n} digits; a ULN has 10", n=digits)
        reason[~shape] = "is not a number of 10 digits"
        yield emit(table, invalid, "ULN_INVALID", fill("ULN '{v}' {why}", v=text, why=reason),
                   column="uln", values=uln)
        yield emit(table, checks["temporary"], "ULN_TEMPORARY",
                   "ULN 9999999999 is the temporary ULN; the awarding body needs the learner's real ULN",
                   column="uln", values=uln)
        repaired = table.repaired.get("uln")
        if repaired is not None and len(repaired):
            mask = pd.Series(False, index=uln.index)
            mask[repaired.index] = True
            raw = repaired.astype("string")
            yield emit(table, mask, "ULN_REPAIRED",
                       fill("ULN '{raw}' was damaged by a spreadsheet and repaired to {uln}", raw=raw,
                            uln=uln[repaired.index].astype("string")),
                       column="uln", values=uln)
