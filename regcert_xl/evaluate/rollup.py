"""Per learner (§4): worst RAG, open actions, next due date, % complete and the provisional
overall grade, from the flagged qualification records."""

from __future__ import annotations

import numpy as np
import pandas as pd

from regcert_xl.evaluate.flags import RAG_ORDER
from regcert_xl.model.identity import LEARNER_KEY, LEARNER_NAME
from regcert_xl.model.lifecycle import CLOSED_CATEGORIES, EXTERNAL
from regcert_xl.model.settings import Settings

RAG_BY_RANK = {v: k for k, v in RAG_ORDER.items()}
ESTIMATE = " (estimate)"


def learners(records: pd.DataFrame, hits: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """One row per learner, most urgent first.

    ``records`` is the flagged qualification frame (identity, programme…, category,
    complete, component, is_overall, passed, grade, flag, rag…); ``hits`` the long flag list.
    """
    g = records.groupby(LEARNER_KEY, sort=False)
    first = g[[c for c in ("uln", "learner_ref", LEARNER_NAME, "programme", "employer", "cohort", "tutor")
               if c in records]].first()
    out = first.rename(columns={LEARNER_NAME: "learner"})
    out["worst_rag"] = records["rag"].map(RAG_ORDER).fillna(RAG_ORDER["BLUE"]).groupby(
        records[LEARNER_KEY], sort=False).min().map(RAG_BY_RANK)
    open_hits = hits[hits["is_action"]].assign(learner=lambda h: records[LEARNER_KEY].reindex(h["record"]).to_numpy())
    out["open_actions"] = open_hits.groupby("learner").size().reindex(out.index, fill_value=0).astype(int)
    out["next_due"] = open_hits.groupby("learner")["due_date"].min().reindex(out.index)
    counted = ~records["category"].isin(CLOSED_CATEGORIES | {EXTERNAL})
    done = (records["complete"] & counted).groupby(records[LEARNER_KEY]).sum()
    total = counted.groupby(records[LEARNER_KEY]).sum()
    out["pct_complete"] = (done / total.replace(0, np.nan)).reindex(out.index)
    out = out.join(provisional_grades(records, settings))
    out["records"] = g.size()
    out["rag_rank"] = out["worst_rag"].map(RAG_ORDER)
    out = out.sort_values(["rag_rank", "open_actions", "next_due"], ascending=[True, False, True],
                          na_position="last", kind="stable")
    return out.drop(columns=["rag_rank"])


def provisional_grades(records: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Per learner: the overall grade when the overall outcome is recorded — an Overall Grade on
    any of the learner's records that are not closed, else the grade of a passed "Overall"
    component — otherwise the estimate combined from component grades once every component has
    passed (settings: grade_points, overall_grade_rule); blank until then."""
    points = {k.casefold(): v for k, v in settings.grade_points.items()}
    by_points = {v: k for k, v in settings.grade_points.items()}
    narrow = records[[LEARNER_KEY, "is_component", "is_overall", "category", "grade", "passed"]]
    comps = narrow[narrow["is_component"] & ~narrow["category"].isin(CLOSED_CATEGORIES | {EXTERNAL})]
    overall = comps[comps["is_overall"]]
    parts = comps[~comps["is_overall"]]
    grade_points = parts["grade"].astype("string").str.casefold().map(points)
    all_passed = parts["passed"].groupby(parts[LEARNER_KEY]).all()
    if settings.overall_grade_rule == "lowest":
        combined = grade_points.groupby(parts[LEARNER_KEY]).min()
    else:
        combined = np.floor(grade_points.groupby(parts[LEARNER_KEY]).mean())
    graded = grade_points.notna().groupby(parts[LEARNER_KEY]).all()
    estimate = combined.where(all_passed & graded).map(by_points)
    recorded = overall["grade"].where(overall["passed"]).groupby(overall[LEARNER_KEY]).first().dropna()
    recorded = _recorded_overall_grades(records).combine_first(recorded)
    result = pd.DataFrame({"provisional_grade": estimate.dropna().astype(str) + ESTIMATE})
    result = result.reindex(result.index.union(recorded.index))
    result.loc[recorded.index, "provisional_grade"] = recorded.astype(str)
    return result


def _recorded_overall_grades(records: pd.DataFrame) -> pd.Series:
    """Per learner, the first Overall Grade recorded on a record that is not closed."""
    if "overall_grade" not in records:
        return pd.Series(dtype=object)
    grade = records["overall_grade"].astype("string").str.strip()
    grade = grade.where((grade != "") & ~records["category"].isin(CLOSED_CATEGORIES | {EXTERNAL}))
    return grade.groupby(records[LEARNER_KEY]).first().dropna().astype(object)
