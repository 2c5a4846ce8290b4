"""The Actions "shopping list" (§5): one row per open action — every flag that asks for
something, not just the worst — sorted by due date (undated last), then by severity."""

from __future__ import annotations

import pandas as pd

from regcert_xl.evaluate.evaluation import Evaluation
from regcert_xl.evaluate.flags import RAG_ORDER
from regcert_xl.model.identity import LEARNER_NAME
from regcert_xl.reports.base import ColumnKind, Report, Section
from regcert_xl.reports.records import LEARNER_KEY_COLUMN, learner_record_keys

COLUMNS = ["learner", "uln", "learner_ref", "programme", "employer", "qualification", "flag", "rag", "action",
           "due_date", "days_overdue", "owner"]
HEADERS = {"learner": "Learner", "uln": "ULN", "learner_ref": "Learner Ref", "programme": "Programme",
           "employer": "Employer", "qualification": "Qualification", "flag": "Flag", "rag": "RAG",
           "action": "Action", "due_date": "Due Date", "days_overdue": "Days Overdue", "owner": "Owner"}


def build(ev: Evaluation) -> pd.DataFrame:
    """The open actions, sorted by due date (undated last), then severity and flag order."""
    open_actions = ev.hits[ev.hits["is_action"]].rename(columns={LEARNER_NAME: "learner"})
    ordered = open_actions.assign(_rag=open_actions["rag"].map(RAG_ORDER)).sort_values(
        ["due_date", "_rag", "order", "record"], na_position="last", kind="stable")
    return ordered.reindex(columns=COLUMNS).reset_index(drop=True)


def sheet(ev: Evaluation) -> list[Section]:
    frame = build(ev)
    ids = frame["uln"].astype("string").where(frame["uln"].notna(), frame["learner_ref"].astype("string"))
    shown = frame.rename(columns=HEADERS)
    shown[LEARNER_KEY_COLUMN] = learner_record_keys(ids)
    kinds = {"Flag": ColumnKind.FLAG, "RAG": ColumnKind.RAG, "Due Date": ColumnKind.DATE,
             "Days Overdue": ColumnKind.INT}
    return [Section("tblActions", "Actions", shown, kinds,
                    note="The shopping list: every open action, not just the worst per record, by due date. "
                         "Days Overdue is negative for the days left.")]


REPORT = Report("Actions", "Actions", sheet)
