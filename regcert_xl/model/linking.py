"""How records find each other: an assessment's learner (its ULN, or the ULN the qualification
records give its learner reference) and its qualification record (by title, else by number)."""

from __future__ import annotations

import pandas as pd

from regcert_xl.model.frames import joined_key, lookup, on_distinct
from regcert_xl.model.identity import LEARNER_KEY, QUAL_KEY, TITLE_KEY


def link_to_qualifications(assessments: pd.DataFrame, learner_keys: pd.Series,
                           qualifications: pd.DataFrame) -> pd.Series:
    """Index of the qualification record each assessment belongs to (by title, else by
    qualification number); NA for orphans. Duplicated records: the first."""
    q = qualifications
    rows = pd.Series(q.index, index=q.index)
    wanted = joined_key(learner_keys, assessments[TITLE_KEY])
    by_title = lookup(wanted, joined_key(q[LEARNER_KEY], q[TITLE_KEY]), rows).astype("Int64")
    unlinked = by_title.isna()
    if not unlinked.any():
        return by_title
    by_number = lookup(wanted[unlinked], joined_key(q[LEARNER_KEY], q[QUAL_KEY]), rows).astype("Int64")
    return by_title.fillna(by_number.reindex(by_title.index))


def link_learner_keys(assessments: pd.DataFrame, qualifications: pd.DataFrame) -> pd.Series:
    keys = assessments[LEARNER_KEY]
    if "learner_ref" not in qualifications or "learner_ref" not in assessments:
        return keys
    refs = qualifications[["learner_ref", LEARNER_KEY]].dropna()
    refs = refs.assign(ref=on_distinct(refs["learner_ref"], _ref_key)).drop_duplicates("ref")
    own_ref = on_distinct(assessments["learner_ref"].astype("string"), _ref_key)
    from_ref = lookup(own_ref, refs["ref"], refs[LEARNER_KEY])
    by_ref_only = keys.astype("string").str.startswith("REF:").fillna(False)
    return keys.where(~by_ref_only | from_ref.isna(), from_ref)


def _ref_key(refs: pd.Series) -> pd.Series:
    return refs.astype("string").str.strip().str.casefold()
