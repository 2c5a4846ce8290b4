"""Assessment analysis (§4): which qualification record each assessment belongs to, attempts
numbered per learner × qualification × component, the latest attempt and result of each
component, resits, first-attempt passes, and what that means for each qualification record.

All of it is column-wise: sorts, groupby and merges, no loops over records.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from regcert_xl.model.frames import join_groups, on_distinct
from regcert_xl.model.identity import LEARNER_KEY, norm_key, qualification_labels
from regcert_xl.model.linking import link_to_qualifications
from regcert_xl.model.settings import Settings
from regcert_xl.model.table import Table
from regcert_xl.model.vocab import (
    NON_ATTEMPT_TYPES,
    RESIT_TYPES,
    STATUS_INDEX,
    TYPE_INDEX,
    resolve,
    result_index,
)

SAT_STATUSES = frozenset({"sat", "awaiting result", "result received"})
BOOKED_STATUSES = frozenset({"planned", "booked"})
QUAL_INDEX = "_qual_index"
COMPONENT_KEY = "_component_key"


@dataclass
class AssessmentAnalysis:
    """``events``: every assessment with its reading; ``components``: one row per qualification
    record × component; ``records``: one row per qualification record that has assessments."""

    events: pd.DataFrame
    components: pd.DataFrame
    records: pd.DataFrame


def read_events(table: Table, learner_keys: pd.Series, qualifications: pd.DataFrame,
                settings: Settings, linked: pd.Series | None = None) -> pd.DataFrame:
    """The assessments with their words resolved and attempts numbered."""
    a = table.data
    ev = pd.DataFrame(index=a.index)
    ev[LEARNER_KEY] = learner_keys
    ev[QUAL_INDEX] = linked if linked is not None else link_to_qualifications(a, learner_keys, qualifications)
    name = table.column("assessment").astype("string")
    name = name.where(name.notna() & (name.str.strip() != ""), qualification_labels(a))
    ev["assessment"] = name
    ev[COMPONENT_KEY] = norm_key(name).fillna("")
    ev["type"] = resolve(table.column("assessment_type"), TYPE_INDEX)
    ev["status"] = resolve(table.column("status"), STATUS_INDEX)
    ev["outcome"] = resolve(table.column("result"), result_index(settings))
    ev["result"] = table.column("result")
    ev["grade"] = _grade(table, settings)
    ev["date"] = table.column("assessment_date") if table.has("assessment_date") else pd.NaT
    ev["date"] = pd.to_datetime(ev["date"])
    ev["given_attempt"] = table.column("attempt").astype("Int64") if table.has("attempt") else pd.NA
    ev["given_attempt"] = ev["given_attempt"].astype("Int64")

    has_outcome = ev["outcome"].isin(["pass", "fail"])
    ev["counts"] = (~ev["type"].isin(NON_ATTEMPT_TYPES) & (ev["status"] != "cancelled")
                    & (ev["outcome"] != "void"))
    ev["sat"] = ev["counts"] & (ev["status"].isin(SAT_STATUSES) | has_outcome)
    ev["booked"] = ev["counts"] & ev["status"].isin(BOOKED_STATUSES) & ~has_outcome
    ev["attempt"] = _number_attempts(ev)
    ev["is_resit"] = ev["counts"] & (ev["type"].isin(RESIT_TYPES) | (ev["attempt"] > 1).fillna(False))
    return ev


def _grade(table: Table, settings: Settings) -> pd.Series:
    """The grade of an event: the Grade column, else the result when it names a grade."""
    points = {k.casefold(): k for k in settings.grade_points}
    grade = table.column("grade").astype("string").str.strip()
    result = table.column("result").astype("string").str.strip()
    grade = grade.where(grade.notna() & (grade != ""), result)
    named = on_distinct(grade, lambda g: g.str.casefold().map(points).astype(object))
    return named.where(named.notna(), grade.astype(object))


def _number_attempts(ev: pd.DataFrame) -> pd.Series:
    """Given attempt numbers kept; blanks numbered by date within learner × qualification ×
    component, counting only events that are attempts."""
    counting = ev[ev["counts"]]
    order = counting.assign(_date=counting["date"].fillna(pd.Timestamp.min),
                            _pos=np.arange(len(counting)))
    order = order.sort_values([QUAL_INDEX, LEARNER_KEY, COMPONENT_KEY, "_date", "given_attempt", "_pos"],
                              na_position="first")
    derived = order.groupby([order[QUAL_INDEX].fillna(-1), order[LEARNER_KEY].fillna(""),
                             order[COMPONENT_KEY]], sort=False).cumcount() + 1
    attempt = pd.Series(pd.NA, index=ev.index, dtype="Int64")
    attempt[derived.index] = derived.astype("Int64")
    return ev["given_attempt"].fillna(attempt).where(ev["counts"], pd.NA).astype("Int64")


def analyse(table: Table | None, learner_keys: pd.Series | None, qualifications: pd.DataFrame,
            settings: Settings, as_of: pd.Timestamp, linked: pd.Series | None = None) -> AssessmentAnalysis:
    if table is None or learner_keys is None or len(table) == 0:
        empty = pd.DataFrame(index=pd.Index([], dtype="int64"))
        return AssessmentAnalysis(_empty_events(), _empty_components(), _empty_records(empty))
    ev = read_events(table, learner_keys, qualifications, settings, linked)
    components = _components(ev, settings, as_of)
    ev["is_latest"] = False
    ev.loc[components["latest_event"].dropna().astype("int64"), "is_latest"] = True
    ev["first_attempt_pass"] = ev["sat"] & (ev["attempt"] == 1).fillna(False) & (ev["outcome"] == "pass")
    return AssessmentAnalysis(ev, components, _records(components))


def _components(ev: pd.DataFrame, settings: Settings, as_of: pd.Timestamp) -> pd.DataFrame:
    linked = ev[ev[QUAL_INDEX].notna() & ev["counts"]]
    keys = [QUAL_INDEX, COMPONENT_KEY]
    if linked.empty:
        return _empty_components()
    sat = linked[linked["sat"]].assign(_date=lambda f: f["date"].fillna(pd.Timestamp.min))
    sat = sat.sort_values([*keys, "attempt", "_date"], na_position="first")
    latest = sat.groupby(keys, sort=False).tail(1).set_index(keys)
    by_component = [linked[k] for k in keys]
    comp = pd.DataFrame({
        "assessment": linked["assessment"].groupby(by_component, sort=False).first(),
        "attempts": linked["sat"].groupby(by_component, sort=False).sum(),
        "resits": (linked["is_resit"] & linked["sat"]).groupby(by_component, sort=False).sum(),
    })
    comp["latest_event"] = pd.Series(sat.groupby(keys, sort=False).tail(1).index,
                                     index=latest.index).reindex(comp.index).astype("Int64")
    comp["latest_date"] = latest["date"].reindex(comp.index)
    comp["latest_outcome"] = latest["outcome"].reindex(comp.index)
    comp["latest_grade"] = latest["grade"].reindex(comp.index)
    comp["latest_attempt"] = latest["attempt"].reindex(comp.index)
    # something booked after the latest sat attempt (or booked with no date yet)
    booked = linked[linked["booked"]].join(comp["latest_date"], on=keys)
    after = booked["date"].isna() | booked["latest_date"].isna() | (booked["date"] >= booked["latest_date"])
    comp["booked_after"] = after.groupby([booked[k] for k in keys]).any().reindex(comp.index, fill_value=False)
    comp["next_booking"] = booked["date"].groupby([booked[k] for k in keys]).min().reindex(comp.index)

    wait = pd.Timedelta(days=settings.result_wait_days)
    no_result = comp["latest_event"].notna() & ~comp["latest_outcome"].isin(["pass", "fail"])
    comp["resit_required"] = (comp["latest_outcome"] == "fail") & ~comp["booked_after"]
    comp["resit_due"] = comp["latest_date"].where(comp["resit_required"])
    comp["result_due"] = (comp["latest_date"] + wait).where(no_result)
    comp["result_overdue"] = no_result & (comp["result_due"] < as_of).fillna(False)
    comp["result_pending"] = no_result & ~comp["result_overdue"]
    comp["passed"] = comp["latest_outcome"] == "pass"
    return comp.reset_index()


def _records(components: pd.DataFrame) -> pd.DataFrame:
    """Per qualification record: what its components say, for the flags."""
    if components.empty:
        return _empty_records(components)
    c = components
    g = c.groupby(QUAL_INDEX)

    def names(mask: pd.Series) -> pd.Series:
        return join_groups(c["assessment"][mask], c[QUAL_INDEX][mask])

    attempted = c["latest_event"].notna()
    rec = pd.DataFrame({
        "resit_required": g["resit_required"].any(),
        "resit_due": g["resit_due"].min(),
        "resit_components": names(c["resit_required"]),
        "result_overdue": g["result_overdue"].any(),
        "result_pending": g["result_pending"].any(),
        "result_due": c["result_due"].where(c["result_overdue"] | c["result_pending"]).groupby(c[QUAL_INDEX]).min(),
        "result_components": names(c["result_overdue"] | c["result_pending"]),
        "all_passed": (c["passed"] | ~attempted).groupby(c[QUAL_INDEX]).all() & attempted.groupby(c[QUAL_INDEX]).any(),
        "passed_date": c["latest_date"].where(c["passed"]).groupby(c[QUAL_INDEX]).max(),
        "grade": c["latest_grade"].where(c["passed"]).groupby(c[QUAL_INDEX]).last(),
    })
    rec.index = rec.index.astype("int64")
    for column in ("resit_components", "result_components"):
        rec[column] = rec[column].fillna("")
    return rec


def _empty_events() -> pd.DataFrame:
    columns = [LEARNER_KEY, QUAL_INDEX, "assessment", COMPONENT_KEY, "type", "status", "outcome", "result",
               "grade", "date", "given_attempt", "counts", "sat", "booked", "attempt", "is_resit", "is_latest",
               "first_attempt_pass"]
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _empty_components() -> pd.DataFrame:
    columns = [QUAL_INDEX, COMPONENT_KEY, "assessment", "attempts", "resits", "latest_event", "latest_date",
               "latest_outcome", "latest_grade", "latest_attempt", "booked_after", "next_booking",
               "resit_required", "resit_due", "result_due", "result_overdue", "result_pending", "passed"]
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _empty_records(_: pd.DataFrame) -> pd.DataFrame:
    columns = ["resit_required", "resit_due", "resit_components", "result_overdue", "result_pending",
               "result_due", "result_components", "all_passed", "passed_date", "grade"]
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}, index=pd.Index([], dtype="int64"))
