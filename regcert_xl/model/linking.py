"""How records find each other: an assessment's learner (its ULN, or the ULN the qualification
records give its learner reference) and its qualification record (by title, else by number)."""

from __future__ import annotations

import pandas as pd

from regcert_xl.model.frames import joined_key, lookup, on_distinct
from regcert_xl.model.identity import LEARNER_KEY, QUAL_KEY, TITLE_KEY, norm_key


def link_to_qualifications(assessments: pd.DataFrame, learner_keys: pd.Series,
                           qualifications: pd.DataFrame) -> pd.Series:
    """Index of the qualification record each assessment belongs to: by the learner system's
    record ID where both give it, else by qualification number where the assessment gives one,
    else by title (or a title that is in fact the record's number); NA for orphans. Duplicated
    records: the first."""
    q = qualifications
    rows = pd.Series(q.index, index=q.index)
    linked = pd.Series(pd.NA, index=assessments.index, dtype="Int64")
    if "qualification_id" in assessments and "qualification_id" in q:
        linked = lookup(norm_key(assessments["qualification_id"]), norm_key(q["qualification_id"]), rows).astype("Int64")
    by_title = joined_key(learner_keys, assessments[TITLE_KEY])
    attempts = [(by_title, joined_key(q[LEARNER_KEY], q[TITLE_KEY])), (by_title, joined_key(q[LEARNER_KEY], q[QUAL_KEY]))]
    if "qualification_number" in assessments:
        attempts.insert(0, (joined_key(learner_keys, norm_key(assessments["qualification_number"])),
                            joined_key(q[LEARNER_KEY], q[QUAL_KEY])))
    for wanted, keys in attempts:
        unlinked = linked.isna()
        if not unlinked.any():
            break
        found = lookup(wanted[unlinked], keys, rows).astype("Int64")
        linked = linked.fillna(found.reindex(linked.index))
    return linked


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
