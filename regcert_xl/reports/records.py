"""The Qualifications and Assessments sheets (§5): the admin's records exactly as read — every
column in source order, unknown ones untouched, unreadable values kept as the text they were —
followed by the generated columns."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluate.assessments import QUAL_INDEX
from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.model.columns import ColumnKind, unique_headers, user_columns
from regcert_xl.model.table import Table
from regcert_xl.reports.base import Report, Section

QUALIFICATION_GENERATED = ["Flag", "RAG", "Action", "Due Date", "Days Overdue", "Owner", "Learner Key"]
ASSESSMENT_GENERATED = ["Attempt #", "Latest", "Component Flag", "Learner Key"]
LEARNER_KEY_COLUMN = "Learner Key"  # "<ULN or reference>#<n>": the n-th record of a learner (Learner sheet)


def learner_ids(data: pd.DataFrame) -> pd.Series:
    """What the user picks a learner by: the ULN, else the learner reference."""
    uln = data["uln"].astype("string") if "uln" in data else pd.Series(pd.NA, index=data.index, dtype="string")
    ref = data["learner_ref"].astype("string") if "learner_ref" in data else pd.Series(pd.NA, index=data.index, dtype="string")
    return uln.where(uln.notna() & (uln.str.strip() != ""), ref)


def learner_record_keys(ids: pd.Series) -> pd.Series:
    """'<id>#<n>': the n-th record of each learner, in sheet order."""
    n = ids.groupby(ids.fillna("")).cumcount() + 1
    return (ids.fillna("") + "#" + n.astype(str)).where(ids.notna())


def _generated(names: list[str], taken: list[str]) -> list[str]:
    """Generated headers, renamed only if the export already uses the name."""
    return unique_headers(names, set(taken))


def _choices(table: Table, lists: dict[str, str]) -> dict[str, str]:
    """The sheet's header for each field that has a drop-down list."""
    return {table.header_for(f): name for f, name in lists.items() if table.has(f)}


def qualifications(ev: Evaluation) -> list[Section]:
    table = ev.context.qualifications
    frame, kinds = user_columns(table)
    r = ev.records
    names = _generated(QUALIFICATION_GENERATED, list(frame.columns))
    generated = pd.DataFrame({
        names[0]: r["flag"], names[1]: r["rag"], names[2]: r["action"], names[3]: r["due_date"],
        names[4]: r["days_overdue"], names[5]: r["owner"],
        names[6]: learner_record_keys(learner_ids(table.data)),
    }, index=frame.index)
    kinds |= {names[0]: ColumnKind.FLAG, names[1]: ColumnKind.RAG, names[3]: ColumnKind.DATE,
              names[4]: ColumnKind.INT}
    return [Section("tblQualifications", "Qualifications", pd.concat([frame, generated], axis=1), kinds,
                    note="Your export, one row per learner × qualification. Edit statuses and dates here; "
                         "the shaded columns from Flag on are worked out by regcert-xl and replaced on refresh.",
                    generated_from=names[0], choices=_choices(table, {"status": "Qualification Status"}))]


def component_flags(ev: Evaluation) -> pd.Series:
    """Per assessment: what it means now (PASSED, RESIT_REQUIRED, RESIT_BOOKED, RESULT_OVERDUE,
    RESULT_PENDING, BOOKED, EARLIER_ATTEMPT, NOT_AN_ATTEMPT, NO_QUALIFICATION)."""
    e = ev.analysis.events
    if e.empty:
        return pd.Series(dtype=object)
    comps = ev.analysis.components.set_index("latest_event")
    comps = comps[comps.index.notna()]
    latest = pd.Series(pd.NA, index=e.index, dtype=object)
    if len(comps):
        state = pd.Series("PASSED", index=comps.index, dtype=object)
        state[comps["latest_outcome"] == "fail"] = "RESIT_BOOKED"
        state[comps["resit_required"].astype(bool)] = "RESIT_REQUIRED"
        state[comps["result_pending"].astype(bool)] = "RESULT_PENDING"
        state[comps["result_overdue"].astype(bool)] = "RESULT_OVERDUE"
        latest[state.index.astype("int64")] = state.to_numpy()
    flag = pd.Series("EARLIER_ATTEMPT", index=e.index, dtype=object)
    flag[e["booked"].astype(bool)] = "BOOKED"
    flag[~e["counts"].astype(bool)] = "NOT_AN_ATTEMPT"
    flag = latest.fillna(flag)
    flag[e[QUAL_INDEX].isna()] = "NO_QUALIFICATION"
    return flag


def assessments(ev: Evaluation) -> list[Section]:
    table = ev.context.assessments
    if table is None:
        return []
    frame, kinds = user_columns(table)
    e = ev.analysis.events
    names = _generated(ASSESSMENT_GENERATED, list(frame.columns))
    ids = ev.context.assessment_learner_keys.str.replace("^REF:", "", regex=True)
    display_ids = learner_ids(table.data).where(learner_ids(table.data).notna(), ids)
    generated = pd.DataFrame({
        names[0]: e["attempt"].astype("Int64"),
        names[1]: e["is_latest"].map({True: "Yes", False: ""}),
        names[2]: component_flags(ev),
        names[3]: learner_record_keys(display_ids),
    }, index=frame.index)
    kinds |= {names[0]: ColumnKind.ID, names[2]: ColumnKind.FLAG}
    return [Section("tblAssessments", "Assessments", pd.concat([frame, generated], axis=1), kinds,
                    note="Your assessment export, one row per event. The shaded columns are worked out by "
                         "regcert-xl: the attempt number, whether it is the latest attempt of its component, "
                         "and what it means now.",
                    generated_from=names[0],
                    choices=_choices(table, {"status": "Assessment Status", "result": "Result",
                                             "assessment_type": "Assessment Type"}))]


QUALIFICATIONS = Report("Qualifications", "Qualifications", qualifications, protected=False)
ASSESSMENTS = Report("Assessments", "Assessments", assessments, protected=False)
