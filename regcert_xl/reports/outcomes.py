"""The Outcomes sheet (§5): assessment outcomes per component, and by programme, employer,
cohort and month — learners assessed, attempts, first-attempt and overall pass rates, resits,
grades, results awaited — and the achievement rate per programme.

Definitions (per group):
- learners assessed: distinct learners with a sat attempt;
- attempts: sat attempts (mocks, gateway checks, cancelled and void events are not attempts);
- first-attempt pass rate: first attempts passed ÷ first attempts with a result;
- overall pass rate: components whose latest result is a pass ÷ components with a latest result;
- resits: sat attempts after the first (or typed resit/retake);
- grades: latest passing grade per learner × component;
- awaiting results: components whose latest sat attempt has no result yet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regcert_xl.evaluate.assessments import QUAL_INDEX
from regcert_xl.evaluate.components import component_names
from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.model.identity import LEARNER_KEY
from regcert_xl.model.lifecycle import ACTIVE, NOT_ACHIEVED_CATEGORIES
from regcert_xl.reports.base import ColumnKind, Report, Section

RATES = ("First-Attempt Pass Rate", "Overall Pass Rate")


def sat_events(ev: Evaluation) -> pd.DataFrame:
    """Sat attempts linked to a record, with the record's programme, employer, cohort and the component."""
    e = ev.analysis.events[[LEARNER_KEY, QUAL_INDEX, "assessment", "sat", "attempt", "outcome", "is_latest",
                             "is_resit", "grade", "date"]]
    sat = e[e["sat"].astype(bool) & e[QUAL_INDEX].notna()].copy()
    if sat.empty:
        return sat.assign(component=pd.Series(dtype=object), month=pd.Series(dtype=object))
    wanted = [c for c in ("programme", "employer", "cohort") if c in ev.records]
    records = ev.records[wanted].reindex(sat[QUAL_INDEX].astype("int64"))
    for column in ("programme", "employer", "cohort"):
        sat[column] = (records[column].to_numpy() if column in records else pd.NA)
    sat["component"] = component_names(sat["assessment"], ev.settings)["component"].to_numpy()
    sat["month"] = sat["date"].dt.strftime("%Y-%m").fillna("(no date)")
    has_result = sat["outcome"].isin(["pass", "fail"])
    latest = sat["is_latest"].astype(bool)
    sat["first"] = (sat["attempt"] == 1).fillna(False).astype(bool) & has_result
    sat["first_pass"] = sat["first"] & (sat["outcome"] == "pass")
    sat["decided"] = latest & has_result
    sat["latest_pass"] = sat["decided"] & (sat["outcome"] == "pass")
    sat["resit"] = sat["is_resit"].astype(bool)
    sat["awaiting"] = latest & ~has_result
    return sat


def metrics(sat: pd.DataFrame, by: str, grades: list[str]) -> pd.DataFrame:
    """The outcome measures per value of ``by`` (one groupby over the per-event tests)."""
    columns = [by, "Learners Assessed", "Attempts", *RATES, "Resits", "Awaiting Results", *grades]
    if sat.empty:
        return pd.DataFrame(columns=columns)
    tests = sat[["first", "first_pass", "decided", "latest_pass", "resit", "awaiting"]]
    codes = pd.factorize(sat[LEARNER_KEY])[0]  # numbers, quicker to count than text
    learner = pd.Series(codes, index=sat.index, name="learner").where(codes >= 0)
    grouped = pd.concat([sat[by], learner, tests], axis=1).groupby(by, sort=True, dropna=False)
    sums = grouped[list(tests.columns)].sum()
    out = pd.DataFrame({"Learners Assessed": grouped["learner"].nunique(), "Attempts": grouped.size()})
    out["First-Attempt Pass Rate"] = _rate(sums["first_pass"], sums["first"])
    out["Overall Pass Rate"] = _rate(sums["latest_pass"], sums["decided"])
    out["Resits"] = sums["resit"]
    out["Awaiting Results"] = sums["awaiting"]
    passed = sat[sat["latest_pass"]]
    grade_counts = (passed.groupby([passed[by], passed["grade"].fillna("(no grade)")], sort=False).size()
                    .unstack(fill_value=0) if len(passed) else pd.DataFrame())
    for grade in grades:
        out[grade] = grade_counts.get(grade, 0)
    counts = ["Learners Assessed", "Attempts", "Resits", "Awaiting Results", *grades]
    out[counts] = out[counts].fillna(0).astype(int)
    return out.reset_index().reindex(columns=columns)


def _rate(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return (numerator / denominator.replace(0, np.nan)).astype(float)


def grade_names(sat: pd.DataFrame, points: dict[str, int]) -> list[str]:
    seen = sat.loc[sat["outcome"] == "pass", "grade"].dropna().astype(str).unique().tolist() if len(sat) else []
    known = [g for g in sorted(points, key=points.__getitem__) if g in seen]
    return known + sorted(g for g in seen if g not in known)


def achievement_by_programme(ev: Evaluation) -> pd.DataFrame:
    """Achieved (Achieved or later) ÷ decided (achieved + withdrawn, void or not achieved)."""
    r = ev.records
    programme = r["programme"].astype("string").fillna("(blank)") if "programme" in r else pd.Series("(all)", index=r.index)
    achieved = (r["category"] == ACTIVE) & (r["rank"].astype("Float64") >= 3).fillna(False)
    failed = r["category"].isin(NOT_ACHIEVED_CATEGORIES)
    excluded = r["category"].isin(["exempt", "external"])
    table = pd.DataFrame({"Records": 1, "Achieved": achieved, "Not Achieved": failed,
                          "In Progress": ~(achieved | failed | excluded), "Excluded": excluded}).groupby(programme).sum()
    table = table.astype(int)
    table["Achievement Rate"] = _rate(table["Achieved"], table["Achieved"] + table["Not Achieved"])
    return table.rename_axis("Programme").reset_index()


def build(ev: Evaluation) -> list[Section]:
    sat = sat_events(ev)
    grades = grade_names(sat, ev.settings.grade_points)
    rate_kinds = {r: ColumnKind.RATE for r in RATES}
    sections = [Section("tblOutcomesComponent", "Outcomes by component", metrics(sat, "component", grades)
                        .rename(columns={"component": "Component"}), rate_kinds,
                        chart={"type": "column", "categories": "Component", "values": list(RATES),
                               "title": "Pass rates by component", "percent": True})]
    for by, label, table in (("programme", "Programme", "tblOutcomesProgramme"),
                             ("employer", "Employer", "tblOutcomesEmployer"),
                             ("cohort", "Cohort", "tblOutcomesCohort"),
                             ("month", "Month", "tblOutcomesMonth")):
        if by in sat and sat[by].notna().any():
            frame = metrics(sat.assign(**{by: sat[by].astype("string").fillna("(blank)")}), by, grades)
            sections.append(Section(table, f"Outcomes by {label.lower()}", frame.rename(columns={by: label}),
                                    rate_kinds))
    sections.append(Section("tblAchievement", "Achievement rate by programme", achievement_by_programme(ev),
                            {"Achievement Rate": ColumnKind.RATE},
                            note="Achievement rate = achieved ÷ (achieved + withdrawn, void or not achieved); "
                                 "exempt and external records are left out."))
    return sections


REPORT = Report("Outcomes", "Outcomes", build)
