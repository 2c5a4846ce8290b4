"""Every assessment belongs to a qualification record of the same learner (§2)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from regcert_xl.model.fields import REQUIRED_COLUMNS
from regcert_xl.model.frames import member
from regcert_xl.model.identity import LEARNER_KEY, qualification_labels
from regcert_xl.model.issues import fill
from regcert_xl.rules.base import Context, emit

CODES = ("ORPHAN_ASSESSMENT",)
QUALIFICATION_NAMES = REQUIRED_COLUMNS["assessments"][0]  # title, number or record ID


def qualification_match(ctx: Context) -> pd.Series:
    """Per assessment: does the learner have a qualification record for its qualification
    (matched by record ID, qualification number or title)?"""
    return ctx.assessment_qualifications.notna()


def check(ctx: Context) -> Iterator[pd.DataFrame]:
    a = ctx.assessments
    if a is None or not any(a.has(n) for n in QUALIFICATION_NAMES):
        return
    learner = ctx.assessment_learner_keys
    label = qualification_labels(a.data)
    orphan = learner.notna() & label.notna() & ~qualification_match(ctx)
    if not orphan.any():
        return
    learner = learner[orphan]
    known_learner = member(learner, ctx.qualifications.data[LEARNER_KEY])
    who = learner.astype("string").str.replace("^REF:", "reference ", regex=True)
    message = pd.Series(
        fill("Learner {who} has no qualification record for '{q}'", who=who, q=label[orphan]),
        index=learner.index, dtype=object,
    )
    message[~known_learner] = fill("Learner {who} has no qualification records at all", who=who)[~known_learner]
    column = next(n for n in QUALIFICATION_NAMES if a.has(n))
    yield emit(a, orphan, "ORPHAN_ASSESSMENT", message, column=column, values=a.data[column])
