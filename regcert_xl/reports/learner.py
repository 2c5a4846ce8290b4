"""The Learner sheet (§5): the individual learner record for one chosen learner — details,
every qualification with its lifecycle dates, the full assessment history, and a checklist of
actions. In the workbook it follows the learner chosen at the top of the sheet; the values
built here are those of the default learner (the most urgent one) or the one asked for."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.model.frames import arrow_text
from regcert_xl.model.table import Table
from regcert_xl.reports import actions as actions_report
from regcert_xl.reports import overview as overview_report
from regcert_xl.reports import records as records_report
from regcert_xl.reports.base import ColumnKind, Lookup, Report, Section, memo

DETAIL_FIELDS = ["Learner", "Learner Ref", "Programme", "Employer", "Cohort", "Worst RAG", "Open Actions",
                 "% Complete", "Next Due Date", "Provisional Grade"]
QUALIFICATION_FIELDS = ["qualification", "status", "registration_date", "registration_number",
                        "planned_achieved_date", "gateway_date", "achieved_date", "overall_grade",
                        "certificate_claimed_date",
                        "certificate_received_date", "certificate_sent_date"]
ASSESSMENT_FIELDS = ["qualification", "assessment", "assessment_type", "assessment_date", "status", "result",
                     "grade"]
CHECKLIST = {"Qualification": "Qualification", "Action": "Action", "Due Date": "Due Date", "Owner": "Owner",
             "Flag": "Flag"}
CHOOSER = "'Learner'!$C$3"  # the cell where the learner is chosen
MAX_ROWS = 200


def default_learner(ev: Evaluation) -> str | None:
    """The first learner of the Overview (most urgent)."""
    ids = overview_report.learner_ids(ev)
    return None if ids.empty else str(ids.iloc[0])


def _rows_for(frame: pd.DataFrame, key_column: str, learner: str | None) -> pd.DataFrame:
    """The learner's rows in their order ('<learner>#1', '#2'…)."""
    if learner is None:
        return frame.iloc[0:0]
    keys = frame[key_column].astype("string")
    mine = keys.str.startswith(f"{learner}#").fillna(False).astype(bool)
    order = keys[mine].str.slice(len(learner) + 1).astype(int).sort_values()
    return frame.loc[order.index]


def _max_per_learner(keys: pd.Series) -> int:
    """The most rows any one learner has (the lookup block's height), at most MAX_ROWS: the
    highest row number in the keys, as each learner's rows are numbered 1, 2, …"""
    keys = keys.dropna()
    if keys.empty:
        return 1
    numbers = pc.cast(pc.replace_substring_regex(arrow_text(keys), r"^.*#", ""), pa.int64())
    return int(min(pc.max(numbers).as_py(), MAX_ROWS))


def _or_number(table: Table, name: str) -> str:
    """An export without qualification titles names qualifications by number."""
    return "qualification_number" if name == "qualification" and not table.has(name) else name


def build(ev: Evaluation) -> list[Section]:
    learner = ev.chosen_learner if ev.chosen_learner is not None else default_learner(ev)
    overview = memo(ev, "Overview", overview_report.build)[0].frame
    details_row = overview[overview["ULN"].astype("string") == learner]
    details = pd.DataFrame({
        "Field": DETAIL_FIELDS,
        "Value": [details_row[f].iloc[0] if (f in details_row and len(details_row)) else None for f in DETAIL_FIELDS],
    })
    sections = [Section("tblLearnerDetails", "Details", details,
                        {"Value": ColumnKind.TEXT},
                        note="Choose a learner (ULN, or learner reference where there is no ULN) in the "
                             "yellow cell; everything below follows.",
                        lookup=Lookup("Overview", "ULN", {f: f for f in DETAIL_FIELDS if f in overview}, 1,
                                      single=True, chosen=learner))]
    for build_records, fields, table_name, title, sheet in (
        (records_report.qualifications, QUALIFICATION_FIELDS, "tblLearnerQualifications", "Qualifications",
         "Qualifications"),
        (records_report.assessments, ASSESSMENT_FIELDS, "tblLearnerAssessments", "Assessment history",
         "Assessments"),
    ):
        built = memo(ev, sheet, build_records)
        table = ev.context.qualifications if sheet == "Qualifications" else ev.context.assessments
        if not built or table is None:  # no assessments file: no assessments sheet
            continue
        source = built[0]
        shown = [_or_number(table, f) for f in fields]
        columns = {table.header_for(f): table.header_for(f) for f in shown if table.has(f)}
        generated = source.frame.columns[source.frame.columns.get_loc(source.generated_from):]
        extra = ["Flag", "Action", "Due Date"] if sheet == "Qualifications" else ["Attempt #", "Component Flag"]
        columns |= {g: g for g in generated if g in extra}
        key = records_report.LEARNER_KEY_COLUMN
        mine = _rows_for(source.frame, key, learner)[list(columns)]
        kinds = {c: k for c, k in source.kinds.items() if c in columns}
        sections.append(Section(table_name, title, mine.reset_index(drop=True), kinds,
                                lookup=Lookup(sheet, key, columns, _max_per_learner(source.frame[key]))))
    actions = memo(ev, "Actions", actions_report.sheet)[0]
    key = records_report.LEARNER_KEY_COLUMN
    checklist = _rows_for(actions.frame, key, learner)[list(CHECKLIST)].reset_index(drop=True)
    checklist["Done"] = ""
    sections.append(Section("tblLearnerChecklist", "Checklist of actions", checklist,
                            {"Due Date": ColumnKind.DATE, "Flag": ColumnKind.FLAG},
                            note="Tick Done as you go; the list is rebuilt on refresh.",
                            lookup=Lookup("Actions", key, CHECKLIST, _max_per_learner(actions.frame[key]))))
    return sections


REPORT = Report("Learner", "Learner record", build)
